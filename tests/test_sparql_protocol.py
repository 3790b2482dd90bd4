"""SPARQL 1.1 Protocol at /sparql, over HTTP against the real server."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph
from rdflib.compare import isomorphic

SELECT = "SELECT ?ags WHERE { ?m <https://w3id.org/kommunalgraph/ontology#ags> ?ags } ORDER BY ?ags"
CONSTRUCT = ("CONSTRUCT { ?m <https://schema.org/name> ?n } WHERE { ?m <https://w3id.org/kommunalgraph/ontology#ags> ?a ;"
             " <https://schema.org/name> ?n }")
EXPECTED_AGS = ["01001000", "03153017", "03241001", "08215100", "08221000", "08317001", "13071107"]


@pytest.fixture(scope="session")
def server(any_backend_server):
    """Every test here runs against both back ends: embedded Oxigraph and a remote Virtuoso (issue 6)."""
    return any_backend_server


def get(server, query=None, **kwargs):
    params = kwargs.pop("params", {})
    if query is not None:
        params["query"] = query
    return requests.get(server.url + "/sparql", params=params, timeout=30, **kwargs)


def ags_of(response) -> list[str]:
    return [row["ags"]["value"] for row in response.json()["results"]["bindings"]]


def test_get_post_form_and_post_direct_agree(server):
    by_get = get(server, SELECT)
    by_form = requests.post(server.url + "/sparql", data={"query": SELECT}, timeout=30)
    by_body = requests.post(server.url + "/sparql", data=SELECT.encode(), timeout=30,
                            headers={"Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/sparql-results+json"
        assert ags_of(response) == EXPECTED_AGS


@pytest.mark.parametrize("accept, content_type", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ("application/json", "application/json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_formats_by_accept(server, accept, content_type):
    response = get(server, SELECT, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert "Accept" in response.headers["Vary"]
    parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(content_type.split(";")[0]))
    assert [s["ags"].value for s in parsed] == EXPECTED_AGS


def test_csv_is_plain_csv(server):
    rows = list(csv.reader(io.StringIO(get(server, SELECT, params={"format": "csv"}).text)))
    assert rows[0] == ["ags"] and [r[0] for r in rows[1:]] == EXPECTED_AGS


def as_graph(data: bytes, media_type: str) -> Graph:
    """Parse with Oxigraph (every format, quads included), compare with rdflib."""
    quads = ox.parse(data, format=ox.RdfFormat.from_media_type(media_type))
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/rdf+xml",
                                    "application/ld+json", "application/n-quads", "application/trig"])
def test_construct_formats_parse_to_the_same_graph(server, accept):
    reference = Graph().parse(data=get(server, CONSTRUCT, headers={"Accept": "text/turtle"}).text, format="turtle")
    response = get(server, CONSTRUCT, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
    graph = as_graph(response.content, accept)
    assert len(graph) == 7 and isomorphic(graph, reference)


def test_format_parameter_overrides_accept(server):
    response = get(server, SELECT, params={"format": "tsv"}, headers={"Accept": "application/sparql-results+json"})
    assert response.headers["Content-Type"].startswith("text/tab-separated-values")


def test_ask(server):
    response = get(server, "ASK { ?s a <https://w3id.org/kommunalgraph/ontology#Workshop> }")
    assert response.json() == {"head": {}, "boolean": True}


def test_protocol_dataset_replaces_the_default_graph(server):
    report = "https://w3id.org/kommunalgraph/graph/report/stadt-land-digital-2022-strategiestarterworkshops"
    inferred = "ASK { ?e a <https://schema.org/Event> }"
    assert get(server, inferred).json()["boolean"] is True
    only_report = get(server, inferred, params={"default-graph-uri": report})
    assert only_report.json()["boolean"] is False, "the report graph holds asserted triples only"
    named = get(server, "SELECT ?g { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", params={"named-graph-uri": report})
    assert [r["g"]["value"] for r in named.json()["results"]["bindings"]] == [report]


def test_service_description_on_get_without_query(server):
    response = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(str(o) == sd + "SPARQL11Query" for o in graph.objects())


def test_cors_allows_browsers(server):
    response = get(server, "ASK {}", headers={"Origin": "https://portal.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(server.url + "/sparql", timeout=30, headers={
        "Origin": "https://portal.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["Access-Control-Allow-Methods"]


# -- broken input: a precise status and message, never a 500 ----------------------------------

def test_malformed_query_is_400_with_position(server):
    response = get(server, "SELECT * WHERE { ?s ?p }")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["line"] == 1 and "expected" in body["error"]


@pytest.mark.parametrize("params, message", [
    ({"query": ["ASK {}", "ASK {}"]}, "more than one"),
    ({"query": "   "}, "empty"),
    ({"query": "ASK {}", "format": "pdf"}, "unknown format"),
])
def test_bad_parameters_are_400(server, params, message):
    response = requests.get(server.url + "/sparql", params=params, timeout=30)
    assert response.status_code == 400 and message in response.json()["error"]


def test_unknown_function(server):
    """Embedded: an evaluation error, ?x unbound (issue 11, SPARQL 1.1 Query 17.6; more in
    test_exact_endpoint.py). Virtuoso refuses the query itself, and the server passes that on as 400."""
    response = get(server, "SELECT (<http://example.org/fn>(1) AS ?x) {}")
    if server.backend == "embedded":
        assert response.status_code == 200 and response.json()["results"]["bindings"] == [{}]
    else:
        assert response.status_code == 400 and response.json()["error"]


def test_wrong_content_type_is_415(server):
    response = requests.post(server.url + "/sparql", data="ASK {}", headers={"Content-Type": "text/plain"}, timeout=30)
    assert response.status_code == 415 and "application/sparql-query" in response.json()["error"]


def test_unacceptable_format_is_406_with_alternatives(server):
    response = get(server, "ASK {}", headers={"Accept": "image/png"})
    assert response.status_code == 406 and "application/sparql-results+json" in response.json()["available"]
    response = get(server, CONSTRUCT, params={"format": "csv"})
    assert response.status_code == 406 and "text/turtle" in response.json()["available"]


def test_update_is_refused_with_403(server):
    response = requests.post(server.url + "/sparql", data={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}, timeout=30)
    assert response.status_code == 403
    response = requests.post(server.url + "/sparql", data=b"CLEAR ALL", timeout=30,
                             headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403
    assert get(server, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_oversized_body_is_413(server):
    response = requests.post(server.url + "/sparql", data=b"#" * (1024 * 1024 + 10), timeout=30,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413 and response.json()["status"] == 413


def test_method_not_allowed_shares_the_error_shape(server):
    response = requests.put(server.url + "/sparql", data="x", timeout=30)
    assert response.status_code == 405 and set(response.json()) == {"error", "status"}
    assert "GET" in response.headers["Allow"]


def test_unknown_path_is_404_json(server):
    response = requests.get(server.url + "/no/such/thing", headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 404 and response.json()["status"] == 404


def test_health(server, seed_store):
    body = requests.get(server.url + "/health", timeout=30).json()
    assert body["status"] == "ok" and body["store_version"] == seed_store.current() and body["triples"] > 2000
    json.dumps(body)
