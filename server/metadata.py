"""Dataset metadata and downloads: VoID, the DCAT-AP.de catalogue, the dumps of each build."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, send_file
from werkzeug.exceptions import BadRequest, NotFound

from graph.publish.catalog import DEFAULT_PROFILE, PROFILES, add_paging, catalog_graph, coverage
from graph.formats import DATA_EXTENSIONS
from graph.publish.dumps import dump_file, list_dumps
from graph.publish.publication import Publication
from graph.publish import quality
from graph.publish.releases import release_iri, release_time
from graph.store.releases import list_releases
from graph.publish.void import statistics, void_graph
from server.site import cached, execute, graph_response, negotiate, prefers_html, public_url, render
from server.backend import get_backend

bp = Blueprint("metadata", __name__)
RDF_TYPES = ("text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples")


def publication() -> Publication:
    """The publication settings from the configuration, for the current store version."""
    config, store = current_app.config, get_backend().store
    # Issued: the first release; modified: the last release that changed the content.
    releases = cached("releases", lambda: list_releases(store.root))
    changed = [r for r in releases if r.added or r.removed]
    return Publication(config["BASE_IRI"], public_url(""), store.current(), config["DATASET_LICENSE"],
                       config["DATASET_PUBLISHER"], config["DATASET_PUBLISHER_URL"], config["DATASET_CONTACT_NAME"],
                       config["DATASET_CONTACT_EMAIL"], config["DATASET_CONTRIBUTOR_ID"], tuple(list_dumps(store)),
                       issued=release_time(releases[0]) if releases else None,
                       changed=release_time(changed[-1]) if changed else None)


@bp.get("/.well-known/void")
def void():
    """The VoID description with statistics (https://www.w3.org/TR/void/#well-known)."""
    stats = cached("void-statistics", lambda: statistics(execute))
    return graph_response(void_graph(stats, publication()), negotiate(RDF_TYPES))


@bp.get("/catalog", defaults={"extension": None})
@bp.get("/catalog.<extension>")
def catalog(extension: str | None):
    """The DCAT-AP.de catalogue: RDF for harvesters (RDF/XML, Turtle …), a page for people.

    `?profile=3.0` writes it for DCAT-AP.de 3.0 instead of 2.0 (they differ in the byte size's
    datatype); the answer names its profile in Content-Profile.
    """
    if extension is not None and extension not in DATA_EXTENSIONS:
        raise NotFound(f"no format {extension[:20]!r}; use one of {', '.join('.' + e for e in DATA_EXTENSIONS)}")
    page = request.args.get("page", "1")
    if not page.isdigit() or len(page) > 6:
        raise BadRequest(f"page must be a positive whole number, not {page[:20]!r}")
    profile = request.args.get("profile", DEFAULT_PROFILE)
    if profile not in PROFILES:
        raise BadRequest(f"no DCAT-AP.de profile {profile[:20]!r}; use one of {', '.join(PROFILES)}")
    media_type = negotiate(RDF_TYPES + ("text/html",), DATA_EXTENSIONS.get(extension or ""))
    cover, described = cached("coverage", lambda: coverage(execute)), publication()
    if media_type == "text/html":
        return render("catalog.html", p=described, cover=cover, formats=DATA_EXTENSIONS, files=_files())
    graph = catalog_graph(cover, described, profile)
    # One dataset today; harvesters still get the paging they follow when a catalogue is long.
    try:
        add_paging(graph, described, int(page), total=1, size=current_app.config["CATALOG_PAGE_SIZE"])
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    # The current release's quality measurements (DQV, issue 15).
    store = get_backend().store
    release, measured, _ = cached("quality", lambda: quality.for_version(store.root, store.current(), store.open_read))
    if release is not None:
        graph += quality.dqv_graph(described, release_iri(described, release), measured)
    response = graph_response(graph, media_type)
    response.headers["Content-Profile"] = f"<{PROFILES[profile]}>"
    return response


def _files() -> list[dict]:
    return [{"name": d.name, "url": public_url("/downloads/" + d.name), "media_type": d.media_type,
             "encoding": "gzip", "bytes": size} for d, size in list_dumps(get_backend().store)]


@bp.get("/downloads")
def downloads():
    """The dumps of the current version."""
    files = _files()
    if prefers_html():
        return render("downloads.html", files=files)
    return jsonify({"version": get_backend().store.current(), "files": files})


@bp.get("/downloads/<name>", defaults={"version": None})
@bp.get("/downloads/<version>/<name>")
def download(name: str, version: str | None):
    """One dump file (gzip) of the current or a named version."""
    path, _format = dump_file(get_backend().store, name, version)
    # Absolute: Flask reads a relative path from the app's package folder, not the working directory (and
    # `make serve` names its store var/store).
    return send_file(path.absolute(), mimetype="application/gzip", as_attachment=True, download_name=name,
                     conditional=True, etag=True)
