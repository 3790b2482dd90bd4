"""Named query `topics` over HTTP."""

from __future__ import annotations

import requests


def test_topics_with_workshop_counts(server):
    response = requests.get(server.url + "/api/queries/topics", timeout=30)
    body = response.json()
    assert body["head"]["vars"] == ["topic", "topicLabel", "topicLabelEn", "workshops"]
    counts = {r["topicLabel"]["value"]: int(r["workshops"]["value"]) for r in body["results"]["bindings"]}
    assert counts["Digitalisierung"] == 5
    assert counts["LoRaWAN"] == 1 and counts["Internet der Dinge"] == 1
    assert counts["Interkommunale Zusammenarbeit"] == 1 and counts["Social Media"] == 1
    assert counts["Digitalisierungsstrategie"] == 4
    values = list(counts.values())
    assert values == sorted(values, reverse=True)


def test_topics_takes_no_parameters(server):
    response = requests.get(server.url + "/api/queries/topics", params={"lang": "en"}, timeout=30)
    assert response.status_code == 400 and response.json()["parameter"] == "lang"
