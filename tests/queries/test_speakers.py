"""Named query `speakers` over HTTP (param topic)."""

from __future__ import annotations

import requests

COLUMNS = ["person", "name", "organisation", "organisationLabel", "role", "workshop", "talkTitle", "topic"]


def rows(server, **params):
    response = requests.get(server.url + "/api/queries/speakers", params=params, timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["head"]["vars"] == COLUMNS
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def test_the_five_speakers_with_their_organisations(server):
    found = {(r["name"], r["organisationLabel"], r.get("role")) for r in rows(server)}
    assert found == {
        ("Sebastian Warkentin", "Digitalagentur Heidelberg", None),
        ("Oliver Kasties", "Stadt Goslar", None),
        ("Andreas Möser", "Landeshauptstadt Hannover", "Leiter der Presse- und Öffentlichkeitsarbeit"),
        ("Andreas Wehrenpfennig", "Hochschule Neubrandenburg", None),
        ("Marcus Ott", "Stadt Flensburg", "CDO"),
    }


def test_talk_titles_or_descriptions(server):
    titles = {r["name"]: r["talkTitle"] for r in rows(server)}
    assert titles["Oliver Kasties"] == "GoNet – Das Social Intranet der Stadt Goslar"
    assert titles["Sebastian Warkentin"] == "Impulsvortrag von Sebastian Warkentin"


def test_topic_filter_includes_narrower_topics(server):
    assert {r["name"] for r in rows(server, topic="LoRaWAN")} == {"Sebastian Warkentin"}
    assert {r["name"] for r in rows(server, topic="Internet of Things")} == {"Sebastian Warkentin"}
    assert {r["name"] for r in rows(server, topic="kommunikation")} == {"Oliver Kasties", "Andreas Möser"}
    assert rows(server, topic="Smart City") == []


def test_unknown_topic_is_400(server):
    response = requests.get(server.url + "/api/queries/speakers", params={"topic": "Blockchain"}, timeout=30)
    assert response.status_code == 400 and "Blockchain" in response.json()["error"]
