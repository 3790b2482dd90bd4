"""Named queries as a REST API: /api/queries and /api/queries/<name>[.json|.csv|.tsv|.xml]."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from graph.sparql import named_queries as named
from graph.store.engine import QueryRequest
from graph.errors import NotAcceptable, ResultTooLarge
from graph.sparql.paging import page_of
from graph.sparql import results
from graph.build.pages import PAGE
from graph.ns import SUMMARY_GRAPH
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from server.caching import answer
from server.negotiation import ranked
from server.backend import get_backend
from graph.formats import RESULT_NAMES

bp = Blueprint("named_queries", __name__, url_prefix="/api/queries")



_ANY_PAGE = QueryRequest(f"SELECT ?w WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?w <{PAGE.value}> [] }} }} LIMIT 1")


def has_pages(execute) -> bool:
    """Whether the store's summary holds page numbers: a store built before them, or a remote store, whose
    summary the store itself derives, has none, and its pages are cut with LIMIT and OFFSET."""
    return bool(results.bindings(execute(_ANY_PAGE).body))


@bp.get("")
def index():
    """The named queries with their parameters and columns."""
    return jsonify([describe(q) for q in get_backend().queries.values()])


def describe(query: named.NamedQuery) -> dict:
    """A JSON description of one named query."""
    return {
        "name": query.name, "title": query.title, "description": query.description,
        "url": url_for("named_queries.run", name=query.name, _external=True),
        "parameters": [{"name": p.name, "type": p.type, "description": p.description, "required": p.required,
                        "default": p.default, "example": p.example, "class": p.cls}
                       for p in query.parameters.values()],
        "columns": [{"name": c, **(spec or {})} for c, spec in query.columns.items()],
    }


@bp.get("/<name>")
def run(name: str):
    """Run a named query with the request's parameters bound by the engine."""
    suffix = None
    if "." in name:
        name, suffix = name.rsplit(".", 1)
    backend = get_backend()
    query = named.get(backend.queries, name)
    if suffix is not None and suffix not in RESULT_NAMES:
        raise NotAcceptable(f"unknown format suffix {suffix!r}", sorted(RESULT_NAMES))
    result_types = (RESULT_NAMES[suffix],) if suffix else ranked(RESULT_FORMATS)
    graph_types = () if suffix else ranked(GRAPH_FORMATS)
    page, arguments = page_of(request.args.to_dict())
    substitutions = named.bind(query, arguments, backend.engine.query)
    key = named.page_key(query, substitutions, page.number) if page.number is not None else None
    if key is not None and has_pages(backend.engine.query):
        text = named.query_text(query, substitutions, key)   # the page's rows by index (graph/build/pages.py)
    else:
        text = page.as_rows().apply(named.query_text(query, substitutions))
    try:
        return answer(QueryRequest(text, result_types=result_types, graph_types=graph_types,
                                   substitutions=substitutions))
    except ResultTooLarge as exc:
        raise ResultTooLarge(exc.limit_bytes, "ask for pages with the page parameter (or limit and offset), "
                                              "or download everything at /downloads") from None
