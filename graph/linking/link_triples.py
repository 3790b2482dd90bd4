"""The reviewed link file (data/links/wikidata.yaml) as owl:sameAs and skos:exactMatch triples."""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, Graph, URIRef
from rdflib.namespace import SKOS

from graph.errors import RecordError
from graph.iri import Minter
from graph.linking.link_file import read_link_file
from graph.ns import KGT, WD

LINK_FILE = "wikidata.yaml"


def link_subject(minter: Minter, kind: str, key: str) -> URIRef:
    """The IRI a link entry is about: topics live in the topic namespace, the rest under the base."""
    return KGT[key] if kind == "topic" else minter.thing(kind, key)


def load_links(links_dir: Path, minter: Minter) -> Graph:
    """Accepted links as triples: owl:sameAs for places and organisations, skos:exactMatch for topics.

    Review candidates are never asserted; only entries a steward (or the verified list, or a
    unique AGS or district-key hit) accepted are.

    :raises RecordError: if the link file is not valid YAML or an entry is malformed.
    """
    linkfile = read_link_file(links_dir / LINK_FILE)
    if linkfile.problems:
        raise RecordError(linkfile.problems)
    graph = Graph()
    for entry in linkfile.accepted():
        predicate = SKOS.exactMatch if entry["kind"] == "topic" else OWL.sameAs
        graph.add((link_subject(minter, entry["kind"], str(entry["key"])), predicate, WD[str(entry["wikidata"])]))
    return graph
