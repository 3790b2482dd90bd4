"""What the search index holds: one document per findable resource, read from a store version.

A document has a kind (the facet "type"), labels, other text (titles, names, descriptions,
definitions, topic labels) and its facets: federal state (key), year and topics (notation).
Everything is read from the default graph, so inferences (a workshop's state through its
municipality) count as the pages show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import pyoxigraph as ox

from graph.ns import KG

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# Kinds by priority: a resource is of the first kind whose class it has (a workshop is also an event).
KINDS = {name: KG._NS + name for name in (
    "Workshop", "Talk", "Event", "Municipality", "District", "FederalState", "Region", "MunicipalGroup",
    "Organisation", "Person", "Strategy", "Outcome")}
KINDS["Topic"] = SKOS + "Concept"
KINDS["Report"] = KG._NS + "Report"
# Literal properties by where their text goes: labels rank highest, then other names, then text.
LABELS = (RDFS_LABEL, SKOS + "prefLabel")
NAMES = (SKOS + "altLabel", SKOS + "hiddenLabel", "http://xmlns.com/foaf/0.1/name", "https://schema.org/name",
         KG._NS + "title")
TEXTS = ("http://purl.org/dc/terms/description", SKOS + "definition", KG._NS + "roleName")

_PREFIXES = f"PREFIX kg: <{KG._NS}> PREFIX skos: <{SKOS}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
_KINDS_QUERY = _PREFIXES + "SELECT ?s ?class WHERE { VALUES ?class { %s } ?s a ?class }" % " ".join(
    f"<{c}>" for c in dict.fromkeys(KINDS.values()))
_TEXT_QUERY = _PREFIXES + "SELECT ?s ?p ?o WHERE { VALUES ?p { %s } ?s ?p ?o FILTER(isLiteral(?o)) }" % " ".join(
    f"<{p}>" for p in LABELS + NAMES + TEXTS)
_TOPIC_QUERY = _PREFIXES + """SELECT ?s ?topic ?notation ?label WHERE {
  ?s kg:topic ?topic . ?topic skos:notation ?notation .
  OPTIONAL { ?topic skos:prefLabel ?label FILTER(lang(?label) = "de") } }"""
_STATE_QUERY = _PREFIXES + """SELECT DISTINCT ?s ?key WHERE {
  ?s (kg:location|kg:seat|kg:affiliation/kg:seat)?/(kg:inState|kg:withinArea|kg:locatedIn) ?state .
  ?state a kg:FederalState ; kg:stateKey ?key }"""
_OWN_STATE_QUERY = _PREFIXES + "SELECT ?s ?key ?label WHERE { ?s a kg:FederalState ; kg:stateKey ?key ; rdfs:label ?label }"
_YEAR_QUERY = _PREFIXES + "SELECT ?s ?year WHERE { ?s kg:year ?year }"


@dataclass
class Document:
    """One findable resource."""

    iri: str
    kind: str
    labels: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    states: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The name to show: the first label, else the first other name, else the IRI."""
        return (self.labels or self.names or [self.iri])[0]


def read_documents(store: ox.Store) -> tuple[dict[str, Document], dict[str, dict[str, str]]]:
    """All documents of a store version, and the labels of facet values ({facet: {value: label}})."""
    order = {iri: i for i, iri in enumerate(dict.fromkeys(KINDS.values()))}
    kind_of = {iri: name for name, iri in reversed(list(KINDS.items()))}
    docs: dict[str, Document] = {}
    for s, cls in _rows(store, _KINDS_QUERY):
        if not isinstance(s, ox.NamedNode):
            continue
        kind = kind_of[cls.value]
        doc = docs.get(s.value)
        if doc is None:
            docs[s.value] = Document(s.value, kind)
        elif order[KINDS[kind]] < order[KINDS[doc.kind]]:
            doc.kind = kind
    facet_labels: dict[str, dict[str, str]] = {"type": {k: k for k in KINDS}, "state": {}, "topic": {}, "year": {}}
    for s, p, o in _rows(store, _TEXT_QUERY):
        doc = docs.get(s.value)
        if doc is None:
            continue
        bucket = doc.labels if p.value in LABELS else doc.names if p.value in NAMES else doc.texts
        if o.value not in bucket:
            # German labels first: they are the ones shown.
            bucket.insert(0, o.value) if getattr(o, "language", None) == "de" and bucket is doc.labels else \
                bucket.append(o.value)
    for s, topic, notation, label in _rows(store, _TOPIC_QUERY):
        doc = docs.get(s.value)
        if doc is not None:
            doc.topics.add(notation.value)
            if label is not None:
                facet_labels["topic"][notation.value] = label.value
                if label.value not in doc.texts:
                    doc.texts.append(label.value)
    for s, key in _rows(store, _STATE_QUERY):
        if s.value in docs:
            docs[s.value].states.add(key.value)
    for s, key, label in _rows(store, _OWN_STATE_QUERY):
        if s.value in docs:
            docs[s.value].states.add(key.value)
        facet_labels["state"][key.value] = label.value
    for s, year in _rows(store, _YEAR_QUERY):
        if s.value in docs and year.value.isdigit():
            docs[s.value].years.add(int(year.value))
    return docs, facet_labels


def _rows(store: ox.Store, query: str) -> Iterator[tuple]:
    for solution in store.query(query):
        yield tuple(solution)
