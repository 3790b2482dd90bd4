"""Result formats: media types and names for SELECT/ASK results and for RDF graphs."""

from __future__ import annotations

import pyoxigraph as ox

# SELECT and ASK results. The first entry is the default when the client accepts anything.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
}

# CONSTRUCT and DESCRIBE results, dumps and resource data. Turtle is the default.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}

# Short names for the `format` parameter; a name may stand for one format of each kind.
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "ntriples": (None, "application/n-triples"),
    "nt": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"),
    "nquads": (None, "application/n-quads"),
    "trig": (None, "application/trig"),
}

# File extensions for resource data and dumps.
EXTENSIONS: dict[str, str] = {
    "ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml", "nq": "application/n-quads", "trig": "application/trig",
}

# Extensions of data documents (a thing's page as data, the catalogue, the ontology).
DATA_EXTENSIONS: dict[str, str] = {extension: EXTENSIONS[extension] for extension in ("ttl", "nt", "jsonld", "rdf")}

# Format names of SELECT/ASK results (URL suffixes of named queries, `kommunalgraph query --format`).
RESULT_NAMES: dict[str, str] = {name: result for name, (result, _) in FORMAT_NAMES.items() if result}

# rdflib serialisers for the RDF documents built with rdflib (catalogue, VoID, ontology).
RDFLIB_NAMES: dict[str, str] = {"text/turtle": "turtle", "application/n-triples": "nt",
                                "application/ld+json": "json-ld", "application/rdf+xml": "xml"}

# File types of the EU vocabulary (DCAT-AP distributions) for the dump formats.
EU_FILE_TYPES: dict[str, str] = {"text/turtle": "RDF_TURTLE", "application/n-triples": "RDF_N_TRIPLES",
                                 "application/ld+json": "JSON_LD", "application/n-quads": "RDF_N_QUADS"}

TEXT_TYPES = {"text/csv", "text/tab-separated-values", "text/turtle", "text/plain", "text/xml"}


def content_type(media_type: str) -> str:
    """The Content-Type header value, with charset for text types."""
    return f"{media_type}; charset=utf-8" if media_type in TEXT_TYPES else media_type


def rdf_format_for_path(name: str) -> ox.RdfFormat | None:
    """The RDF format a file name's extension stands for (ttl, nt, nq, trig, rdf, owl, jsonld…)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    extension = {"owl": "rdf", "xml": "rdf", "json": "jsonld", "n3": "ttl"}.get(extension, extension)
    return GRAPH_FORMATS.get(EXTENSIONS.get(extension, ""))
