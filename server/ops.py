"""Operations endpoints: /health."""

from __future__ import annotations


import json

from flask import Blueprint, jsonify

from graph import __version__
from graph.store import releases
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
        _counts[version] = _from_release(backend.store.root, version)
        if _counts[version] is None:
            # Counting scans the default graph (seconds at 10 M); a version never changes, so count it once.
            result = backend.engine.query(QueryRequest(_COUNT))
            _counts[version] = int(results.rows(result.body)[0]["triples"])
    return jsonify({"status": "ok", "version": __version__, "store_version": version,
                    "triples": _counts[version]})


def _from_release(root, version: str | None) -> int | None:
    """The default graph's triples from the count of the version a write started from and the write's release
    (what it added and removed per graph), without a scan; None when either is not known here."""
    try:
        release = json.loads((releases.folder(root) / f"{version}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(release, dict) or _counts.get(release.get("previous")) is None:
        return None
    change = (release.get("graphs") or {}).get(releases.DEFAULT_GRAPH, {"added": 0, "removed": 0})
    return _counts[release["previous"]] + change["added"] - change["removed"]
