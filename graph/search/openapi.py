"""The OpenAPI 3.1 description of `/api/search` (merged into graph/publish/openapi.py's document)."""

from __future__ import annotations

from graph.search.documents import KINDS
from graph.search.query import FACETS, MAX_LIMIT, MAX_QUERY_CHARS

_ERROR = {"$ref": "#/components/schemas/Error"}
_FACET_DESCRIPTIONS = {
    "type": "Only resources of this kind.",
    "state": "Only resources in this federal state (two-digit state key, e.g. 08 for Baden-Württemberg).",
    "year": "Only events of this year.",
    "topic": "Only resources on this topic (its notation, e.g. lorawan).",
}
SCHEMAS = {
    "SearchResult": {"type": "object", "required": ["query", "total", "hits", "facets"], "properties": {
        "query": {"type": "string"}, "total": {"type": "integer", "description": "Hits in all pages."},
        "version": {"type": "string", "description": "The store version searched."},
        "hits": {"type": "array", "items": {"type": "object", "required": ["iri", "type", "label"], "properties": {
            "iri": {"type": "string", "format": "iri"}, "type": {"enum": list(KINDS)},
            "label": {"type": "string"}, "detail": {"type": "string"},
            "score": {"type": "number", "description": "bm25 relevance (higher is better)."}}}},
        "facets": {"type": "object", "description": "Counts over all hits, by facet and value.",
                   "properties": {facet: {"type": "array", "items": {"type": "object", "properties": {
                       "value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}}}}
                       for facet in FACETS}}}},
}


def search_path() -> dict:
    """The path item of `/api/search`."""
    parameters = [
        {"name": "q", "in": "query", "required": True, "example": "Schönborn",
         "description": "Words to find in labels, titles, names, topics and descriptions. Umlauts and ß may be "
                        "written as ae/a and ss, inflected forms and compound parts match, the last word is a "
                        "prefix.", "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS}},
        {"name": "limit", "in": "query", "description": "Hits per page.",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 20}},
        {"name": "offset", "in": "query", "description": "Hits to skip.",
         "schema": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 0}},
    ]
    parameters += [{"name": facet, "in": "query", "description": _FACET_DESCRIPTIONS[facet],
                    "schema": {"enum": list(KINDS)} if facet == "type" else {"type": "string"}}
                   for facet in FACETS]
    return {"get": {
        "operationId": "search", "summary": "Full-text search with facets", "tags": ["search"],
        "parameters": parameters,
        "responses": {
            "200": {"description": "Ranked hits of one page and the facet counts of all hits.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}},
            "400": {"description": "'q' is missing, empty, too long or has no words; a facet value or the page "
                                   "is malformed.", "content": {"application/json": {"schema": _ERROR}}},
            "503": {"description": "The store has no published version yet.",
                    "content": {"application/json": {"schema": _ERROR}}}}}}
