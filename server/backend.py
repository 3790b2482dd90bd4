"""The query engine and named queries of the app: created once by init_app, read with get_*()."""

from __future__ import annotations

import atexit
import logging
import shutil
import threading
from pathlib import Path

from flask import Flask, current_app

from graph.settings import current
from graph.store import sandbox, uploads
from graph.store.cache import CachedEngine
from graph.store.engine import QueryRequest, QueryResult
from graph.store.pool import PoolSettings, QueryPool
from graph.store.interface import Engine
from graph.store.files import store_from_files
from graph.sparql.federation import allowed_endpoints
from graph.sparql.named_request import NamedRequest, default_requests
from graph.sparql.named_queries import NamedQuery, load_named_queries
from graph.errors import StoreError
from graph.store.versions import VersionedStore
from graph.writes.worker import WriteWorker

_KEY = "kommunalgraph"
log = logging.getLogger("kommunalgraph.server")


class LazyPool:
    """The federation worker (graph/sparql/federation.py): a pool that keeps the network, started on
    first use; an Engine (graph/store/interface.py) without a cache."""

    def __init__(self, make):
        self._make, self._pool, self._lock = make, None, threading.Lock()

    def query(self, request: QueryRequest, *, refresh: bool = False) -> QueryResult:
        """Run `request` in the federation worker (nothing is cached: `refresh` is moot)."""
        return self._started().query(request)

    def run_job(self, job, *, refresh: bool = False):
        """Do `job` in the federation worker (nothing is cached: `refresh` is moot)."""
        return self._started().run_job(job)

    def _started(self) -> QueryPool:
        with self._lock:
            if self._pool is None:
                pool = self._make()
                # Started and ready before the first query's time limit runs (under load a worker's start
                # took most of a 3 s limit).
                pool.warm()
                self._pool = pool
        return self._pool

    def etag(self, request: QueryRequest) -> str | None:
        """None: federated answers come from elsewhere and have no version."""
        return None

    def cached(self, request: QueryRequest) -> QueryResult | None:
        """None: federated answers are not kept."""
        return None

    def close(self) -> None:
        """Stop the worker if it was started."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()


class Backend:
    """What the views need: the store, the engine over it (graph/store/interface.py) and the named queries."""

    def __init__(self, store: VersionedStore, engine: Engine, queries: dict[str, NamedQuery],
                 temporary: bool):
        self.store, self.engine, self.queries, self.temporary = store, engine, queries, temporary
        # The write worker (graph/writes/worker.py), or None when writes are disabled.
        self.writer: WriteWorker | None = None
        # How engine workers are kept off the network (graph/store/sandbox.py); None: strict mode.
        self.sandbox: str | None = None
        # Where queries that pass the federation gate run (LazyPool, or the remote engine itself).
        self.federation: Engine | None = None
        # Starts the query workers with the current version open (QueryPool.warm); /health waits for it.
        self.starting: threading.Thread | None = None

    def close(self) -> None:
        """Stop the workers and remove a temporary store."""
        self.engine.close()
        if isinstance(self.federation, LazyPool):
            self.federation.close()
        if self.writer is not None:
            self.writer.close()
        if self.temporary:
            shutil.rmtree(self.store.root, ignore_errors=True)


def init_app(app: Flask) -> None:
    """Open the store (or load FILES into a temporary one) and start the query workers."""
    files = [Path(f) for f in app.config["FILES"]]
    store = store_from_files(files) if files else VersionedStore(app.config["STORE"])
    settings = PoolSettings(workers=int(app.config["QUERY_WORKERS"]), timeout=float(app.config["QUERY_TIMEOUT"]),
                            queue_timeout=float(app.config["QUEUE_TIMEOUT"]),
                            max_bytes=int(app.config["MAX_RESULT_BYTES"]), sandbox=current().sandbox,
                            preload=(NamedRequest.__module__,),
                            lookups_in_server=str(app.config["LOOKUPS_IN_SERVER"]).lower() not in ("0", "false", "no", ""))
    if app.config["BACKEND"] == "remote":
        engine = _remote(app)
    else:
        # Issue 6: every named query with its defaults is cached in the background per version.
        warm = str(app.config["WARM_CACHE"]).lower() not in ("0", "false", "no", "")
        pool = QueryPool(store, settings, allowed=allowed_endpoints(app.config["FEDERATION_ENDPOINTS"]))
        engine = CachedEngine(pool, store.current, int(app.config["CACHE_BYTES"]),
                              warm=(lambda: default_requests(backend.queries)) if warm else None)
    backend = Backend(store, engine, load_named_queries(Path(app.config["QUERIES_DIR"])), temporary=bool(files))
    allowed = allowed_endpoints(app.config["FEDERATION_ENDPOINTS"])
    if app.config["BACKEND"] == "remote":
        # The remote store runs SERVICE itself: only what the federation gate proves goes there.
        backend.sandbox, backend.federation = None, engine
    else:
        backend.sandbox = sandbox.probe(settings.sandbox)
        federation_settings = PoolSettings(workers=1, timeout=settings.timeout, queue_timeout=settings.queue_timeout,
                                           max_bytes=settings.max_bytes, sandbox=False)
        backend.federation = LazyPool(lambda: QueryPool(store, federation_settings, network=True, allowed=allowed))
    if backend.sandbox is None:
        log.warning("no network sandbox for the engine workers (graph/store/sandbox.py): strict mode, queries "
                    "and updates whose text contains SERVICE or LOAD are refused unless the federation "
                    "gate proves them")
    else:
        log.info("engine workers run without network access (%s)", backend.sandbox)
    remote = engine.settings if app.config["BACKEND"] == "remote" else None
    if app.config["WRITE_TOKENS"] and not files and (remote is None or remote.update_url):
        # Writes go through the SHACL gate (graph/writes/gate.py; graph/writes/remote_gate.py for a remote store).
        # Uploads a killed server had spooled are of no use to anyone now.
        removed = uploads.remove_orphans(store.root)
        if removed:
            log.info("removed %d upload(s) left by a server that stopped mid-request", len(removed))
        backend.writer = WriteWorker(store.root, current().shapes_dir, current().ontology_dir,
                                     float(app.config["WRITE_TIMEOUT"]), float(app.config["QUEUE_TIMEOUT"]), remote,
                                     use_sandbox=settings.sandbox)
    if app.config["BACKEND"] != "remote":
        backend.starting = threading.Thread(target=pool.warm, daemon=True, name="kommunalgraph-start-workers")
        backend.starting.start()
    app.extensions[_KEY] = backend
    atexit.register(backend.close)
    if isinstance(engine, CachedEngine):
        engine.start_warming()


def _remote(app: Flask):
    """The remote SPARQL store as engine; its data has no version we can see, so nothing is cached."""
    from graph.store.remote import RemoteEngine, RemoteSettings

    if not app.config["REMOTE_QUERY_URL"]:
        raise StoreError("KG_BACKEND=remote needs KG_REMOTE_QUERY_URL")
    return RemoteEngine(RemoteSettings(app.config["REMOTE_QUERY_URL"], app.config["REMOTE_UPDATE_URL"] or None,
                                       app.config["REMOTE_USER"] or None, app.config["REMOTE_PASSWORD"] or None,
                                       float(app.config["QUERY_TIMEOUT"]), int(app.config["MAX_RESULT_BYTES"]),
                                       app.config["REMOTE_DEFAULT_GRAPH"] or None))


def get_backend() -> Backend:
    """The backend of the current app."""
    return current_app.extensions[_KEY]
