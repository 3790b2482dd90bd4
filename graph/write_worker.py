"""Writes in a worker process, so that one past its time limit can be stopped for real.

A thread cannot be stopped; a process can. The worker keeps a WriteGate (shapes, ontology
and rules loaded once) and carries out one write at a time. When a write runs past the
limit, the worker is killed: its unpublished version is a `.tmp-*` directory that the next
writer removes, and its lock dies with it, so the store is exactly as before. The worker
also ends itself as soon as its parent is gone, so a killed server leaves no writer behind.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from pathlib import Path

from graph import sandbox
from graph.engine import exit_with_parent
from graph.errors import EngineBusy, KommunalgraphError, WriteTimeout


def _worker_main(connection, store_root: str, shapes_dir: str, ontology_dir: str, remote=None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    exit_with_parent()
    # The embedded store's writer never needs the network: LOAD and SERVICE fail in it (issue 10).
    # A remote store's writer must reach that store; its gate refuses LOAD and SERVICE by text.
    mode = sandbox.enter() if remote is None else None
    from graph.store import VersionedStore
    from graph.writes import WriteGate

    if remote is None:
        gate = WriteGate(VersionedStore(store_root), Path(shapes_dir), Path(ontology_dir))
    else:  # a remote store (graph/remote_writes.py); the write log stays in store_root
        from graph.remote import RemoteEngine
        from graph.remote_writes import RemoteWriteGate

        gate = RemoteWriteGate(RemoteEngine(remote), Path(store_root), Path(shapes_dir), Path(ontology_dir))
    gate.sandbox = mode
    connection.send(("ready", mode))
    while True:
        try:
            message = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        method, args = message
        try:
            connection.send(("ok", getattr(gate, method)(*args)))
        except KommunalgraphError as exc:
            connection.send(("error", exc))
        except Exception as exc:  # a fault in a library must reach the server as a 500, not kill the worker
            logging.getLogger("kommunalgraph.writes").exception("write failed")
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class WriteWorker:
    """One write process with a time limit; writes wait for it in turn."""

    def __init__(self, store_root: Path, shapes_dir: Path, ontology_dir: Path, timeout: float,
                 queue_timeout: float, remote=None):
        """`remote`: RemoteSettings of a remote store to write to instead of the store at `store_root`."""
        self._args = (str(store_root), str(shapes_dir), str(ontology_dir), remote)
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self._context = multiprocessing.get_context("spawn")
        self._turn = threading.Lock()
        self._process = None
        self._connection = None
        self._start()

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        self._process = self._context.Process(target=_worker_main, args=(child, *self._args), daemon=True,
                                              name="kommunalgraph-write")
        self._process.start()
        child.close()
        self._connection = parent
        if not parent.poll(120):
            raise RuntimeError("the write worker did not start")
        status, self.sandbox = parent.recv()
        if status != "ready":
            raise RuntimeError("the write worker did not start")

    def call(self, method: str, *args):
        """Run WriteGate.`method`(*args) in the worker within the time limit.

        :raises WriteTimeout: if it runs past the limit (the worker is killed; nothing is written).
        :raises EngineBusy: if another write holds the worker longer than the queue timeout.
        """
        if not self._turn.acquire(timeout=self.queue_timeout):
            raise EngineBusy("another write is in progress; try again")
        try:
            if self._process is None or not self._process.is_alive():
                self._start()
            self._connection.send((method, args))
            if not self._connection.poll(self.timeout):
                self._kill()
                raise WriteTimeout(self.timeout)
            status, payload = self._connection.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self._kill()
            raise RuntimeError("the write worker stopped unexpectedly; nothing was written") from None
        finally:
            self._turn.release()
        if status == "error":
            raise payload
        return payload

    def _kill(self) -> None:
        self._process.kill()
        self._process.join(10)
        self._process = None

    def close(self) -> None:
        """Stop the worker."""
        if self._process is not None and self._process.is_alive():
            try:
                self._connection.send(None)
            except OSError:
                pass
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
