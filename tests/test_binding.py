"""Issue 6: parameters written into query text for remote stores give the same answers as
Oxigraph's substitutions, and no value can change the query."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings, strategies as st

from graph.settings import current
from graph.sparql.binding import bind_in_text, insert_into_where, term_text, write_terms
from graph.store.engine import QueryRequest, run_query
from graph.errors import ParameterError
from graph.sparql.named_queries import bind, load_named_queries, query_text

QUERIES = load_named_queries(current().queries_dir)
CASES = [("workshops", {"year": "2022"}), ("workshops", {"state": "Baden-Württemberg"}),
         ("workshops", {"state": "08", "year": "2022"}), ("workshops", {"year": "1999"}),
         ("speakers", {"topic": "LoRaWAN"}), ("speakers", {}), ("municipalities", {"state": "Niedersachsen"}),
         ("topics", {})]


@pytest.mark.parametrize("name,arguments", CASES, ids=[f"{n}-{'-'.join(a.values()) or 'all'}" for n, a in CASES])
def test_text_binding_answers_like_substitutions(seed_store, name, arguments):
    store = seed_store.open_read()
    execute = lambda request: run_query(store, request)  # noqa: E731
    substitutions = bind(QUERIES[name], arguments, execute)
    by_engine = json.loads(execute(QueryRequest(QUERIES[name].text, substitutions=substitutions)).body)
    by_text = json.loads(execute(QueryRequest(bind_in_text(QUERIES[name].text, substitutions))).body)
    assert by_text["results"]["bindings"] == by_engine["results"]["bindings"]
    assert by_engine["results"]["bindings"] or name == "workshops"


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from([None, "de", "en-GB"]))
def test_any_literal_value_stays_one_literal(value, language):
    """Quotes, braces, newlines, '#' and '}' in a value can never escape the literal."""
    query = bind_in_text("SELECT ?v WHERE { }", (("v", ("literal", value, None, language)),))
    rows = list(ox.Store().query(query))
    assert len(rows) == 1 and rows[0]["v"].value == value


@pytest.mark.parametrize("iri", ["http://x/a> } DROP ALL #", "no-scheme", "http://x/a b", 'http://x/"'])
def test_malformed_iris_are_refused(iri):
    with pytest.raises(ParameterError):
        term_text(("iri", iri))


def test_malformed_language_tag_is_refused():
    with pytest.raises(ParameterError):
        term_text(("literal", "x", None, "de } ."))


@pytest.mark.parametrize("query, expected", [
    ("SELECT * FROM <http://g> { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * from <http://g> { ?s ?p ?o }", True),
    ('SELECT * { ?s ?p "FROM <http://g>" }', False),
    ("SELECT * { ?s <http://x/FROM> ?o }", False),
    ("# FROM <http://g>\nSELECT * { ?s ?p ?o }", False),
    ("PREFIX from: <http://x/> SELECT * { ?s from:p ?o }", False),
    ("PREFIX ex: <http://x/> SELECT * { ?s ex:FROM ?o }", False),
])
def test_dataset_clauses_are_found_only_where_they_are_keywords(query, expected):
    from graph.sparql.binding import names_dataset

    assert names_dataset(query) is expected


@pytest.mark.parametrize("name,arguments", [c for c in CASES if c[1]], ids=[f"{n}-{'-'.join(a.values())}" for n, a in CASES if a])
def test_parameter_patterns_change_no_answer(seed_store, name, arguments):
    """A parameter's `pattern` only lets the engine use an index: the same rows as the query alone."""
    store = seed_store.open_read()
    execute = lambda request: run_query(store, request)  # noqa: E731
    query = QUERIES[name]
    substitutions = bind(query, arguments, execute)
    plain = json.loads(execute(QueryRequest(query.text, substitutions=substitutions)).body)
    hinted = json.loads(execute(QueryRequest(query_text(query, substitutions), substitutions=substitutions)).body)
    assert hinted["results"]["bindings"] == plain["results"]["bindings"]


def test_patterns_are_written_first_in_the_outermost_where():
    query = '# WHERE { in a comment\nSELECT ?s ("WHERE {" AS ?x) WHERE { ?s ?p ?o { SELECT ?o WHERE { ?o ?q 1 } } }'
    text = insert_into_where(query, write_terms("?s <http://ex/p> ?v .", (("v", ("literal", 'a"b', None, "de")),)))
    assert text.index('?s <http://ex/p> "a\\"b"@de .') < text.index("?s ?p ?o")
    assert text.count("<http://ex/p>") == 1 and len(list(ox.Store().query(text))) == 0


@pytest.mark.parametrize("query", ["SELECT * { ?s ?p ?o }", 'ASK { ?s ?p "WHERE {" }', "# WHERE {\nASK {}"])
def test_a_query_without_where_takes_no_pattern(query):
    with pytest.raises(ValueError, match="WHERE"):
        insert_into_where(query, "?s ?p ?o .")


def _lookup_store() -> ox.Store:
    """Two concepts whose keys differ only in case, and a third named in English only."""
    store = ox.Store()
    store.load(b"""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <urn:ki> a skos:Concept ; skos:prefLabel "KI"@de .
        <urn:kita> a skos:Concept ; skos:notation "ki" .
        <urn:cloud> a skos:Concept ; skos:prefLabel "Cloud computing"@en .
        <urn:town> a <urn:Town> ; skos:prefLabel "Wolke"@de .
    """, ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("value, expected", [
    ("KI", "urn:ki"),                        # written so: the exact key wins over "ki"
    ("ki", "urn:kita"),
    ("Cloud computing", "urn:cloud"),        # an English label as written
    ("cloud COMPUTING", "urn:cloud"),        # nothing written so: compared without case
])
def test_a_label_as_written_is_found_first_then_without_case(value, expected):
    store = _lookup_store()
    assert bind(QUERIES["speakers"], {"topic": value}, lambda request: run_query(store, request)) == \
        (("topic", ("iri", expected)),)


@pytest.mark.parametrize("value, message", [("Ki", "ambiguous"), ("Wolke", "no Concept named 'Wolke'")])
def test_a_label_of_another_class_or_of_two_resources_is_refused(value, message):
    store = _lookup_store()
    with pytest.raises(ParameterError, match=message):
        bind(QUERIES["speakers"], {"topic": value}, lambda request: run_query(store, request))
