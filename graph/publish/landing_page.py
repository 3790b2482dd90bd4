"""What the landing page shows: counts per class, workshops by year and state, topic frequencies."""

from __future__ import annotations


from graph.store.engine import QueryRequest
from graph.ns import KG, PREFIXES
from graph.publish.void import rows
from graph.store.interface import Execute
from graph.sparql import results

# The classes a visitor cares about, in the order the page lists them.
CLASSES = [str(KG[name]) for name in ("Municipality", "Workshop", "Talk", "Person", "Organisation", "Strategy",
                                      "Outcome", "Report")] + [PREFIXES["skos"] + "Concept"]

_PREFIX = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
_COUNTS = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
_WORKSHOPS = _PREFIX + """
SELECT ?workshop ?title ?date ?year ?place ?placeLabel ?state ?stateLabel WHERE {
  ?workshop a kg:Workshop ; kg:title ?title .
  OPTIONAL { ?workshop kg:date ?date }
  OPTIONAL { ?workshop kg:year ?year }
  OPTIONAL { ?workshop kg:location ?place . ?place rdfs:label ?placeLabel }
  OPTIONAL { ?workshop kg:withinArea ?state . ?state a kg:FederalState ; rdfs:label ?stateLabel }
} ORDER BY ?date ?title"""
_TOPICS = _PREFIX + """
SELECT ?iri ?label ?lang (COUNT(DISTINCT ?workshop) AS ?count) WHERE {
  ?workshop a kg:Workshop ; kg:topic/skos:broader* ?iri .
  ?iri skos:prefLabel ?label .
  FILTER (LANG(?label) = ?lang)
} GROUP BY ?iri ?label ?lang ORDER BY DESC(?count) ?label"""


def class_counts(execute: Execute) -> list[tuple[str, int]]:
    """(class IRI, number of instances) for CLASSES."""
    counts = {r["class"]: int(r["n"]) for r in rows(execute, _COUNTS)}
    return [(cls, counts.get(cls, 0)) for cls in CLASSES]


def workshops(execute: Execute) -> list[dict]:
    """Every workshop with title, date, year, place and federal state (one row each)."""
    seen: dict[str, dict] = {}
    for row in rows(execute, _WORKSHOPS):
        seen.setdefault(row["workshop"], row)
    return list(seen.values())


def topic_counts(execute: Execute, lang: str) -> list[dict]:
    """Topics with the number of workshops that have them or a narrower one, most frequent first."""
    body = execute(QueryRequest(_TOPICS, substitutions=(("lang", ("literal", lang, None, None)),))).body
    return [{"iri": r["iri"]["value"], "label": r["label"]["value"], "count": int(r["count"]["value"])}
            for r in results.bindings(body)]


_CONCEPTS = _PREFIX + """
SELECT ?thing ?concept ?label ?broader WHERE {
  ?concept skos:inScheme ?thing ; skos:prefLabel ?label .
  OPTIONAL { ?concept skos:broader ?broader . ?broader skos:inScheme ?thing }
} ORDER BY ?label"""


def concept_tree(execute: Execute, scheme: str, lang: str) -> list[tuple[dict, list]]:
    """The concepts of a SKOS scheme as a tree [(concept, children)], each level sorted by label;
    a concept with several broader concepts appears under each of them."""
    body = execute(QueryRequest(_CONCEPTS, substitutions=(("thing", ("iri", scheme)),))).body
    labels: dict[str, dict[str, str]] = {}
    broader: dict[str, set[str]] = {}
    for row in results.bindings(body):
        concept = row["concept"]["value"]
        labels.setdefault(concept, {})[row["label"].get("xml:lang", "")] = row["label"]["value"]
        broader.setdefault(concept, set())
        if "broader" in row:
            broader[concept].add(row["broader"]["value"])

    def label(concept: str) -> str:
        return labels[concept].get(lang) or labels[concept].get("de") or next(iter(labels[concept].values()))

    def children(parent: str | None, path: frozenset) -> list[tuple[dict, list]]:
        found = [c for c, ups in broader.items() if (parent in ups if parent else not ups) and c not in path]
        return [({"iri": c, "label": label(c)}, children(c, path | {c})) for c in sorted(found, key=label)]

    return children(None, frozenset())
