"""The reviewed link file (data/links/wikidata.yaml) as owl:sameAs and skos:exactMatch triples."""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, Graph, URIRef
from rdflib.namespace import SKOS
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from graph.errors import Problem, RecordError
from graph.iri import Minter
from graph.ns import KGT, WD

LINK_FILE = "wikidata.yaml"


def link_subject(minter: Minter, kind: str, key: str) -> URIRef:
    """The IRI a link entry is about: topics live in the topic namespace, the rest under the base."""
    return KGT[key] if kind == "topic" else minter.thing(kind, key)


def load_links(links_dir: Path, minter: Minter) -> Graph:
    """Accepted links as triples: owl:sameAs for places and organisations, skos:exactMatch for topics.

    :raises RecordError: if the link file is not valid YAML or an entry lacks kind, key or wikidata.
    """
    path = links_dir / LINK_FILE
    graph = Graph()
    if not path.exists():
        return graph
    try:
        data = YAML(typ="safe").load(path.read_text("utf-8")) or {}
    except (OSError, YAMLError) as exc:
        raise RecordError([Problem(f"Linkdatei nicht lesbar: {exc}", f"cannot read link file: {exc}",
                                   file=str(path))]) from None
    problems = []
    for i, entry in enumerate(data.get("links", [])):
        if not isinstance(entry, dict) or not {"kind", "key", "wikidata"} <= set(entry):
            problems.append(Problem("Eintrag braucht kind, key und wikidata", "entry needs kind, key and wikidata",
                                    file=str(path), field=f"links[{i}]"))
            continue
        if entry.get("decision", "accepted") != "accepted":
            continue
        predicate = SKOS.exactMatch if entry["kind"] == "topic" else OWL.sameAs
        graph.add((link_subject(minter, entry["kind"], str(entry["key"])), predicate, WD[str(entry["wikidata"])]))
    if problems:
        raise RecordError(problems)
    return graph
