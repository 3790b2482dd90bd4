"""Search (issue 14, part 4): German-aware full-text index per store version, /api/search, /search.

Issue 14, "Find things": "schonborn", "werkstatt", "LoRaWAN" and "Digitalagentur"
return the expected resources first; broken input gets a 400 or a sane answer, never a 500.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from graph.search.analysis import analyse, match_expression, parts, words
from graph.search.index import build_index_file, index_path, index_root, write_index
from graph.search.query import SearchIndex, parse_request
from server.app import create_app
from tests.helpers import BASE_IRI

ID = BASE_IRI + "id/"


@pytest.fixture(scope="module")
def app(seed_store):
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True})
    yield app
    app.extensions["kommunalgraph"].close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def search(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_build_writes_the_index_of_its_version(seed_store):
    """Issue 14: the index is built with each store version, never from another one."""
    path = index_path(seed_store, seed_store.current())
    assert path.exists()
    assert SearchIndex(path).version() == seed_store.current()


@pytest.mark.parametrize("text, first", [
    ("schonborn", ID + "municipality/08215100"),
    ("Schoenborn", ID + "municipality/08215100"),
    ("Bad Schönborn", ID + "municipality/08215100"),
    ("LoRaWAN", BASE_IRI + "topic/lorawan"),
    ("lorawan", BASE_IRI + "topic/lorawan"),
    ("Digitalagentur", ID + "organisation/digitalagentur-heidelberg"),
    ("Digitalagenturen", ID + "organisation/digitalagentur-heidelberg"),   # inflected
    ("digitalag", ID + "organisation/digitalagentur-heidelberg"),          # typing: a prefix
    ("Neubrandenb", ID + "municipality/13071107"),
])
def test_expected_resource_comes_first_on_the_default_data(client, text, first):
    """Issue 14: the named searches find the expected resource first."""
    body = search(client, q=text)
    assert body["hits"], f"no hits for {text!r}"
    assert body["hits"][0]["iri"] == first, [h["label"] for h in body["hits"][:5]]


def test_werkstatt_finds_hyphenated_and_closed_compounds(tmp_path):
    """Issue 14: "Werkstatt" finds "Digital-Werkstatt" and "Digitalwerkstätten", and the whole word ranks first."""
    store = ox.Store()
    ex = "https://example.org/"
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    org = ox.NamedNode("https://w3id.org/kommunalgraph/ontology#Organisation")
    for name, text in [("a", "Digital-Werkstatt Musterstadt"), ("b", "Verein der Digitalwerkstätten"),
                       ("c", "Werkstatt"), ("d", "Stadtwerke Musterstadt")]:
        store.add(ox.Quad(ox.NamedNode(ex + name), kind, org))
        store.add(ox.Quad(ox.NamedNode(ex + name), label, ox.Literal(text, language="de")))
    build_index_file(store, tmp_path / "i.sqlite", "v1")
    index = SearchIndex(tmp_path / "i.sqlite")
    hits = [h["iri"] for h in index.search(parse_request({"q": "werkstatt"})).hits]
    assert hits[0] == ex + "c" and set(hits) == {ex + "a", ex + "b", ex + "c"}
    joined = [h["iri"] for h in index.search(parse_request({"q": "Digitalwerkstatt"})).hits]
    assert set(joined) == {ex + "a", ex + "b"}


def test_analysis_folds_stems_and_splits():
    """The index terms of one word: both umlaut foldings, the stem, and for compounds the trailing parts."""
    terms = analyse("Schönborn Straße Werkstätten").split()
    assert {"schoenborn", "schonborn", "strasse", "werkstaetten", "werkstatt"} <= set(terms)
    assert "agentur" in parts("Digitalagentur").split()
    assert match_expression("*") is None and match_expression('" - ( )') is None
    # FTS5 syntax is searched as words, never executed as syntax.
    assert match_expression('NEAR(a b) OR "x" -y col:z') .count('"') % 2 == 0


def test_facets_have_counts_and_filter(client):
    """Facets (type, state, year, topic) come with counts over all hits, and filter the hits."""
    body = search(client, q="Digitalisierungsstrategie")
    counts = {facet: {item["value"]: item["count"] for item in items} for facet, items in body["facets"].items()}
    assert set(counts) == {"type", "state", "year", "topic"}
    assert sum(counts["type"].values()) == body["total"]
    assert counts["state"].get("08", 0) >= 1 and counts["year"].get("2022", 0) >= 1
    narrowed = search(client, q="Digitalisierungsstrategie", type="Workshop", state="08")
    assert narrowed["total"] == min(counts["type"]["Workshop"], narrowed["total"]) and narrowed["total"] >= 1
    assert all(h["type"] == "Workshop" for h in narrowed["hits"])
    topic = search(client, q="Digitalisierungsstrategie", topic="lorawan")
    assert 1 <= topic["total"] < body["total"]


def test_paging(client):
    """Limit and offset page through the same ranking."""
    whole = search(client, q="Digitale", limit=10)
    second = search(client, q="Digitale", limit=2, offset=2)
    assert [h["iri"] for h in second["hits"]] == [h["iri"] for h in whole["hits"][2:4]]


@pytest.mark.parametrize("params, parameter", [
    ({}, "q"), ({"q": ""}, "q"), ({"q": "   "}, "q"), ({"q": "x" * 10_000}, "q"), ({"q": '"'}, "q"),
    ({"q": "*"}, "q"), ({"q": "-"}, "q"), ({"q": "NEAR(", "type": "Nonsense"}, "type"),
    ({"q": "a", "state": "99"}, "state"), ({"q": "a", "year": "zwei"}, "year"), ({"q": "a", "topic": "A B"}, "topic"),
    ({"q": "a", "limit": "0"}, "limit"), ({"q": "a", "limit": "1000"}, "limit"), ({"q": "a", "offset": "-1"}, "offset"),
    ({"q": "a", "facet": "type"}, "facet"),
])
def test_broken_input_is_a_400_with_the_error_shape(client, params, parameter):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    body = response.get_json()
    assert body["status"] == 400 and body["parameter"] == parameter and body["error"]


@pytest.mark.parametrize("text", ['"Schönborn', "Schön*", "NEAR(schonborn", "-schonborn", "schonborn OR",
                                  "label:schonborn", "^schonborn", "schonborn)", "{label}: x", "ß", "'; DROP TABLE docs"])
def test_fts_syntax_in_the_query_is_searched_as_text(client, text):
    """FTS5 operators in what a user types never reach FTS5 as syntax: a sane answer, never a 500."""
    body = search(client, q=text)
    assert isinstance(body["hits"], list)
    if words(text) in (["schonborn"], ["schön"]):  # nothing but the name around the syntax
        assert body["hits"][0]["iri"] == ID + "municipality/08215100"


def test_openapi_describes_search(client):
    document = client.get("/api/openapi.json").get_json()
    validate(document)
    operation = document["paths"]["/api/search"]["get"]
    schema = dict(operation["responses"]["200"]["content"]["application/json"]["schema"])
    schema["components"] = document["components"]
    example = {p["name"]: p["example"] for p in operation["parameters"] if "example" in p}
    Draft202012Validator(schema).validate(search(client, **example))
    parameters = {p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert parameters == {"q", "limit", "offset", "type", "state", "year", "topic"}


def test_every_page_has_an_accessible_search_box(client):
    for path in ("/", "/api", "/catalog", "/search"):
        for lang, label in (("de", "Suchbegriff"), ("en", "Search term")):
            response = client.get(path, query_string={"lang": lang}, headers={"Accept": "text/html"})
            assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
            html = HTMLParser(response.get_data(as_text=True))
            form = html.css_first("form[role=search]")
            assert form is not None and form.attributes["method"] == "get" and form.attributes["action"] == "/search"
            box = form.css_first("input[name=q]")
            assert form.css_first(f"label[for={box.attributes['id']}]").text() == label


def test_results_page(client):
    response = client.get("/search", query_string={"q": "schonborn", "lang": "en"})
    assert response.status_code == 200
    html = HTMLParser(response.get_data(as_text=True))
    first = html.css_first("ol.hits li a")
    assert first.text() == "Bad Schönborn" and "municipality/08215100" in first.attributes["href"]
    facet_links = [a.attributes["href"] for a in html.css("aside.facets a")]
    assert any("type=Municipality" in href for href in facet_links)
    assert html.css_first("input[name=q]").attributes["value"] == "schonborn"


def test_results_page_explains_bad_input(client):
    response = client.get("/search", query_string={"q": "x" * 5000})
    assert response.status_code == 400
    assert "at most 200" in HTMLParser(response.get_data(as_text=True)).css_first("[role=alert]").text()


def test_a_missing_index_is_built_by_the_first_search(store_copy, tmp_path):
    """A version without an index file (an older store) gets one at the first search, of that version."""
    for path in index_root(store_copy).glob("*.sqlite"):
        path.unlink()
    app = create_app({"STORE": str(store_copy.root), "QUERY_WORKERS": 1, "TESTING": True})
    try:
        body = app.test_client().get("/api/search?q=schonborn").get_json()
        assert body["version"] == store_copy.current() and body["hits"]
        assert index_path(store_copy, store_copy.current()).exists()
    finally:
        app.extensions["kommunalgraph"].close()


def test_write_index_keeps_only_kept_versions(store_copy):
    index_root(store_copy).mkdir(exist_ok=True)
    stale = index_root(store_copy) / "v00000000000000000001.sqlite"
    stale.write_bytes(b"")
    write_index(store_copy)
    assert not stale.exists()


def test_a_gated_write_indexes_its_version_and_a_rejected_one_none(store_copy):
    """Issue 14: every gated write publishes the index of its version; a rejected write leaves no index."""
    from graph.errors import WriteRejected
    from graph.writes.gate import WriteGate
    from tests.helpers import workshop_update

    gate = WriteGate(store_copy)
    result = gate.update(workshop_update("suchtest"), "alice")
    assert result.changed and "search" in result.seconds
    index = SearchIndex(index_path(store_copy, store_copy.current()))
    found = index.search(parse_request({"q": "Werkstatt suchtest", "state": "08"}))
    assert [h["iri"] for h in found.hits] == [ID + "workshop/suchtest"]
    files = sorted(index_root(store_copy).glob("*.sqlite"))
    with pytest.raises(WriteRejected):
        gate.update(workshop_update("ohne-ort", place=None), "alice")
    assert sorted(index_root(store_copy).glob("*.sqlite")) == files


def test_reconciliation_suggest_and_query_use_the_index(client):
    """Issue 14: suggest finds through the index what name prefixes miss (an inflected form), and
    a reconciliation query gets its candidates from the index."""
    suggested = client.get("/reconcile/suggest/entity", query_string={"prefix": "Digitalagenturen"}).get_json()
    assert [r["id"] for r in suggested["result"]][:1] == ["organisation/digitalagentur-heidelberg"]
    queries = {"q0": {"query": "Schonborn", "type": "Municipality"},
               "q1": {"query": "Gemeinde Bad Schoenborn", "type": "Organisation"}}
    client.application.config["RECONCILE_SCAN_LIMIT"] = 0   # as on a national graph: candidates from the index
    try:
        answer = client.post("/reconcile", data={"queries": json.dumps(queries)}).get_json()
    finally:
        client.application.config["RECONCILE_SCAN_LIMIT"] = 20000
    assert answer["q0"]["result"][0]["id"] == "municipality/08215100"
    assert answer["q1"]["result"][0]["id"] == "organisation/gemeinde-bad-schoenborn"


def test_routes(app):
    routes = {rule.rule for rule in app.url_map.iter_rules()}
    assert {"/search", "/api/search"} <= routes


def test_a_gated_write_on_a_large_graph_leaves_the_index_to_the_first_search(store_copy, monkeypatch):
    """Above SYNC_DOCUMENTS a write does not rebuild the index (it would outlast the write's time
    limit); the first search builds it for the new version, so no answer comes from an old one."""
    from graph.search import index as search_index
    from graph.writes.gate import WriteGate
    from tests.helpers import workshop_update

    write_index(store_copy)
    monkeypatch.setattr(search_index, "SYNC_DOCUMENTS", 10)
    WriteGate(store_copy).update(workshop_update("gross"), "alice")
    assert not index_path(store_copy, store_copy.current()).exists()
    app = create_app({"STORE": str(store_copy.root), "QUERY_WORKERS": 1, "TESTING": True})
    try:
        body = app.test_client().get("/api/search?q=Werkstatt gross").get_json()
        assert body["version"] == store_copy.current() and [h["iri"] for h in body["hits"]] == [ID + "workshop/gross"]
    finally:
        app.extensions["kommunalgraph"].close()


def reference_search(path, text: str, filters: dict, limit: int = 20) -> tuple[int, list[str], dict]:
    """The search done in plain SQL (each hit scored, joined and grouped): what the in-memory facets
    and the page-only ranking of graph/search/query.py must give."""
    import sqlite3

    from graph.search.analysis import key

    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    where, params = "fts MATCH ?", [match_expression(text)]
    for facet, value in filters.items():
        where += " AND EXISTS (SELECT 1 FROM facets f WHERE f.doc = fts.rowid AND f.facet = ? AND f.value = ?)"
        params += [facet, value]
    hits = db.execute(f"SELECT fts.rowid, bm25(fts, 10.0, 4.0, 1.0, 0.5) FROM fts WHERE {where}", params).fetchall()
    docs = {row[0]: row for row in db.execute("SELECT id, iri, label, key FROM docs")}
    wanted = key(text)
    ranked = sorted((0 if docs[d][3] == wanted else 1 if docs[d][3].startswith(wanted) else 2, score, docs[d][2], d)
                    for d, score in hits)
    counts: dict = {}
    for d, _ in hits:
        for facet, value in db.execute("SELECT facet, value FROM facets WHERE doc = ?", (d,)):
            counts.setdefault(facet, {}).setdefault(value, 0)
            counts[facet][value] += 1
    db.close()
    return len(hits), [docs[d][1] for *_, d in ranked[:limit]], counts


@pytest.mark.parametrize("text, filters", [
    ("Digitalisierungsstrategie", {}), ("Digitalisierungsstrategie", {"type": "Workshop", "state": "08"}),
    ("Digitale", {}), ("dig", {}), ("Workshop", {"year": "2022"}), ("LoRaWAN", {}), ("Bad", {}),
    ("Strategie", {"topic": "lorawan"}), ("Kommune", {"state": "05"}), ("nichtsdergleichen", {}),
])
def test_in_memory_facets_and_page_ranking_match_the_plain_sql_search(seed_store, text, filters):
    """Issue 14 (search at 10 M): the fast path gives the same total, page and counts as scoring every hit."""
    path = index_path(seed_store, seed_store.current())
    total, page, counts = reference_search(path, text, filters)
    result = SearchIndex(path).search(parse_request({"q": text, **filters}))
    assert result.total == total
    assert [h["iri"] for h in result.hits] == page
    assert {f: {i["value"]: i["count"] for i in items} for f, items in result.facets.items() if items} == counts


def test_an_index_without_facet_arrays_counts_the_same(seed_store, tmp_path):
    """Index files written before the facet arrays: the arrays are made from the facets table on opening."""
    import shutil
    import sqlite3

    path = index_path(seed_store, seed_store.current())
    older = tmp_path / "older.sqlite"
    shutil.copy(path, older)
    with sqlite3.connect(older) as db:
        db.execute("DROP TABLE facet_arrays")
    request = parse_request({"q": "Digitale"})
    new, old = SearchIndex(path).search(request), SearchIndex(older).search(request)
    assert old.total == new.total > 0 and old.facets == new.facets and old.hits == new.hits


@pytest.mark.parametrize("text", ["Digitale", "dig", "Bad", "Workshop"])
def test_more_prefix_labels_than_the_key_range_takes_rank_the_same(seed_store, monkeypatch, text):
    """Beyond _BOOST_LIMIT labels that start with the query (a short prefix at 10 M triples), the
    stream's hits are looked up by key: the page stays the one of scoring every hit."""
    from graph.search import ranking

    monkeypatch.setattr(ranking, "_BOOST_LIMIT", 1)
    monkeypatch.setattr(ranking, "_LOOKUP_CHUNK", 3)
    path = index_path(seed_store, seed_store.current())
    total, page, _ = reference_search(path, text, {})
    result = SearchIndex(path).search(parse_request({"q": text}))
    assert result.total == total and [h["iri"] for h in result.hits] == page


def test_a_write_indexes_a_store_without_an_index_only_when_the_store_is_small(store_copy, monkeypatch):
    """A copied store has no index to go by; the write then counts triples (graph/search/index.py)."""
    from graph.search import index

    assert not index.index_path(store_copy, store_copy.current()).exists()
    assert index.index_in_write(store_copy, store_copy.current())          # 58 k triples: indexed in the write
    monkeypatch.setattr(index, "SYNC_DOCUMENTS", 1000)                     # as if it were a national graph
    assert not index.index_in_write(store_copy, store_copy.current())
