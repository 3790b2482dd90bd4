"""Operations endpoints: /health."""

from __future__ import annotations


import json
import threading

from flask import Blueprint, jsonify

from graph import __version__
from graph.store import releases
from graph.store.engine import QueryRequest
from graph.sparql import results
from server.backend import get_backend

bp = Blueprint("ops", __name__)
_COUNT = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
_counts: dict[str, int] = {}
# One count at a time: a load balancer that polls a fresh server with a short timeout must not queue a scan
# per poll (each took a query worker from the first users' queries).
_counting = threading.Lock()
# Releases read back to a version whose count is known, or to the store's first release; a longer chain is
# counted by a scan instead.
_CHAIN = 1_000


@bp.get("/health")
def health():
    """Store readable, software version, store version and the default graph's triple count; answered once the
    query workers have started, so that whoever waits for it (a load balancer, the bench) meets a ready server."""
    backend = get_backend()
    if backend.starting is not None:
        backend.starting.join(timeout=120)
    version = backend.store.current()
    with _counting:
        if version not in _counts:
            count = _from_releases(backend.store.root, version)
            if count is None:
                # Counting scans the default graph (seconds at 10 M); a version never changes, so count it once.
                result = backend.engine.query(QueryRequest(_COUNT))
                count = int(results.rows(result.body)[0]["triples"])
            _counts[version] = count
    return jsonify({"status": "ok", "version": __version__, "store_version": version,
                    "triples": _counts[version]})


def _from_releases(root, version: str | None) -> int | None:
    """The default graph's triples from the releases (what each version added to and removed from it), read
    back to a version whose count is known or to the first release, which added everything; None when a
    release on the way is missing or unreadable."""
    chain, count = [], None
    for _ in range(_CHAIN):
        if version in _counts:
            count = _counts[version]
            break
        try:
            release = json.loads((releases.folder(root) / f"{version}.json").read_text("utf-8"))
            change = (release.get("graphs") or {}).get(releases.DEFAULT_GRAPH, {"added": 0, "removed": 0})
            chain.append((version, int(change["added"]) - int(change["removed"])))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        if release.get("previous") is None:
            count = 0
            break
        version = release["previous"]
    if count is None:
        return None
    for known, difference in reversed(chain):
        count += difference
        _counts[known] = count
    return count
