"""Answers with an ETag per store version; If-None-Match gets 304 without running the query (issue 6)."""

from __future__ import annotations

from flask import Response, request

from graph.store.engine import QueryRequest
from graph.store.interface import Engine
from graph.formats import content_type
from server.backend import get_backend


def answer(query: QueryRequest, engine: Engine | None = None) -> Response:
    """Run `query` on the app's engine (cached when it can be), or on `engine`, and build the HTTP response."""
    engine = engine or get_backend().engine
    etag = engine.etag(query)
    if etag is not None and request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        # Cache-Control: no-cache asks for a fresh evaluation (the bench's cold numbers use it).
        fresh = "no-cache" in (request.headers.get("Cache-Control") or "")
        result = None if fresh else engine.cached(query)
        hit = result is not None
        if result is None:
            result = engine.query(query, refresh=fresh)
        response = Response(result.body, content_type=content_type(result.media_type))
        if etag is not None:
            response.headers["X-Cache"] = "hit" if hit else "miss"
    if etag is not None:
        response.set_etag(etag)
    response.headers["Vary"] = "Accept"
    return response
