"""Releases: the list (/releases), a page per release with its diff, the RDF Patch download, and the
"Stand" (as-of) date every page shows. Harvesters may ask conditionally (ETag, If-Modified-Since)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, send_file
from werkzeug.exceptions import NotFound

from graph.errors import StoreError
from graph.formats import DATA_EXTENSIONS
from graph.publish.releases import (cause_text, class_labels, diff_summary, release_time, releases_graph,
                                    summary_text)
from graph.store.releases import Release, find, list_releases, patch_path
from server.backend import get_backend
from server.site import cached, graph_response, negotiate, render

bp = Blueprint("releases", __name__)
RDF_TYPES = ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")


def releases() -> list[Release]:
    """The store's releases, read once per store version."""
    return cached("releases", lambda: list_releases(get_backend().store.root))


def labels() -> dict:
    """Class labels of the current version's ontology, for the summaries."""
    return cached("class-labels", lambda: class_labels(get_backend().store.open_read()))


def last_change() -> Release | None:
    """The newest release that changed the content (None before the first)."""
    changed = [r for r in releases() if r.added or r.removed]
    return changed[-1] if changed else None


@bp.app_context_processor
def stand() -> dict:
    """The as-of date every page shows: when the content last changed."""
    try:
        release = last_change()
    except StoreError:  # a page must render even when the release log cannot be read
        return {"stand": None}
    return {"stand": release_time(release).date().isoformat() if release else None}


def _conditional(response: Response, etag: str, release: Release | None) -> Response:
    response.set_etag(etag)
    if release is not None:
        response.last_modified = release_time(release)
    response.vary.add("Accept")
    return response.make_conditional(request)


def _extension(extension: str | None) -> str | None:
    if extension is not None and extension not in DATA_EXTENSIONS:
        raise NotFound(f"no format {extension[:20]!r}; use one of {', '.join('.' + e for e in DATA_EXTENSIONS)}")
    return DATA_EXTENSIONS.get(extension or "")


@bp.get("/releases", defaults={"extension": None})
@bp.get("/releases.<extension>")
def listing(extension: str | None):
    """All releases, newest first: HTML for people, JSON-LD/Turtle… for machines."""
    from server.metadata import publication

    media_type = negotiate(("text/html",) + RDF_TYPES, _extension(extension))
    found = releases()
    newest = found[-1] if found else None
    etag = f"releases-{newest.version if newest else 'none'}-{media_type}"
    if media_type == "text/html":
        rows = [{"release": r, "de": summary_text(r.summary, labels(), "de"), "en": summary_text(r.summary, labels(), "en"),
                 "cause": {lang: cause_text(r.cause, lang) for lang in ("de", "en")}} for r in reversed(found)]
        return _conditional(render("releases.html", rows=rows), etag, newest)
    return _conditional(graph_response(releases_graph(found, publication(), labels()), media_type), etag, newest)


@bp.get("/releases/<int:seq>", defaults={"extension": None})
@bp.get("/releases/<int:seq>.<extension>")
def release(seq: int, extension: str | None):
    """One release: its cause, its diff per named graph and the summary (HTML, JSON or RDF)."""
    from server.metadata import publication

    if extension == "rdfp":
        return patch(seq)
    media_type = negotiate(("text/html", "application/json") + RDF_TYPES, _extension(extension))
    found = find(get_backend().store.root, seq)
    diff = diff_summary(found.summary, found.graphs, labels())
    etag = f"release-{found.version}-{media_type}"
    if media_type == "text/html":
        return _conditional(render("release.html", r=found, diff=diff,
                                   cause={lang: cause_text(found.cause, lang) for lang in ("de", "en")}), etag, found)
    if media_type == "application/json":
        body = {"seq": found.seq, "version": found.version, "previous": found.previous, "time": found.time,
                "cause": found.cause, **diff}
        return _conditional(jsonify(body), etag, found)
    graph = releases_graph([r for r in releases() if r.seq == found.seq], publication(), labels())
    return _conditional(graph_response(graph, media_type), etag, found)


def patch(seq: int):
    """The release's change as an RDF Patch (gzip)."""
    found = find(get_backend().store.root, seq)
    # Absolute: Flask reads a relative path from the app's package folder, not the working directory.
    return send_file(patch_path(get_backend().store.root, found).absolute(), mimetype="application/gzip", as_attachment=True,
                     download_name=f"kommunalgraph-release-{found.seq}.rdfp.gz", conditional=True, etag=True)
