"""The query worker pool: SPARQL on the current store version in worker processes with time limits.

The pool gives three guarantees that a thread cannot: a query past its time limit is stopped by
killing its process (its CPU is freed at once), at most `workers` queries run at the same time, and
a crash of the engine loses one query, not the server. A worker answers a QueryRequest, or a Job
(several queries the server built, such as a named-query request) in one round trip. A Job made only of
index lookups needs none of the three and runs in the caller's thread (graph/store/server_lane.py).
"""

from __future__ import annotations

import dataclasses
import importlib
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import (EngineBusy, EvaluationError, KommunalgraphError, QueryTimeout, ServiceNotAllowed,
                          WorkerDied, WorkerFault)
from graph.store import sandbox
from graph.store.engine import Job, QueryRequest, QueryResult, run_query
from graph.store.server_lane import NotAnIndexLookup, ServerLane
from graph.store.versions import VersionedStore, open_version
from graph.store.workers import NoAnswer, Worker, serve


SANDBOX_REFUSAL = ("SERVICE is refused by policy: this query could not be proven to call only allow-listed "
                   "endpoints ({allowed}), so it ran in a worker without network access and its SERVICE "
                   "call could not leave the machine; write the endpoint as a literal <IRI> without "
                   "backslash escapes or '#' comments to use federation")
STRICT_REFUSAL = ("SERVICE is refused by policy: this server could not make a network sandbox for its "
                  "query workers (strict mode), so a query whose text contains 'service' runs only if "
                  "the federation check proves that it calls allow-listed endpoints only ({allowed}); "
                  "no request was made")


def _worker_main(connection, network: bool = False, allowed: tuple[str, ...] = (), use_sandbox: bool = True,
                 preload: tuple[str, ...] = ()) -> None:
    """A query worker process: leave the network (unless it is the federation worker), then open
    the requested version (kept open while it stays current) and answer."""
    # First, while the process has one thread: unshare() of a user namespace refuses threaded callers.
    mode = "network" if network else sandbox.enter(use_sandbox)
    for module in preload:
        importlib.import_module(module)
    opened: dict[str, ox.Store] = {}

    def answer(message: tuple) -> QueryResult | Any:
        version_path, request = message
        if version_path not in opened:
            opened.clear()
            opened[version_path] = open_version(Path(version_path))
        store = opened[version_path]
        if not isinstance(request, QueryRequest):   # a Job: its queries are the server's, run here one by one
            return request.run(lambda query: _run_in_sandbox(store, query, mode, allowed), version_path)
        if mode is None and request.untrusted and sandbox.text_may_fetch(request.query, sandbox.QUERY_WORDS):
            # No sandbox: the worker refuses itself too, whatever the server checked.
            raise ServiceNotAllowed(STRICT_REFUSAL.format(allowed=", ".join(allowed) or "none configured"))
        return _run_in_sandbox(store, request, mode, allowed)

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
    # Modules the workers import as they start: those of the Jobs the pool will be sent, which would
    # otherwise be imported while a fresh server's first request of that kind waits.
    preload: tuple[str, ...] = ()
    # Named-query requests made of index lookups run in the server's thread (graph/store/server_lane.py).
    lookups_in_server: bool = True


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
        self._lane = ServerLane(self.settings.workers) if self.settings.lookups_in_server and not self.network else None
        for _ in range(self.settings.workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> Worker:
        return Worker(_worker_main, (self.network, tuple(self.allowed), self.settings.sandbox, self.settings.preload),
                      "kommunalgraph-federation" if self.network else "kommunalgraph-query")

    def query(self, request: QueryRequest, *, refresh: bool = False) -> QueryResult:
        """Run `request` on the current version within the time limit (nothing is cached: `refresh` is moot).

        :raises QueryTimeout: if it runs past the limit (the worker is killed and replaced).
        :raises EngineBusy: if no worker becomes free within the queue timeout.
        """
        return self._ask(request)

    def run_job(self, job: Job, *, refresh: bool = False) -> Any:
        """Do `job` in one worker, within one query's time limit (nothing is cached: `refresh` is moot).

        :raises QueryTimeout: if it runs past the limit (the worker is killed and replaced).
        :raises EngineBusy: if no worker becomes free within the queue timeout.
        """
        return self._ask(job)

    def _ask(self, request: QueryRequest | Job):
        if request.max_bytes is None and self.settings.max_bytes is not None:
            request = dataclasses.replace(request, max_bytes=self.settings.max_bytes)
        version_path = str(self.store.current_path())
        if self._lane is not None and (not isinstance(request, QueryRequest) or request.index_lookup):
            try:
                return self._lane.run(request, version_path)
            except NotAnIndexLookup:
                pass   # a worker does it from the start, within the time limit
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
        if self._lane is not None and version_path is not None:
            try:
                self._lane.open(version_path)
            except (KommunalgraphError, OSError, RuntimeError):
                # A version removed meanwhile (a temporary store whose server stops during the warm-up) is a
                # RuntimeError from the engine. Best effort: the first lookup opens it again and reports what fails.
                pass
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
        if self._lane is not None:
            self._lane.close()
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            worker.stop(2)
