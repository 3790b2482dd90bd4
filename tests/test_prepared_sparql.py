"""rdflib's SPARQL through the processor that keeps each query's translation (graph/checks/prepared_sparql.py)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

import graph.checks.shacl  # noqa: F401 - registers the processor, as every validation does
from graph.checks.prepared_sparql import prepared

QUERY = "SELECT ?name WHERE { ?this <http://example.org/name> ?name }"


def test_one_text_is_translated_once_and_answers_with_each_call_s_bindings():
    data = Graph()
    for who, name in (("a", "Anna"), ("b", "Bernd")):
        data.add((URIRef(f"http://example.org/{who}"), URIRef("http://example.org/name"), Literal(name)))
    before = prepared.cache_info()
    answers = [[str(row.name) for row in data.query(QUERY, initBindings={"this": URIRef(f"http://example.org/{who}")})]
               for who in ("a", "b", "a", "nobody")]
    after = prepared.cache_info()
    assert answers == [["Anna"], ["Bernd"], ["Anna"], []]
    assert after.misses - before.misses <= 1 and after.hits - before.hits >= 3
