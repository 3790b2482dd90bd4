"""An exact endpoint (issue 11): HEAD wherever GET works, the endpoint's IRI as the base of a query
without BASE, unknown extension functions as evaluation errors, parse errors at the user's position.

The embedded back end through Flask's test client: nothing here needs a process of its own.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from tests.helpers import BASE_IRI

JSON = "application/sparql-results+json"
# A concrete value for every URL variable of the route table, so each GET route is tried.
SAMPLES = {"name": "municipalities", "path": "id/municipality/08215100", "extension": "ttl",
           "filename": "style.css", "version": "current", "seq": 1, "page": 1}


def concrete_paths(app) -> list[str]:
    """One concrete path per GET route (the static route's file may be absent: then 404 both ways)."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        missing = rule.arguments - set(SAMPLES)
        assert not missing, f"add a sample value for {missing} of {rule.rule} to SAMPLES"
        paths.append(rule.build({key: SAMPLES[key] for key in rule.arguments}, append_unknown=False)[1])
    return sorted(set(paths))


def test_every_get_route_also_answers_head(app):
    """Route table: HEAD is registered on every route that has GET."""
    lacking = [rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and "HEAD" not in rule.methods]
    assert lacking == []


@pytest.mark.parametrize("accept", [JSON, "text/html", "text/turtle"])
def test_head_answers_as_get_does_without_a_body(app, client, accept):
    """Issue 11: HEAD /sparql answered 415; now every GET path gives HEAD the same status and type."""
    paths = concrete_paths(app) + ["/sparql?query=ASK%20%7B%7D", "/sparql?query=SELECT"]
    assert len(paths) >= 20
    for path in paths:
        got = client.get(path, headers={"Accept": accept})
        head = client.head(path, headers={"Accept": accept})
        assert (path, head.status_code) == (path, got.status_code)
        assert (path, head.headers.get("Content-Type")) == (path, got.headers.get("Content-Type"))
        assert head.data == b""


def sparql(client, query: str, accept: str = JSON):
    return client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})


def test_relative_iris_resolve_against_the_endpoint_iri(client):
    """Issue 11 (W3C syntax-oneof-03): a query without BASE resolves <x> against the endpoint's IRI."""
    response = sparql(client, "SELECT (<x> AS ?iri) (IRI('y') AS ?built) {}")
    assert response.status_code == 200, response.get_data(as_text=True)
    row = response.get_json()["results"]["bindings"][0]
    assert row["iri"]["value"] == "http://localhost/x" and row["built"]["value"] == "http://localhost/y"


def test_a_query_with_base_keeps_its_own(client):
    response = sparql(client, f"BASE <{BASE_IRI}id/> SELECT (<municipality/08215100> AS ?iri) {{}}")
    assert response.get_json()["results"]["bindings"][0]["iri"]["value"] == BASE_IRI + "id/municipality/08215100"


def test_relative_iris_find_nothing_rather_than_fail(client):
    """Issue 11 (W3C syntax-construct-where-02): FROM <file> is well-formed; the graph is just empty."""
    response = sparql(client, "CONSTRUCT FROM <file> WHERE { ?s ?p 1816 }", "application/n-triples")
    assert response.status_code == 200 and response.data.strip() == b""


def test_an_unknown_extension_function_is_an_error_not_a_malformed_query(client):
    """Issue 11 (W3C syntax-select-expr-04; SPARQL 1.1 Query 17.6): the call is an evaluation error,
    so its variable is unbound, and COALESCE goes on to the next expression."""
    response = sparql(client, "PREFIX ex: <http://example.org/> "
                              "SELECT (ex:unknown(1) AS ?x) (COALESCE(ex:other(2), 3) AS ?y) {}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["results"]["bindings"] == [{"y": {
        "type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


def test_an_unknown_function_in_a_filter_removes_the_solution(client):
    response = sparql(client, "ASK { ?m <https://w3id.org/kommunalgraph/ontology#ags> ?a "
                              "FILTER(<http://example.org/fn>(?a)) }")
    assert response.status_code == 200 and response.get_json()["boolean"] is False


@pytest.mark.parametrize("query", [
    "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}",
    "ASK {}\n\nFOO",
    "PREFIX ex: <http://example.org/>\n\n\nSELECT * { ?s ex:p ?o ",
    "SELECT * {\n\t?s ?p ?o }\n LIMIT x",
])
def test_parse_errors_point_at_the_users_line_and_column(client, query):
    """Issue 11: the position is in the text the user sent (nothing is prepended to it), and it
    is the one the engine gives for that text."""
    with pytest.raises(SyntaxError) as engine:
        ox.Store().query(query, base_iri="http://localhost/sparql")
    response = sparql(client, query)
    body = response.get_json()
    assert response.status_code == 400 and body["status"] == 400
    assert f"{body['line']}:{body['column']}" in str(engine.value)
    assert 1 <= body["line"] <= query.count("\n") + 1 and body["line"] > 1, "a position past line 1"


@pytest.mark.parametrize("query, status", [
    ("SELECT * { ?s ?p ?o } LIMIT", 400),
    ("", 400),
    ("SELECT (<http://example.org/fn>(1) AS ?x) { GRAPH <not an iri> {} }", 400),
])
def test_broken_queries_are_400_with_a_message(client, query, status):
    response = sparql(client, query)
    body = response.get_json()
    assert response.status_code == status and body["status"] == status and body["error"]
