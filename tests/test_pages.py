"""Page numbers of the long lists in the summary (graph/build/pages.py, issue 13): following the Link header
from a list's default answer (its first page) reads the same rows as the whole list (`page=all`), page by page,
in its order, for every list (workshops, speakers and municipalities, alone and of each state, year or topic),
after the build and after gated writes that add and remove workshops; bad page parameters are 400s."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from requests.utils import parse_header_links

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
    return answer(client, f"/api/queries/{query}", arguments).get_json()["results"]["bindings"]


def answer(client, path: str, arguments: dict | None = None):
    response = client.get(path, query_string=arguments, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def links(response) -> dict[str, str]:
    """The Link header's targets by relation, as paths with their query strings."""
    found = {}
    for link in parse_header_links(response.headers.get("Link", "")):
        url = urlsplit(link["url"])
        found[link["rel"]] = f"{url.path}?{url.query}"
    return found


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
    """The default answer (page 1), then each Link rel="next" until there is none: together exactly the rows of
    the whole list (page=all), each page in order and none out of order with the next; every page links to
    the same last page, which is the last one reached. Returns the number of pages."""
    whole = rows(client, query, page="all", **arguments)
    pages = []
    response = answer(client, f"/api/queries/{query}", arguments)
    last = links(response)["last"]
    while True:
        pages.append(response.get_json()["results"]["bindings"])
        keys = [order_key(query, r) for r in pages[-1]]
        assert keys == sorted(keys), (query, arguments)
        found = links(response)
        assert found["last"] == last and found["first"].endswith("page=1"), (query, arguments, found)
        if "next" not in found:
            break
        response = answer(client, found["next"])
    assert last.endswith(f"page={len(pages)}"), (query, arguments, last)
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
    beyond = answer(client, "/api/queries/workshops", {"page": "99999"})
    assert beyond.get_json()["results"]["bindings"] == [] and "next" not in links(beyond)
    assert links(beyond)["prev"] == links(beyond)["last"], "past the end, the previous page is the last one"


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


def test_a_gate_reads_a_lists_page_boundaries_once_while_it_alone_writes(paged_store, make_app, tmp_path,
                                                                         monkeypatch):
    # The list of all workshops has over a thousand page boundaries at 10 M: a gate keeps those it read for
    # the version it publishes (writes never renumber), and reads them again once another writer published.
    from graph.build import pages

    reads = []
    monkeypatch.setattr(pages, "_boundaries", lambda store, target, paged, name, real=pages._boundaries:
                        reads.append((paged.name, name)) or real(store, target, paged, name))
    copy = VersionedStore(paged_store.backup(tmp_path / "store"))
    gate, other = WriteGate(copy), WriteGate(copy)
    graph = BASE_IRI + "graph/report/memo-test"
    report, place = next(iter(copy.open_read().query(
        f"SELECT ?r ?m WHERE {{ ?w a <{KG}Workshop> ; <{KG}reportedIn> ?r ; <{KG}location> ?m }} LIMIT 1")))
    for writer, key, expected in ((gate, "m1", 1), (gate, "m2", 1), (other, "m3", 2), (gate, "m4", 3)):
        assert writer.update(dated_workshop(key, graph, report.value, place.value, "2023-03-0" + key[1]), "alice").changed
        assert reads.count(("workshops", "all")) == expected, (key, reads)
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
    ({"page": "0"}, "'page' must be a whole number from 1 to 1000000 or 'all'"),
    ({"page": "zwei"}, "'page' must be a whole number from 1"),
    ({"page": "Alle"}, "'page' must be a whole number from 1"),
    ({"page": "2", "limit": "10"}, "either with 'page' or with 'limit' and 'offset'"),
    ({"page": "all", "offset": "10"}, "either with 'page' or with 'limit' and 'offset'"),
])
def test_bad_page_parameters_are_400_with_a_message(client, arguments, message):
    response = client.get("/api/queries/workshops", query_string=arguments)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_page_of_a_query_without_page_numbers_is_rows_cut_from_the_list(client):
    whole = answer(client, "/api/queries/topics")
    first = answer(client, "/api/queries/topics", {"page": "1"})
    assert first.get_json()["results"]["bindings"] == whole.get_json()["results"]["bindings"][:PAGE_SIZE]
    assert "Link" not in whole.headers, "a query without page numbers answers all its rows unless asked for a page"
    # Its last page is unknown without sorting every row, so there is always a next one.
    assert links(first) == {"first": "/api/queries/topics?page=1", "next": "/api/queries/topics?page=2"}


def test_a_list_answers_its_first_page_unless_asked_for_all(paged_store, make_app):
    client = make_app(STORE=str(paged_store.root)).test_client()
    default = answer(client, "/api/queries/workshops.csv")
    assert default.get_data() == answer(client, "/api/queries/workshops.csv", {"page": "1"}).get_data()
    assert links(default)["next"] == "/api/queries/workshops.csv?page=2", "the format suffix stays"
    everything = answer(client, "/api/queries/workshops", {"page": "all"})
    assert len(everything.get_json()["results"]["bindings"]) == WORKSHOPS and "Link" not in everything.headers
    assert len(rows(client)) == PAGE_SIZE


def test_a_lists_last_page_is_read_once_per_store_version(paged_store):
    from graph.sparql.named_pages import forget_last_pages, last_page
    from graph.store.engine import QueryRequest, run_query

    opened, asked = paged_store.open_read(), []

    def execute(request: QueryRequest):
        asked.append(request.query)
        return run_query(opened, request)

    forget_last_pages()
    version = str(paged_store.current_path())
    assert last_page(execute, version, "workshops", "all") == -(-WORKSHOPS // PAGE_SIZE) and len(asked) == 1
    assert last_page(execute, version, "workshops", "all") == -(-WORKSHOPS // PAGE_SIZE) and len(asked) == 1, \
        "kept for the same version"
    last_page(execute, version + "-another", "workshops", "all")
    last_page(execute, None, "workshops", "all")
    assert len(asked) == 3, "another version, or none (a remote store), is read afresh"
    assert last_page(execute, version, "workshops", "year=1800") == 1, "a list without members has one (empty) page"
    assert last_page(lambda request: run_query(ox.Store(), request), None, "workshops", "all") is None, \
        "a store without page numbers"
