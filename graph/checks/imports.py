"""The vocabularies the ontology builds on (PROV-O, ORG, FOAF, OWL-Time), for the OWL check.

They are not part of the project: unchanged copies live next to it in ../shared/ontologies
(see its README). The build's HermiT check imports them when they are there, so that the
ontology is checked against what those vocabularies really say (e.g. PROV-O's disjoint
prov:Entity and prov:Activity), and runs without them otherwise.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.settings import CHECKOUT

# File name → rdflib format, for each imported vocabulary.
VOCABULARIES = {"prov-o.ttl": "turtle", "org.ttl": "turtle", "foaf_0_1.rdf": "xml", "time.ttl": "turtle"}


def imports_dir() -> Path:
    """Where the unchanged copies are expected: ../shared/ontologies beside the project."""
    return CHECKOUT.parent / "shared" / "ontologies"


def load_imports(directory: Path | None = None) -> list[Graph] | None:
    """PROV-O, ORG, FOAF and OWL-Time, one graph each, or None if any of them is missing."""
    directory = directory or imports_dir()
    if not all((directory / name).is_file() for name in VOCABULARIES):
        return None
    return [Graph().parse(directory / name, format=fmt) for name, fmt in VOCABULARIES.items()]
