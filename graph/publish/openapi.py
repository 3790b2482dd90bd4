"""An OpenAPI 3.1 description of the named-query API, generated from the .rq headers."""

from __future__ import annotations

from typing import Iterable

from graph import __version__
from graph.sparql.paging import ALL, MAX_LIMIT, MAX_OFFSET, MAX_PAGE, PAGE_SIZE
from graph.sparql.named_queries import NamedQuery
from graph.publish.vocabulary import curie
from graph.search.openapi import SCHEMAS as SEARCH_SCHEMAS, search_path

PARAMETER_SCHEMAS = {
    "iri": {"type": "string"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
}
SELECT_TYPES = ("application/sparql-results+json", "text/csv", "text/tab-separated-values",
                "application/sparql-results+xml")
GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
_ERROR = {"$ref": "#/components/schemas/Error"}
_TERMS = {
    "Error": {"type": "object", "required": ["error", "status"],
              "properties": {"error": {"type": "string", "description": "What is wrong, in English."},
                             "status": {"type": "integer"}, "parameter": {"type": "string"},
                             "line": {"type": "integer"}, "column": {"type": "integer"}}},
    "IriTerm": {"type": "object", "required": ["type", "value"],
                "properties": {"type": {"const": "uri"}, "value": {"type": "string", "format": "iri"}}},
    "LiteralTerm": {"type": "object", "required": ["type", "value"],
                    "properties": {"type": {"const": "literal"}, "value": {"type": "string"},
                                   "datatype": {"type": "string", "format": "iri"},
                                   "xml:lang": {"type": "string"}}},
}


def _typed(kind: str, value: str):
    """A header value (always text) as the JSON type its parameter has."""
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return value.lower() in ("true", "1")
    return value


def _parameter(query: NamedQuery, parameter) -> dict:
    description = parameter.description
    if parameter.type == "iri":
        of = f" of class {curie(parameter.cls)}" if parameter.cls else ""
        description += f" An IRI, a CURIE, or the label or key of a resource{of}."
    spec = {"name": parameter.name, "in": "query", "required": parameter.required,
            "description": description.strip(), "schema": dict(PARAMETER_SCHEMAS[parameter.type])}
    if parameter.default is not None:
        spec["schema"]["default"] = _typed(parameter.type, parameter.default)
    if parameter.example is not None:
        spec["example"] = _typed(parameter.type, parameter.example)
    return spec


# Every named query takes these (graph/sparql/paging.py).
def _paging(query: NamedQuery) -> list[dict]:
    listed = query.pages is not None
    whole = "without them, the first page" if listed else "without them, all rows"
    page = (f"Page 1, 2, … of the list, about {PAGE_SIZE} rows each and fast at any size (the build numbers the "
            f"pages); the default is 1, 'all' gives the whole list. The Link header names the first, previous, next "
            f"and last page." if listed else
            f"Page 1, 2, … of {PAGE_SIZE} rows in the query's order, or 'all'. The Link header names the first, "
            f"previous and next page.")
    return [
        {"name": "limit", "in": "query", "required": False,
         "description": f"At most this many rows, in the query's order (not with page; {whole}).",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
        {"name": "offset", "in": "query", "required": False,
         "description": "Skip this many rows first (with limit: the rows of the next pages).",
         "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}},
        {"name": "page", "in": "query", "required": False, "description": page + " Not with limit and offset.",
         "schema": {"oneOf": [{"type": "integer", "minimum": 1, "maximum": MAX_PAGE, **({"default": 1} if listed else {})},
                              {"const": ALL}]}},
    ]


def _results_schema(query: NamedQuery) -> dict:
    """The SPARQL 1.1 JSON results shape with one property per declared column."""
    columns = {}
    for name, spec in query.columns.items():
        spec = spec or {}
        term = "IriTerm" if spec.get("type") == "iri" else "LiteralTerm"
        columns[name] = {"allOf": [{"$ref": f"#/components/schemas/{term}"}],
                         "description": f"{spec.get('description', '')} ({spec.get('type', 'string')})".strip()}
    return {"type": "object", "required": ["head", "results"], "properties": {
        "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"enum": list(query.columns)}}}},
        "results": {"type": "object", "properties": {"bindings": {"type": "array", "items": {
            "type": "object", "properties": columns, "additionalProperties": False}}}}}}


def _operation(query: NamedQuery) -> dict:
    if query.form == "select":
        content = {SELECT_TYPES[0]: {"schema": {"$ref": f"#/components/schemas/{query.name}-results"}}}
        content.update({t: {"schema": {"type": "string", "description": "Columns: " + ", ".join(query.columns)}}
                        for t in SELECT_TYPES[1:]})
    elif query.form == "ask":
        content = {SELECT_TYPES[0]: {"schema": {"type": "object", "properties": {"boolean": {"type": "boolean"}}}}}
    else:
        content = {t: {"schema": {"type": "string"}} for t in GRAPH_TYPES}
    return {"get": {
        "operationId": query.name.replace("-", "_"), "summary": query.title, "description": query.description,
        "tags": ["named queries"], "parameters": [*(_parameter(query, p) for p in query.parameters.values()), *_paging(query)],
        "responses": {
            "200": {"description": "The result; choose the format with Accept or a suffix (.json, .csv, .tsv, .xml).",
                    "headers": {"Link": {"description": "On a page: the first, previous, next and (where known) last "
                                                        "page (RFC 8288 rel first, prev, next, last).",
                                         "schema": {"type": "string"}}},
                    "content": content},
            "400": {"description": "A parameter (limit and offset included) is unknown, missing or malformed.",
                    "content": {"application/json": {"schema": _ERROR}}},
            "422": {"description": "The result is larger than the server's cap: ask for pages with page, or limit and offset.",
                    "content": {"application/json": {"schema": _ERROR}}},
            "406": {"description": "No result format fits the Accept header.",
                    "content": {"application/json": {"schema": _ERROR}}},
            "503": {"description": "The query ran too long or the engine is busy; retry later.",
                    "content": {"application/json": {"schema": _ERROR}}}}}}


def openapi(queries: Iterable[NamedQuery], server_url: str) -> dict:
    """The OpenAPI 3.1 document for `/api/queries` and every named query."""
    queries = list(queries)
    schemas = dict(_TERMS)
    paths = {"/api/queries": {"get": {
        "operationId": "list_queries", "summary": "The named queries with their parameters and columns",
        "tags": ["named queries"],
        "responses": {"200": {"description": "One entry per named query.",
                              "content": {"application/json": {"schema": {"type": "array", "items": {
                                  "type": "object", "required": ["name", "title", "url"]}}}}}}}}}
    paths["/api/search"] = search_path()  # issue 14
    schemas.update(SEARCH_SCHEMAS)
    for query in queries:
        paths[f"/api/queries/{query.name}"] = _operation(query)
        if query.form == "select":
            schemas[f"{query.name}-results"] = _results_schema(query)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kommunalgraph: named queries", "version": __version__,
                 "description": "Named SPARQL queries over the Kommunalgraph as a REST API. Each query is a "
                                "file queries/<name>.rq; its header declares the parameters and columns.",
                 "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"}},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
