"""Issue 10, requests 1, 2 and 5: the policy is decided on what the engine runs.

Each request of the issue is sent to a real server (real, sandboxed workers). Each test checks
the status, that no connection reached a listener on 127.0.0.1, and that the store is unchanged.
"""

from __future__ import annotations

import json

import pytest
import requests

from graph.writes.write_log import WRITE_LOG
from tests.helpers import BASE_IRI, KG, TOKEN, workshop_update
from tests.security.helpers import snapshot

UPDATE = "application/sparql-update"
REPORT_A = BASE_IRI + "graph/report/a"


def query(server, text: str, how: str = "get") -> requests.Response:
    if how == "form":
        return requests.post(server.url + "/sparql", data={"query": text}, timeout=60)
    return requests.get(server.url + "/sparql", params={"query": text}, timeout=60)


def update(server, text: str) -> requests.Response:
    return requests.post(server.url + "/sparql", data=text.encode(), timeout=60,
                         headers={"Content-Type": UPDATE, "Authorization": f"Bearer {TOKEN}"})


SSRF = [
    'SELECT * WHERE {{ BIND("\\u005c" AS ?x) SERVICE <{url}?x=1> {{ ?s ?p ?o }} BIND("" AS ?z) }}',
    "PREFIX ex: <http://e/> SELECT * WHERE {{ VALUES ?v {{ ex:a\\# }} SERVICE <{url}> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}" + " " * 50_001,
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} " + "# pad\n" * 9000,
]


@pytest.mark.parametrize("template", SSRF, ids=["u005c", "pname-escape", "padding", "comments"])
@pytest.mark.parametrize("how", ["get", "form"])
def test_ssrf_through_parser_disagreements_is_refused_without_a_connection(secure, listeners, template, how):
    forbidden = listeners["forbidden"]
    before = forbidden.drain()
    response = query(secure, template.format(url=forbidden.url), how)
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["status"] == 403 and "refused by policy" in body["error"]
    assert "Oxigraph" not in body["error"] and "payload" not in body["error"]
    assert forbidden.drain() == before, "a SERVICE call reached the listener"


def test_the_allow_listed_endpoint_is_reached_through_the_federation_worker(secure, listeners):
    """The control: the listener does see a call the gate proves allow-listed."""
    allowed = listeners["allowed"]
    before = allowed.drain()
    response = query(secure, f"SELECT * WHERE {{ SERVICE <{allowed.url}> {{ ?s ?p ?o }} }}")
    assert response.status_code == 502, response.text  # the listener hangs up
    assert allowed.wait_for(before + 1) > before


def test_a_service_the_gate_proves_forbidden_is_403_not_malformed(secure, listeners):
    forbidden = listeners["forbidden"]
    before = forbidden.drain()
    response = query(secure, f"SELECT * WHERE {{ SERVICE <{forbidden.url}> {{ ?s ?p ?o }} }}")
    assert response.status_code == 403 and "not allowed" in response.json()["error"]
    assert forbidden.drain() == before


def _log_entries(server) -> list[dict]:
    path = server.store.root / WRITE_LOG
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


WORKSHOP_WITHOUT_TITLE = (f'<{BASE_IRI}id/workshop/untitled> a <{KG}Workshop> ; '
                          f'<http://www.w3.org/2000/01/rdf-schema#label> "x"@de')
BYPASSES = {
    "load": ("LOAD <{url}>", 403),
    "default-graph": ("INSERT DATA {{ <urn:x> <urn:p> <urn:o> }}", 403),
    "ontology-graph": ("INSERT DATA {{ GRAPH <https://w3id.org/kommunalgraph/ontology> {{ <urn:x> <urn:p> 1 }} }}", 403),
    "no-title": ("INSERT DATA {{ GRAPH <" + REPORT_A + "> {{ " + WORKSHOP_WITHOUT_TITLE.replace("{", "{{")
                 .replace("}", "}}") + " }} }}", 409),
    "drop-links": (f"DROP GRAPH <{BASE_IRI}graph/links>", 403),
}


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_write_gate_bypasses_are_judged_by_their_effect(secure, listeners, name):
    operation, status = BYPASSES[name]
    forbidden = listeners["forbidden"]
    text = (f'INSERT DATA {{ GRAPH <{REPORT_A}> {{ <urn:a> <urn:p> "\\u005c" }} }} ; '
            f'{operation.format(url=forbidden.url)} #" }} }}')
    before, connections, entries = snapshot(secure.url), forbidden.drain(), len(_log_entries(secure))
    response = update(secure, text)
    assert response.status_code == status, response.text
    assert response.json()["status"] == status
    assert forbidden.drain() == connections, "LOAD reached the listener"
    assert snapshot(secure.url) == before, "the store changed"
    logged = _log_entries(secure)[entries:]
    assert len(logged) == 1 and logged[0]["outcome"] in ("rejected", "failed")
    assert logged[0]["request"] == text, "the log holds the whole request, every operation"


def test_a_plain_write_is_logged_with_its_effect_per_graph(secure):
    entries = len(_log_entries(secure))
    text = workshop_update("sec1", graph=REPORT_A) + f' ; INSERT DATA {{ GRAPH <{REPORT_A}x> {{ <urn:b> <urn:p> 1 }} }}'
    response = update(secure, text)
    assert response.status_code == 200, response.text
    entry = _log_entries(secure)[entries]
    assert entry["outcome"] == "committed" and entry["request"] == text
    assert entry["effect"] == {REPORT_A: {"added": 7, "removed": 0}, REPORT_A + "x": {"added": 1, "removed": 0}}


@pytest.mark.parametrize("text, status", [
    ('SELECT * WHERE { BIND("\\UFFFFFFFF" AS ?x) }', 400),
    ('SELECT * WHERE { BIND("service \\U0001F600" AS ?x) }', 200),
    ('SELECT * WHERE { BIND("service \\u00410042" AS ?x) }', 200),
    ("SELECT * WHERE " + "{" * 2 + " ?s ?p ?o " + "}" * 2 + " LIMIT 1", 200),
])
def test_escapes_are_the_engines_business(secure, text, status):
    response = query(secure, text)
    assert response.status_code == status, response.text


def test_an_update_with_an_eight_digit_looking_escape_is_read_as_oxigraph_reads_it(secure):
    text = f'INSERT DATA {{ GRAPH <{REPORT_A}y> {{ <urn:c> <urn:p> "\\u00410042" }} }}'
    response = update(secure, text)
    assert response.status_code == 200, response.text
    check = query(secure, f'ASK {{ GRAPH <{REPORT_A}y> {{ <urn:c> <urn:p> "A0042" }} }}')
    assert check.json()["boolean"] is True
