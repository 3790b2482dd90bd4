"""The Wikidata client against a real local endpoint that answers 429, sleeps or errs first."""

from __future__ import annotations

import email.utils
import time

import pytest

from graph.linking.matching import Entity, match_by_key
from graph.errors import WikidataUnavailable
from graph.linking.wikidata import ClientSettings, WikidataClient
from tests.linking.endpoints import ScriptedEndpoint

HEIDELBERG = 'SELECT ?item WHERE { ?item wdt:P439 "08221000" }'


@pytest.fixture()
def endpoint(request):
    scripted = ScriptedEndpoint(getattr(request, "param", []))
    yield scripted
    scripted.close()


def client_for(endpoint, **settings) -> tuple[WikidataClient, list[float]]:
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        # The pauses the client asks for are recorded, not taken: the tests check their lengths,
        # and the scripted endpoint does not care when the retry comes.
        slept.append(seconds)

    options = {"pause": 0, "backoff": 0.1, "timeout": 1, "retries": 2, **settings}
    return WikidataClient(ClientSettings(endpoint.url, **options), sleep=sleep), slept


@pytest.mark.parametrize("endpoint", [["429:1"]], indirect=True)
def test_429_waits_as_long_as_retry_after_says(endpoint):
    client, slept = client_for(endpoint)
    assert client.select(HEIDELBERG) == [{"item": "http://www.wikidata.org/entity/Q2966"}]
    assert slept == [1.0] and len(endpoint.requests) == 2
    agent = endpoint.requests[0]["user_agent"]
    assert agent.startswith("Kommunalgraph/") and "https://w3id.org/kommunalgraph/" in agent
    assert "application/sparql-results+json" in endpoint.requests[0]["accept"]


def test_429_with_an_http_date(endpoint):
    endpoint.script = [f"429:{email.utils.formatdate(time.time() + 2, usegmt=True)}"]
    client, slept = client_for(endpoint)
    assert len(client.select(HEIDELBERG)) == 1
    assert len(slept) == 1 and 0.5 <= slept[0] <= 2.0


@pytest.mark.parametrize("endpoint", [["sleep:3"]], indirect=True)
def test_a_timeout_is_retried_with_backoff(endpoint):
    client, slept = client_for(endpoint)
    started = time.monotonic()
    assert len(client.select(HEIDELBERG)) == 1
    assert slept == [0.1] and time.monotonic() - started < 2.9, "the client did not wait for the slow answer"


@pytest.mark.parametrize("endpoint", [["sleep:2", "sleep:2"]], indirect=True)
def test_repeated_timeouts_give_up_with_a_clear_message(endpoint):
    client, slept = client_for(endpoint, retries=1)
    with pytest.raises(WikidataUnavailable, match=r"did not answer within 1 s \(2 attempts\)"):
        client.select(HEIDELBERG)
    assert slept == [0.1]


@pytest.mark.parametrize("endpoint", [["503", "503"]], indirect=True)
def test_backoff_doubles_without_retry_after(endpoint):
    client, slept = client_for(endpoint)
    assert len(client.select(HEIDELBERG)) == 1
    assert slept == [0.1, 0.2]


def test_a_query_the_endpoint_rejects_is_not_retried(endpoint):
    client, _ = client_for(endpoint)
    with pytest.raises(WikidataUnavailable, match="failed"):
        client.select("SELECT ?x WHERE { this is not sparql }")
    assert len(endpoint.requests) == 1


def test_keys_are_sent_in_batched_values_blocks(endpoint):
    towns = [Entity("municipality", ags, [(name, "")], ags=ags) for ags, name in [
        ("08221000", "Heidelberg"), ("03241001", "Hannover"), ("01001000", "Flensburg"), ("08317001", "Achern"),
        ("13071107", "Neubrandenburg")]]
    client, _ = client_for(endpoint, batch_size=2)
    hits = match_by_key(client, "municipality", towns)
    assert len(endpoint.requests) == 3 and all("VALUES ?value" in r["query"] for r in endpoint.requests)
    assert {key: [c.wikidata for c in found] for key, found in hits.items()} == {
        "08221000": ["Q2966"], "03241001": ["Q1715"], "01001000": ["Q3798"], "08317001": ["Q900000003"],
        "13071107": ["Q900000002"]}


def test_the_pause_between_queries_is_kept(endpoint):
    client, slept = client_for(endpoint, pause=0.3)
    client.select(HEIDELBERG)
    client.select(HEIDELBERG)
    assert len(slept) == 1 and 0.2 < slept[0] <= 0.3
