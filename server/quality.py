"""Quality as data: /quality (DQV measurements of the current release, and how they changed since
the previous one) and /quality/shacl-report (the build's SHACL findings, warnings included)."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import NotFound

from graph.formats import DATA_EXTENSIONS
from graph.publish import quality
from graph.publish.releases import release_iri
from graph.store.releases import Release, list_releases
from server.backend import get_backend
from server.site import cached, graph_response, negotiate, render

bp = Blueprint("quality", __name__)
RDF_TYPES = ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")


def measurements() -> tuple[Release | None, dict | None, dict | None]:
    """(the current release, its measurements, those of the previous measured release), once per version."""
    store = get_backend().store
    return cached("quality", lambda: quality.for_version(store.root, store.current(), store.open_read))


def _media(extension: str | None, offered: tuple[str, ...]) -> str:
    if extension is not None and extension not in DATA_EXTENSIONS:
        raise NotFound(f"no format {extension[:20]!r}; use one of {', '.join('.' + e for e in DATA_EXTENSIONS)}")
    return negotiate(offered, DATA_EXTENSIONS.get(extension or ""))


@bp.get("/quality", defaults={"extension": None})
@bp.get("/quality.<extension>")
def page(extension: str | None):
    """This release's measurements and their change since the last release (HTML or DQV)."""
    from server.metadata import publication

    media_type = _media(extension, ("text/html",) + RDF_TYPES)
    release, measured, previous = measurements()
    if media_type != "text/html":
        if release is None:
            raise NotFound("no release has been measured yet: run `kommunalgraph build`")
        described = publication()
        return graph_response(quality.dqv_graph(described, release_iri(described, release), measured), media_type)
    rows = []
    for name, (dimension, german, english, _q) in quality.METRICS.items():
        value = measured["metrics"].get(name) if measured else None
        before = previous["metrics"].get(name) if previous else None
        rows.append({"name": name, "dimension": dimension, "de": german, "en": english, "value": value,
                     "before": before, "change": None if value is None or before is None else round(value - before, 4),
                     "count": measured["counts"].get(name) if measured else None,
                     "states": sorted((measured or {}).get("by_state", {}).get(name, {}).items())})
    confidence = sorted((measured or {}).get("confidence", {}).items())
    return render("quality.html", release=release, rows=rows, confidence=confidence,
                  previous_confidence=(previous or {}).get("confidence", {}), low=quality.LOW_CONFIDENCE)


def problems() -> tuple[Release | None, list[dict]]:
    """The newest build's kept problems (releases made by writes keep none)."""
    root = get_backend().store.root
    for release in reversed(list_releases(root)):
        found = quality.load(root, release, "problems")
        if found is not None:
            return release, found
    return None, []


@bp.get("/quality/shacl-report", defaults={"extension": None})
@bp.get("/quality/shacl-report.<extension>")
def report(extension: str | None):
    """The build's SHACL report: RDF at a stable IRI, and a page grouped by severity and message."""
    from server.metadata import publication

    media_type = _media(extension, ("text/html",) + RDF_TYPES)
    release, found = cached("shacl-problems", problems)
    if media_type != "text/html":
        return graph_response(quality.report_graph(publication(), found), media_type)
    return render("shacl_report.html", release=release, total=len(found),
                  groups={lang: quality.grouped(found, lang) for lang in ("de", "en")},
                  iri=publication().iri("quality/shacl-report"))
