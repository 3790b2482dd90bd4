"""Index lookups in the server's own thread: a named query's page without the hop to a query worker (issue 13).

A worker process exists to stop a query past its time limit, to cap how many run at once and to keep a query
off the network (graph/store/pool.py). A named-query request whose every query is a lookup by an indexed key
(a parameter's label, a list's last page, a page by its number: QueryRequest.index_lookup) needs none of that:
its cost is a page's, whatever the size of the store, and its text is the server's own. Handing it to a worker
and back cost 0.8-1.1 ms of 6-30 ms (two processes woken, bench/RESULTS.md); here it costs nothing.

Anything else goes to a worker as before: the lane refuses a request as soon as one of its queries is not
marked as a lookup (a label matched without case, a page cut with LIMIT and OFFSET, `page=all`), or when all
its slots are taken, and the pool sends the whole request to a worker.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from graph.errors import EvaluationError
from graph.store import sandbox
from graph.store.engine import Job, QueryRequest, QueryResult, run_query
from graph.store.version_handles import open_version


class NotAnIndexLookup(Exception):
    """The request needs a query whose cost grows with the store (or the lane is full): a worker answers it."""


class ServerLane:
    """Runs index lookups on the current store version in the calling thread, at most `slots` at a time
    (pyoxigraph evaluates without holding the GIL, so they run side by side with the server's other threads)."""

    def __init__(self, slots: int):
        self._slots = threading.BoundedSemaphore(max(1, slots))
        self._lock = threading.Lock()
        self._opened: tuple[str, Any] | None = None   # (version path, its read-only store)

    def run(self, request: QueryRequest | Job, version_path: str) -> Any:
        """Answer `request` here on the version at `version_path`.

        :raises NotAnIndexLookup: if one of its queries is not an index lookup, or every slot is taken; nothing
            the request did here is visible, so a worker can do it again from the start.
        """
        if not self._slots.acquire(blocking=False):
            raise NotAnIndexLookup("every slot of the server lane is taken")
        try:
            store = self._store(version_path)
            execute = lambda query: _lookup(store, query)  # noqa: E731
            return execute(request) if isinstance(request, QueryRequest) else request.run(execute, version_path)
        finally:
            self._slots.release()

    def open(self, version_path: str) -> None:
        """Open `version_path` now and run a first query on it (a fresh server's first request waits for neither)."""
        run_query(self._store(version_path), QueryRequest("ASK {}"))

    def close(self) -> None:
        """Let go of the open version (a request still running keeps it until it ends)."""
        with self._lock:
            self._opened = None

    def _store(self, version_path: str):
        with self._lock:
            if self._opened is None or self._opened[0] != version_path:
                # Only the current version stays open, as in a worker: a pruned one must not be held.
                self._opened = (version_path, open_version(Path(version_path)))
            return self._opened[1]


def _lookup(store, request: QueryRequest) -> QueryResult:
    if not request.index_lookup:
        raise NotAnIndexLookup("a query of this request is not an index lookup")
    if sandbox.text_may_fetch(request.query, sandbox.QUERY_WORDS):
        # The server has no network sandbox; a text that mentions SERVICE runs only in a worker's.
        raise NotAnIndexLookup("a query of this request mentions SERVICE")
    try:
        return run_query(store, request)
    except EvaluationError:
        raise
    except (OSError, RuntimeError) as exc:
        # As in a worker (graph/store/pool.py): an engine failure is the query's error, not the server's crash.
        raise EvaluationError(str(exc)) from None
