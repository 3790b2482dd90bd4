"""SPARQL evaluation on Oxigraph: in-process, and in a pool of worker processes with time limits.

User queries never run on rdflib's Python evaluator. The pool gives three guarantees that a
thread cannot: a query past its time limit is stopped by killing its process (its CPU is
freed at once), at most `workers` queries run at the same time, and a crash of the engine
loses one query, not the server.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph import sandbox
from graph.errors import (EngineBusy, EvaluationError, KommunalgraphError, NotAcceptable,
                          QuerySyntaxError, QueryTimeout, ResultTooLarge, ServiceNotAllowed, StoreError,
                          UnsupportedQuery)
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from graph.store import VersionedStore, open_version

# A term for substitution, as plain data so it can cross process boundaries:
# ("iri", value) | ("literal", value, datatype_or_None, language_or_None)
Term = tuple


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


def to_term(term: Term):
    """A pyoxigraph term from its plain form."""
    if term[0] == "iri":
        return ox.NamedNode(term[1])
    value, datatype, language = term[1], term[2], term[3]
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


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
        options["substitutions"] = {ox.Variable(name): to_term(term) for name, term in request.substitutions}
    try:
        result = store.query(request.query, **options)
    except SyntaxError as exc:
        raise QuerySyntaxError.from_engine(str(exc)) from None
    except RuntimeError as exc:
        # Oxigraph raises RuntimeError for valid syntax it cannot run, such as unknown functions.
        raise UnsupportedQuery(str(exc)) from None
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


# -- the worker pool ---------------------------------------------------------------------------

_ERRORS = {cls.__name__: cls for cls in (QuerySyntaxError, NotAcceptable, ResultTooLarge,
                                          EvaluationError, StoreError, UnsupportedQuery, ServiceNotAllowed)}
SANDBOX_REFUSAL = ("SERVICE is refused by policy: this query could not be proven to call only allow-listed "
                   "endpoints ({allowed}), so it ran in a worker without network access and its SERVICE "
                   "call could not leave the machine; write the endpoint as a literal <IRI> without "
                   "backslash escapes or '#' comments to use federation")
STRICT_REFUSAL = ("SERVICE is refused by policy: this server could not make a network sandbox for its "
                  "query workers (strict mode), so a query whose text contains 'service' runs only if "
                  "the federation check proves that it calls allow-listed endpoints only ({allowed}); "
                  "no request was made")


def _error_payload(exc: KommunalgraphError) -> tuple:
    if isinstance(exc, QuerySyntaxError):
        return ("QuerySyntaxError", str(exc), exc.line, exc.column)
    if isinstance(exc, NotAcceptable):
        return ("NotAcceptable", str(exc), exc.available)
    if isinstance(exc, ResultTooLarge):
        return ("ResultTooLarge", exc.limit_bytes)
    if isinstance(exc, ServiceNotAllowed):
        return ("ServiceNotAllowed", str(exc), exc.service)
    return (type(exc).__name__, str(exc))


def _raise_payload(payload: tuple):
    name, *args = payload
    raise _ERRORS.get(name, EvaluationError)(*args)


def exit_with_parent() -> None:
    """End this worker process as soon as the server that started it is gone (SIGTERM, kill -9).

    A thread watches, because a running query never returns to the loop; pyoxigraph releases
    the GIL while it evaluates, so the watch goes on during a runaway query (issue 6).
    """
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.05)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def _worker_main(connection, network: bool = False, allowed: tuple[str, ...] = ()) -> None:
    """Loop of one worker process: leave the network (unless it is the federation worker), then
    open the requested version and answer queries."""
    exit_with_parent()
    mode = "network" if network else sandbox.enter()
    connection.send(("ready", mode))
    opened_path, store = None, None
    while True:
        try:
            message = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        version_path, request = message
        try:
            if mode is None and request.untrusted and sandbox.text_may_fetch(request.query, sandbox.QUERY_WORDS):
                # No sandbox: the worker refuses itself too, whatever the server checked.
                raise ServiceNotAllowed(STRICT_REFUSAL.format(allowed=", ".join(allowed) or "none configured"))
            if version_path != opened_path:
                store = None
                store = open_version(Path(version_path))
                opened_path = version_path
            connection.send(("ok", _run_in_sandbox(store, request, mode, allowed)))
        except KommunalgraphError as exc:
            connection.send(("error", _error_payload(exc)))
        except Exception as exc:  # an engine fault must not kill the worker silently
            connection.send(("error", ("EvaluationError", f"{type(exc).__name__}: {exc}")))


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
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: object
    mode: str | None = "unknown"


@dataclass
class PoolSettings:
    """Limits of the query pool."""

    workers: int = 2
    timeout: float = 30.0
    queue_timeout: float = 10.0
    max_bytes: int | None = 64 * 1024 * 1024


@dataclass
class QueryPool:
    """Runs queries on the current store version in worker processes."""

    store: VersionedStore
    settings: PoolSettings = field(default_factory=PoolSettings)
    # True only for the federation pool (graph/federation.py): its workers keep the network.
    network: bool = False
    # The SERVICE allow-list, named in the policy message of a sandboxed worker.
    allowed: tuple[str, ...] = ()

    def __post_init__(self):
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        for _ in range(self.settings.workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self.network, tuple(self.allowed)),
                                        daemon=True, name="kommunalgraph-federation" if self.network
                                        else "kommunalgraph-query")
        process.start()
        child.close()
        return _Worker(process, parent)

    def query(self, request: QueryRequest) -> QueryResult:
        """Run `request` on the current version within the time limit.

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
            self._ready(worker)
            worker.connection.send((version_path, request))
            if not worker.connection.poll(self.settings.timeout):
                self._replace(worker)
                worker = None
                raise QueryTimeout(self.settings.timeout)
            status, payload = worker.connection.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self._replace(worker)
            worker = None
            raise EvaluationError("the query engine stopped unexpectedly; the query was not answered") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "error":
            _raise_payload(payload)
        return payload

    def _ready(self, worker: _Worker) -> str | None:
        """Wait for the worker's start message: how it is sandboxed (None: not at all)."""
        if worker.mode == "unknown":
            if not worker.connection.poll(120):
                raise EOFError("the query worker did not start")
            _, worker.mode = worker.connection.recv()
        return worker.mode

    def sandbox_mode(self) -> str | None:
        """How the workers are kept off the network ("netns", "userns+netns"), "network" for the
        federation pool, or None when no sandbox could be made (strict mode)."""
        worker = self._idle.get(timeout=120)
        try:
            return self._ready(worker)
        finally:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start a new one in the background, so the caller answers at once."""
        worker.process.kill()
        worker.connection.close()

        def restart():
            worker.process.join(5)
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
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(2)
            worker.connection.close()
