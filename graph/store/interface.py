"""The one interface of the query engines: the embedded worker pool, the cache around an engine,
and a remote SPARQL store all answer `Engine`; code that only runs queries takes an `Execute`."""

from __future__ import annotations

from typing import Any, Callable, Protocol, runtime_checkable

from graph.store.engine import Job, QueryRequest, QueryResult

# A function that answers one query: an engine's `query`, or `run_query` on an open store.
Execute = Callable[[QueryRequest], QueryResult]


@runtime_checkable
class Engine(Protocol):
    """What the server asks of a query engine."""

    def query(self, request: QueryRequest, *, refresh: bool = False) -> QueryResult:
        """Answer `request`; `refresh` bypasses a cache (engines without one ignore it)."""

    def run_job(self, job: Job, *, refresh: bool = False) -> Any:
        """Do `job` (several queries, such as a named-query request) and give its answer; `refresh` as in query."""

    def etag(self, request: QueryRequest) -> str | None:
        """The ETag of the answer to `request`, or None if answers are not versioned."""

    def cached(self, request: QueryRequest) -> QueryResult | None:
        """The cached answer to `request`, or None (always None without a cache)."""

    def close(self) -> None:
        """Release workers and connections."""
