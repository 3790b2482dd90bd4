"""A remote SPARQL 1.1 store as the engine (Virtuoso, Fuseki, GraphDB, QLever …; issue 6).

Same interface as `graph.engine.QueryPool`: `query(QueryRequest) -> QueryResult` and `close()`.
Queries go through SPARQLWrapper; parameters are written into the text by graph/binding.py
(never pasted); results come back in the first accepted format the store can give, and are
passed through as the store serialised them. `update(text)` sends SPARQL 1.1 Update; writes
that must pass the SHACL gate go through the same gate as the embedded store (the caller
validates the changed focus nodes with graph.validate.validate_focus on the data first).
"""

from __future__ import annotations

import time
import urllib.error
from dataclasses import dataclass

from SPARQLWrapper import CSV, JSON, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, EndPointNotFound, QueryBadFormed, Unauthorized

from graph.binding import bind_in_text
from graph.engine import QueryRequest, QueryResult
from graph.errors import EvaluationError, NotAcceptable, QuerySyntaxError, QueryTimeout, ResultTooLarge
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS

# What every SPARQL 1.1 store can be asked for; our other formats need the embedded engine.
REMOTE_RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                       "text/tab-separated-values")
REMOTE_GRAPH_TYPES = ("text/turtle", "application/rdf+xml")
# SPARQLWrapper asks for a format by its own names (as an Accept header and a format parameter).
WRAPPER_FORMATS = {"application/sparql-results+json": JSON, "application/sparql-results+xml": XML, "text/csv": CSV,
                   "text/tab-separated-values": TSV, "text/turtle": TURTLE, "application/rdf+xml": RDFXML}


@dataclass
class RemoteSettings:
    """Where the remote store is and how to talk to it."""

    query_url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    max_bytes: int | None = 64 * 1024 * 1024


class RemoteEngine:
    """Runs queries (and updates) on a remote SPARQL 1.1 endpoint."""

    def __init__(self, settings: RemoteSettings):
        self.settings = settings

    def _wrapper(self, url: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url)
        wrapper.setTimeout(int(max(1, self.settings.timeout)))
        if self.settings.user:
            wrapper.setCredentials(self.settings.user, self.settings.password or "")
        return wrapper

    def query(self, request: QueryRequest) -> QueryResult:
        """Run `request` remotely and return the store's serialisation of the answer.

        :raises QuerySyntaxError: if the store refuses the query as malformed.
        :raises NotAcceptable: if no accepted format is one the store can produce.
        :raises QueryTimeout: if the store does not answer within the time limit.
        :raises EvaluationError: if the store cannot be reached or fails.
        """
        started = time.perf_counter()
        wrapper = self._wrapper(self.settings.query_url)
        wrapper.setMethod(POST)
        wrapper.setQuery(bind_in_text(request.query, request.substitutions))
        kind = wrapper.queryType
        graph_form = kind in ("CONSTRUCT", "DESCRIBE")
        offered = REMOTE_GRAPH_TYPES if graph_form else REMOTE_RESULT_TYPES
        accepted = [t for t in (request.graph_types if graph_form else request.result_types) if t in offered]
        if not accepted:
            table = GRAPH_FORMATS if graph_form else RESULT_FORMATS
            raise NotAcceptable(f"the remote store answers {kind} queries in {', '.join(offered)}",
                                sorted(set(offered) & set(table)))
        media_type = accepted[0]
        wrapper.setReturnFormat(WRAPPER_FORMATS[media_type])
        for graph in request.default_graphs or ():
            wrapper.addDefaultGraph(graph)
        for graph in request.named_graphs or ():
            wrapper.addNamedGraph(graph)
        body = self._send(wrapper).response.read()
        limit = request.max_bytes or self.settings.max_bytes
        if limit is not None and len(body) > limit:
            raise ResultTooLarge(limit)
        result_kind = "graph" if graph_form else ("boolean" if kind == "ASK" else "solutions")
        return QueryResult(result_kind, media_type, body, time.perf_counter() - started)

    def update(self, text: str) -> None:
        """Send a SPARQL 1.1 Update to the store's update endpoint.

        :raises EvaluationError: if no update endpoint is configured or the store fails.
        """
        if not self.settings.update_url:
            raise EvaluationError("no update endpoint configured (KG_REMOTE_UPDATE_URL)")
        wrapper = self._wrapper(self.settings.update_url)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod("postdirectly")
        wrapper.setQuery(text)
        self._send(wrapper)

    def _send(self, wrapper: SPARQLWrapper):
        try:
            return wrapper.query()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(_message(exc)) from None
        except (EndPointNotFound, EndPointInternalError, Unauthorized) as exc:
            raise EvaluationError(f"remote store: {_message(exc)}") from None
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            if "timed out" in str(exc):
                raise QueryTimeout(self.settings.timeout) from None
            raise EvaluationError(f"remote store not reachable at {wrapper.endpoint}: {exc}") from None

    def close(self) -> None:
        """Nothing to release: every request opens its own connection."""


def _message(exc: Exception) -> str:
    # SPARQLWrapper prefixes its own text and appends the store's response body.
    text = str(exc)
    marker = "Response:\n"
    return text.split(marker, 1)[1].strip()[:500] if marker in text else text[:500]


def push(store, engine: RemoteEngine, default_graph: str | None = None, chunk: int = 500) -> int:
    """Copy a published store version into the remote store with SPARQL 1.1 Update (INSERT DATA),
    graph by graph in chunks; return the number of quads sent.

    The default graph goes to the remote default graph, or to `default_graph` for stores such as
    Virtuoso whose queries without FROM see the union of all graphs.
    """
    import pyoxigraph as ox

    sent = 0
    graphs = [None, *sorted(g.value for g in store.named_graphs())]
    for graph in graphs:
        target = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        # Blank nodes become skolem IRIs (RDF 1.1, 3.5): INSERT DATA would mint new ones per
        # request, and some stores (Virtuoso) refuse them there.
        lines = [f"{_skolem(q.subject)} {q.predicate} {_skolem(q.object)} ."
                 for q in store.quads_for_pattern(None, None, None, target)]
        name = graph if graph is not None else default_graph
        for start in range(0, len(lines), chunk):
            body = "\n".join(lines[start:start + chunk])
            engine.update(f"INSERT DATA {{ GRAPH <{name}> {{ {body} }} }}" if name else f"INSERT DATA {{ {body} }}")
        sent += len(lines)
    return sent


SKOLEM = "https://w3id.org/kommunalgraph/.well-known/genid/"


def _skolem(term) -> str:
    import pyoxigraph as ox

    return f"<{SKOLEM}{term.value}>" if isinstance(term, ox.BlankNode) else str(term)
