"""Issue 10, requests 3 to 6: everything a stranger can start is bounded; headers; UTF-8; markup.

Flask's test client where no process matters; the real server (waitress) for body limits and
for the deep nesting that used to kill query workers.
"""

from __future__ import annotations

import json
import socket

import pytest
import requests

from server.app import create_app
from server.diagrams import timeline
from tests.helpers import TOKEN

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def app(seed_store):
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True, "RATE_LIMIT": 0,
                      "WARM_CACHE": "0"})
    yield app
    app.extensions["kommunalgraph"].close()


@pytest.fixture
def client(app):
    return app.test_client()


# -- headers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, accept", [
    ("/", "text/html"), ("/sparql?query=ASK{}", "application/sparql-results+json"), ("/reconcile", "*/*"),
    ("/no/such/page", "application/json"), ("/health", "*/*"), ("/sparql?query=SELEC", "*/*"),
])
def test_every_response_carries_the_security_headers(client, path, accept):
    response = client.get(path, headers={"Accept": accept})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_reconcile_preview_has_a_csp_that_allows_only_framing(client):
    manifest = client.get("/reconcile").get_json()
    entity = client.post("/reconcile", data={"queries": json.dumps({"q": {"query": "Heidelberg"}})}).get_json()
    entity_id = entity["q"]["result"][0]["id"]
    response = client.get(manifest["preview"]["url"].replace("{{id}}", entity_id).split("localhost", 1)[1])
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# -- UTF-8 and escapes -----------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["get", "form", "body", "update-body", "update-form"])
def test_invalid_utf8_is_refused_with_400(client, how):
    bad = b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    if how == "get":
        response = client.get("/sparql?query=SELECT%20%3Fs%20%7B%3Fs%20%3Fp%20%22%ff%fe%22%7D")
    elif how == "form":
        response = client.post("/sparql", data=b"query=ASK%7B%22%ff%fe%22%7D", content_type=FORM)
    elif how == "body":
        response = client.post("/sparql", data=bad, content_type="application/sparql-query")
    elif how == "update-body":
        response = client.post("/sparql", data=b"INSERT DATA { GRAPH <http://e/g> { <urn:a> <urn:b> \"\xff\" } }",
                               content_type="application/sparql-update", headers=auth)
    else:
        response = client.post("/sparql", data=b"update=INSERT%20DATA%20%7B%22%ff%22%7D", content_type=FORM,
                               headers=auth)
    assert response.status_code == 400, response.data
    assert "UTF-8" in response.get_json()["error"]


def test_valid_utf8_and_a_real_replacement_character_pass(client):
    response = client.get("/sparql", query_string={"query": 'ASK { FILTER("Zürich \ufffd" != "") }'})
    assert response.status_code == 200 and response.get_json()["boolean"] is True


@pytest.mark.parametrize("text", ['SELECT * WHERE { BIND("\\UFFFFFFFF" AS ?x) }',
                                  'SELECT * WHERE { BIND("\\U0011FFFF service" AS ?x) }'])
def test_bad_escapes_are_400_not_500(client, text):
    response = client.get("/sparql", query_string={"query": text})
    assert response.status_code == 400, response.data


# -- nesting ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value", [("queries", "[" * 10_000), ("extend", "{" * 10_000),
                                          ("queries", '{"q": ' * 40 + "1" + "}" * 40)])
def test_deep_json_is_refused_with_400(client, field, value):
    response = client.post("/reconcile", data={field: value})
    assert response.status_code == 400 and "deeper" in response.get_json()["error"]


@pytest.mark.parametrize("limit", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_limits_are_refused_with_400(client, limit):
    response = client.post("/reconcile", data={"queries": '{"q": {"query": "Heidelberg", "limit": %s}}' % limit})
    assert response.status_code == 400, response.data
    assert response.get_json()["parameter"] == "queries"


@pytest.mark.parametrize("value", ["²", "1" * 40, "-1", "1.5"])
def test_integer_parameters_are_checked(client, value):
    response = client.get("/reconcile/properties", query_string={"type": "Municipality", "limit": value})
    assert response.status_code == 400, response.data


# -- reconciliation under the query limits --------------------------------------------------------

def test_reconciliation_stops_at_the_query_time_limit(app, client):
    assert client.post("/reconcile", data={"queries": json.dumps({"q": {"query": "Heidelberg"}})}).status_code == 200
    limit = app.config["QUERY_TIMEOUT"]
    app.config["QUERY_TIMEOUT"] = 0.0  # the deadline is read per request: due at once
    try:
        response = client.post("/reconcile", data={"queries": json.dumps({f"q{i}": {"query": "Stadt Land"}
                                                                          for i in range(50)})})
    finally:
        app.config["QUERY_TIMEOUT"] = limit
    assert response.status_code == 503, response.data
    assert "time limit" in response.get_json()["error"] and response.headers["Retry-After"]


def test_reconciliation_waits_for_the_query_concurrency_cap(app, client):
    slots = app.extensions["kommunalgraph.compute"]
    held, wait = 0, app.config["QUEUE_TIMEOUT"]
    app.config["QUEUE_TIMEOUT"] = 0.05
    try:
        while slots.acquire(blocking=False):
            held += 1
        response = client.post("/reconcile", data={"queries": json.dumps({"q": {"query": "Heidelberg"}})})
    finally:
        for _ in range(held):
            slots.release()
        app.config["QUEUE_TIMEOUT"] = wait
    assert held == app.config["QUERY_WORKERS"]
    assert response.status_code == 503 and response.headers["Retry-After"]


def test_a_huge_reconciliation_text_is_refused_at_once(client):
    words = " ".join(["Heidelberg"] * 80_000)  # ~900 KB, as in the issue
    response = client.post("/reconcile", data={"queries": json.dumps({"q": {"query": words}})})
    assert response.status_code == 400 and "at most 500" in response.get_json()["error"]


# -- markup from data -----------------------------------------------------------------------------

def test_markup_in_data_stays_text_in_the_timeline_svg(app):
    evil = '2022</text><a href="https://evil.example/">click</a><text>'
    rows = [{"year": evil, "stateLabel": "<script>x</script>", "title": '"><b>t</b>', "workshop": "https://w3id.org/x"}]
    with app.test_request_context("/"):
        svg = str(timeline(rows, "de", lambda iri: iri, lambda key, *a: key))
    assert "<a href=\"https://evil.example/\">" not in svg and "<script>" not in svg and "<b>" not in svg
    assert "2022&lt;/text&gt;&lt;a href=" in svg and "&lt;script&gt;" in svg


# -- the real server: bodies and deep nesting ------------------------------------------------------

def _raw(server, head: bytes, body_prefix: bytes = b"") -> tuple[int, float]:
    """Send a request head (and the start of a body) and read the status line; never the whole body."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        conn.sendall(head + body_prefix)
        status = conn.recv(200).split(b" ", 2)[1]
    return int(status)


@pytest.mark.parametrize("path, method", [("/sparql", "POST"), ("/reconcile", "POST"), ("/sparql", "PUT"),
                                          ("/store?graph=http://e/g", "DELETE")])
def test_a_large_body_is_refused_from_its_content_length_before_it_is_sent(secure, path, method):
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {FORM}\r\n"
            f"Content-Length: {400 * 1024 * 1024}\r\n\r\n").encode()
    assert _raw(secure, head) == 413  # answered although not one byte of the 400 MiB was sent


def test_a_chunked_body_is_cut_off_at_the_route_limit(secure):
    head = (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {FORM}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()
    chunk = b"100000\r\n" + b"a" * 0x100000 + b"\r\n"  # 1 MiB, then one more byte is over the limit
    assert _raw(secure, head, chunk * 2) == 413


def test_uploads_keep_their_larger_limit(secure):
    body = '<urn:a> <urn:b> "x" .\n' * 80_000  # ~1.8 MB: over the query limit, under the upload limit
    response = requests.put(secure.url + "/store", params={"graph": "https://w3id.org/kommunalgraph/graph/report/big"},
                            data=body.encode(), timeout=120,
                            headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code in (200, 201), response.text


def test_deep_nesting_is_a_400_and_the_workers_live_on(secure):
    text = "SELECT * WHERE { FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }"
    response = requests.post(secure.url + "/sparql", data={"query": text}, timeout=60)
    assert response.status_code == 400 and "deeper" in response.json()["error"]
    update = "INSERT DATA { GRAPH <http://e/g> { <urn:a> <urn:b> " + "(" * 100_000 + " )" * 100_000 + " } }"
    response = requests.post(secure.url + "/sparql", data=update.encode(), timeout=60,
                             headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400
    check = requests.get(secure.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert check.status_code == 200 and check.json()["boolean"] is True
