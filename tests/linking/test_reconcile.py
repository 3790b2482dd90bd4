"""The reconciliation service at /reconcile against the real server (Reconciliation API 0.2, issue 5).

The shape checks below are our own restatement of the constraints in the API's 0.2 JSON
Schemas (manifest, reconciliation-result-batch, suggest-*-response, data-extension-response).
"""

from __future__ import annotations

import json
import re

import pytest
import requests

URL = "/reconcile"
FORM = "application/x-www-form-urlencoded"


def post(server, **fields) -> requests.Response:
    """As OpenRefine sends it: a form-encoded body with a JSON value."""
    return requests.post(server.url + URL, data={k: json.dumps(v) if not isinstance(v, str) else v
                                                 for k, v in fields.items()}, timeout=30)


# -- the schema constraints, restated ----------------------------------------------------------

def check_manifest(m: dict) -> None:
    for key in ("versions", "name", "identifierSpace", "schemaSpace"):
        assert key in m, key
    assert isinstance(m["versions"], list) and all(isinstance(v, str) for v in m["versions"]) and "0.2" in m["versions"]
    assert all(isinstance(m[k], str) for k in ("name", "identifierSpace", "schemaSpace", "serviceVersion"))
    assert "{{id}}" in m["view"]["url"]
    assert "{{id}}" in m["preview"]["url"] and isinstance(m["preview"]["width"], int) \
        and isinstance(m["preview"]["height"], int)
    for service in m["suggest"].values():
        assert isinstance(service["service_url"], str) and isinstance(service["service_path"], str)
    assert isinstance(m["extend"]["propose_properties"]["service_url"], str)
    ids = [t["id"] for t in m["defaultTypes"]]
    assert len(ids) == len(set(ids)) and all(isinstance(t["name"], str) for t in m["defaultTypes"])


def check_type_list(types) -> None:
    assert isinstance(types, list)
    for t in types:
        assert isinstance(t, str) or (isinstance(t, dict) and isinstance(t["id"], str))


def check_result_batch(body: dict, keys) -> None:
    assert set(body) == set(keys)
    for entry in body.values():
        assert isinstance(entry["result"], list)
        for candidate in entry["result"]:
            assert isinstance(candidate["id"], str) and candidate["id"]
            assert isinstance(candidate["name"], str) and candidate["name"]
            assert isinstance(candidate["score"], (int, float)) and not isinstance(candidate["score"], bool)
            assert isinstance(candidate.get("match", False), bool)
            assert isinstance(candidate.get("description", ""), str)
            check_type_list(candidate["type"])
            for feature in candidate.get("features", []):
                assert isinstance(feature["id"], str) and isinstance(feature["value"], (bool, int, float))
        scores = [c["score"] for c in entry["result"]]
        assert scores == sorted(scores, reverse=True), "candidates by decreasing score"


def check_suggest(body: dict, notable: bool = False) -> None:
    assert isinstance(body["result"], list)
    for item in body["result"]:
        assert isinstance(item["id"], str) and isinstance(item["name"], str)
        if notable:
            check_type_list(item.get("notable", []))


DATE = re.compile(r"^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")


def check_extension(body: dict, ids, pids) -> None:
    assert set(body) == {"meta", "rows"}
    assert [m["id"] for m in body["meta"]] == list(pids)
    for column in body["meta"]:
        assert isinstance(column["name"], str)
        if "type" in column:
            assert isinstance(column["type"]["id"], str)
        if "service" in column:
            assert re.match(r"^https?://", column["service"])
    assert set(body["rows"]) == set(ids)
    for row in body["rows"].values():
        for values in row.values():
            for value in values:
                kinds = set(value)
                assert kinds in ({"id", "name"}, {"id", "name", "description"}, {"str"}, {"float"}, {"int"},
                                 {"date"}, set()), value
                if "str" in value:
                    assert isinstance(value["str"], str)
                if "date" in value:
                    assert DATE.match(value["date"])


# -- the service -------------------------------------------------------------------------------

def test_manifest(server):
    response = requests.get(server.url + URL, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    manifest = response.json()
    check_manifest(manifest)
    assert manifest["identifierSpace"] == "https://w3id.org/kommunalgraph/id/"
    assert manifest["batchSize"] == 50


def test_heidelberg_stadt_achern_neubrandenburg_and_their_wikidata_items(server):
    """Issue 5, done when: right entities first with match: true, QIDs by data extension where known."""
    queries = {"q0": {"query": "Heidelberg", "type": "Municipality"},
               "q1": {"query": "Stadt Achern", "type": "Municipality"},
               "q2": {"query": "Neubrandenburg", "type": "Municipality"}}
    response = post(server, queries=queries)
    assert response.status_code == 200
    body = response.json()
    check_result_batch(body, queries)
    firsts = {key: body[key]["result"][0] for key in queries}
    assert {k: (c["id"], c["match"]) for k, c in firsts.items()} == {
        "q0": ("municipality/08221000", True), "q1": ("municipality/08317001", True),
        "q2": ("municipality/13071107", True)}
    ids = [c["id"] for c in firsts.values()]
    extension = post(server, extend={"ids": ids, "properties": [{"id": "wikidata"}, {"id": "P439"}]}).json()
    check_extension(extension, ids, ["wikidata", "P439"])
    # Heidelberg's QID is verified; Achern's and Neubrandenburg's are not known, so none is given.
    assert extension["rows"]["municipality/08221000"]["wikidata"] == [{"id": "Q2966", "name": "Heidelberg"}]
    assert extension["rows"]["municipality/08317001"]["wikidata"] == []
    assert extension["rows"]["municipality/13071107"]["wikidata"] == []
    assert extension["rows"]["municipality/08317001"]["P439"] == [{"str": "08317001"}]
    assert extension["meta"][0]["service"].startswith("https://")


def test_openrefine_request_flow(server):
    """Manifest, type guessing, reconciliation with a property, property proposal, extension, preview."""
    manifest = requests.get(server.url + URL, timeout=30).json()
    names = ["Heidelberg", "Stadt Achern", "Neubrandenburg", "Bad Schönborn", "Flensburg", "Goslar", "Hannover"]
    guess = post(server, queries={f"q{i}": {"query": n, "limit": 3} for i, n in enumerate(names)}).json()
    assert guessed_types(guess)[0] == "Municipality"
    ags = {"Heidelberg": "08221000", "Stadt Achern": "08317001", "Neubrandenburg": "13071107",
           "Bad Schönborn": "08215100", "Flensburg": "01001000", "Goslar": "03153017", "Hannover": "03241001"}
    batch = {f"q{i}": {"query": n, "type": "Municipality", "type_strict": "should",
                       "properties": [{"pid": "P439", "v": ags[n]}]} for i, n in enumerate(names)}
    result = post(server, queries=batch).json()
    check_result_batch(result, batch)
    matched = {batch[k]["query"]: r["result"][0] for k, r in result.items()}
    assert all(c["match"] and c["id"] == f"municipality/{ags[n]}" for n, c in matched.items())
    proposal = requests.get(manifest["extend"]["propose_properties"]["service_url"]
                            + manifest["extend"]["propose_properties"]["service_path"],
                            params={"type": "Municipality"}, timeout=30).json()
    assert proposal["type"] == "Municipality" and {"wikidata", "P439", "state"} <= {p["id"] for p in proposal["properties"]}
    ids = [c["id"] for c in matched.values()]
    extension = post(server, extend={"ids": ids, "properties": [{"id": "wikidata"}, {"id": "state"}]}).json()
    check_extension(extension, ids, ["wikidata", "state"])
    assert extension["rows"]["municipality/03241001"]["wikidata"] == [{"id": "Q1715", "name": "Hannover"}]
    assert extension["rows"]["municipality/03153017"]["state"] == [{"id": "state/03", "name": "Niedersachsen"}]
    preview = requests.get(manifest["preview"]["url"].replace("{{id}}", requests.utils.quote(ids[0], safe="")),
                           timeout=30)
    assert preview.status_code == 200 and preview.headers["Content-Type"].startswith("text/html")
    assert "Heidelberg" in preview.text and "https://www.wikidata.org/wiki/Q2966" in preview.text
    view = requests.get(manifest["view"]["url"].replace("{{id}}", requests.utils.quote(ids[0], safe="")),
                        timeout=30, allow_redirects=False)
    assert view.status_code == 302 and view.headers["Location"] == manifest["identifierSpace"] + ids[0]


def guessed_types(results: dict) -> list[str]:
    """Types ranked the way OpenRefine guesses a column's type: by how often, then by rank-weighted score."""
    groups: dict[str, list[float]] = {}
    for entry in results.values():
        for rank, candidate in enumerate(entry["result"]):
            types = candidate["type"]
            for t, type_ in enumerate(types):
                groups.setdefault(type_["id"], []).append(1 / (1 + rank) * (len(types) - t) / len(types))
    return sorted(groups, key=lambda g: (-min(10, len(groups[g])), -sum(groups[g]) / len(groups[g])))


@pytest.mark.parametrize("name, expected", [
    ("Bad Schoenborn", "municipality/08215100"), ("Bad-Schönborn", "municipality/08215100"),
    ("Gemeinde Bad Schönborn", "municipality/08215100"), ("BAD SCHÖNBORN", "municipality/08215100"),
    ("Stadt Neubrandenburg", "municipality/13071107"), ("Neu-Brandenburg", "municipality/13071107"),
    ("Landeshauptstadt Hannover", "municipality/03241001"), ("municipality/08221000", "municipality/08221000"),
    ("https://w3id.org/kommunalgraph/id/municipality/01001000", "municipality/01001000"),
])
def test_spelling_variants_match(server, name, expected):
    first = post(server, queries={"q": {"query": name, "type": "Municipality"}}).json()["q"]["result"][0]
    assert first["id"] == expected and first["match"] is True


def test_persons_by_name_and_organisation(server):
    right = {"query": "Marcus Ott", "type": "Person", "properties": [{"pid": "organisation", "v": "Stadt Flensburg"}]}
    wrong = {**right, "properties": [{"pid": "organisation", "v": "Stadt Goslar"}]}
    body = post(server, queries={"right": right, "wrong": wrong}).json()
    assert body["right"]["result"][0]["id"] == "person/marcus-ott" and body["right"]["result"][0]["match"]
    assert {"id": "organisation", "value": True} in body["right"]["result"][0]["features"]
    assert body["wrong"]["result"][0]["score"] < body["right"]["result"][0]["score"]
    assert body["wrong"]["result"][0]["match"] is False


def test_properties_alone_and_state(server):
    body = post(server, queries={"q": {"type": "Municipality", "properties": [{"pid": "P439", "v": "08317001"}]},
                                 "s": {"query": "Goslar", "properties": [{"pid": "state", "v": "Niedersachsen"}]}}).json()
    assert body["q"]["result"][0]["id"] == "municipality/08317001"
    assert body["s"]["result"][0]["id"] == "municipality/03153017"


def test_ambiguous_names_are_not_a_match(server):
    """Without a type, 'Stadt Achern' names the town and its administration; 'Heidelberg' only the town."""
    body = post(server, queries={"a": {"query": "Stadt Achern"}, "h": {"query": "Heidelberg"}}).json()
    assert {c["id"] for c in body["a"]["result"][:2]} == {"municipality/08317001", "organisation/stadt-achern"}
    assert not any(c["match"] for c in body["a"]["result"])
    assert body["h"]["result"][0]["id"] == "municipality/08221000" and body["h"]["result"][0]["match"]


def test_suggest_services(server):
    entity = requests.get(server.url + URL + "/suggest/entity", params={"prefix": "neubr"}, timeout=30).json()
    check_suggest(entity, notable=True)
    assert entity["result"][0]["id"] == "municipality/13071107"
    by_id = requests.get(server.url + URL + "/suggest/entity", params={"prefix": "person/marcus-ott"}, timeout=30)
    assert by_id.json()["result"][0]["name"] == "Marcus Ott"
    typed = requests.get(server.url + URL + "/suggest/type", params={"prefix": "gemein"}, timeout=30).json()
    check_suggest(typed)
    assert typed["result"][0]["id"] == "Municipality"
    prop = requests.get(server.url + URL + "/suggest/property", params={"prefix": "ags"}, timeout=30).json()
    check_suggest(prop)
    assert [p["id"] for p in prop["result"]] == ["P439"]


def test_cors_on_every_endpoint_and_on_errors(server):
    headers = {"Origin": "https://portal.example"}
    for path in ("", "/suggest/entity?prefix=a", "/suggest/type?prefix=a", "/suggest/property?prefix=a",
                 "/properties?type=Municipality", "/preview?id=municipality/08221000", "/preview?id=nope",
                 "?queries=%7B", "/properties"):
        response = requests.get(server.url + URL + path, headers=headers, timeout=30)
        assert response.headers.get("Access-Control-Allow-Origin") == "*", path
    posted = requests.post(server.url + URL, data={"queries": "{}"}, headers=headers, timeout=30)
    assert posted.status_code == 400 and posted.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(server.url + URL, timeout=30, headers={
        **headers, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("fields, status, message", [
    ({"queries": "{not json"}, 400, "'queries' is not valid JSON"),
    ({"queries": "[1, 2]"}, 400, "non-empty JSON object"),
    ({"queries": "{}"}, 400, "non-empty JSON object"),
    ({"queries": '{"q": "Heidelberg"}'}, 400, "queries.q must be an object"),
    ({"queries": '{"q": {"query": 5}}'}, 400, "queries.q.query must be a string"),
    ({"queries": '{"q": {"query": "x", "limit": "ten"}}'}, 400, "limit must be a positive number"),
    ({"queries": '{"q": {"query": "x", "limit": 0}}'}, 400, "limit must be a positive number"),
    ({"queries": '{"q": {"query": "x", "type": 7}}'}, 400, "type must be a type id"),
    ({"queries": '{"q": {"query": "x", "type": "Planet"}}'}, 400, "unknown type 'Planet'"),
    ({"queries": '{"q": {"query": "x", "colour": "red"}}'}, 400, "unknown field(s) colour"),
    ({"queries": '{"q": {"query": "x", "type_strict": "maybe"}}'}, 400, "type_strict must be one of"),
    ({"queries": '{"q": {"query": "x", "properties": {"pid": "P439"}}}'}, 400, "properties must be a list"),
    ({"queries": '{"q": {"query": "x", "properties": [{"pid": "P439"}]}}'}, 400, "needs 'pid' and 'v'"),
    ({"queries": '{"q": {"query": "x", "properties": [{"pid": "P999", "v": "1"}]}}'}, 400, "unknown property 'P999'"),
    ({"queries": '{"q": {"query": "x", "properties": [{"pid": "P439", "v": [[1]]}]}}'}, 400, "v must be a string"),
    ({"queries": '{"q": {"query": "  "}}'}, 400, "needs 'query' or non-empty 'properties'"),
    ({"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(51)})}, 413, "at most 50"),
    ({"extend": "{oops"}, 400, "'extend' is not valid JSON"),
    ({"extend": '{"ids": "municipality/08221000", "properties": []}'}, 400, "'extend' must be"),
    ({"extend": '{"ids": [1], "properties": []}'}, 400, "must be a list of entity ids"),
    ({"extend": '{"ids": ["municipality/08221000"], "properties": [{"id": "colour"}]}'}, 400, "unknown property"),
    ({"extend": json.dumps({"ids": [f"x{i}" for i in range(501)], "properties": []})}, 413, "at most 500"),
    ({"other": "1"}, 400, "send 'queries' or 'extend'"),
])
def test_bad_requests_get_a_precise_error(server, fields, status, message):
    response = requests.post(server.url + URL, data=fields, timeout=30)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and message in body["error"]


@pytest.mark.parametrize("path, status, message", [
    ("/preview?id=municipality/00000000", 404, "no entity with id"),
    ("/preview", 400, "'id' is required"),
    ("/view?id=nothing", 404, "no entity with id"),
    ("/properties", 400, "'type' is required"),
    ("/properties?type=Planet", 400, "unknown type"),
    ("/properties?type=Municipality&limit=-1", 400, "'limit' must be a non-negative integer"),
    ("/suggest/entity", 400, "'prefix' is required"),
    ("/suggest/entity?prefix=a&cursor=x", 400, "'cursor' must be a non-negative integer"),
    ("?queries=%5B%5D", 400, "non-empty JSON object"),
])
def test_bad_get_requests(server, path, status, message):
    response = requests.get(server.url + URL + path, timeout=30)
    assert response.status_code == status and message in response.json()["error"]


def test_unknown_ids_in_extension_get_empty_rows(server):
    body = post(server, extend={"ids": ["municipality/00000000"], "properties": [{"id": "P439"}]}).json()
    assert body["rows"] == {"municipality/00000000": {"P439": []}}


def test_wrong_content_type_and_huge_bodies(server):
    as_json = requests.post(server.url + URL, json={"queries": {}}, timeout=30)
    assert as_json.status_code == 415 and "x-www-form-urlencoded" in as_json.json()["error"]
    huge = requests.post(server.url + URL, data={"queries": "x" * (2 * 1024 * 1024)}, timeout=30)
    assert huge.status_code == 413 and huge.json()["status"] == 413
