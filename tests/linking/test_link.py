"""`kommunalgraph link wikidata` against a real local endpoint standing in for Wikidata (issue 5)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pytest
from rdflib import OWL, URIRef
from rdflib.namespace import SKOS

from tests.helpers import BASE_IRI, KOMMUNALGRAPH, ROOT
from graph.build.pipeline import Sources, build, check
from graph.iri import Minter
from graph.linking.link_triples import load_links
from graph.store.versions import VersionedStore
from tests.linking.endpoints import ScriptedEndpoint

SEED_TOWNS = {"01001000", "03153017", "03241001", "08215100", "08221000", "08317001", "13071107"}
COMMITTED = ROOT / "data" / "links" / "wikidata.yaml"
WD = "http://www.wikidata.org/entity/"


def link(store, links, endpoint, *extra, timeout=120) -> subprocess.CompletedProcess:
    """The real command, as a steward runs it."""
    return subprocess.run([KOMMUNALGRAPH, "link", "wikidata", "--store", str(store.root), "--links", str(links),
                           "--endpoint", endpoint, "--pause", "0", *extra],
                          capture_output=True, text=True, timeout=timeout)


def as_json(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_links_all_seven_seed_towns_by_ags_and_reviews_an_ambiguous_name(seed_store, standin, tmp_path):
    """Issue 5, done when: seven towns linked by AGS, an ambiguous name on the review list."""
    links = tmp_path / "wikidata.yaml"
    report = as_json(link(seed_store, links, standin.url + "/sparql", "--json"))
    towns = {e["key"]: e for e in report["linked"] if e["kind"] == "municipality"}
    assert set(towns) == SEED_TOWNS
    assert {e["method"] for e in towns.values()} == {"ags"} and towns["08221000"]["wikidata"] == "Q2966"
    ambiguous = next(e for e in report["review"] if e["key"] == "internet-der-dinge")
    assert {c["wikidata"] for c in ambiguous["candidates"]} == {"Q900000011", "Q900000012"}
    assert report["disagreements"] == []
    # Only sure matches are asserted: build the graph with this link file and look.
    graph = load_links(tmp_path, Minter(BASE_IRI))
    linked_items = {str(o) for o in graph.objects(None, OWL.sameAs)} | {str(o) for o in graph.objects(None, SKOS.exactMatch)}
    assert {WD + "Q900000011", WD + "Q900000012", WD + "Q900000021"}.isdisjoint(linked_items)
    assert (URIRef(BASE_IRI + "id/municipality/13071107"), OWL.sameAs, URIRef(WD + "Q900000002")) in graph


def test_committed_link_file_is_never_changed_and_verified_links_are_kept(seed_store, standin, tmp_path):
    before = hashlib.sha256(COMMITTED.read_bytes()).hexdigest()
    links = tmp_path / "wikidata.yaml"
    shutil.copy(COMMITTED, links)
    report = as_json(link(seed_store, links, standin.url + "/sparql", "--json"))
    assert hashlib.sha256(COMMITTED.read_bytes()).hexdigest() == before
    text = links.read_text("utf-8")
    original = COMMITTED.read_text("utf-8")
    for line in original.splitlines():
        if line.startswith("  - {kind:") or line.startswith("#"):
            assert line in text, f"lost: {line}"
    # Verified links stay as they were; the matcher agrees with all of them.
    assert report["disagreements"] == [] and report["kept"] >= 28
    assert {e["key"] for e in report["linked"] if e["kind"] == "municipality"} == {
        "03153017", "08215100", "08317001", "13071107"}
    assert not any(e["kind"] == "state" for e in report["review"]), "states are settled by the verified list"


def test_steward_decisions_survive_the_next_run(seed_store, standin, tmp_path):
    links = tmp_path / "wikidata.yaml"
    first = link(seed_store, links, standin.url + "/sparql")
    assert first.returncode == 0 and "13 neu verknüpft / newly linked" in first.stdout
    text = links.read_text("utf-8")
    # A steward rejects Achern's match, accepts one candidate for the ambiguous topic, and comments.
    achern = next(line for line in text.splitlines() if "08317001" in line)
    text = text.replace(achern, achern.replace("decision: accepted", "decision: rejected") + "  # wrong town")
    text = text.replace("    key: \"internet-der-dinge\"\n",
                        "    key: \"internet-der-dinge\"\n    decision: accepted\n    wikidata: Q900000011\n")
    links.write_text("# steward's note at the top\n" + text, "utf-8")
    graph = load_links(tmp_path, Minter(BASE_IRI))
    topic = URIRef("https://w3id.org/kommunalgraph/topic/internet-der-dinge")
    assert (topic, SKOS.exactMatch, URIRef(WD + "Q900000011")) in graph, "build asserts the decision at once"
    report = as_json(link(seed_store, links, standin.url + "/sparql", "--json"))
    after = links.read_text("utf-8")
    assert "# steward's note at the top" in after and "# wrong town" in after
    assert report["moved"] == 1 and not any(e["key"] in ("08317001", "internet-der-dinge")
                                             for e in report["linked"] + report["review"])
    graph = load_links(tmp_path, Minter(BASE_IRI))
    assert (URIRef(BASE_IRI + "id/municipality/08317001"), None, None) not in graph
    assert (topic, SKOS.exactMatch, URIRef(WD + "Q900000011")) in graph
    assert (topic, SKOS.exactMatch, URIRef(WD + "Q900000012")) not in graph


def test_a_town_without_ags_hit_goes_to_review_with_label_state_and_class(seed_store, tmp_path):
    endpoint = ScriptedEndpoint(update="DELETE WHERE { ?item <http://www.wikidata.org/prop/direct/P439> \"08317001\" }")
    try:
        links = tmp_path / "wikidata.yaml"
        shutil.copy(COMMITTED, links)  # it knows the states, which give the context
        report = as_json(link(seed_store, links, endpoint.url, "--json"))
    finally:
        endpoint.close()
    achern = next(e for e in report["review"] if e["key"] == "08317001")
    assert achern["method"] == "label"
    assert [c["wikidata"] for c in achern["candidates"]] == ["Q900000003"], "the river Achern is no candidate"
    assert achern["candidates"][0]["score"] == 1.0
    assert not any(e["key"] == "08317001" for e in report["linked"])


def test_enrichment_goes_to_its_own_graph_for_linked_items_only(seed_store, standin, tmp_path, records_copy):
    links = tmp_path / "wikidata.yaml"
    report = as_json(link(seed_store, links, standin.url + "/sparql", "--enrich", "--json"))
    assert report["facts"] > 0 and (tmp_path / "wikidata-enrichment.ttl").exists()
    # The steward rejects Flensburg afterwards: its facts must not reach the graph.
    text = links.read_text("utf-8")
    flensburg = next(line for line in text.splitlines() if "01001000" in line)
    links.write_text(text.replace(flensburg, flensburg.replace("accepted", "rejected")), "utf-8")
    store = VersionedStore(tmp_path / "store")
    build(store, Sources(records=records_copy, links=tmp_path), BASE_IRI, owl=False)
    opened = store.open_read()
    facts = BASE_IRI + "graph/wikidata"
    rows = list(opened.query(f"""
        PREFIX wdt: <http://www.wikidata.org/prop/direct/> PREFIX p: <http://www.wikidata.org/prop/>
        PREFIX ps: <http://www.wikidata.org/prop/statement/> PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
        SELECT ?coordinates ?population ?date ?source WHERE {{ GRAPH <{facts}> {{
          <{WD}Q2966> wdt:P625 ?coordinates ; p:P1082 [ ps:P1082 ?population ; pq:P585 ?date ] .
          <{facts}> <http://purl.org/dc/terms/source> ?source }} }}"""))
    assert len(rows) == 1, "one population: the latest"
    assert rows[0]["population"].value == "162960" and rows[0]["date"].value.startswith("2023-12-31")
    assert rows[0]["coordinates"].value == "Point(8.71 49.412222222)"
    assert rows[0]["source"].value == standin.url + "/sparql"
    assert opened.query(f"ASK {{ GRAPH <{facts}> {{ <{WD}Q2966> <https://schema.org/containedInPlace> <{WD}Q985> }} }}")
    assert not opened.query(f"ASK {{ GRAPH <{facts}> {{ <{WD}Q3798> ?p ?o }} }}"), "Flensburg was rejected"
    assert opened.query(f"ASK {{ <{BASE_IRI}id/municipality/08221000> <{OWL.sameAs}> ?item . "
                        f"?item <http://www.wikidata.org/prop/direct/P227> \"4023996-2\" }}"), "queries can use it"
    del opened


@pytest.mark.parametrize("script, expected", [
    (["429:0", "429:0", "429:0"], "HTTP 429"),
    (["503", "503", "503"], "HTTP 503"),
    (["429:3600"], "asks to wait 3600 s"),
    (["html"], "not SPARQL JSON"),
])
def test_endpoint_failures_exit_2_and_leave_the_link_file_alone(seed_store, tmp_path, script, expected):
    links = tmp_path / "wikidata.yaml"
    shutil.copy(COMMITTED, links)
    endpoint = ScriptedEndpoint(script)
    try:
        result = link(seed_store, links, endpoint.url, "--retries", "2")
    finally:
        endpoint.close()
    assert result.returncode == 2 and expected in result.stderr and "unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert links.read_bytes() == COMMITTED.read_bytes()


def test_no_network_exits_2_with_a_clear_message(seed_store, tmp_path):
    links = tmp_path / "wikidata.yaml"
    result = link(seed_store, links, "http://127.0.0.1:9/sparql")
    assert result.returncode == 2 and "cannot reach http://127.0.0.1:9/sparql" in result.stderr
    assert not links.exists()
    missing = link(VersionedStore(tmp_path / "nothing"), links, "http://127.0.0.1:9/sparql")
    assert missing.returncode == 2 and "kommunalgraph build" in missing.stderr


@pytest.mark.parametrize("content, expected", [
    ("links: [ {kind: state, key: '01'\n", "cannot read link file"),
    ("- just a list\n", "must be a mapping"),
    ("links:\n  - {kind: municipality, key: 08221000, wikidata: Q2966, decision: accepted}\n", "quote the key"),
    ("links:\n  - {kind: municipality, key: '08221000', wikidata: wd:Q2966, decision: accepted}\n", "Q123"),
    ("links:\n  - {kind: planet, key: 'x', wikidata: Q1, decision: accepted}\n", "unknown kind"),
    ("links:\n  - {kind: state, key: '01', decision: maybe, wikidata: Q1194}\n", "decision must be one of"),
    ("review:\n  - {kind: topic, key: lorawan, decision: accepted}\n", "accepted without 'wikidata'"),
    ("links:\n  - {kind: state, key: '01', wikidata: Q1194, decision: accepted, score: 7}\n", "score must be"),
    ("linx: []\n", "unknown section 'linx'"),
])
def test_a_broken_link_file_is_reported_and_not_overwritten(seed_store, tmp_path, content, expected):
    links = tmp_path / "wikidata.yaml"
    links.write_text(content, "utf-8")
    result = link(seed_store, links, "http://127.0.0.1:9/sparql", "--json")
    assert result.returncode == 1, result.stderr
    problems = json.loads(result.stdout)["problems"]
    assert any(expected in p["english"] for p in problems), problems
    assert links.read_text("utf-8") == content
    # build refuses it the same way, naming the same problem
    checked = check(Sources(links=tmp_path), BASE_IRI, owl=False)
    assert any(expected in p.english for p in checked.violations)


def test_the_stand_in_is_a_real_sparql_endpoint(standin):
    """The fixture server answers the matcher's kind of query (guards against a silently empty stand-in)."""
    import requests
    response = requests.post(standin.url + "/sparql", timeout=30, data={
        "query": 'SELECT ?item WHERE { ?item <http://www.wikidata.org/prop/direct/P439> "08221000" }'},
        headers={"Accept": "application/sparql-results+json"})
    assert [b["item"]["value"] for b in response.json()["results"]["bindings"]] == [WD + "Q2966"]
