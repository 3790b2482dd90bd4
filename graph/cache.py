"""Results cached per store version, so repeated queries on a large store answer at once (issue 6).

A store version never changes once published (graph/store.py), so a result is valid for as
long as its version is current: the key is the version plus everything that shapes the answer
(query text, protocol dataset, bindings, accepted formats, base IRI, size cap). The same key
gives the ETag, so a client that has the answer gets 304 without the query being run.
Queries whose answer may differ between runs (NOW, RAND, UUID, BNODE, SERVICE) are never cached.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from typing import Callable

from graph.engine import QueryRequest, QueryResult

_VOLATILE = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE|SERVICE)\b", re.IGNORECASE)


class CachedEngine:
    """Wraps an engine (anything with query(QueryRequest) and close()) with a bounded LRU cache."""

    def __init__(self, engine, version: Callable[[], str | None], max_bytes: int):
        self.engine, self.version, self.max_bytes = engine, version, max_bytes
        self._entries: OrderedDict[str, QueryResult] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def etag(self, request: QueryRequest) -> str | None:
        """The entity tag of this request's answer on the current version, or None if not cacheable."""
        version = self.version()
        if version is None or self.max_bytes <= 0 or _VOLATILE.search(request.query):
            return None
        parts = (version, request.query, request.result_types, request.graph_types, request.default_graphs,
                 request.named_graphs, request.substitutions, request.base_iri, request.max_bytes)
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]

    def query(self, request: QueryRequest, *, refresh: bool = False) -> QueryResult:
        """The cached answer, or the engine's (then cached); `refresh` skips the lookup."""
        key = self.etag(request)
        if key is not None and not refresh:
            with self._lock:
                found = self._entries.get(key)
                if found is not None:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return found
        result = self.engine.query(request)
        if key is not None:
            self._store(key, result)
        return result

    def _store(self, key: str, result: QueryResult) -> None:
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
