"""Answers of a remote SPARQL store, re-serialised by Oxigraph in the format our endpoint promises.

A remote store is asked for a format every SPARQL 1.1 store can give (results as JSON or
XML, graphs as N-Triples, Turtle or RDF/XML). Its answer is parsed and written again by
pyoxigraph, so the client gets exactly the formats and the serialisation of the embedded
back end (CSV, TSV, JSON-LD, N-Quads and TriG included), whatever the store produced.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from graph.store.engine import _CappedBuffer
from graph.errors import EvaluationError
from graph.formats import GRAPH_FORMATS, RESULT_FORMATS

# What we ask the remote store for, best first.
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_XML_BNODE = re.compile(rb"<bnode>([^<]*)</bnode>")


def reserialise_results(body: bytes, remote_type: str, media_type: str, limit: int | None) -> bytes:
    """SELECT/ASK results the store sent as `remote_type`, written as `media_type`.

    :raises EvaluationError: if the store's answer is not valid SPARQL results.
    :raises ResultTooLarge: if the output passes `limit` bytes.
    """
    remote_format = ox.QueryResultsFormat.from_media_type(remote_type) if remote_type else None
    if remote_format not in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML):
        raise EvaluationError(f"the remote store answered in {remote_type or 'no declared type'}, "
                              "not in SPARQL results JSON or XML")
    body = valid_blank_nodes(body, remote_format)
    try:
        parsed = ox.parse_query_results(body, format=remote_format)
        sink = _CappedBuffer(limit)
        parsed.serialize(sink, format=RESULT_FORMATS[media_type])
    except SyntaxError as exc:
        raise EvaluationError(f"the remote store sent results that do not parse: {exc}") from None
    return b"".join(sink.parts)


def reserialise_graph(body: bytes, remote_type: str, media_type: str, limit: int | None) -> bytes:
    """A CONSTRUCT/DESCRIBE graph the store sent as `remote_type`, written as `media_type`.

    :raises EvaluationError: if the store's answer is not RDF we can read.
    :raises ResultTooLarge: if the output passes `limit` bytes.
    """
    remote_format = GRAPH_FORMATS.get(remote_type)
    if remote_format is None:
        raise EvaluationError(f"the remote store answered in {remote_type or 'no declared type'}, not in an RDF "
                              "format we read")
    try:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=remote_format)]
        sink = _CappedBuffer(limit)
        ox.serialize(triples, sink, format=GRAPH_FORMATS[media_type])
    except SyntaxError as exc:
        raise EvaluationError(f"the remote store sent RDF that does not parse: {exc}") from None
    return b"".join(sink.parts)


def valid_blank_nodes(body: bytes, remote_format) -> bytes:
    """Blank node labels as RDF allows them: Virtuoso writes `nodeID://b10001`, which no
    RDF syntax accepts. Labels only need to be consistent within one answer."""
    labels: dict[str, str] = {}

    def label(value: str) -> str:
        return labels.setdefault(value, f"b{len(labels)}")

    if remote_format == ox.QueryResultsFormat.XML:
        if b"<bnode>" not in body:
            return body
        return _XML_BNODE.sub(lambda m: b"<bnode>" + label(m.group(1).decode()).encode() + b"</bnode>", body)
    if b'"bnode"' not in body:
        return body
    try:
        data = json.loads(body)
        for row in data.get("results", {}).get("bindings", []):
            for term in row.values():
                if term.get("type") == "bnode":
                    term["value"] = label(term["value"])
    except (ValueError, AttributeError):
        return body  # let the parser report what is wrong
    return json.dumps(data).encode("utf-8")
