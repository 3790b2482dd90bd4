"""Named queries as a REST API: /api/queries and /api/queries/<name>[.json|.csv|.tsv|.xml]."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, jsonify, request, url_for

from graph.sparql import named_queries as named
from graph.sparql.named_pages import Planned
from graph.sparql.named_request import NamedRequest
from graph.errors import NotAcceptable, ResultTooLarge
from graph.sparql.paging import page_of
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from server.caching import answer
from server.negotiation import ranked
from server.backend import get_backend
from graph.formats import RESULT_NAMES

bp = Blueprint("named_queries", __name__, url_prefix="/api/queries")



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
    page, arguments = page_of(request.args.to_dict(), paged=query.pages is not None)
    # One job: the worker binds the parameters, plans the page and runs the query next to the store.
    job = NamedRequest(query, tuple(sorted(arguments.items())), page, result_types, graph_types)
    try:
        response, answered = answer(job)
    except ResultTooLarge as exc:
        raise ResultTooLarge(exc.limit_bytes, "ask for pages with the page parameter (or limit and offset), "
                                              "or download everything at /downloads") from None
    if answered is not None and answered.planned.number is not None:
        response.headers["Link"] = _links(answered.planned, name + (f".{suffix}" if suffix else ""))
    return response


def _links(planned: Planned, endpoint_name: str) -> str:
    """The Link header (RFC 8288) to the first, previous, next and last page, with the request's other
    parameters kept, so a client pages through a list without knowing how it is numbered."""
    # One url_for, then only the page number changes (url_for per link costs more than the page lookup).
    base = url_for("named_queries.run", name=endpoint_name, _external=True)
    kept = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "page"] + [("page", "")])
    return ", ".join(f'<{base}?{kept}{number}>; rel="{relation}"' for relation, number in planned.neighbours().items())
