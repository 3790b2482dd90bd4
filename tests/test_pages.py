"""Page numbers of the long lists in the summary (graph/build/pages.py, issue 13): `page` reads the same rows
as the whole list, page by page, in its order, for every list (workshops, speakers and municipalities, alone
and of each state, year or topic), after the build and after gated writes that add and remove workshops;
bad page parameters are 400s."""

from __future__ import annotations

import json

import pytest

from graph.build.pages import PAGE, PAGE_SIZE
from graph.build.pipeline import Sources, build
from graph.build.summary import SUMMARY_GRAPH
from graph.records.synthetic import Sizes, generate
from graph.settings import current
from graph.store.versions import VersionedStore
from graph.writes.gate import WriteGate
from tests.helpers import BASE_IRI, KG

import pyoxigraph as ox

WORKSHOPS = 330   # more than three pages in all, and a state with more than one


@pytest.fixture(scope="module")
def paged_store(tmp_path_factory) -> VersionedStore:
    """A store of WORKSHOPS generated workshops (they need the municipality list that `make install` imports)."""
    gazetteer = current().reference_dir / "gazetteer.csv"
    if not gazetteer.exists():
        pytest.skip("data/reference/gazetteer.csv is missing (make install imports it); the generator needs it")
    out = tmp_path_factory.mktemp("generated")
    generate(out, 7, Sizes(workshops=WORKSHOPS, per_report=30, speakers=200), gazetteer, current().reference_dir,
             current().ontology_dir)
    store = VersionedStore(tmp_path_factory.mktemp("paged") / "store")
    build(store, Sources(records=out / "records", reference=out / "reference"), BASE_IRI, owl=False)
    return store


def rows(client, query: str = "workshops", **arguments) -> list[dict]:
    response = client.get(f"/api/queries/{query}", query_string=arguments, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]["bindings"]


def lists(store: ox.Store) -> list[tuple[str, dict]]:
    """(query, parameters) of every list that has page numbers: each query alone, and of each state, year, topic."""
    found = set()
    for row in store.query(f"SELECT DISTINCT ?p WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ [] <{PAGE.value}> ?p }} }}"):
        query, name, _ = row["p"].value.split(" ")
        parameter, _, value = name.partition("=")
        found.add((query, () if name == "all" else ((parameter, value),)))
    return [(query, dict(parameters)) for query, parameters in sorted(found)]


def order_key(query: str, row: dict) -> tuple:
    """A row's place in its query's ORDER BY (ties may come in any order)."""
    value = {name: cell["value"] for name, cell in row.items()}.get
    if query == "workshops":
        date = value("date")
        return (0, tuple(-ord(c) for c in date) + (0,)) if date else (1, ()), value("title")
    return (value("name"), value("workshop")) if query == "speakers" else (value("label"),)


def assert_pages_give_the_list(client, query: str, arguments: dict) -> int:
    """Page 1, 2, … until an empty page: together exactly the rows of the whole list, each page in order and
    none out of order with the next; returns the number of pages."""
    whole = rows(client, query, **arguments)
    pages = []
    while True:
        page = rows(client, query, page=len(pages) + 1, **arguments)
        if not page:
            break
        pages.append(page)
        keys = [order_key(query, r) for r in page]
        assert keys == sorted(keys), (query, arguments)
    joined = [r for page in pages for r in page]
    assert sorted(map(json.dumps, joined)) == sorted(map(json.dumps, whole)), (query, arguments)
    for before, after in zip(pages, pages[1:]):
        assert max(order_key(query, r) for r in before) <= min(order_key(query, r) for r in after), (query, arguments)
    return len(pages)


def test_pages_of_every_list_are_the_list_in_order(paged_store, make_app):
    client = make_app(STORE=str(paged_store.root)).test_client()
    every = lists(paged_store.open_read())
    kinds = {(query, tuple(arguments)) for query, arguments in every}
    assert kinds >= {("workshops", ()), ("workshops", ("state",)), ("workshops", ("year",)), ("speakers", ()),
                     ("speakers", ("topic",)), ("municipalities", ()), ("municipalities", ("state",))}
    counts = {(query, json.dumps(arguments)): assert_pages_give_the_list(client, query, arguments)
              for query, arguments in every}
    assert counts[("workshops", "{}")] == -(-WORKSHOPS // PAGE_SIZE)   # the build fills every page but the last
    assert counts[("speakers", "{}")] >= 2 and counts[("municipalities", "{}")] >= 2
    assert rows(client, page=99999) == []


def test_gated_writes_put_workshops_on_pages_without_renumbering(paged_store, make_app, tmp_path):
    copy = VersionedStore(paged_store.backup(tmp_path / "store"))
    before = {q.triple for q in copy.open_read().quads_for_pattern(None, PAGE, None, ox.NamedNode(SUMMARY_GRAPH))}
    gate = WriteGate(copy)
    graph = BASE_IRI + "graph/report/pages-test"
    # Dated into the middle of the list, in the report and at the place of a generated workshop.
    report, place = next(iter(copy.open_read().query(
        f"SELECT ?r ?m WHERE {{ ?w a <{KG}Workshop> ; <{KG}reportedIn> ?r ; <{KG}location> ?m }} LIMIT 1")))
    for key, day in (("p1", "2024-05-17"), ("p2", "2021-01-04"), ("p3", "2024-05-17")):
        assert gate.update(dated_workshop(key, graph, report.value, place.value, day), "alice").changed
    after = {q.triple for q in copy.open_read().quads_for_pattern(None, PAGE, None, ox.NamedNode(SUMMARY_GRAPH))}
    added = {t.subject.value.rsplit("/", 1)[-1] for t in after - before}
    assert added == {"p1", "p2", "p3"} and not before - after, "no other member changed its page"
    client = make_app(STORE=str(copy.root)).test_client()
    assert_pages_give_the_list(client, "workshops", {})
    assert gate.update(f"DROP GRAPH <{graph}>", "alice").changed
    store = copy.open_read()
    assert {q.triple for q in store.quads_for_pattern(None, PAGE, None, ox.NamedNode(SUMMARY_GRAPH))} == before
    assert_pages_give_the_list(make_app(STORE=str(copy.root)).test_client(), "workshops", {})


def dated_workshop(key: str, graph: str, report: str, place: str, day: str) -> str:
    return f"""PREFIX kg: <{KG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {{ GRAPH <{graph}> {{
  <{BASE_IRI}id/workshop/{key}> a kg:Workshop ; rdfs:label "Werkstatt {key}"@de ; schema:name "Werkstatt {key}"@de ;
    kg:title "Werkstatt {key}"@de ; kg:status kg:Held ; kg:location <{place}> ; kg:reportedIn <{report}> ;
    kg:date "{day}"^^xsd:date ; kg:year {day[:4]} .
}} }}"""


@pytest.mark.parametrize("arguments, message", [
    ({"page": "0"}, "'page' must be a whole number from 1"),
    ({"page": "zwei"}, "'page' must be a whole number from 1"),
    ({"page": "2", "limit": "10"}, "either with 'page' or with 'limit' and 'offset'"),
])
def test_bad_page_parameters_are_400_with_a_message(client, arguments, message):
    response = client.get("/api/queries/workshops", query_string=arguments)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_page_of_a_query_without_page_numbers_is_rows_cut_from_the_list(client):
    whole = client.get("/api/queries/topics", headers={"Accept": "application/json"}).get_json()
    first = client.get("/api/queries/topics?page=1", headers={"Accept": "application/json"}).get_json()
    assert first["results"]["bindings"] == whole["results"]["bindings"][:PAGE_SIZE]
