"""What a resource page shows, read through the query engine: labels, types, properties,
incoming links, sections per kind of thing (a municipality's workshops …) and sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from graph.store.engine import QueryRequest, QueryResult
from graph.errors import UnknownResource
from graph.ns import KG, PREFIXES, WD
from graph.sparql.named_queries import NamedQuery, bind, query_text
from graph.store.interface import Execute
from graph.sparql import results

RDF_TYPE = PREFIXES["rdf"] + "type"
SAME_AS = (PREFIXES["owl"] + "sameAs", PREFIXES["skos"] + "exactMatch")
LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel")
MAX_ROWS = 3000

_PREFIX = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

# Every query binds ?thing (and projects it: Oxigraph substitutes projected variables only).
_OUTGOING = _PREFIX + """
SELECT ?thing ?p ?o ?label ?asserted WHERE {
  ?thing ?p ?o .
  OPTIONAL { ?o rdfs:label|skos:prefLabel ?label }
  BIND (EXISTS { GRAPH ?g { ?thing ?p ?o } } AS ?asserted)
} LIMIT %d""" % MAX_ROWS
# Evidence (Web Annotations) points to what it is about; pages show it under "Quelle" instead.
_INCOMING = _PREFIX + """
SELECT ?thing ?s ?p ?label ?asserted WHERE {
  ?s ?p ?thing .
  FILTER (isIRI(?s) && ?p != <http://www.w3.org/ns/oa#hasBody>)
  OPTIONAL { ?s rdfs:label|skos:prefLabel ?label }
  BIND (EXISTS { GRAPH ?g { ?s ?p ?thing } } AS ?asserted)
} LIMIT %d""" % MAX_ROWS
_GRAPH_SIZE = "SELECT ?thing (COUNT(*) AS ?triples) WHERE { GRAPH ?thing { ?s ?p ?o } } GROUP BY ?thing"
_TERM_LABELS = _PREFIX + """
SELECT ?term ?label WHERE { GRAPH <https://w3id.org/kommunalgraph/ontology> { ?term rdfs:label|skos:prefLabel ?label } }"""
_LABELS = _PREFIX + "SELECT ?thing ?label WHERE { ?thing rdfs:label|skos:prefLabel ?label }"

# Sections by class: the lists a person looks for on such a page, beyond the raw properties.
_EVENTS_OF_PLACE = _PREFIX + """
SELECT DISTINCT ?thing ?item ?label ?date WHERE {
  ?item a kg:Event ; kg:location|kg:participant|kg:withinArea|kg:region ?thing .
  FILTER NOT EXISTS { ?item a kg:Talk }
  OPTIONAL { ?item rdfs:label ?label }
  OPTIONAL { ?item kg:date ?date }
} ORDER BY DESC(STR(?date)) LIMIT 1000"""
_TALKS_OF_EVENT = _PREFIX + """
SELECT ?thing ?item ?label ?person ?personLabel WHERE {
  ?thing kg:hasTalk ?item .
  OPTIONAL { ?item rdfs:label ?label }
  OPTIONAL { ?item kg:speaker ?person . ?person rdfs:label ?personLabel }
} ORDER BY ?item"""
_TOPICS_OF_EVENT = _PREFIX + """
SELECT ?thing ?item ?label WHERE { ?thing kg:topic ?item . OPTIONAL { ?item skos:prefLabel ?label } }"""
_EVENTS_OF_TOPIC = _PREFIX + """
SELECT DISTINCT ?thing ?item ?label ?date WHERE {
  ?item a kg:Event ; kg:topic/skos:broader* ?thing .
  FILTER NOT EXISTS { ?item a kg:Talk }
  OPTIONAL { ?item rdfs:label ?label }
  OPTIONAL { ?item kg:date ?date }
} ORDER BY DESC(STR(?date)) LIMIT 1000"""
_PLACES_OF_TOPIC = _PREFIX + """
SELECT DISTINCT ?thing ?item ?label WHERE {
  ?event a kg:Event ; kg:topic/skos:broader* ?thing ; kg:location ?item .
  OPTIONAL { ?item rdfs:label ?label }
} LIMIT 1000"""
SECTIONS = {
    str(KG.Place): [("events", _EVENTS_OF_PLACE)],
    str(KG.Event): [("talks", _TALKS_OF_EVENT), ("topics", _TOPICS_OF_EVENT)],
    PREFIXES["skos"] + "Concept": [("events", _EVENTS_OF_TOPIC), ("places", _PLACES_OF_TOPIC)],
}


@dataclass
class Term:
    """An IRI or literal with its labels by language ('' for none)."""

    value: str
    is_iri: bool = True
    labels: dict[str, str] = field(default_factory=dict)
    datatype: str | None = None
    lang: str | None = None
    asserted: bool = True

    def label(self, lang: str) -> str:
        """The label in `lang`, else German, untagged, English, any; else the value itself."""
        for key in (lang, "de", "", "en"):
            if self.labels.get(key):
                return self.labels[key]
        return next(iter(self.labels.values()), None) or self.value


@dataclass
class Item:
    """One entry of a section: a linked resource with a date or people, if any."""

    term: Term
    date: str | None = None
    people: list[Term] = field(default_factory=list)


@dataclass
class Description:
    """Everything a page says about one resource."""

    iri: str
    labels: dict[str, str]
    types: list[Term]
    properties: list[tuple[Term, list[Term]]]
    incoming: list[tuple[Term, list[Term]]]
    sections: dict[str, list[Item]]
    wikidata: list[str]
    graph_triples: int | None = None
    truncated: bool = False

    def label(self, lang: str) -> str:
        """The resource's label in `lang` (see Term.label)."""
        return Term(self.iri, labels=self.labels).label(lang)


def select(execute: Execute, query: str, iri: str | None = None) -> list[dict]:
    """Rows of a SELECT query run by the engine, with ?thing bound to `iri`."""
    substitutions = (("thing", ("iri", iri)),) if iri else ()
    body = execute(QueryRequest(query, substitutions=substitutions)).body
    return results.bindings(body)


def term_labels(execute: Execute) -> dict[str, dict[str, str]]:
    """Labels of the ontology's and topic scheme's terms (cache per store version)."""
    labels: dict[str, dict[str, str]] = {}
    for row in select(execute, _TERM_LABELS):
        labels.setdefault(row["term"]["value"], {})[row["label"].get("xml:lang", "")] = row["label"]["value"]
    return labels


def labels_of(execute: Execute, iri: str) -> dict[str, str]:
    """The labels of one resource by language."""
    return {row["label"].get("xml:lang", ""): row["label"]["value"] for row in select(execute, _LABELS, iri)}


def _term(binding: dict, known: dict[str, dict[str, str]]) -> Term:
    if binding["type"] == "uri":
        return Term(binding["value"], True, dict(known.get(binding["value"], {})))
    return Term(binding["value"], False, datatype=binding.get("datatype"), lang=binding.get("xml:lang"))


def _grouped(rows: list[dict], key: str, other: str, known) -> list[tuple[Term, list[Term]]]:
    """Rows (predicate, value, label, asserted) grouped by predicate; values keep all their labels."""
    groups: dict[str, dict[tuple, Term]] = {}
    for row in rows:
        values = groups.setdefault(row[key]["value"], {})
        ident = (row[other]["type"], row[other]["value"], row[other].get("datatype"), row[other].get("xml:lang"))
        term = values.get(ident) or values.setdefault(ident, _term(row[other], known))
        term.asserted = row["asserted"]["value"] == "true"
        if "label" in row:
            term.labels.setdefault(row["label"].get("xml:lang", ""), row["label"]["value"])
    return [(Term(p, labels=dict(known.get(p, {}))), list(values.values())) for p, values in groups.items()]


def _order(predicate: Term) -> tuple:
    """Type first, then labels, then our ontology's properties, then the aligned vocabularies."""
    iri = predicate.value
    return (iri != RDF_TYPE, iri not in LABELS, not iri.startswith(str(KG._NS)), iri)


def describe(execute: Execute, iri: str, known: dict[str, dict[str, str]]) -> Description:
    """The description of `iri` from the default graph.

    :raises UnknownResource: if the store says nothing about it (and it is no named graph).
    """
    outgoing, incoming = select(execute, _OUTGOING, iri), select(execute, _INCOMING, iri)
    graph_rows = [] if outgoing or incoming else select(execute, _GRAPH_SIZE, iri)
    if not outgoing and not incoming and not graph_rows:
        raise UnknownResource(f"nothing is known about <{iri}>")
    properties = sorted(_grouped(outgoing, "p", "o", known), key=lambda group: _order(group[0]))
    types = next((values for p, values in properties if p.value == RDF_TYPE), [])
    labels = {}
    for predicate, values in properties:
        if predicate.value in LABELS:
            for value in values:
                labels.setdefault(value.lang or "", value.value)
    wikidata = sorted({v.value for p, vs in properties if p.value in SAME_AS for v in vs if v.value.startswith(str(WD))})
    sections = {}
    for cls, queries in SECTIONS.items():
        if any(t.value == cls for t in types):
            for name, query in queries:
                sections[name] = _items(select(execute, query, iri), known)
    return Description(iri, labels, sorted(types, key=lambda t: (not t.asserted, t.value)), properties,
                       sorted(_grouped(incoming, "p", "s", known), key=lambda group: _order(group[0])),
                       sections, wikidata,
                       int(graph_rows[0]["triples"]["value"]) if graph_rows else None,
                       len(outgoing) >= MAX_ROWS or len(incoming) >= MAX_ROWS)


def _items(rows: list[dict], known) -> list[Item]:
    """Section rows grouped by ?item, keeping their order."""
    items: dict[str, Item] = {}
    for row in rows:
        item = items.get(row["item"]["value"])
        if item is None:
            item = items[row["item"]["value"]] = Item(_term(row["item"], known),
                                                     row["date"]["value"] if "date" in row else None)
        if "label" in row:
            item.term.labels.setdefault(row["label"].get("xml:lang", ""), row["label"]["value"])
        if "person" in row and all(p.value != row["person"]["value"] for p in item.people):
            person = _term(row["person"], known)
            if "personLabel" in row:
                person.labels[""] = row["personLabel"]["value"]
            item.people.append(person)
    return list(items.values())


def schema_org(description: Description, page_url: str) -> dict:
    """A schema.org JSON-LD object for the page: the resource's schema: types and properties."""
    schema = PREFIXES["schema"]
    node: dict = {"@context": {"@vocab": schema}, "@id": description.iri, "url": page_url}
    types = [t.value[len(schema):] for t in description.types if t.value.startswith(schema)]
    if types:
        node["@type"] = types if len(types) > 1 else types[0]
    for predicate, values in description.properties:
        if predicate.value.startswith(schema) and predicate.value != schema + "url":
            node[predicate.value[len(schema):]] = [_jsonld_value(v) for v in values]
    if description.wikidata:
        node["sameAs"] = description.wikidata
    return node


def _jsonld_value(term: Term):
    if term.is_iri:
        return {"@id": term.value}
    if term.lang:
        return {"@value": term.value, "@language": term.lang}
    if term.datatype and not term.datatype.endswith("#string"):
        return {"@value": term.value, "@type": term.datatype}
    return term.value


# A thing's data: what it says, what points to it, and, for a named graph's IRI, its content.
_DATA = """
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?thing ?p ?o BIND (?thing AS ?s) }
  UNION { ?s ?p ?thing FILTER (isIRI(?s)) BIND (?thing AS ?o) }
  UNION { GRAPH ?thing { ?s ?p ?o } }
}"""


def resource_data(execute: Execute, iri: str, media_type: str) -> QueryResult:
    """The triples about `iri` (outgoing and incoming, or a named graph's content), serialised."""
    return execute(QueryRequest(_DATA, graph_types=(media_type,), substitutions=(("thing", ("iri", iri)),)))


def sources(execute: Execute, queries: Mapping[str, NamedQuery], iri: str) -> list[dict[str, str]]:
    """Where the facts about `iri` come from, from the named query 'provenance' (columns
    resource, field, value, sentence, start, end, confidence, report); none without it."""
    query = queries.get("provenance")
    if query is None:
        return []
    substitutions = bind(query, {"resource": iri}, execute)
    body = execute(QueryRequest(query_text(query, substitutions), substitutions=substitutions)).body
    return results.rows(body)


_EXISTS = "ASK { { ?thing ?p ?o } UNION { ?s ?p ?thing } UNION { GRAPH ?thing { ?s ?p ?o } } }"


def exists(execute: Execute, iri: str) -> bool:
    """Whether the store says anything about `iri` (as subject, object or named graph)."""
    body = execute(QueryRequest(_EXISTS, substitutions=(("thing", ("iri", iri)),))).body
    return results.boolean(body)


_REPLACED = _PREFIX + """
SELECT ?thing ?new WHERE { ?thing dcterms:isReplacedBy ?new FILTER NOT EXISTS { ?thing rdfs:label ?any } } LIMIT 1"""


def replacement(execute: Execute, iri: str) -> str | None:
    """The IRI that replaced `iri` (an IRI minted before issue 16, e.g. from an event's full date), if any.

    The build writes `old dcterms:isReplacedBy new` into the report graphs: that is the redirect table.
    """
    rows = select(execute, _REPLACED, iri)
    return rows[0]["new"]["value"] if rows else None
