"""The named-query API described: OpenAPI 3.1 at /api/openapi.json, and a page for people at /api."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, jsonify

from graph.publish.openapi import openapi
from server.site import public_url, render
from server.backend import get_backend

bp = Blueprint("api_docs", __name__, url_prefix="/api")


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document, generated from the .rq headers."""
    return jsonify(openapi(get_backend().queries.values(), public_url("")))


@bp.get("")
def docs():
    """A page documenting every named query: parameters, columns, an example call."""
    queries = list(get_backend().queries.values())
    examples = {q.name: "/api/queries/" + q.name + ("?" + urlencode({p.name: p.example for p in q.parameters.values()
                                                                       if p.example}) if any(
        p.example for p in q.parameters.values()) else "") for q in queries}
    return render("api.html", queries=queries, examples=examples, root=public_url(""))
