"""A VoID description of the dataset with statistics from the store (https://www.w3.org/TR/void/)."""

from __future__ import annotations


from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF

from graph.store.engine import QueryRequest
from graph.ns import ONTOLOGY_IRI, SCHEMA
from graph.publish.publication import Publication
from graph.store.interface import Execute
from graph.sparql import results

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

_TOTALS = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
  (COUNT(DISTINCT ?p) AS ?properties) WHERE { ?s ?p ?o }"""
_ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s ?p ?o FILTER (isIRI(?s)) }"
_CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class"
_PROPERTIES = "SELECT ?property (COUNT(*) AS ?n) WHERE { ?s ?property ?o } GROUP BY ?property ORDER BY ?property"
_GRAPHS = "SELECT ?graph (COUNT(*) AS ?n) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph"
_EXAMPLE = """PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>
SELECT ?s WHERE { ?s a kg:Workshop } ORDER BY ?s LIMIT 1"""


def rows(execute: Execute, query: str) -> list[dict]:
    """Rows of a SELECT query run by the engine, as {variable: value}."""
    return results.rows(execute(QueryRequest(query)).body)


def statistics(execute: Execute) -> dict:
    """Counts of the default graph: totals, per class, per property, per named graph."""
    stats = rows(execute, _TOTALS)[0] | rows(execute, _ENTITIES)[0]
    stats = {k: int(v) for k, v in stats.items()}
    stats["classes"] = {r["class"]: int(r["n"]) for r in rows(execute, _CLASSES)}
    stats["by_property"] = {r["property"]: int(r["n"]) for r in rows(execute, _PROPERTIES)}
    stats["graphs"] = {r["graph"]: int(r["n"]) for r in rows(execute, _GRAPHS)}
    stats["example"] = [r["s"] for r in rows(execute, _EXAMPLE)]
    return stats


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def void_graph(stats: dict, publication: Publication) -> Graph:
    """The VoID description of the dataset `{base}dataset` with `stats` from statistics()."""
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    dataset = URIRef(publication.iri("dataset"))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("Kommunalgraph", lang="de")))
    graph.add((dataset, DCTERMS.description, Literal(
        "Workshops der kommunalen Digitalisierung: Kommunen, Vortragende, Themen, Strategien.", lang="de")))
    graph.add((dataset, DCTERMS.license, URIRef(publication.license)))
    graph.add((dataset, FOAF.homepage, URIRef(publication.url("/"))))
    if publication.modified:
        graph.add((dataset, DCTERMS.modified, Literal(publication.modified.isoformat(), datatype=XSD.dateTime)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(publication.url("/sparql"))))
    graph.add((dataset, VOID.uriSpace, Literal(publication.iri(""))))
    graph.add((dataset, VOID.rootResource, URIRef(publication.iri("catalog"))))
    for vocabulary in (str(ONTOLOGY_IRI) + "#", str(SCHEMA), "http://www.w3.org/2004/02/skos/core#"):
        graph.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    for example in stats["example"]:
        graph.add((dataset, VOID.exampleResource, URIRef(example)))
    for dump, _size in publication.dumps:
        if not dump.whole_dataset:
            graph.add((dataset, VOID.dataDump, URIRef(publication.url("/downloads/" + dump.name))))
    for key, name in (("triples", "triples"), ("entities", "entities"), ("subjects", "distinctSubjects"),
                      ("objects", "distinctObjects"), ("properties", "properties")):
        graph.add((dataset, VOID[name], _count(stats[key])))
    graph.add((dataset, VOID.classes, _count(len(stats["classes"]))))
    for cls, n in stats["classes"].items():
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, _count(n)))
    for prop, n in stats["by_property"].items():
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop)))
        graph.add((partition, VOID.triples, _count(n)))
    for name, n in stats["graphs"].items():
        # Each named graph (one per report, reference, links, ontology) is a subset of the dataset.
        subset = BNode()
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, SD.name, URIRef(name)))
        graph.add((subset, VOID.triples, _count(n)))
    return graph
