"""Federated queries at /sparql: allow-listed SERVICE works, any other is refused before a request (issue 5)."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from tests.helpers import LiveServer, wait_until
from graph.errors import ServiceNotAllowed
from graph.sparql.federation import allowed_endpoints, check_services
from tests.linking.endpoints import ScriptedEndpoint, SilentListener

WIKIDATA = "https://query.wikidata.org/sparql"
OWL_SAME_AS = "<http://www.w3.org/2002/07/owl#sameAs>"


@pytest.fixture(scope="module")
def listeners():
    """One listener the server may call (the control) and one it must never call."""
    allowed, refused = SilentListener(), SilentListener()
    hanging = ScriptedEndpoint(["sleep:20"])
    yield {"allowed": allowed, "refused": refused, "hanging": hanging}
    for item in (allowed, refused, hanging):
        item.close()


@pytest.fixture(scope="module")
def federated(seed_store, standin, listeners, tmp_path_factory) -> LiveServer:
    """Our server over the seed store, allowing the stand-in, the control listener and a slow endpoint."""
    allow = [standin.url + "/sparql", f"http://127.0.0.1:{listeners['allowed'].port}/sparql", listeners["hanging"].url]
    live = LiveServer(["--store", str(seed_store.root), "--timeout", "3"],
                      env={"KG_FEDERATION_ENDPOINTS": json.dumps(allow)},
                      log=tmp_path_factory.mktemp("federated") / "server.log")
    yield live
    live.stop()


def sparql(server, query: str, how: str = "get") -> requests.Response:
    if how == "form":
        return requests.post(server.url + "/sparql", data={"query": query}, timeout=30)
    if how == "body":
        return requests.post(server.url + "/sparql", data=query.encode(), timeout=30,
                             headers={"Content-Type": "application/sparql-query"})
    return requests.get(server.url + "/sparql", params={"query": query}, timeout=30)


def test_service_to_an_allow_listed_endpoint_joins_remote_facts(federated, standin):
    query = f"""PREFIX wdt: <http://www.wikidata.org/prop/direct/> PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>
        SELECT ?ours ?theirs WHERE {{ ?m kg:ags ?ours ; {OWL_SAME_AS} ?item .
          SERVICE <{standin.url}/sparql> {{ ?item wdt:P439 ?theirs }} }} ORDER BY ?ours"""
    response = sparql(federated, query)
    assert response.status_code == 200, response.text
    rows = [(r["ours"]["value"], r["theirs"]["value"]) for r in response.json()["results"]["bindings"]]
    assert rows == [("01001000", "01001000"), ("03241001", "03241001"), ("08221000", "08221000")]


REFUSED = [
    "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX x: <{base}> SELECT * {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
    "BASE <{base}> SELECT * {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "SELECT * {{ {{ SELECT ?s {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ VALUES ?endpoint {{ <{url}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE <{allowed}> {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
]


@pytest.mark.parametrize("template", REFUSED)
@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_service_elsewhere_is_refused_without_any_outgoing_request(federated, listeners, template, how):
    """Issue 5, done when: a SERVICE to a non-allow-listed host is refused without any outgoing request."""
    refused = listeners["refused"]
    url = f"http://127.0.0.1:{refused.port}/sparql"
    query = template.format(url=url, base=f"http://127.0.0.1:{refused.port}/",
                            allowed=f"http://127.0.0.1:{listeners['allowed'].port}/sparql")
    start = refused.connections
    response = sparql(federated, query, how)
    body = response.json()
    if "\\u0053" in template:
        # Oxigraph reads no escapes in keywords: to the engine this is no SERVICE but bad syntax.
        assert response.status_code == 400 and body["status"] == 400, response.text
    else:
        # Refused by the gate ("not allowed … no request was made") or run sandboxed and refused by policy.
        assert response.status_code == 403 and body["status"] == 403, response.text
        assert "not allowed" in body["error"] or "refused by policy" in body["error"]
    # A barrier instead of a pause: our own connection queues behind any the server had made, and
    # the listener accepts in order, so once it has counted ours it has counted every earlier one.
    before = refused.connections
    with socket.create_connection(("127.0.0.1", refused.port), timeout=10):
        wait_until(lambda: refused.connections > before, 10, "the listener counting our probe")
    assert refused.connections == start + 1, "the server connected to a refused endpoint"


def test_the_listener_does_see_requests_the_server_makes(federated, listeners):
    """The control for the test above: a SERVICE the allow-list permits does reach its host."""
    control = listeners["allowed"]
    before = control.connections
    response = sparql(federated, f"SELECT * {{ SERVICE <http://127.0.0.1:{control.port}/sparql> {{ ?s ?p ?o }} }}")
    assert response.status_code == 502  # the control hangs up; the engine reports the failed call
    wait_until(lambda: control.connections > before, 10, "the control listener seeing the server's call")


def test_the_time_limit_covers_the_remote_call(federated, listeners):
    started = time.monotonic()
    response = sparql(federated, f"SELECT * {{ SERVICE <{listeners['hanging'].url}> {{ ?s ?p ?o }} }}")
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and "time limit of 3 s" in response.json()["error"]
    assert response.headers["Retry-After"] and 2.5 < elapsed < 15
    assert sparql(federated, "ASK { ?s ?p ?o }").json()["boolean"] is True, "the server still answers"


def test_by_default_only_wikidata_is_allowed(server):
    response = sparql(server, "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert response.status_code == 403
    assert response.json()["service"] == "http://127.0.0.1:9/sparql" and WIKIDATA in response.json()["error"]


@pytest.mark.parametrize("query, expected", [
    ("SELECT * { ?s ?p ?o }", []),
    ('SELECT ?service WHERE { ?service ?p "SERVICE <http://x/>" }', []),
    (f"SELECT * {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }}", [WIKIDATA]),
    ("PREFIX w: <https://query.wikidata.org/> SELECT * { SERVICE w:sparql { ?s ?p ?o } }", [WIKIDATA]),
    # rdflib's grammar recurses without end on nested SERVICE: not provable, so it runs sandboxed.
    (f"SELECT * {{ SERVICE <{WIKIDATA}> {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }} }}", None),
])
def test_allowed_queries(query, expected):
    assert check_services(query, [WIKIDATA]) == expected


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://169.254.169.254/latest> { ?s ?p ?o } }",
    "SELECT * { SERVICE ?x { ?s ?p ?o } }",
])
def test_refused_queries(query):
    with pytest.raises(ServiceNotAllowed, match="no request was made"):
        check_services(query, [WIKIDATA])


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://x/> { ?s ?p ?o } LATERAL { ?a ?b ?c } }",  # rdflib cannot parse it
    f"SELECT * {{ SERVICE <{WIKIDATA}> {{ SERVICE w:x {{ ?s ?p ?o }} }} }}",  # unknown prefix
    "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }" + " " * 60_000,  # too long to parse
    f'SELECT * {{ BIND("\\u005c" AS ?x) SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }}',  # an escape
    f"SELECT * {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }} # a comment",
])
def test_queries_the_gate_cannot_prove_run_sandboxed(query):
    """None: not for the federation worker; the query runs without network (issue 10)."""
    assert check_services(query, [WIKIDATA]) is None


def test_allow_list_from_configuration():
    assert allowed_endpoints(f"{WIKIDATA}, http://a/sparql") == (WIKIDATA, "http://a/sparql")
    assert allowed_endpoints([WIKIDATA]) == (WIKIDATA,) and allowed_endpoints("") == ()
