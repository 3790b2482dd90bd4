"""Answers with an ETag per store version; If-None-Match gets 304 without running the query (issue 6)."""

from __future__ import annotations

from flask import Response, request

from graph.store.engine import Job, QueryRequest
from graph.store.interface import Engine
from graph.formats import content_type
from server.backend import get_backend


def answer(query: QueryRequest | Job, engine: Engine | None = None) -> tuple[Response, object | None]:
    """Run `query` (a query, or a job such as a named-query request) on the app's engine (cached when it can
    be), or on `engine`, and build the HTTP response; also what the engine answered (None for a 304)."""
    engine = engine or get_backend().engine
    etag = engine.etag(query)
    answered = None
    if etag is not None and request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        # Cache-Control: no-cache asks for a fresh evaluation (the bench's cold numbers use it).
        fresh = "no-cache" in (request.headers.get("Cache-Control") or "")
        answered = None if fresh else engine.cached(query)
        hit = answered is not None
        if answered is None:
            run = engine.query if isinstance(query, QueryRequest) else engine.run_job
            answered = run(query, refresh=fresh)
        result = answered if isinstance(query, QueryRequest) else answered.result
        response = Response(result.body, content_type=content_type(result.media_type))
        if etag is not None:
            response.headers["X-Cache"] = "hit" if hit else "miss"
    if etag is not None:
        response.set_etag(etag)
    response.headers["Vary"] = "Accept"
    return response, answered
