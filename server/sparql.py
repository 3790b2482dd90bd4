"""SPARQL 1.1 Protocol for queries at /sparql (https://www.w3.org/TR/sparql11-protocol/)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from markupsafe import Markup
from werkzeug.exceptions import BadRequest, MethodNotAllowed, UnsupportedMediaType

from graph.sparql import named_queries as named
from graph.publish.service_description import service_description
from graph.store import sandbox
from graph.store.engine import QueryRequest
from graph.store.pool import STRICT_REFUSAL
from graph.errors import ParameterError, ServiceNotAllowed
from graph.sparql.federation import allowed_endpoints, check_services
from graph.formats import FORMAT_NAMES, GRAPH_FORMATS, RESULT_FORMATS, content_type
from server.caching import answer
from server.hardening import check_nesting
from server.i18n import choose_language
from server.negotiation import query_formats, ranked
from server.site import documents, public_url, render
from server.backend import get_backend
from server.auth import require_writer, write_response

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


def protocol_parameters() -> tuple[str | None, dict[str, list[str]]]:
    """The query text and the other protocol parameters, from whichever form the request uses."""
    if request.method in ("GET", "HEAD"):  # HEAD answers as GET does, without the body
        values = request.args
        body_query = None
    elif request.mimetype == FORM:
        values = request.form
        body_query = None
    elif request.mimetype == QUERY_BODY:
        values = request.args
        body_query = request.get_data(as_text=True)
    else:
        raise UnsupportedMediaType(f"POST a query as {FORM} or {QUERY_BODY}, not {request.mimetype or 'no type'}")
    if "update" in values:
        raise MethodNotAllowed(["POST"], "send a SPARQL Update with POST (SPARQL 1.1 Protocol, section 2.2)")
    queries = values.getlist("query")
    if body_query is not None:
        if queries:
            raise BadRequest("give the query either in the body or as the 'query' parameter, not both")
        queries = [body_query]
    if len(queries) > 1:
        raise BadRequest("more than one 'query' parameter")
    params = {key: values.getlist(key) for key in ("default-graph-uri", "named-graph-uri", "format")}
    for key in ("default-graph-uri", "named-graph-uri"):
        for value in params[key]:
            try:
                ox.NamedNode(value)
            except ValueError as exc:
                raise ParameterError(f"{key} must be an absolute IRI, not {value!r}: {exc}", key) from None
    return (queries[0] if queries else None), params


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    """Answer a query or carry out an update, or describe the service when there is neither."""
    if request.method == "POST" and (request.mimetype == UPDATE_BODY
                                     or (request.mimetype == FORM and "update" in request.form)):
        return update()
    query, params = protocol_parameters()
    format_name = (params["format"] or [None])[0]
    if format_name and format_name not in FORMAT_NAMES and format_name not in RESULT_FORMATS \
            and format_name not in GRAPH_FORMATS:
        raise ParameterError(f"unknown format {format_name!r}; use one of {', '.join(FORMAT_NAMES)}", "format")
    if query is None:
        if not format_name and request.method in ("GET", "HEAD") and _wants_editor():
            return editor()
        return describe(format_name)
    if not query.strip():
        raise BadRequest("the 'query' parameter is empty")
    check_nesting(query, "the query")
    engine = query_engine(query)
    result_types, graph_types = query_formats(format_name)
    has_dataset = bool(params["default-graph-uri"] or params["named-graph-uri"])
    # SPARQL 1.1 Query 4.1.1.1 / RFC 3986 5.1: without BASE, relative IRIs such as <x> resolve
    # against the IRI the query was sent to (issue 11), not fail as unresolvable.
    response, _ = answer(QueryRequest(
        query, result_types=result_types, graph_types=graph_types, base_iri=public_url("/sparql"),
        default_graphs=tuple(params["default-graph-uri"]) if has_dataset else None,
        named_graphs=tuple(params["named-graph-uri"]) if has_dataset else None, untrusted=True), engine)
    return response


def query_engine(query: str):
    """Where `query` runs (issue 10): the sandboxed workers, or the federation worker if the gate
    proves every SERVICE allow-listed. None means the app's (cached, sandboxed) engine.

    :raises ServiceNotAllowed: if the gate proves a SERVICE elsewhere, or in strict mode (no
        sandbox) when the text mentions SERVICE and the gate cannot prove it.
    """
    allowed = allowed_endpoints(current_app.config["FEDERATION_ENDPOINTS"])
    backend = get_backend()
    services = check_services(query, allowed)
    if services:
        return backend.federation
    if backend.sandbox is None and sandbox.text_may_fetch(query, sandbox.QUERY_WORDS):
        if services is None:
            raise ServiceNotAllowed(STRICT_REFUSAL.format(allowed=", ".join(allowed) or "none configured"))
        return backend.federation  # proven free of SERVICE clauses; only this worker takes such text
    return None


def _wants_editor() -> bool:
    """A browser asking for HTML gets the editor; RDF clients get the Service Description."""
    return request.accept_mimetypes.best_match(list(GRAPH_FORMATS) + ["text/html"]) == "text/html"


def editor():
    """The query editor (YASGUI from the npm registry, installed at setup) with the named queries."""
    backend, tab = get_backend(), request.args.get("tab")
    if tab is not None:
        named.get(backend.queries, tab)
    lang, _ = choose_language()
    queries = [{"name": q.name, "title": q.text_in(lang)[0], "text": q.text} for q in backend.queries.values()]
    roots = documents().roots
    config = {"endpoint": public_url("/sparql"), "queries": queries, "tab": tab, "roots": roots,
              "paths": {root: urlsplit(root).path for root in roots}}
    vendor = Path(current_app.static_folder, "vendor", "yasgui", "yasgui.min.js").is_file()
    return render("editor.html", queries=queries, endpoint=public_url("/sparql"), vendor=vendor,
                  config=Markup(json.dumps(config, ensure_ascii=False).replace("</", "<\\/")))


def update():
    """Carry out a SPARQL 1.1 Update (POST application/sparql-update, or a form with `update`)."""
    who = require_writer()
    if request.mimetype == UPDATE_BODY:
        values, texts = request.args, [request.get_data(as_text=True)]
    else:
        values = request.form
        texts = values.getlist("update")
        if "query" in values:
            raise BadRequest("send either 'query' or 'update', not both")
    if len(texts) != 1:
        raise BadRequest("more than one 'update' parameter")
    if values.getlist("using-graph-uri") or values.getlist("using-named-graph-uri"):
        raise BadRequest("using-graph-uri and using-named-graph-uri are not supported; "
                         "put USING and USING NAMED in the update itself")
    if not texts[0].strip():
        raise BadRequest("the update is empty")
    check_nesting(texts[0], "the update")
    return write_response(get_backend().writer.call("update", texts[0], who))


def describe(format_name: str | None):
    """The Service Description in the best RDF format the client accepts (Turtle by default)."""
    _, graph_types = query_formats(format_name)
    graph_types = tuple(t for t in graph_types if t in GRAPH_FORMATS) or ranked(GRAPH_FORMATS)
    media_type = graph_types[0] if graph_types else "text/turtle"
    graph = service_description(request.base_url)
    data = graph.serialize(format=_RDFLIB_NAMES.get(media_type, "turtle"), encoding="utf-8")
    response = Response(data, content_type=content_type(media_type))
    response.headers["Vary"] = "Accept"
    return response


_RDFLIB_NAMES = {
    "text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
    "application/rdf+xml": "xml", "application/n-quads": "nquads", "application/trig": "trig",
    "application/x-turtle": "turtle", "text/plain": "nt",
}
