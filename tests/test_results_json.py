"""SPARQL JSON results are read in one helper (graph/sparql/results.py), on real engine answers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.sparql import results
from graph.store.engine import QueryRequest, run_query

SELECT = "application/sparql-results+json"


@pytest.fixture
def store():
    data = ox.Store()
    data.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
                     ox.Literal("Kiel", language="de")))
    return data


def test_select_and_ask_answers_of_the_engine(store):
    body = run_query(store, QueryRequest("SELECT ?s ?o ?unbound { ?s ?p ?o OPTIONAL { ?o ?q ?unbound } }",
                                         result_types=(SELECT,))).body
    assert results.rows(body) == [{"s": "http://example.org/a", "o": "Kiel"}]
    assert results.bindings(body)[0]["o"] == {"type": "literal", "value": "Kiel", "xml:lang": "de"}
    ask = run_query(store, QueryRequest("ASK { ?s ?p 'nothing' }", result_types=(SELECT,))).body
    assert results.boolean(ask) is False


@pytest.mark.parametrize("body", [b"", b"[]", b'{"head": {}}', b"<sparql/>", b'{"results": 3}'])
def test_what_is_not_sparql_json_results_is_a_value_error(body):
    with pytest.raises(ValueError):
        results.bindings(body)
