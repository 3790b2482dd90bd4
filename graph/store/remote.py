"""A remote SPARQL 1.1 store as the engine (Virtuoso, Fuseki, GraphDB, QLever …; issue 6).

Same interface as `graph.store.pool.QueryPool`: `query(QueryRequest) -> QueryResult` and `close()`.
The endpoint speaks one language on both back ends: a query is parsed by Oxigraph first, so
a syntax error gets the same message, line and column as on the embedded store, and the
remote store only sees queries that parse. Parameters are written into the text by
graph/sparql/binding.py (never pasted). The store is asked for SPARQL results JSON/XML or
N-Triples and its answer is re-serialised by Oxigraph (graph/store/remote_results.py), so every
format of the embedded back end is offered. Stores whose queries see the union of all graphs
(Virtuoso) get our default graph as a named graph (`push --default-graph`), chosen with
default-graph-uri when the request names no dataset itself. `update(text)` sends SPARQL 1.1
Update; writes that must pass the SHACL gate are validated by the caller first
(graph.checks.shacl.validate_focus).
"""

from __future__ import annotations

import ast
import http.client
import re
import time
import urllib.error
import urllib.parse
from dataclasses import dataclass

import pyoxigraph as ox
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound, QueryBadFormed, Unauthorized,
                                            URITooLong)

from graph.build.pages import PAGE_PREDICATES
from graph.sparql.binding import bind_in_text, names_dataset
from graph.store.engine import QueryRequest, QueryResult
from graph.errors import (EvaluationError, NotAcceptable, QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreError,
                          UnsupportedQuery)
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from graph.store.remote_results import (GRAPH_ACCEPT, RESULTS_ACCEPT, reserialise_graph, reserialise_results,
                                 valid_blank_nodes)

# Virtuoso reports a syntax error as "SPARQL compiler, line 1: syntax error at …".
_REMOTE_LINE = re.compile(r"\bline (\d+)\b")


@dataclass
class RemoteSettings:
    """Where the remote store is and how to talk to it."""

    query_url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    max_bytes: int | None = 64 * 1024 * 1024
    # Graph that holds our default graph in the remote store (KG_REMOTE_DEFAULT_GRAPH); None: its default graph.
    default_graph: str | None = None


def query_form(text: str) -> str:
    """"solutions", "boolean" or "graph" for a query that Oxigraph parses.

    :raises QuerySyntaxError: if it does not parse (with Oxigraph's line and column).
    :raises UnsupportedQuery: if it calls a function Oxigraph does not know.
    """
    try:
        # An empty in-memory store: parsing is all we want; SELECT and CONSTRUCT are lazy, so
        # nothing is evaluated, and ASK over no data is immediate.
        result = ox.Store().query(text)
    except SyntaxError as exc:
        raise QuerySyntaxError.from_engine(str(exc)) from None
    except RuntimeError as exc:
        raise UnsupportedQuery(str(exc)) from None
    form = ("graph" if isinstance(result, ox.QueryTriples)
            else "boolean" if isinstance(result, ox.QueryBoolean) else "solutions")
    del result  # freed on this thread (see graph/store/engine.py)
    return form


class RemoteEngine:
    """Runs queries (and updates) on a remote SPARQL 1.1 endpoint."""

    def __init__(self, settings: RemoteSettings):
        """:raises StoreError: if an endpoint address is not an http(s) URL."""
        for url in (settings.query_url, settings.update_url):
            parts = urllib.parse.urlsplit(url or "")
            if url is not None and (parts.scheme not in ("http", "https") or not parts.hostname):
                raise StoreError(f"not the http(s) address of a SPARQL endpoint: {url!r}")
        self.settings = settings

    def _wrapper(self, url: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url)
        wrapper.setTimeout(int(max(1, self.settings.timeout)))
        if self.settings.user:
            wrapper.setCredentials(self.settings.user, self.settings.password or "")
        return wrapper

    def query(self, request: QueryRequest, *, refresh: bool = False) -> QueryResult:
        """Run `request` remotely and return the answer in the first format the client accepts.

        :raises QuerySyntaxError: if the query does not parse, or the store finds a syntax error.
        :raises UnsupportedQuery: if the store refuses a query that parses.
        :raises NotAcceptable: if no accepted format fits the query form.
        :raises QueryTimeout: if the store does not answer within the time limit.
        :raises StoreError: if the store cannot be reached.
        :raises EvaluationError: if the store fails or answers with something unreadable.
        """
        started = time.perf_counter()
        text = bind_in_text(request.query, request.substitutions)
        kind = query_form(text)
        table = GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS
        accepted = [t for t in (request.graph_types if kind == "graph" else request.result_types) if t in table]
        if not accepted:
            raise NotAcceptable(f"no accepted format for a {kind} result; available: {', '.join(sorted(table))}",
                                sorted(table))
        wrapper = self._wrapper(self.settings.query_url)
        wrapper.setMethod(POST)
        wrapper.setQuery(text)
        # Content negotiation only (no format parameter), so any SPARQL 1.1 store understands it.
        wrapper.setOnlyConneg(True)
        wrapper.addCustomHttpHeader("Accept", GRAPH_ACCEPT if kind == "graph" else RESULTS_ACCEPT)
        if request.default_graphs is not None or request.named_graphs is not None:
            for graph in request.default_graphs or ():
                wrapper.addDefaultGraph(graph)
            for graph in request.named_graphs or ():
                wrapper.addNamedGraph(graph)
        elif self.settings.default_graph and not names_dataset(text):
            wrapper.addDefaultGraph(self.settings.default_graph)
        response = self._send(wrapper).response
        limit = request.max_bytes or self.settings.max_bytes
        body = response.read() if limit is None else response.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise ResultTooLarge(limit)
        remote_type = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
        media_type = accepted[0]
        if kind == "graph":
            body = reserialise_graph(body, remote_type, media_type, limit)
        else:
            body = reserialise_results(body, remote_type, media_type, limit)
        return QueryResult(kind, media_type, body, time.perf_counter() - started)

    def solutions(self, text: str) -> list[ox.QuerySolution]:
        """The solutions of a SELECT on the store's own dataset, as Oxigraph terms (for writes).

        :raises QueryTimeout, StoreError, EvaluationError: as query() does.
        """
        wrapper = self._wrapper(self.settings.query_url)
        wrapper.setMethod(POST)
        wrapper.setQuery(text)
        wrapper.setOnlyConneg(True)
        wrapper.addCustomHttpHeader("Accept", "application/sparql-results+json")
        body = valid_blank_nodes(self._send(wrapper).response.read(), ox.QueryResultsFormat.JSON)
        try:
            return list(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
        except (SyntaxError, ValueError) as exc:
            raise EvaluationError(f"the remote store answered with unreadable results: {exc}") from None

    def update(self, text: str) -> None:
        """Send a SPARQL 1.1 Update to the store's update endpoint.

        :raises EvaluationError: if no update endpoint is configured or the store fails.
        :raises StoreError: if the store cannot be reached.
        """
        if not self.settings.update_url:
            raise EvaluationError("no update endpoint configured (KG_REMOTE_UPDATE_URL)")
        wrapper = self._wrapper(self.settings.update_url)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod("postdirectly")
        wrapper.setQuery(text)
        self._send(wrapper).response.read()

    def _send(self, wrapper: SPARQLWrapper):
        """The store's response; its failures as our errors (a 4xx of the store is the client's
        fault only for a refused query; for anything else the store, a gateway to us, failed)."""
        where = wrapper.endpoint
        try:
            return wrapper.query()
        except QueryBadFormed as exc:
            message = _message(exc)
            line = _REMOTE_LINE.search(message)
            if line and "syntax" in message.lower():
                raise QuerySyntaxError(f"the remote store finds a syntax error: {message}", int(line.group(1))) from None
            raise UnsupportedQuery(f"the remote store refused the query: {message}") from None
        except Unauthorized:
            raise EvaluationError(f"the remote store at {where} refused our credentials (HTTP 401; check "
                                  "KG_REMOTE_USER and KG_REMOTE_PASSWORD)") from None
        except EndPointNotFound:
            raise EvaluationError(f"no SPARQL endpoint at {where} (HTTP 404)") from None
        except URITooLong:
            raise EvaluationError(f"the remote store at {where} refused the request as too long (HTTP 414)") from None
        except EndPointInternalError as exc:
            raise EvaluationError(f"the remote store failed: {_message(exc)}") from None
        except urllib.error.HTTPError as exc:
            if exc.code in (502, 503, 504):
                raise StoreError(f"the remote store at {where} is unavailable (HTTP {exc.code})") from None
            raise EvaluationError(f"the remote store at {where} answered HTTP {exc.code} {exc.reason}") from None
        except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            if "timed out" in str(exc):
                raise QueryTimeout(self.settings.timeout) from None
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"the remote store is not reachable at {where}: {reason}") from None

    def run_job(self, job, *, refresh: bool = False):
        """Do `job` here, its queries sent one by one (nothing is cached: `refresh` is moot)."""
        return job.run(self.query, None)

    def etag(self, request: QueryRequest) -> str | None:
        """None: the remote store's answers are not versioned here (CachedEngine does that)."""
        return None

    def cached(self, request: QueryRequest) -> QueryResult | None:
        """None: nothing is kept of remote answers here."""
        return None

    def close(self) -> None:
        """Nothing to release: every request opens its own connection."""


def _message(exc: Exception) -> str:
    """The store's own message: SPARQLWrapper prefixes its text and appends the response body as
    a bytes literal; stores often echo the query after a blank line, which we leave out."""
    text = str(exc)
    marker = "Response:\n"
    text = text.split(marker, 1)[1].strip() if marker in text else text
    if text[:2] in ("b'", 'b"'):
        try:
            text = ast.literal_eval(text).decode("utf-8", "replace")
        except (ValueError, SyntaxError):
            pass
    return text.strip().split("\n\n", 1)[0][:500]


def push(store, engine: RemoteEngine, default_graph: str | None = None, chunk: int = 500) -> int:
    """Copy a published store version into the remote store with SPARQL 1.1 Update (INSERT DATA),
    graph by graph in chunks; return the number of quads sent.

    The default graph goes to the remote default graph, or to `default_graph` for stores such as
    Virtuoso whose queries without FROM see the union of all graphs. Each named graph is dropped
    first, so pushing a new version replaces the old one instead of merging with it.
    """
    sent = 0
    graphs = [None, *sorted(g.value for g in store.named_graphs())]
    for graph in graphs:
        target = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        # Blank nodes become skolem IRIs (RDF 1.1, 3.5): INSERT DATA would mint new ones per
        # request, and some stores (Virtuoso) refuse them there.
        # Not the summary's page numbers: the remote gate does not keep them, and a remote store pages
        # with LIMIT and OFFSET (graph/build/pages.py).
        lines = [f"{skolem(q.subject)} {q.predicate} {skolem(q.object)} ."
                 for q in store.quads_for_pattern(None, None, None, target)
                 if q.predicate not in PAGE_PREDICATES]
        name = graph if graph is not None else default_graph
        if name:
            engine.update(f"DROP SILENT GRAPH <{name}>")
        for start in range(0, len(lines), chunk):
            body = "\n".join(lines[start:start + chunk])
            engine.update(f"INSERT DATA {{ GRAPH <{name}> {{ {body} }} }}" if name else f"INSERT DATA {{ {body} }}")
        sent += len(lines)
    return sent


SKOLEM = "https://w3id.org/kommunalgraph/.well-known/genid/"


def skolem(term) -> str:
    """A term in SPARQL syntax, a blank node as its skolem IRI."""
    return f"<{SKOLEM}{term.value}>" if isinstance(term, ox.BlankNode) else str(term)
