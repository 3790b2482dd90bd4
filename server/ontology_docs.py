"""The ontology and shapes at their IRIs: HTML documentation, or RDF by Accept or extension."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, request
from rdflib import Graph
from werkzeug.exceptions import NotFound

from graph import project
from graph.documents import DATA_EXTENSIONS
from graph.errors import NotAcceptable
from graph.formats import content_type
from graph.vocabulary import ONTOLOGY_FILE, load_shape_graph, load_vocabulary
from server.site import render

RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                  "application/rdf+xml": "xml"}
OFFERED = ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")


def _load() -> dict:
    """Read the files once per app: they change only with a new release of the software."""
    store = current_app.extensions.setdefault("kommunalgraph.vocabulary", {})
    if not store:
        ontology_dir, shapes_dir = Path(project.ONTOLOGY_DIR), Path(project.SHAPES_DIR)
        store["doc"] = load_vocabulary(ontology_dir, shapes_dir)
        store["ontology"] = Graph().parse(ontology_dir / ONTOLOGY_FILE, format="turtle")
        store["shapes"] = load_shape_graph(shapes_dir)
        for graph in (store["ontology"], store["shapes"]):
            graph.bind("kg", "https://w3id.org/kommunalgraph/ontology#")
    return store


def answer(name: str, extension: str | None) -> Response:
    """The 'ontology' or 'shapes' document in the representation asked for."""
    if extension is not None:
        if extension not in DATA_EXTENSIONS:
            raise NotFound(f"no format {extension[:20]!r}; use one of {', '.join('.' + e for e in DATA_EXTENSIONS)}")
        media_type = DATA_EXTENSIONS[extension]
    else:
        media_type = request.accept_mimetypes.best_match(OFFERED) if request.accept_mimetypes else "text/turtle"
        if media_type is None:
            raise NotAcceptable(f"the {name} is available as {', '.join(OFFERED)}", list(OFFERED))
    loaded = _load()
    if media_type == "text/html":
        response = render("ontology.html", v=loaded["doc"], formats=DATA_EXTENSIONS, name=name)
    else:
        response = Response(loaded[name].serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8"),
                            content_type=content_type(media_type))
    response.vary.add("Accept")
    return response
