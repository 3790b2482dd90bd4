"""Writes in a worker process, so that one past its time limit can be stopped for real.

The worker (graph/store/workers.py) keeps a WriteGate (shapes, ontology and rules loaded once)
and carries out one write at a time. When a write runs past the limit, the worker is killed:
its unpublished version is a `.tmp-*` directory that the next writer removes, and its lock dies
with it, so the store is exactly as before. The worker also ends itself as soon as its parent
is gone, so a killed server leaves no writer behind.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from graph.errors import EngineBusy, KommunalgraphError, StoreError, WorkerDied, WriteTimeout
from graph.store import sandbox
from graph.store.versions import VersionedStore
from graph.store.workers import NoAnswer, Worker, serve

log = logging.getLogger("kommunalgraph.writes")
# How often the server looks for a version another process published (WriteWorker._watch): reading CURRENT.
WATCH_SECONDS = 5.0


def _worker_main(connection, store_root: str, shapes_dir: str, ontology_dir: str, remote=None,
                 use_sandbox: bool = True) -> None:
    # The embedded store's writer never needs the network: LOAD and SERVICE fail in it (issue 10).
    # A remote store's writer must reach that store; its gate refuses LOAD and SERVICE by text.
    # First, while the process has one thread: unshare() of a user namespace refuses threaded callers.
    mode = sandbox.enter(use_sandbox) if remote is None else None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # Imported here, in the worker process only: the server process never loads the gate.
    from graph.writes.gate import WriteGate

    if remote is None:
        gate = WriteGate(VersionedStore(store_root), Path(shapes_dir), Path(ontology_dir))
    else:  # a remote store (graph/writes/remote_gate.py); the write log stays in store_root
        from graph.store.remote import RemoteEngine
        from graph.writes.remote_gate import RemoteWriteGate

        gate = RemoteWriteGate(RemoteEngine(remote), Path(store_root), Path(shapes_dir), Path(ontology_dir))
    gate.sandbox = mode
    # Old versions are removed after each answer, not before it (WriteGate.tidy).
    gate.defer_pruning = True
    try:
        serve(connection, lambda message: getattr(gate, message[0])(*message[1]), "kommunalgraph.writes", info=mode,
              after=gate.tidy)
    finally:
        gate.close()


class WriteWorker:
    """One write process with a time limit; writes wait for it in turn."""

    def __init__(self, store_root: Path, shapes_dir: Path, ontology_dir: Path, timeout: float,
                 queue_timeout: float, remote=None, use_sandbox: bool = True, watch_seconds: float = WATCH_SECONDS):
        """`remote`: RemoteSettings of a remote store to write to instead of the store at `store_root`;
        `use_sandbox`: the `sandbox` setting (graph/settings.py); `watch_seconds`: how often to look for a
        version published by another process (see `_watch`)."""
        self._args = (str(store_root), str(shapes_dir), str(ontology_dir), remote, use_sandbox)
        # How the worker is kept off the network (graph/store/sandbox.py); None: not at all.
        self.sandbox: str | None = None
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self._turn = threading.Lock()
        self._worker: Worker | None = None
        self._stopped = threading.Event()
        self._start()
        if remote is None:
            threading.Thread(target=self._watch, args=(VersionedStore(store_root), watch_seconds), daemon=True,
                             name="kommunalgraph-write-watch").start()

    def _start(self) -> None:
        self._worker = Worker(_worker_main, self._args, "kommunalgraph-write")
        self._worker.wait_ready()
        self.sandbox = self._worker.info

    def call(self, method: str, *args):
        """Run WriteGate.`method`(*args) in the worker within the time limit.

        :raises WriteTimeout: if it runs past the limit (the worker is killed; nothing is written).
        :raises EngineBusy: if another write holds the worker longer than the queue timeout.
        """
        if not self._turn.acquire(timeout=self.queue_timeout):
            raise EngineBusy("another write is in progress; try again")
        if self._stopped.is_set():   # closed: no restart (the watcher may still be asking)
            self._turn.release()
            raise WorkerDied("the write worker is stopped")
        try:
            if self._worker is None or not self._worker.alive:
                self._start()
            return self._worker.ask((method, args), self.timeout)
        except NoAnswer:
            self._kill()
            raise WriteTimeout(self.timeout) from None
        except WorkerDied:
            self._kill()
            raise WorkerDied("the write worker stopped unexpectedly; nothing was written") from None
        finally:
            self._turn.release()

    def _watch(self, store: VersionedStore, seconds: float) -> None:
        """Tidy the worker when another process (a build, a second server) publishes a version: the next
        write's prepared copy of the old version is stale, and its links would keep the old version's files
        on disk until the next write."""
        seen = _current(store)
        while not self._stopped.wait(seconds):
            now = _current(store)
            if now == seen:
                continue
            seen = now
            try:
                self.call("tidy")
            except KommunalgraphError as exc:   # busy or restarting: the next write tidies anyway
                log.info("tidying after version %s was published elsewhere: %s", now, exc)

    def _kill(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None

    def close(self) -> None:
        """Stop the worker."""
        self._stopped.set()
        if self._worker is not None and self._worker.alive:
            self._worker.stop()


def _current(store: VersionedStore) -> str | None:
    try:
        return store.current()
    except StoreError:
        return None
