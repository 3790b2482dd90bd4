"""One worker primitive for the query pool and the write worker: a spawned process that answers
messages over a pipe, with one way of passing errors back.

A thread cannot be stopped; a process can. So queries and writes with a time limit run in
worker processes, and a worker past its limit is killed. In the worker, `serve` answers each
message with ("ok", answer) or ("error", exception): a KommunalgraphError as it is (it pickles
with its attributes), anything else as a WorkerFault, so the same fault reaches the server as
the same error (500) from either kind of worker.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
import time
from typing import Any, Callable

from graph.errors import KommunalgraphError, WorkerDied, WorkerFault

_READY = "ready"


class NoAnswer(Exception):
    """The worker did not answer within the time limit (the caller decides what to stop)."""


def exit_with_parent(parent: int | None = None) -> None:
    """End this worker process as soon as the process that started it is gone (SIGTERM, kill -9).

    A thread watches, because a running query never returns to the loop; pyoxigraph releases
    the GIL while it evaluates, so the watch goes on during a runaway query (issue 6). `parent`: the
    starter's process id, for a worker that calls this late (a pool's initializer runs after the
    imports, when the starter may already be gone); default: the parent now.
    """
    parent = os.getppid() if parent is None else parent

    def watch():
        while os.getppid() == parent:
            time.sleep(0.05)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def serve(connection, handle: Callable[[Any], Any], log_name: str, info: Any = None,
          after: Callable[[], None] | None = None) -> None:
    """The loop of a worker process: answer every message with `handle` until None or the pipe closes.

    `info` goes to the parent with the ready message (Worker.info): how the worker is sandboxed. `after` runs
    once each answer is sent (housekeeping the caller need not wait for), and once right after the ready
    message, so the first request finds it done too; the next message waits for it.
    """
    exit_with_parent()
    # What the worker has made so far (its imports, an opened store) lives as long as it does; frozen, a full
    # collection no longer walks it inside a query (40 ms at 90,000 objects, bench/RESULTS.md).
    gc.collect()
    gc.freeze()
    connection.send((_READY, info))
    _housekeep(after, log_name)
    while True:
        try:
            message = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        try:
            connection.send(("ok", handle(message)))
        except KommunalgraphError as exc:
            connection.send(("error", exc))
        except Exception as exc:  # a fault in a library must reach the caller as a 500, not kill the worker
            logging.getLogger(log_name).exception("worker fault")
            connection.send(("error", WorkerFault(f"{type(exc).__name__}: {exc}")))
        _housekeep(after, log_name)


def _housekeep(after: Callable[[], None] | None, log_name: str) -> None:
    if after is None:
        return
    try:
        after()
    except Exception:  # noqa: BLE001 - housekeeping; what it left is done next time
        logging.getLogger(log_name).exception("housekeeping failed")


class Worker:
    """One worker process (started with `serve` in `target`) and the parent's end of its pipe."""

    def __init__(self, target: Callable[..., None], args: tuple, name: str, start_timeout: float = 120.0):
        """Start the process without waiting for it (see `wait_ready`)."""
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self.process = context.Process(target=target, args=(child, *args), daemon=True, name=name)
        self.process.start()
        child.close()
        self.connection = parent
        self.start_timeout = start_timeout
        self._ready = False
        # What the worker sent with its ready message (`serve`'s info), once it is ready.
        self.info: Any = None

    def wait_ready(self) -> None:
        """Wait until the worker has loaded what it needs and serves.

        :raises WorkerDied: if it ends or does not get ready within the start timeout.
        """
        if self._ready:
            return
        try:
            self._ready = self.connection.poll(self.start_timeout) and self._take_ready(self.connection.recv())
        except (EOFError, ConnectionResetError, OSError):
            self._ready = False
        if not self._ready:
            self.kill()
            raise WorkerDied(f"the {self.process.name} worker did not start")

    def _take_ready(self, reply: Any) -> bool:
        """Whether `reply` is the ready message; if so, note it and its info."""
        if reply[0] != _READY:
            return False
        self._ready, self.info = True, reply[1]
        return True

    @property
    def alive(self) -> bool:
        """Whether the process still runs."""
        return self.process.is_alive()

    def ask(self, message: Any, timeout: float) -> Any:
        """The worker's answer to `message`, or the error it raised.

        The time limit starts when the message is sent, as if the worker were ready: a worker
        still starting up uses up part of it (so a limit means the same on a fresh worker).

        :raises NoAnswer: if no answer came within `timeout` seconds (the worker is left running).
        :raises WorkerDied: if the worker ended without answering.
        """
        deadline = time.monotonic() + timeout
        try:
            self.connection.send(message)
            while True:
                if not self.connection.poll(max(0.0, deadline - time.monotonic())):
                    raise NoAnswer
                reply = self.connection.recv()
                if not self._take_ready(reply):
                    break
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            raise WorkerDied(f"the {self.process.name} worker stopped unexpectedly") from None
        status, payload = reply
        if status == "error":
            raise payload
        return payload

    def kill(self, wait: float = 10.0) -> None:
        """Stop the process at once (a runaway query or write) and wait up to `wait` s for it."""
        self.process.kill()
        self.connection.close()
        self.process.join(wait)

    def stop(self, wait: float = 5.0) -> None:
        """Ask the process to end; kill it if it does not within `wait` seconds."""
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(wait)
        self.connection.close()
