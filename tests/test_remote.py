"""The remote back end with broken input (issue 6): `kommunalgraph push` and the server over a
remote store that is down, refuses us or fails give a precise exit code or 4xx/5xx, never a traceback."""

from __future__ import annotations

import json
import subprocess

import pyoxigraph as ox
import pytest
import requests

from graph.store.versions import VersionedStore
from tests.helpers import KOMMUNALGRAPH, TOKEN, WRITE_TOKENS, LiveServer, free_port, workshop_update

DOWN = "http://127.0.0.1:{port}/sparql"


def push(store_root, *args) -> subprocess.CompletedProcess:
    return subprocess.run([KOMMUNALGRAPH, "push", "--store", str(store_root), *args], capture_output=True,
                          text=True, timeout=300)


def assert_fails_cleanly(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in " ".join(result.stderr.split()) and "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["not a url", "ftp://127.0.0.1/sparql", "http://", "127.0.0.1:8890/sparql"])
def test_push_to_a_malformed_address_exits_2(seed_store, url):
    assert_fails_cleanly(push(seed_store.root, "--update-url", url), "not the http(s) address")


def test_push_to_a_refused_connection_exits_2(seed_store):
    url = DOWN.format(port=free_port())
    assert_fails_cleanly(push(seed_store.root, "--update-url", url), f"not reachable at {url}")


def test_push_with_wrong_credentials_exits_2(seed_store, virtuoso):
    # Virtuoso's /sparql-auth endpoint needs a login.
    result = push(seed_store.root, "--update-url", virtuoso.url + "-auth", "--user", "dba", "--password", "wrong")
    assert_fails_cleanly(result, "refused our credentials")


def test_push_to_an_endpoint_that_refuses_updates_exits_2(seed_store, embedded_server):
    # Our own endpoint is read-only: a real store answering an update with an error.
    result = push(seed_store.root, "--update-url", embedded_server.url + "/sparql")
    assert_fails_cleanly(result, "answered HTTP 403")


def test_push_replaces_what_an_earlier_push_sent(tmp_path, virtuoso):
    store = VersionedStore(tmp_path / "store")
    graph, default = "urn:x-test:report", "urn:x-test:default"

    def publish(value: str) -> None:
        with store.writer() as version:
            for target in (ox.NamedNode(graph), ox.DefaultGraph()):
                version.add(ox.Quad(ox.NamedNode("urn:x-test:s"), ox.NamedNode("urn:x-test:p"), ox.Literal(value), target))
        assert push(store.root, "--update-url", virtuoso.url, "--default-graph", default).returncode == 0

    publish("old")
    publish("new")
    for name in (graph, default):
        answer = requests.get(virtuoso.url, params={"query": f"SELECT ?o {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=30).json()
        assert [row["o"]["value"] for row in answer["results"]["bindings"]] == ["new"]


# -- the server over a remote store ----------------------------------------------------------------

def remote_server(seed_store, tmp_path, url: str, **env) -> LiveServer:
    # /api/queries lists the named queries without asking the store, so the server counts as up.
    return LiveServer([], env={"KG_BACKEND": "remote", "KG_REMOTE_QUERY_URL": url, "KG_STORE": str(seed_store.root),
                               **env}, log=tmp_path / "server.log", ready="/api/queries")


def test_remote_store_down_is_503_with_retry_after(seed_store, tmp_path):
    url = DOWN.format(port=free_port())
    live = remote_server(seed_store, tmp_path, url)
    try:
        for path, params in (("/sparql", {"query": "ASK {}"}), ("/api/queries/topics", {}),
                             ("/api/queries/workshops", {"state": "Bayern"})):
            response = requests.get(live.url + path, params=params, timeout=30)
            assert response.status_code == 503, response.text
            assert f"not reachable at {url}" in response.json()["error"] and response.headers["Retry-After"]
    finally:
        live.stop()


def test_malformed_remote_address_stops_serve_with_exit_2(seed_store):
    result = subprocess.run([KOMMUNALGRAPH, "serve", "--port", str(free_port())], capture_output=True, text=True,
                            timeout=60, env={**__import__("os").environ, "KG_BACKEND": "remote",
                                             "KG_REMOTE_QUERY_URL": "localhost:8890", "KG_STORE": str(seed_store.root)})
    assert_fails_cleanly(result, "not the http(s) address")


@pytest.mark.parametrize("path, env, status, message", [
    ("/sparql-auth", {"KG_REMOTE_USER": "dba", "KG_REMOTE_PASSWORD": "wrong"}, 502, "refused our credentials"),
    ("/no-such-endpoint", {}, 502, "no SPARQL endpoint"),
])
def test_remote_store_refusing_us_is_502(seed_store, tmp_path, virtuoso, path, env, status, message):
    live = remote_server(seed_store, tmp_path, f"http://127.0.0.1:{virtuoso.http_port}{path}", **env)
    try:
        response = requests.get(live.url + "/sparql", params={"query": "ASK {}"}, timeout=30)
        assert response.status_code == status and message in response.json()["error"]
    finally:
        live.stop()


@pytest.mark.parametrize("query, status, message", [
    # Virtuoso refuses BNODE() as not implemented (400): the client's query, so 400 with its words.
    ("SELECT (BNODE() AS ?b) {}", 400, "not implemented"),
    # Virtuoso fails on a path whose start is unbound (500): the store failed, so 502.
    ("SELECT * { ?s <http://example.org/p>+ ?o } LIMIT 1", 502, "transitive start not given"),
])
def test_errors_of_the_remote_store_keep_our_error_shape(virtuoso_server, query, status, message):
    response = requests.get(virtuoso_server.url + "/sparql", params={"query": query}, timeout=30)
    body = response.json()
    assert response.status_code == status and body["status"] == status and message in body["error"]
    assert "SPARQL query:" not in body["error"], "the store's echo of the query is left out"


def test_blank_nodes_of_the_remote_store_come_back_as_valid_results(virtuoso_server):
    # Virtuoso writes blank nodes as nodeID://…, which no RDF syntax allows; we relabel them.
    query = "SELECT ?s ?o { GRAPH ?g { ?s ?p ?o FILTER isBlank(?s) } } LIMIT 3"  # its own system graphs have some
    for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/tab-separated-values"):
        response = requests.get(virtuoso_server.url + "/sparql", params={"query": query}, headers={"Accept": accept},
                                timeout=30)
        assert response.status_code == 200, response.text
        rows = list(ox.parse_query_results(response.content,
                                           format=ox.QueryResultsFormat.from_media_type(accept)))
        assert len(rows) == 3 and all(isinstance(row["s"], ox.BlankNode) for row in rows)


def test_a_write_to_a_remote_store_that_is_down_is_503_and_logged(seed_store, tmp_path):
    url = DOWN.format(port=free_port())
    live = remote_server(seed_store, tmp_path, url, KG_REMOTE_UPDATE_URL=url, KG_STORE=str(tmp_path / "store"),
                         KG_WRITE_TOKENS=WRITE_TOKENS)
    try:
        response = requests.post(live.url + "/sparql", data=workshop_update("d1").encode(), timeout=60,
                                 headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 503 and f"not reachable at {url}" in response.json()["error"], response.text
        assert "Traceback" not in response.text
        entry = json.loads((tmp_path / "store" / "writes.jsonl").read_text().splitlines()[-1])
        assert entry["outcome"] == "failed" and "not reachable" in entry["error"]
    finally:
        live.stop()


def test_a_remote_store_without_update_url_refuses_writes_with_403(seed_store, tmp_path):
    live = remote_server(seed_store, tmp_path, DOWN.format(port=free_port()), KG_WRITE_TOKENS=WRITE_TOKENS)
    try:
        response = requests.post(live.url + "/sparql", data=workshop_update("d2").encode(), timeout=60,
                                 headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 403 and "KG_REMOTE_UPDATE_URL" in response.json()["error"]
    finally:
        live.stop()
