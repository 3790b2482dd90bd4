"""Named query `workshops` over HTTP (params state, year)."""

from __future__ import annotations

import csv
import io

import requests

COLUMNS = ["workshop", "title", "date", "year", "municipality", "municipalityLabel", "state", "stateLabel"]


def rows(server, **params):
    response = requests.get(server.url + "/api/queries/workshops", params=params, timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["head"]["vars"] == COLUMNS
    return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]


def test_2022_gives_the_four_workshops_with_place_state_and_date(server):
    found = {(r["municipalityLabel"], r["stateLabel"], r["date"]) for r in rows(server, year="2022")}
    assert found == {("Bad Schönborn", "Baden-Württemberg", "2022-04"), ("Achern", "Baden-Württemberg", "2022-05"),
                     ("Lippische Kommunen", "Nordrhein-Westfalen", "2022-05-11"),
                     ("Neubrandenburg", "Mecklenburg-Vorpommern", "2022-05")}


def test_without_parameters_all_five_including_2021(server):
    assert sorted(r["year"] for r in rows(server)) == ["2021", "2022", "2022", "2022", "2022"]


def test_state_by_name_key_or_iri(server):
    by_name = rows(server, state="Baden-Württemberg")
    by_key = rows(server, state="08")
    by_iri = rows(server, state="https://w3id.org/kommunalgraph/id/state/08")
    assert by_name == by_key == by_iri
    assert {r["municipalityLabel"] for r in by_name} == {"Bad Schönborn", "Achern"}


def test_state_and_year_combine(server):
    assert [r["municipalityLabel"] for r in rows(server, state="Mecklenburg-Vorpommern", year="2021")] == ["Neubrandenburg"]
    assert rows(server, state="Bayern") == []


def test_csv_by_accept_and_by_suffix(server):
    by_accept = requests.get(server.url + "/api/queries/workshops", params={"year": "2022"},
                             headers={"Accept": "text/csv"}, timeout=30)
    by_suffix = requests.get(server.url + "/api/queries/workshops.csv", params={"year": "2022"}, timeout=30)
    assert by_accept.text == by_suffix.text
    table = list(csv.DictReader(io.StringIO(by_accept.text)))
    assert len(table) == 4 and set(table[0]) == set(COLUMNS)


def test_bad_parameters_are_400_naming_the_parameter(server):
    for params, name in (({"year": "zweitausend"}, "year"), ({"state": "Atlantis"}, "state"),
                         ({"land": "Bayern"}, "land")):
        response = requests.get(server.url + "/api/queries/workshops", params=params, timeout=30)
        assert response.status_code == 400 and response.json()["parameter"] == name
