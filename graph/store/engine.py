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
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.errors import (EngineBusy, EvaluationError, KommunalgraphError, NotAcceptable,
                          QuerySyntaxError, QueryTimeout, ResultTooLarge, StoreError, UnsupportedQuery)
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from graph.store.versions import VersionedStore, open_version

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

_ERRORS = {cls.__name__: cls for cls in (QuerySyntaxError, NotAcceptable, ResultTooLarge,
                                          EvaluationError, StoreError, UnsupportedQuery)}


def _error_payload(exc: KommunalgraphError) -> tuple:
    if isinstance(exc, QuerySyntaxError):
        return ("QuerySyntaxError", str(exc), exc.line, exc.column)
    if isinstance(exc, NotAcceptable):
        return ("NotAcceptable", str(exc), exc.available)
    if isinstance(exc, ResultTooLarge):
        return ("ResultTooLarge", exc.limit_bytes)
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


def _worker_main(connection) -> None:
    """Loop of one worker process: open the requested version, answer queries."""
    exit_with_parent()
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
            if version_path != opened_path:
                store = None
                store = open_version(Path(version_path))
                opened_path = version_path
            connection.send(("ok", run_query(store, request)))
        except KommunalgraphError as exc:
            connection.send(("error", _error_payload(exc)))
        except Exception as exc:  # an engine fault must not kill the worker silently
            connection.send(("error", ("EvaluationError", f"{type(exc).__name__}: {exc}")))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: object


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

    def __post_init__(self):
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        for _ in range(self.settings.workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child,), daemon=True,
                                        name="kommunalgraph-query")
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
