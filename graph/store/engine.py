"""SPARQL evaluation on Oxigraph in-process: a query request, its serialised result, and run_query.

User queries never run on rdflib's Python evaluator. The server runs them in worker processes with
time limits (graph/store/pool.py), which call run_query next to the store.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Protocol

import pyoxigraph as ox

from graph.errors import EvaluationError, NotAcceptable, QuerySyntaxError, ResultTooLarge, UnsupportedQuery
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from graph.terms import Term, from_plain


@dataclass(frozen=True)
class QueryRequest:
    """One query with its dataset, bindings and the formats the client accepts."""

    query: str
    result_types: tuple[str, ...] = ("application/sparql-results+json",)
    graph_types: tuple[str, ...] = ("text/turtle",)
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: tuple[tuple[str, Term], ...] = ()
    base_iri: str | None = None
    max_bytes: int | None = None
    # A text from a client (/sparql), not one the server built from terms: a worker without a
    # network sandbox refuses such a text when it mentions SERVICE (issue 10, strict mode).
    untrusted: bool = False
    # A lookup the server built by an indexed key (a label, a page number): its cost does not grow with the
    # store, so it may run in the server's own thread (graph/store/server_lane.py). It does not shape the answer.
    index_lookup: bool = False

    def shape(self) -> tuple:
        """What shapes the answer on one store version (a cache's key)."""
        # The engine answers in the first accepted format of the query's kind (run_query).
        return (self.query, self.result_types[:1], self.graph_types[:1], self.default_graphs, self.named_graphs,
                self.substitutions, self.base_iri, self.max_bytes)


class Job(Protocol):
    """Work made of several queries that a worker does next to the store in one round trip (a named-query
    request: graph/sparql/named_request.py). Built by the server from its own terms, never from a client's text."""

    max_bytes: int | None
    # The text of its queries, as far as a cache must see it (volatile functions are never cached).
    text: str

    def shape(self) -> tuple:
        """What shapes the answer on one store version (a cache's key)."""

    def run(self, execute: Callable[[QueryRequest], "QueryResult"], version: str | None) -> Any:
        """Do the work with `execute` on store version `version`; the answer goes back to the caller."""


@dataclass
class QueryResult:
    """A serialised query result."""

    kind: str          # "solutions", "boolean" or "graph"
    media_type: str
    body: bytes
    seconds: float = 0.0


class _CappedBuffer:
    """A binary sink that stops serialisation once the result passes the size cap."""

    def __init__(self, limit: int | None):
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            raise ResultTooLarge(self.limit)
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: data stays in memory."""


def run_query(store: ox.Store, request: QueryRequest) -> QueryResult:
    """Evaluate `request` on `store` and serialise the result in the first acceptable format.

    :raises QuerySyntaxError: if the query does not parse.
    :raises NotAcceptable: if no accepted format fits the query form.
    :raises ResultTooLarge: if the result passes `request.max_bytes`.
    """
    started = time.perf_counter()
    options = {"base_iri": request.base_iri}
    if request.default_graphs is not None or request.named_graphs is not None:
        # SPARQL 1.1 Protocol 2.1.4: a protocol dataset replaces FROM / FROM NAMED.
        options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs or ()]
    if request.substitutions:
        options["substitutions"] = {ox.Variable(name): from_plain(term) for name, term in request.substitutions}
    result = _evaluate(store, request.query, options)
    if isinstance(result, ox.QueryTriples):
        kind, accepted, table = "graph", request.graph_types, GRAPH_FORMATS
    else:
        kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
        accepted, table = request.result_types, RESULT_FORMATS
    if not accepted:
        del result  # pyoxigraph results must be freed on the thread that made them, not by a later GC
        offered = sorted(table)
        raise NotAcceptable(f"no accepted format for a {kind} result; available: {', '.join(offered)}", offered)
    media_type = accepted[0]
    sink = _CappedBuffer(request.max_bytes)
    try:
        result.serialize(sink, format=table[media_type])
    except OSError as exc:
        # Evaluation is lazy: errors such as a failing SERVICE call surface while serialising.
        raise EvaluationError(str(exc)) from None
    return QueryResult(kind, media_type, b"".join(sink.parts), time.perf_counter() - started)


# Oxigraph's message for a function IRI it does not know (pyoxigraph 0.5).
_UNKNOWN_FUNCTION = re.compile(r"custom function <([^>]*)> is not supported")
# A query names few functions; the bound stops a loop should the message ever repeat an IRI.
_MAX_UNKNOWN_FUNCTIONS = 64


def _unknown_function(*_args) -> None:
    """An extension function the engine does not know: its call is an error (SPARQL 1.1 Query 17.6)."""
    return None


def _evaluate(store: ox.Store, query: str, options: dict):
    """Start evaluating `query`; calls of unknown extension functions evaluate to an error (unbound).

    SPARQL 1.1 Query 17.6 makes an unsupported extension function an evaluation error, not a
    malformed query (issue 11): Oxigraph refuses the whole query instead, so each function it names
    is registered as one that always fails, and the query is planned again.

    :raises QuerySyntaxError: if the query does not parse.
    :raises UnsupportedQuery: if the engine cannot plan the query for another reason.
    """
    unknown: dict = {}
    while True:
        try:
            return store.query(query, custom_functions=unknown or None, **options)
        except SyntaxError as exc:
            raise QuerySyntaxError.from_engine(str(exc)) from None
        except RuntimeError as exc:
            # Oxigraph raises RuntimeError for valid syntax it cannot run, such as unknown functions.
            match = _UNKNOWN_FUNCTION.search(str(exc))
            if match is None or len(unknown) >= _MAX_UNKNOWN_FUNCTIONS or ox.NamedNode(match.group(1)) in unknown:
                raise UnsupportedQuery(str(exc)) from None
            unknown[ox.NamedNode(match.group(1))] = _unknown_function
