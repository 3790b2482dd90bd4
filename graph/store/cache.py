"""Results cached per store version, so repeated queries on a large store answer at once (issue 6).

A store version never changes once published (graph/store/versions.py), so a result is valid for as
long as its version is current: the key is the version plus everything that shapes the answer
(query text, protocol dataset, bindings, accepted formats, base IRI, size cap). The same key
gives the ETag, so a client that has the answer gets 304 without the query being run.
Queries whose answer may differ between runs (NOW, RAND, UUID, BNODE, SERVICE) are never cached.
Only the first accepted format of each kind shapes an answer, so clients that accept more or
other formats share entries. With `warm`, the cache fills itself in the background whenever a
new store version appears (the named queries with their defaults), so their first caller
does not wait for a scan of a large store.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from typing import Callable

from graph.store.engine import Job, QueryRequest, QueryResult
from graph.store.interface import Engine

_VOLATILE = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE|SERVICE)\b", re.IGNORECASE)


class CachedEngine:
    """Wraps an engine with a bounded LRU cache; itself an Engine (graph/store/interface.py)."""

    def __init__(self, engine: Engine, version: Callable[[], str | None], max_bytes: int,
                 warm: Callable[[], list[QueryRequest | Job]] | None = None):
        self.engine, self.version, self.max_bytes = engine, version, max_bytes
        # Answers: a QueryResult, or what a Job answers (anything with the `body` a cache counts).
        self._entries: OrderedDict[str, QueryResult] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self._warm, self._warmed_version = warm, None
        self._warming: threading.Thread | None = None

    def etag(self, request: QueryRequest | Job) -> str | None:
        """The entity tag of this request's answer on the current version, or None if not cacheable."""
        version = self.version()
        text = request.query if isinstance(request, QueryRequest) else request.text
        if version is None or self.max_bytes <= 0 or _VOLATILE.search(text):
            return None
        self._start_warming(version)
        return hashlib.sha256(repr((version, *request.shape())).encode("utf-8")).hexdigest()[:32]

    def cached(self, request: QueryRequest | Job):
        """The cached answer of `request` on the current version, without running anything."""
        key = self.etag(request)
        with self._lock:
            found = self._entries.get(key) if key is not None else None
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
        return found

    def start_warming(self) -> None:
        """Fill the cache for the current version in the background (if `warm` was given)."""
        version = self.version()
        if version is not None and self.max_bytes > 0:
            self._start_warming(version)

    def _start_warming(self, version: str) -> None:
        """Fill the cache for `version` in the background, once per version."""
        if self._warm is None or version == self._warmed_version:
            return
        with self._lock:
            if version == self._warmed_version:
                return
            self._warmed_version = version
        self._warming = threading.Thread(target=self._fill, name="kommunalgraph-warm", daemon=True)
        self._warming.start()

    def _fill(self) -> None:
        try:
            for request in self._warm():
                if self.cached(request) is None:
                    self.query(request) if isinstance(request, QueryRequest) else self.run_job(request)
        except Exception:  # noqa: BLE001 - warming is an optimisation; a failing query is answered (and reported) when asked
            pass

    def wait_warm(self, timeout: float) -> bool:
        """Wait until the background filling has finished; whether it has."""
        if self._warming is not None:
            self._warming.join(timeout)
            return not self._warming.is_alive()
        return self._warm is None

    def query(self, request: QueryRequest, *, refresh: bool = False) -> QueryResult:
        """The cached answer, or the engine's (then cached); `refresh` skips the lookup."""
        return self._answer(request, refresh, self.engine.query)

    def run_job(self, job: Job, *, refresh: bool = False):
        """The cached answer of `job` (keyed by what it asks, so a hit runs none of its queries), or the
        engine's (then cached); `refresh` skips the lookup."""
        return self._answer(job, refresh, self.engine.run_job)

    def _answer(self, request, refresh: bool, compute):
        key = self.etag(request)
        if key is not None and not refresh:
            found = self.cached(request)
            if found is not None:
                return found
        result = compute(request)
        if key is not None:
            self._store(key, result)
        return result

    def _store(self, key: str, result) -> None:
        size = len(result.body)
        if size > self.max_bytes // 4:
            return  # one huge answer must not push out everything else
        with self._lock:
            self.misses += 1
            if key in self._entries:
                return
            self._entries[key] = result
            self._size += size
            while self._size > self.max_bytes:
                _, old = self._entries.popitem(last=False)
                self._size -= len(old.body)

    def close(self) -> None:
        """Close the wrapped engine and drop the cache."""
        with self._lock:
            self._entries.clear()
            self._size = 0
        self.engine.close()

    def __getattr__(self, name):
        # Other engine methods (an update path, settings) pass through unchanged.
        return getattr(self.engine, name)
