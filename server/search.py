"""Search (issue 14): `/api/search` (JSON) and `/search` (the results page behind every page's search box).

The index is the SQLite file of the current store version (graph/search/index.py). The build
and every gated write make it; if a version has none (an older store, a failed write of the
file), the first search builds it, so a search never answers from another version.
"""

from __future__ import annotations

import threading

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import NotImplemented as NotImplementedHTTP

from graph.errors import ParameterError, StoreError
from graph.search.index import index_path, write_index
from graph.search.query import FACETS, SearchIndex, SearchRequest, parse_request
from server.backend import get_backend
from server.site import render

bp = Blueprint("search", __name__)
_lock = threading.Lock()
_KEY = "kommunalgraph.search"


def get_search_index() -> SearchIndex:
    """The search index of the current store version, built if it is missing.

    :raises StoreError: if the store has no version or the index cannot be written.
    """
    if current_app.config["BACKEND"] == "remote":
        raise NotImplementedHTTP("search needs the embedded store (KG_BACKEND=embedded); on a remote store "
                                 "use the SPARQL endpoint")
    store = get_backend().store
    version = store.current()
    if version is None:
        raise StoreError(f"no data in the store {store.root}: run `kommunalgraph build` first")
    cache = current_app.extensions.setdefault(_KEY, {})
    with _lock:
        if cache.get("version") != version:
            path = index_path(store, version)
            if not path.exists():
                write_index(store, version)
            cache.update(version=version, index=SearchIndex(path))
        return cache["index"]


@bp.get("/api/search")
def api_search():
    """Ranked hits and facet counts as JSON."""
    unknown = sorted(set(request.args) - {"q", "limit", "offset", *FACETS})
    if unknown:
        raise ParameterError(f"unknown parameter {unknown[0][:40]!r}; use q, limit, offset, "
                             f"{', '.join(FACETS)}", unknown[0][:40])
    search_request = parse_request(request.args)
    index = get_search_index()
    result = index.search(search_request)
    return jsonify({"query": search_request.text, "version": index.version(), "total": result.total,
                    "limit": search_request.limit, "offset": search_request.offset,
                    "filters": dict(search_request.filters), "hits": result.hits, "facets": result.facets})


@bp.get("/search")
def page():
    """The results page: hits, facets to narrow them, pages. Bad input is explained on the page (400)."""
    text = (request.args.get("q") or "").strip()
    error, result, search_request = None, None, SearchRequest(text)
    if text or any(request.args.get(f) for f in FACETS):
        try:
            search_request = parse_request(request.args)
            result = get_search_index().search(search_request)
        except ParameterError as exc:
            error = str(exc)
    filters = dict(search_request.filters)

    def facet_label(facet: str, value: str) -> str:
        """The label of a chosen facet value (its value when no hit carries it)."""
        found = [item["label"] for item in (result.facets.get(facet, []) if result else []) if item["value"] == value]
        return found[0] if found else value

    return render("search.html", status=400 if error else 200, search_query=text, error=error, result=result,
                  request_=search_request, filters=filters, facets=FACETS, facet_label=facet_label,
                  without=lambda facet: {k: v for k, v in filters.items() if k != facet})
