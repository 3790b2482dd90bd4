"""SPARQL evaluation on Oxigraph: in-process, and in a pool of worker processes with time limits.

User queries never run on rdflib's Python evaluator. The pool gives three guarantees that a
thread cannot: a query past its time limit is stopped by killing its process (its CPU is
freed at once), at most `workers` queries run at the same time, and a crash of the engine
loses one query, not the server.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.errors import (EngineBusy, EvaluationError, KommunalgraphError, NotAcceptable, QuerySyntaxError,
                          QueryTimeout, ResultTooLarge, ServiceNotAllowed, UnsupportedQuery, WorkerDied,
                          WorkerFault)
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from graph.store.versions import VersionedStore, open_version
from graph.terms import Term, from_plain
from graph.store import sandbox
from graph.store.workers import NoAnswer, Worker, serve


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


# -- the worker pool ---------------------------------------------------------------------------

SANDBOX_REFUSAL = ("SERVICE is refused by policy: this query could not be proven to call only allow-listed "
                   "endpoints ({allowed}), so it ran in a worker without network access and its SERVICE "
                   "call could not leave the machine; write the endpoint as a literal <IRI> without "
                   "backslash escapes or '#' comments to use federation")
STRICT_REFUSAL = ("SERVICE is refused by policy: this server could not make a network sandbox for its "
                  "query workers (strict mode), so a query whose text contains 'service' runs only if "
                  "the federation check proves that it calls allow-listed endpoints only ({allowed}); "
                  "no request was made")


def _worker_main(connection, network: bool = False, allowed: tuple[str, ...] = (), use_sandbox: bool = True) -> None:
    """A query worker process: leave the network (unless it is the federation worker), then open
    the requested version (kept open while it stays current) and answer."""
    # First, while the process has one thread: unshare() of a user namespace refuses threaded callers.
    mode = "network" if network else sandbox.enter(use_sandbox)
    opened: dict[str, ox.Store] = {}

    def answer(message: tuple) -> QueryResult:
        version_path, request = message
        if mode is None and request.untrusted and sandbox.text_may_fetch(request.query, sandbox.QUERY_WORDS):
            # No sandbox: the worker refuses itself too, whatever the server checked.
            raise ServiceNotAllowed(STRICT_REFUSAL.format(allowed=", ".join(allowed) or "none configured"))
        if version_path not in opened:
            opened.clear()
            opened[version_path] = open_version(Path(version_path))
        return _run_in_sandbox(opened[version_path], request, mode, allowed)

    serve(connection, answer, "kommunalgraph.query", info=mode)


def _run_in_sandbox(store: ox.Store, request: QueryRequest, mode: str | None, allowed: tuple[str, ...]):
    """run_query; in a sandbox a failed call out is reported as the policy that stopped it."""
    try:
        return run_query(store, request)
    except (EvaluationError, OSError, RuntimeError) as exc:
        if mode not in (None, "network") and "service" in request.query.lower():
            # Evaluation is lazy: a SERVICE that cannot run (no network, unbound endpoint) fails here.
            raise ServiceNotAllowed(SANDBOX_REFUSAL.format(allowed=", ".join(allowed) or "none configured")
                                    + f" (engine: {exc})") from None
        if isinstance(exc, (OSError, RuntimeError)) and not isinstance(exc, EvaluationError):
            raise EvaluationError(str(exc)) from None
        raise


@dataclass
class PoolSettings:
    """Limits of the query pool."""

    workers: int = 2
    timeout: float = 30.0
    queue_timeout: float = 10.0
    max_bytes: int | None = 64 * 1024 * 1024
    # Workers leave the network when they start (graph/store/sandbox.py); False: strict mode (tests).
    sandbox: bool = True


@dataclass
class QueryPool:
    """Runs queries on the current store version in worker processes."""

    store: VersionedStore
    settings: PoolSettings = field(default_factory=PoolSettings)
    # True only for the federation pool (graph/sparql/federation.py): its workers keep the network.
    network: bool = False
    # The SERVICE allow-list, named in the policy message of a sandboxed worker.
    allowed: tuple[str, ...] = ()

    def __post_init__(self):
        # Last in, first out: the worker that answered last answers next, so a request's round trips (a
        # parameter's label, a list's last page, the query) and a client's next request find what it has
        # already read from disk in its block cache; a second worker is woken only when the first is busy.
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._closed = False
        for _ in range(self.settings.workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> Worker:
        return Worker(_worker_main, (self.network, tuple(self.allowed), self.settings.sandbox),
                      "kommunalgraph-federation" if self.network else "kommunalgraph-query")

    def query(self, request: QueryRequest, *, refresh: bool = False) -> QueryResult:
        """Run `request` on the current version within the time limit (nothing is cached: `refresh` is moot).

        :raises QueryTimeout: if it runs past the limit (the worker is killed and replaced).
        :raises EngineBusy: if no worker becomes free within the queue timeout.
        """
        if request.max_bytes is None and self.settings.max_bytes is not None:
            request = QueryRequest(**{**request.__dict__, "max_bytes": self.settings.max_bytes})
        version_path = str(self.store.current_path())
        try:
            worker = self._idle.get(timeout=self.settings.queue_timeout)
        except queue.Empty:
            raise EngineBusy(f"all {self.settings.workers} query workers are busy") from None
        try:
            return worker.ask((version_path, request), self.settings.timeout)
        except NoAnswer:
            self._replace(worker)
            worker = None
            raise QueryTimeout(self.settings.timeout) from None
        except WorkerDied:
            self._replace(worker)
            worker = None
            raise WorkerDied("the query engine stopped unexpectedly; the query was not answered") from None
        finally:
            if worker is not None:
                self._idle.put(worker)

    def warm(self) -> None:
        """Get the workers started, with the current version open, so that a fresh server's first queries wait
        for neither (a worker's start took 0.4 s of the first query at 10 M). Best effort: a worker that fails
        here is replaced, and the queries report whatever still fails."""
        taken = []
        try:
            # Every worker is taken first: the idle stack would give the same one each time.
            for _ in range(self.settings.workers):
                taken.append(self._idle.get(timeout=self.settings.queue_timeout))
            version_path = str(self.store.current_path())
        except (queue.Empty, KommunalgraphError):
            version_path = None
        for worker in taken:
            try:
                # The start has its own limit (Worker.start_timeout): a slow start is no slow query.
                worker.wait_ready()
                if version_path is not None:
                    worker.ask((version_path, QueryRequest("ASK {}")), self.settings.timeout)
            except (NoAnswer, WorkerDied):
                self._replace(worker)
                continue
            except (KommunalgraphError, WorkerFault):
                # The worker is fine; the queries will report what failed (a version removed meanwhile, as a
                # temporary store is when its server stops during the warm-up, answers WorkerFault).
                pass
            self._idle.put(worker)

    def etag(self, request: QueryRequest) -> str | None:
        """None: the pool does not version its answers (CachedEngine does)."""
        return None

    def cached(self, request: QueryRequest) -> QueryResult | None:
        """None: the pool keeps no answers."""
        return None

    def sandbox_mode(self) -> str | None:
        """How the workers are kept off the network ("netns", "userns+netns"), "network" for the
        federation pool, or None when no sandbox could be made (strict mode)."""
        worker = self._idle.get(timeout=self.settings.queue_timeout + 120)
        try:
            worker.wait_ready()
            return worker.info
        finally:
            self._idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        """Kill a worker and start a new one in the background, so the caller answers at once."""
        worker.process.kill()

        def restart():
            worker.kill(5)
            worker.process.close()
            if not self._closed:
                self._idle.put(self._spawn())

        threading.Thread(target=restart, daemon=True).start()

    def close(self) -> None:
        """Stop all workers."""
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            worker.stop(2)
