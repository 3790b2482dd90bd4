"""Strict mode (issue 10): where no network namespace can be made, texts are refused by their words.

KG_SANDBOX=0 makes the workers skip the namespace, as on a system that refuses unshare().
"""

from __future__ import annotations

import json

import pytest
import requests

from tests.helpers import BASE_IRI, TOKEN, writer_server
from tests.security.helpers import snapshot


@pytest.fixture(scope="module")
def strict(seed_store, listeners, tmp_path_factory):
    root = tmp_path_factory.mktemp("strict")
    store = type(seed_store)(seed_store.backup(root / "store"))
    server = writer_server(store, root, SANDBOX=0, QUERY_TIMEOUT=5,
                           FEDERATION_ENDPOINTS=json.dumps([listeners["allowed"].url]))
    yield server
    server.stop()


def test_the_server_says_at_start_that_it_runs_in_strict_mode(strict):
    assert "strict mode" in strict.output()


@pytest.mark.parametrize("template", [
    'SELECT * WHERE {{ BIND("\\u005c" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND("" AS ?z) }}',
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}" + " " * 50_001,
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} # comment",
])
def test_unprovable_service_queries_are_refused_before_any_engine_sees_them(strict, listeners, template):
    forbidden = listeners["forbidden"]
    before = forbidden.drain()
    response = requests.post(strict.url + "/sparql", data={"query": template.format(url=forbidden.url)}, timeout=60)
    assert response.status_code == 403 and "strict mode" in response.json()["error"], response.text
    assert forbidden.drain() == before


def test_proven_queries_still_run(strict, listeners):
    literal = requests.get(strict.url + "/sparql", timeout=60,
                           params={"query": 'SELECT ?download WHERE { BIND("customer service" AS ?download) }'})
    assert literal.status_code == 200, literal.text
    allowed = listeners["allowed"]
    before = allowed.drain()
    federated = requests.get(strict.url + "/sparql", timeout=60,
                             params={"query": f"SELECT * WHERE {{ SERVICE <{allowed.url}> {{ ?s ?p ?o }} }}"})
    assert federated.status_code == 502  # the listener hangs up: the call was made, as allowed
    assert allowed.wait_for(before + 1) > before


@pytest.mark.parametrize("text", [
    "LOAD <{url}>",
    'INSERT DATA {{ GRAPH <' + BASE_IRI + 'graph/report/s> {{ <urn:a> <urn:p> "download" }} }}',
])
def test_updates_that_mention_load_or_service_are_refused(strict, listeners, text):
    forbidden = listeners["forbidden"]
    before, state = forbidden.drain(), snapshot(strict.url)
    response = requests.post(strict.url + "/sparql", data=text.format(url=forbidden.url).encode(), timeout=60,
                             headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403 and "strict mode" in response.json()["error"], response.text
    assert forbidden.drain() == before and snapshot(strict.url) == state
