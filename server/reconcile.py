"""Reconciliation Service API 0.2 at /reconcile: manifest, queries, suggest, preview, data extension.

https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/ — CORS comes
from the app (flask-cors on every route); errors share the app's JSON error shape.
"""

from __future__ import annotations

import threading

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge, UnsupportedMediaType

from graph import __version__
from graph.linking import reconcile as rc
from graph.linking.entity_index import PROPERTIES, TYPES, EntityIndex, build_index
from graph.errors import ParameterError, QueryTimeout
from graph.ns import KG
from server.backend import get_backend
from server.search import get_search_index
from server.hardening import compute_slot

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")
_lock = threading.Lock()
DEFAULT_TYPES = ("Municipality", "Organisation", "Person")


def get_index() -> EntityIndex:
    """The entity index of the current store version, built once per version."""
    backend = get_backend()
    version = backend.store.current()
    cache = current_app.extensions.setdefault("kommunalgraph.reconcile", {})
    with _lock:
        if cache.get("version") != version or "index" not in cache:
            cache["index"] = build_index(backend.engine.query, current_app.config["BASE_IRI"])
            cache["version"] = version
        return cache["index"]


def values():
    """The request's parameters: query string for GET, form for POST."""
    if request.method == "POST" and request.mimetype != "application/x-www-form-urlencoded":
        raise UnsupportedMediaType("POST 'queries' or 'extend' as application/x-www-form-urlencoded")
    return request.values


@bp.route("", methods=["GET", "POST"])
def endpoint():
    """The manifest, or the answers to `queries` or `extend`."""
    params = values()
    try:
        if "queries" in params:
            batch = rc.parse_batch(rc.parse_json(params["queries"], "queries"),
                                   current_app.config["RECONCILE_BATCH_SIZE"])
            # The same concurrency cap and time limit as queries (issue 10): this runs in our thread.
            with compute_slot() as deadline:
                index = get_index()
                narrow = len(index.entities) > int(current_app.config["RECONCILE_SCAN_LIMIT"])
                return jsonify({key: {"result": rc.reconcile(index, query, _candidates(query.text) if narrow else None,
                                                             deadline)}
                                for key, query in batch.items()})
        if "extend" in params:
            extend = rc.parse_json(params["extend"], "extend")
            with compute_slot():
                return jsonify(rc.extend(get_index(), extend, current_app.config["RECONCILE_MAX_EXTEND_IDS"],
                                         current_app.config["RECONCILE_WIKIDATA_SERVICE"] or None))
    except rc.BatchTooLarge as exc:
        raise RequestEntityTooLarge(str(exc)) from None
    except rc.TimeLimit:
        raise QueryTimeout(float(current_app.config["QUERY_TIMEOUT"])) from None
    if request.method == "POST":
        raise ParameterError("send 'queries' or 'extend'; GET without parameters returns the manifest", "queries")
    return jsonify(manifest())


def manifest() -> dict:
    """The service manifest (API 0.2)."""
    root = url_for("reconcile.endpoint", _external=True)
    base = current_app.config["BASE_IRI"].rstrip("/") + "/"
    return {
        "versions": ["0.2"],
        "name": "Kommunalgraph",
        "identifierSpace": base + "id/",
        "schemaSpace": str(KG._NS),  # types are the ontology's classes by local name
        "serviceVersion": __version__,
        "documentation": url_for("sparql.endpoint", _external=True),
        "defaultTypes": [{"id": t, "name": TYPES[t]} for t in DEFAULT_TYPES],
        "view": {"url": url_for("reconcile.view", _external=True) + "?id={{id}}"},
        "preview": {"url": url_for("reconcile.preview", _external=True) + "?id={{id}}", "width": 400, "height": 140},
        "suggest": {kind: {"service_url": root, "service_path": f"/suggest/{kind}"}
                    for kind in ("entity", "type", "property")},
        "extend": {"propose_properties": {"service_url": root, "service_path": "/properties"},
                   "property_settings": []},
        "batchSize": current_app.config["RECONCILE_BATCH_SIZE"],
    }


def _prefix() -> tuple[str, int]:
    prefix = request.args.get("prefix")
    if prefix is None:
        raise ParameterError("'prefix' is required", "prefix")
    return prefix, _integer("cursor", 0)


def _integer(name: str, default: int | None) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise ParameterError(f"'{name}' must be a non-negative integer, not {raw!r}", name)
    return int(raw)


@bp.get("/suggest/entity")
def suggest_entity():
    """Entities for autocomplete."""
    prefix, cursor = _prefix()
    return jsonify({"result": rc.suggest_entities(get_index(), prefix, request.args.get("type"), cursor,
                                                  candidates=_candidates(prefix))})


def _candidates(text: str) -> list[str] | None:
    """IRIs the search index finds for `text` (issue 14); None where there is no index (remote store)."""
    if not text or not text.strip():
        return None
    try:
        return get_search_index().candidates(text)
    except HTTPException:  # no search on a remote store: the service scans every entity, as before
        return None


@bp.get("/suggest/type")
def suggest_type():
    """Types for autocomplete."""
    prefix, cursor = _prefix()
    return jsonify({"result": rc.suggest_from(TYPES, prefix, cursor)})


@bp.get("/suggest/property")
def suggest_property():
    """Properties for autocomplete."""
    prefix, cursor = _prefix()
    return jsonify({"result": rc.suggest_from(PROPERTIES, prefix, cursor)})


@bp.get("/properties")
def properties():
    """Properties to propose for data extension of a type."""
    type_id = request.args.get("type")
    if not type_id:
        raise ParameterError("'type' is required", "type")
    limit = _integer("limit", None)
    return jsonify(rc.propose_properties(type_id, limit))


def _entity():
    entity_id = request.args.get("id")
    if not entity_id:
        raise ParameterError("'id' is required", "id")
    index = get_index()
    entity = index.get(entity_id)
    if entity is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    return index, entity


@bp.get("/preview")
def preview():
    """A small HTML card of one entity, for an iframe."""
    index, entity = _entity()
    rows = []
    for pid, found in entity.values.items():
        cells = [{"text": v["name"]} if isinstance(v, dict) else
                 {"text": v, "href": f"https://www.wikidata.org/wiki/{v}" if pid == "wikidata" else None}
                 for v in found]
        rows.append((PROPERTIES[pid][0], cells))
    return render_template("reconcile/preview.html", entity=entity, iri=index.identifier_space + entity.id, rows=rows)


@bp.get("/view")
def view():
    """The entity's IRI."""
    index, entity = _entity()
    return redirect(index.identifier_space + entity.id, code=302)
