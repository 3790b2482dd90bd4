"""Dereferencing: every IRI the graph mints answers at its path (W3C Cool URIs, 303 + conneg)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, redirect, request
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from graph.publish import resource_page as about
from graph.publish import landing_page as overview
from graph.formats import DATA_EXTENSIONS
from graph.publish.documents import THING_TYPES, Document
from graph.errors import UnknownResource
from graph.formats import content_type
from server import ontology_docs
from server.diagrams import neighbourhood
from server.i18n import choose_language
from server import figures
from server.site import cached, documents, execute, negotiate, public_url, render
from server.backend import get_backend

bp = Blueprint("resources", __name__)
HTML_TYPES = ("text/html", "application/xhtml+xml")
DATA_TYPES = tuple(DATA_EXTENSIONS.values())
EXTENSION_OF = {media_type: extension for extension, media_type in DATA_EXTENSIONS.items()}
# Dataset metadata IRIs minted under the base; the catalogue document describes them all.
CATALOG_NAMES = ("catalog", "dataset", "publisher")
SKOS_SCHEME = "http://www.w3.org/2004/02/skos/core#ConceptScheme"


@bp.get("/<path:path>")
def dereference(path: str):
    """Answer a path that a minted IRI or one of its documents has; anything else is 404."""
    path = "/" + path
    docs = documents()
    for name in ("ontology", "shapes"):
        for own in docs.paths_of(name):
            if path == own or path.startswith(own + "."):
                return ontology_docs.answer(name, path[len(own) + 1:] or None)
    if any(path == p or path.startswith(p + "/") for name in CATALOG_NAMES for p in docs.paths_of(name)):
        return _see_other("/catalog")
    if path in docs.paths_of(""):
        return _see_other("/")  # the dataset's root IRI leads to the landing page
    document = docs.resolve(path)
    if document is None:
        raise NotFound(f"no resource or document has the path {path[:200]}")
    if not about.exists(execute, document.iri):
        raise UnknownResource(f"nothing is known about <{document.iri[:300]}>")
    moved = about.replacement(execute, document.iri)
    if moved is not None:
        return _moved(path, document.iri, moved)
    if document.kind == "thing":
        return _thing(document)
    if document.kind == "page":
        return _page(document.iri)
    return _data(document)


def _moved(path: str, old: str, new: str) -> Response:
    """301 from an old IRI (or its page or data document) to the same document of its successor."""
    old_key, new_key = old.rsplit("/", 1)[1], new.rsplit("/", 1)[1]
    head, _, tail = path.rpartition(old_key)
    location = head + new_key + tail
    if request.query_string:
        location += "?" + request.query_string.decode("latin-1")
    return redirect(location, 301)


def _see_other(location: str) -> Response:
    response = redirect(location, 303)
    response.vary.add("Accept")
    return response


def _thing(document: Document) -> Response:
    """303 See Other from the thing to its page or data document, as the client prefers."""
    media_type = negotiate(THING_TYPES)
    if media_type in HTML_TYPES:
        lang = request.args.get("lang")
        target = documents().page_path(document.iri) + (f"?lang={lang}" if lang in ("de", "en") else "")
    else:
        target = documents().data_path(document.iri, EXTENSION_OF[media_type])
    return _see_other(target)


def _data(document: Document) -> Response:
    """The resource's triples in the format of the extension, or the one negotiated."""
    if document.media_type and document.media_type not in DATA_TYPES:
        raise NotFound(f"no data format {document.media_type.split('/', 1)[1][:20]!r}; use one of "
                       f"{', '.join('.' + e for e in DATA_EXTENSIONS)}")
    media_type = document.media_type or negotiate(DATA_TYPES)
    result = about.resource_data(execute, document.iri, media_type)
    response = Response(result.body, content_type=content_type(media_type))
    response.headers["Link"] = f'<{documents().page_path(document.iri)}>; rel="alternate"; type="text/html"'
    response.vary.add("Accept")
    return response


def _page(iri: str) -> Response:
    """The HTML page of a resource."""
    known = cached("term_labels", lambda: about.term_labels(execute))
    description = about.describe(execute, iri, known)
    sources = about.sources(execute, get_backend().queries, iri)
    reports = {row["report"]: about.labels_of(execute, row["report"]) for row in sources if row.get("report")}
    page = documents().page_path(iri)
    jsonld = json.dumps(about.schema_org(description, public_url(page)), ensure_ascii=False, indent=1)
    data_links = {ext: documents().data_path(iri, ext) for ext in DATA_EXTENSIONS}
    is_scheme = any(t.value == SKOS_SCHEME for t in description.types)
    tree = overview.concept_tree(execute, iri, choose_language()[0]) if is_scheme else []
    return render("resource.html", d=description, sources=sources, reports=reports, data_links=data_links,
                  jsonld=Markup(jsonld.replace("</", "<\\/")), diagram=neighbourhood, tree=tree,
                  state_map=figures.state_map(description))
