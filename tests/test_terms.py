"""RDF terms are written by pyoxigraph (graph/terms.py), and what it writes parses back."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph.errors import ParameterError
from graph.terms import ntriples, sparql_text, string_literal

AWKWARD = 'Zeile "eins"\nZeile\tzwei \\ Ende'


def test_rdflib_triples_round_trip_through_ntriples():
    graph = Graph()
    node = BNode()
    graph.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal(AWKWARD, lang="de")))
    graph.add((URIRef("http://example.org/a"), URIRef("http://example.org/n"), Literal(3, datatype=XSD.integer)))
    graph.add((node, URIRef("http://example.org/p"), Literal("plain")))
    assert isomorphic(Graph().parse(data=ntriples(graph), format="nt"), graph)
    assert ntriples([]) == b""


def test_plain_terms_as_text_parse_back_in_a_query():
    text = sparql_text(("literal", AWKWARD, None, "de"))
    value = next(iter(ox.Store().query(f"SELECT ?v {{ VALUES ?v {{ {text} }} }}")))["v"]
    assert (value.value, value.language) == (AWKWARD, "de")
    assert string_literal(AWKWARD) == str(ox.Literal(AWKWARD))


@pytest.mark.parametrize("term", [("iri", "relative"), ("iri", "http://x/a> } DROP ALL #"),
                                  ("literal", "x", None, "de } ."), ("literal", "x", "not an iri", None)])
def test_malformed_terms_are_parameter_errors(term):
    with pytest.raises(ParameterError, match="not a valid"):
        sparql_text(term)
