"""The ontology and shapes at their IRIs: HTML documentation, or RDF by Accept or extension."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app
from rdflib import Graph
from werkzeug.exceptions import NotFound

from graph.settings import current
from graph.formats import DATA_EXTENSIONS
from graph.checks.shacl import load_shapes
from graph.publish.vocabulary import ONTOLOGY_FILE, load_vocabulary
from server.site import graph_response, negotiate, render

OFFERED = ("text/turtle", "text/html", "application/ld+json", "application/rdf+xml", "application/n-triples")


def _load() -> dict:
    """Read the files once per app: they change only with a new release of the software."""
    store = current_app.extensions.setdefault("kommunalgraph.vocabulary", {})
    if not store:
        ontology_dir, shapes_dir = Path(current().ontology_dir), Path(current().shapes_dir)
        store["doc"] = load_vocabulary(ontology_dir, shapes_dir)
        store["ontology"] = Graph().parse(ontology_dir / ONTOLOGY_FILE, format="turtle")
        store["shapes"] = load_shapes(shapes_dir)
        for graph in (store["ontology"], store["shapes"]):
            graph.bind("kg", "https://w3id.org/kommunalgraph/ontology#")
    return store


def answer(name: str, extension: str | None) -> Response:
    """The 'ontology' or 'shapes' document in the representation asked for."""
    if extension is not None and extension not in DATA_EXTENSIONS:
        raise NotFound(f"no format {extension[:20]!r}; use one of {', '.join('.' + e for e in DATA_EXTENSIONS)}")
    media_type = negotiate(OFFERED, DATA_EXTENSIONS.get(extension or ""))
    loaded = _load()
    if media_type != "text/html":
        return graph_response(loaded[name], media_type)
    response = render("ontology.html", v=loaded["doc"], formats=DATA_EXTENSIONS, name=name)
    response.vary.add("Accept")
    return response
