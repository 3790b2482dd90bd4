"""SPARQL 1.1 Graph Store HTTP Protocol at /store (https://www.w3.org/TR/sparql11-http-rdf-update/).

GET and HEAD read a named graph (?graph=IRI) or the default graph (?default); PUT replaces,
POST adds to and DELETE removes a named graph. The default graph is derived from the named
graphs, so it can be read but not written. Uploads are streamed to a file in the store's uploads
folder (graph/store/uploads.py), never held in memory, and capped by MAX_UPLOAD_BYTES.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import LengthRequired

from graph.store.engine import QueryRequest
from graph.store import uploads
from graph.errors import GraphNotFound, ParameterError, ReadOnlyGraph, UnsupportedRdfFormat
from graph.formats import GRAPH_FORMATS, content_type
from graph.sparql.update_targets import DERIVED_DEFAULT
from graph.sparql import results
from server.negotiation import ranked
from server.backend import get_backend
from server.auth import require_writer, write_response

bp = Blueprint("graph_store", __name__)

# Graph formats an upload may use; N-Quads and TriG carry datasets, not one graph.
UPLOAD_TYPES = [t for t in GRAPH_FORMATS if t not in ("application/n-quads", "application/trig")]


@bp.before_request
def allow_uploads():
    """Uploads may be larger than queries."""
    if request.method in ("PUT", "POST"):
        request.max_content_length = int(current_app.config["MAX_UPLOAD_BYTES"])


@bp.route("/store", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store():
    """Read, replace, add to or remove a graph."""
    graph = target_graph()
    if request.method in ("GET", "HEAD"):
        return read(graph)
    who = require_writer()
    if graph is None:
        raise ReadOnlyGraph(DERIVED_DEFAULT)
    writer = get_backend().writer
    if request.method == "DELETE":
        return write_response(writer.call("delete", graph, who))
    media_type = upload_type()
    path = spool_body()
    try:
        result = writer.call("put" if request.method == "PUT" else "post", graph, str(path), media_type, who)
    finally:
        os.unlink(path)
    return write_response(result, 201 if result.created else 200)


def target_graph() -> str | None:
    """The graph IRI of ?graph=, or None for ?default.

    :raises ParameterError: unless exactly one of them is given, or if the IRI is not absolute.
    """
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if default == bool(graphs) or len(graphs) > 1:
        raise ParameterError("name exactly one graph: ?graph=<IRI> or ?default", "graph")
    if default:
        return None
    try:
        return ox.NamedNode(graphs[0]).value
    except ValueError as exc:
        raise ParameterError(f"graph must be an absolute IRI: {exc}", "graph") from None


def read(graph: str | None):
    """The graph in the best RDF format the client accepts."""
    engine = get_backend().engine
    graph_types = ranked(GRAPH_FORMATS)
    named = None
    if graph is None:
        query = "CONSTRUCT WHERE { ?s ?p ?o }"
    else:
        term = str(ox.NamedNode(graph))
        # A remote store (Virtuoso) given only our default graph sees no named graphs unless the
        # query names them; it also finds every `GRAPH <g> { }` and keeps no empty graphs.
        remote = current_app.config["BACKEND"] == "remote"
        named = (graph,) if remote else None
        content = "?s ?p ?o" if remote else ""
        exists = engine.query(QueryRequest(f"ASK {{ GRAPH {term} {{ {content} }} }}", named_graphs=named))
        if not results.boolean(exists.body):
            raise GraphNotFound(f"the store has no graph {term}")
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {term} {{ ?s ?p ?o }} }}"
    result = engine.query(QueryRequest(query, graph_types=graph_types, named_graphs=named))
    response = Response(result.body, content_type=content_type(result.media_type))
    response.headers["Vary"] = "Accept"
    return response


def upload_type() -> str:
    """The upload's RDF media type.

    :raises UnsupportedRdfFormat: if it is missing or not a graph format.
    """
    media_type = request.mimetype
    if media_type not in UPLOAD_TYPES:
        raise UnsupportedRdfFormat(f"upload a graph as one of {', '.join(UPLOAD_TYPES)}, "
                                   f"not {media_type or 'no Content-Type'}", UPLOAD_TYPES)
    return media_type


def spool_body() -> Path:
    """Copy the request body to a file in the store's uploads folder and return its path."""
    if request.content_length is None and not request.environ.get("wsgi.input_terminated"):
        # Without a length the body would read as empty, and an empty PUT would clear the graph.
        raise LengthRequired("send the graph with a Content-Length header")
    return uploads.spool(request.stream, get_backend().store.root)
