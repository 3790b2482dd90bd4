"""Named query `municipalities` over HTTP (param state)."""

from __future__ import annotations

import requests


def rows(server, **params):
    response = requests.get(server.url + "/api/queries/municipalities", params=params, timeout=30)
    assert response.status_code == 200
    assert response.json()["head"]["vars"] == ["municipality", "label", "ags", "ars", "state", "stateLabel", "wikidata"]
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def test_the_seven_towns_with_ags_state_and_verified_wikidata(server):
    found = {r["label"]: (r["ags"], r["stateLabel"], r.get("wikidata")) for r in rows(server)}
    wd = "http://www.wikidata.org/entity/"
    assert found == {
        "Achern": ("08317001", "Baden-Württemberg", None),
        "Bad Schönborn": ("08215100", "Baden-Württemberg", None),
        "Flensburg": ("01001000", "Schleswig-Holstein", wd + "Q3798"),
        "Goslar": ("03153017", "Niedersachsen", None),
        "Hannover": ("03241001", "Niedersachsen", wd + "Q1715"),
        "Heidelberg": ("08221000", "Baden-Württemberg", wd + "Q2966"),
        "Neubrandenburg": ("13071107", "Mecklenburg-Vorpommern", None),
    }


def test_filter_by_state(server):
    assert [r["label"] for r in rows(server, state="Niedersachsen")] == ["Goslar", "Hannover"]


def test_every_listed_municipality_shows_its_ars(server):
    for row in rows(server):
        # The ARS extends the AGS by the Gemeindeverband: same first five and last three digits.
        assert len(row["ars"]) == 12 and row["ars"][:5] == row["ags"][:5] and row["ars"][9:] == row["ags"][5:], row
