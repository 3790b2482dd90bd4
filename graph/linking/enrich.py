"""Facts from Wikidata about linked items, kept apart in the named graph <{base}graph/wikidata>.

`kommunalgraph link wikidata --enrich` fetches coordinates (P625), the latest population
(P1082 with its date P585), official website (P856), GND ID (P227), the next-higher
administrative unit (P131) and the federal state for every accepted link, and writes them in
Wikidata's own vocabulary to data/links/wikidata-enrichment.ttl. `build` loads that file into
its own graph, with the endpoint as source and the retrieval time, and only for items that
are still linked.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from rdflib import RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from graph.errors import Problem, RecordError
from graph.ns import SCHEMA, WD
from graph.linking.wikidata import WikidataClient, qid

ENRICHMENT_FILE = "wikidata-enrichment.ttl"
WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
STATE_CLASS = "Q1221156"
# The graph's own description: where the facts come from and when they were fetched.
SOURCE = URIRef("urn:x-kommunalgraph:wikidata-enrichment")

FACTS_QUERY = """
SELECT ?item ?coordinates ?website ?gnd ?parent ?parentLabel ?state ?stateLabel WHERE {{
  VALUES ?item {{ {items} }}
  OPTIONAL {{ ?item wdt:P625 ?coordinates }}
  OPTIONAL {{ ?item wdt:P856 ?website }}
  OPTIONAL {{ ?item wdt:P227 ?gnd }}
  OPTIONAL {{ ?item wdt:P131 ?parent .
             OPTIONAL {{ ?parent rdfs:label ?parentLabel FILTER(LANG(?parentLabel) = "de") }} }}
  OPTIONAL {{ ?item wdt:P131+ ?state . ?state wdt:P31 wd:{state_class} .
             OPTIONAL {{ ?state rdfs:label ?stateLabel FILTER(LANG(?stateLabel) = "de") }} }}
}}"""
POPULATION_QUERY = """
SELECT ?item ?population ?date WHERE {{
  VALUES ?item {{ {items} }}
  ?item p:P1082 ?statement . ?statement ps:P1082 ?population .
  OPTIONAL {{ ?statement pq:P585 ?date }}
}}"""


def fetch_facts(client: WikidataClient, qids: list[str]) -> Graph:
    """The facts of `qids` as a graph, described by when and where they were fetched.

    :raises WikidataUnavailable: if the endpoint fails.
    """
    graph = Graph()
    for batch in client.batches(sorted(set(qids))):
        items = " ".join(f"wd:{q}" for q in batch)
        for row in client.select(FACTS_QUERY.format(items=items, state_class=STATE_CLASS), cells=True):
            item = WD[qid(row["item"]["value"])]
            for name, predicate in (("coordinates", WDT.P625), ("website", WDT.P856), ("gnd", WDT.P227)):
                if name in row:
                    graph.add((item, predicate, _term(row[name])))
            for name, predicate in (("parent", WDT.P131), ("state", SCHEMA.containedInPlace)):
                if name in row:
                    graph.add((item, predicate, _term(row[name])))
                    if f"{name}Label" in row:
                        graph.add((_term(row[name]), RDFS.label, _term(row[f"{name}Label"])))
        latest: dict[str, tuple[str, dict, dict | None]] = {}
        for row in client.select(POPULATION_QUERY.format(items=items), cells=True):
            date = row.get("date", {}).get("value", "")
            if row["item"]["value"] not in latest or date > latest[row["item"]["value"]][0]:
                latest[row["item"]["value"]] = (date, row["population"], row.get("date"))
        for iri, (_date, population, date) in latest.items():
            statement = BNode()
            graph.add((WD[qid(iri)], P.P1082, statement))
            graph.add((statement, PS.P1082, _term(population)))
            if date:
                graph.add((statement, PQ.P585, _term(date)))
    graph.add((SOURCE, DCTERMS.source, URIRef(client.settings.endpoint)))
    graph.add((SOURCE, PROV.generatedAtTime, Literal(datetime.datetime.now(datetime.timezone.utc)
                                                     .replace(microsecond=0), datatype=XSD.dateTime)))
    return graph


def _term(cell: dict):
    """An rdflib term from a SPARQL JSON cell."""
    if cell["type"] == "uri":
        return URIRef(cell["value"])
    if cell["type"] == "bnode":
        return BNode(cell["value"])
    if cell.get("xml:lang"):
        return Literal(cell["value"], lang=cell["xml:lang"])
    return Literal(cell["value"], datatype=URIRef(cell["datatype"]) if cell.get("datatype") else None)


def write_facts(graph: Graph, path: Path) -> None:
    """Write the facts as Turtle, atomically.

    :raises RecordError: if the file cannot be written.
    """
    graph.bind("wd", WD)
    graph.bind("wdt", WDT)
    graph.bind("p", P)
    graph.bind("ps", PS)
    graph.bind("pq", PQ)
    data = graph.serialize(format="turtle")
    try:
        handle, staged = tempfile.mkstemp(prefix=".enrichment-", suffix=".ttl", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("# Facts fetched from Wikidata by `kommunalgraph link wikidata --enrich`; do not edit.\n")
            out.write(data)
        os.replace(staged, path)
    except OSError as exc:
        raise RecordError([Problem(f"Datei nicht schreibbar: {exc.strerror}", f"cannot write: {exc.strerror}",
                                   file=str(path))]) from None


def load_facts(links_dir: Path, links: Graph, graph_iri: URIRef) -> Graph:
    """The fetched facts of items that `links` still links to, described as graph `graph_iri`.

    :raises RecordError: if the file is not valid Turtle.
    """
    path = links_dir / ENRICHMENT_FILE
    kept = Graph()
    if not path.exists():
        return kept
    try:
        facts = Graph().parse(path, format="turtle")
    except (SyntaxError, ValueError, OSError) as exc:  # rdflib's BadSyntax is a SyntaxError
        raise RecordError([Problem(f"Wikidata-Fakten nicht lesbar: {exc}", f"cannot read Wikidata facts: {exc}",
                                   file=str(path))]) from None
    linked = set(links.objects(None, OWL.sameAs)) | set(links.objects(None, SKOS.exactMatch))
    for item in linked:
        for _, predicate, value in facts.triples((item, None, None)):
            kept.add((item, predicate, value))
            kept += facts.triples((value, None, None))  # population statements, labels of places
    if len(kept):
        for _, predicate, value in facts.triples((SOURCE, None, None)):
            kept.add((graph_iri, predicate, value))
    return kept
