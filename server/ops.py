"""Operations endpoints: /health."""

from __future__ import annotations


from flask import Blueprint, jsonify

from graph import __version__
from graph.store.engine import QueryRequest
from graph.sparql import results
from server.backend import get_backend

bp = Blueprint("ops", __name__)
_COUNT = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
_counts: dict[str, int] = {}


@bp.get("/health")
def health():
    """Store readable, software version, store version and the default graph's triple count; answered once the
    query workers have started, so that whoever waits for it (a load balancer, the bench) meets a ready server."""
    backend = get_backend()
    if backend.starting is not None:
        backend.starting.join(timeout=120)
    version = backend.store.current()
    if version not in _counts:
        # Counting scans the default graph; a version never changes, so count it once.
        result = backend.engine.query(QueryRequest(_COUNT))
        _counts[version] = int(results.rows(result.body)[0]["triples"])
    return jsonify({"status": "ok", "version": __version__, "store_version": version,
                    "triples": _counts[version]})
