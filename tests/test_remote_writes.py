"""Writes to a remote store (Virtuoso) through the same SHACL gate as the embedded store (issue 6)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests

from graph.build.summary import write_summary
from graph.errors import RemoteWriteFailed, UnprovableUpdate, UpdateError, WriteRejected
from graph.ns import SUMMARY_GRAPH
from graph.build.pages import PAGE_PREDICATES
from graph.store.remote import SKOLEM, RemoteEngine, RemoteSettings, push
from graph.writes import remote_send
from graph.writes.remote_gate import RemoteWriteGate
from graph.writes.gate import WriteGate
from tests.helpers import (BASE_IRI, KG, MUNICIPALITY, REPORT, REPORT_GRAPH, TOKEN, WRITE_TOKENS, LiveServer, free_port,
                            workshop_update)
from tests.test_summary import report_versions, topical_workshop
from tests.virtuoso import throwaway

DEFAULT = BASE_IRI + "graph/default"
TEST_GRAPH = BASE_IRI + "graph/report/test"
OTHER_GRAPH = BASE_IRI + "graph/report/other"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A Virtuoso of its own: these tests change its data."""
    with throwaway(tmp_path_factory.mktemp("virtuoso-writes"), free_port(), free_port()) as server:
        yield server


@pytest.fixture()
def engine(virtuoso, seed_store) -> RemoteEngine:
    """The remote store holding exactly the seed store (graphs earlier tests wrote are dropped)."""
    engine = RemoteEngine(RemoteSettings(virtuoso.url, virtuoso.url, default_graph=DEFAULT))
    for graph in (TEST_GRAPH, OTHER_GRAPH, "http://ex/g"):
        engine.update(f"DROP SILENT GRAPH <{graph}>")
    push(seed_store.open_read(), engine, DEFAULT)
    return engine


@pytest.fixture()
def gate(engine, tmp_path) -> RemoteWriteGate:
    return RemoteWriteGate(engine, tmp_path / "log")


BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def canonical(term):
    """Virtuoso answers with booleans as 1 and 0; the same values as the embedded store writes them."""
    if isinstance(term, ox.Literal) and term.datatype == BOOLEAN and term.value in ("0", "1"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=BOOLEAN)
    return term


def remote_graph(engine: RemoteEngine, graph: str) -> set[tuple]:
    """All triples of `graph`, read predicate by predicate: Virtuoso silently cuts an answer at
    ResultSetMaxRows (10,000 as packaged), and the derived default graph of the seed is larger."""
    triples = set()
    for row in engine.solutions(f"SELECT DISTINCT ?p WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"):
        rows = engine.solutions(f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s {row['p']} ?o }} }}")
        triples.update((r["s"], row["p"], canonical(r["o"])) for r in rows)
    count = engine.solutions(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"]
    assert len(triples) == int(count.value), f"read {len(triples)} of the {count.value} triples of <{graph}>"
    return triples


def local_graph(store: ox.Store, graph) -> set[tuple]:
    """A graph of the embedded store as push writes it: blank nodes as skolem IRIs, and no page numbers, which
    only the embedded store keeps (graph/build/pages.py)."""
    def term(t):
        return ox.NamedNode(SKOLEM + t.value) if isinstance(t, ox.BlankNode) else t
    return {(term(q.subject), q.predicate, term(q.object)) for q in store.quads_for_pattern(None, None, None, graph)
            if q.predicate not in PAGE_PREDICATES}


def count_everything(engine: RemoteEngine) -> int:
    return int(engine.solutions("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value)


def test_remote_writes_keep_the_store_as_the_embedded_gate_does(gate, engine, store_copy, tmp_path):
    """The same writes on both back ends leave the same named graphs and the same derived default graph."""
    embedded = WriteGate(store_copy)
    upload = tmp_path / "g.ttl"
    upload.write_text(f"<{BASE_IRI}id/x> <http://www.w3.org/2000/01/rdf-schema#comment> \"eins\"@de .\n")
    writes = [
        ("update", workshop_update("w4")),
        ("update", f"DELETE WHERE {{ GRAPH <{REPORT_GRAPH}> {{ ?w <{KG}participant> ?m }} }}"),
        ("update", workshop_update("w5", graph=REPORT_GRAPH)),
        ("update", f"WITH <{TEST_GRAPH}> DELETE {{ ?w <{KG}location> ?m }} INSERT {{ ?w <{KG}location> "
                   f"<{BASE_IRI}id/municipality/08221000> }} WHERE {{ ?w <{KG}location> ?m }}"),
        # Bad Schönborn moves to the Ortenaukreis, keys and all (shapes tie AGS and ARS to the
        # district key): what its workshops derive through the chain changes.
        ("update", f"WITH <{REPORT_GRAPH}> DELETE {{ <{MUNICIPALITY}> <{KG}inDistrict> ?d ; <{KG}ags> ?a ; <{KG}ars> ?r }} "
                   f"INSERT {{ <{MUNICIPALITY}> <{KG}inDistrict> <{BASE_IRI}id/district/08317> ; "
                   f"<{KG}ags> \"08317999\" ; <{KG}ars> \"083170000999\" }} "
                   f"WHERE {{ <{MUNICIPALITY}> <{KG}inDistrict> ?d ; <{KG}ags> ?a "
                   f"OPTIONAL {{ <{MUNICIPALITY}> <{KG}ars> ?r }} }}"),
        ("put", "http://ex/g", str(upload), "text/turtle"),
        ("update", f"COPY <{TEST_GRAPH}> TO <{OTHER_GRAPH}>"),
        ("update", f"DROP GRAPH <{TEST_GRAPH}>"),
        ("delete", "http://ex/g"),
    ]
    for operation, *args in writes:
        local_result = getattr(embedded, operation)(*args, "alice")
        remote_result = getattr(gate, operation)(*args, "alice")
        assert (remote_result.added, remote_result.removed) == (local_result.added, local_result.removed), args
        store = store_copy.open_read()
        for graph in (REPORT_GRAPH, TEST_GRAPH, OTHER_GRAPH, "http://ex/g"):
            assert remote_graph(engine, graph) == local_graph(store, ox.NamedNode(graph)), (args, graph)
        assert remote_graph(engine, DEFAULT) == local_graph(store, ox.DefaultGraph()), args
        # The summary (issue 13), derived by Virtuoso from its default graph, as the embedded gate derives it.
        assert remote_graph(engine, SUMMARY_GRAPH) == local_graph(store, ox.NamedNode(SUMMARY_GRAPH)), args


def test_a_shape_breaking_write_is_rejected_and_the_remote_store_is_unchanged(gate, engine):
    before = count_everything(engine)
    with pytest.raises(WriteRejected) as caught:
        gate.update(workshop_update("w2", place=None), "alice")
    assert [r["path"] for r in caught.value.results] == [KG + "location"]
    assert "Ort" in caught.value.results[0]["message"]["de"]
    with pytest.raises(WriteRejected):  # the municipality's type is in another graph: read from the store
        gate.update(f"DELETE WHERE {{ GRAPH <{REPORT_GRAPH}> {{ <{MUNICIPALITY}> a ?type }} }}", "alice")
    assert count_everything(engine) == before


@pytest.mark.parametrize("update, message", [
    (f"INSERT {{ GRAPH <{TEST_GRAPH}> {{ ?w <{KG}status> <{KG}Held> }} }} WHERE {{ ?w a <{KG}Workshop> }}",
     "only named graphs given by IRI"),
    (f"INSERT {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
     "only named graphs given by IRI"),
    (f"INSERT {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{DEFAULT}> {{ ?s ?p ?o }} }}",
     "derived default graph"),
    ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", "only named graphs given by IRI"),
])
def test_updates_the_remote_gate_cannot_validate_are_refused_before_anything_is_sent(gate, engine, update, message):
    before = count_everything(engine)
    with pytest.raises(UpdateError, match=message):
        gate.update(update, "alice")
    assert count_everything(engine) == before


@pytest.mark.parametrize("update", [
    f'INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:a> <urn:p> "\\u005c" }} }} ; DROP GRAPH <{DEFAULT}> #" }} }}',
    f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:a> <urn:p> 1 }} }} # a comment",
    f"LOAD <http://127.0.0.1:9/x> INTO GRAPH <{TEST_GRAPH}>",
    f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:a> <urn:p> 1 }} }}" + " " * 50_001,
])
def test_updates_whose_reading_is_not_provable_are_refused_on_a_remote_store(gate, engine, update):
    """Issue 10: this gate needs rdflib's reading, so it takes only texts where that reading is Oxigraph's."""
    before = count_everything(engine)
    with pytest.raises(UnprovableUpdate, match="nothing was written"):
        gate.update(update, "alice")
    assert count_everything(engine) == before


def test_a_blank_node_the_store_holds_cannot_be_deleted_by_value(gate, engine):
    # Virtuoso refuses blank nodes in INSERT DATA, not in INSERT … WHERE.
    engine.update(f"INSERT {{ GRAPH <{TEST_GRAPH}> {{ _:b <http://www.w3.org/2000/01/rdf-schema#comment> \"x\" }} }} WHERE {{}}")
    before = count_everything(engine)
    with pytest.raises(UpdateError, match="blank nodes"):
        gate.update(f"DELETE WHERE {{ GRAPH <{TEST_GRAPH}> {{ ?b <http://www.w3.org/2000/01/rdf-schema#comment> ?c }} }}",
                    "alice")
    assert count_everything(engine) == before


@pytest.fixture()
def remote_writer(engine, virtuoso, tmp_path):
    """The real server over the remote store, with writes enabled."""
    live = LiveServer([], env={"KG_BACKEND": "remote", "KG_REMOTE_QUERY_URL": virtuoso.url,
                               "KG_REMOTE_UPDATE_URL": virtuoso.url, "KG_REMOTE_DEFAULT_GRAPH": DEFAULT,
                               "KG_STORE": str(tmp_path / "store"), "KG_WRITE_TOKENS": WRITE_TOKENS,
                               "KG_QUERY_WORKERS": "1"}, log=tmp_path / "server.log")
    yield live
    live.stop()


def test_writes_over_http_to_the_remote_store(remote_writer, engine, tmp_path):
    url = remote_writer.url
    update = {"Content-Type": "application/sparql-update"}
    refused = requests.post(url + "/sparql", data=workshop_update("h1").encode(), headers=update, timeout=60)
    assert refused.status_code == 401
    broken = requests.post(url + "/sparql", data=workshop_update("h2", place=None).encode(), timeout=60,
                           headers={**update, "Authorization": f"Bearer {TOKEN}"})
    assert broken.status_code == 409 and broken.json()["results"][0]["path"] == KG + "location"
    done = requests.post(url + "/sparql", data=workshop_update("h3").encode(), timeout=60,
                         headers={**update, "Authorization": f"Bearer {TOKEN}"})
    assert done.status_code == 200 and done.json()["added"] == 7, done.text
    # Through our endpoint the new workshop is a schema:Event in Baden-Württemberg (the derived default graph).
    asked = requests.get(url + "/sparql", timeout=60, params={"query": (
        f"ASK {{ <{BASE_IRI}id/workshop/h3> a <https://schema.org/Event> ; <{KG}withinArea> <{BASE_IRI}id/state/08> }}")})
    assert asked.json()["boolean"] is True
    assert not any(r["s"].value.endswith("/h2") for r in engine.solutions(
        "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRENDS(STR(?s), '/h2')) }"))
    put = requests.put(url + "/store", params={"graph": "http://ex/g"}, timeout=60,
                       data=f"<{BASE_IRI}id/x> <http://www.w3.org/2000/01/rdf-schema#comment> \"eins\" .\n",
                       headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
    assert put.status_code == 201, put.text
    got = requests.get(url + "/store", params={"graph": "http://ex/g"}, headers={"Accept": "text/turtle"}, timeout=60)
    assert got.status_code == 200 and '"eins"' in got.text
    missing = requests.get(url + "/store", params={"graph": "http://ex/none"}, timeout=60)
    assert missing.status_code == 404
    log = (tmp_path / "store" / "writes.jsonl").read_text()
    assert log.count('"outcome": "committed"') == 2 and log.count('"outcome": "rejected"') == 1


def full_summary(engine: RemoteEngine) -> set[tuple]:
    """The summary the build derives from the remote store's default graph (derived here, in full)."""
    store = ox.Store()
    store.extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in remote_graph(engine, DEFAULT))
    write_summary(store, pages=False)   # a remote store keeps no page numbers
    return local_graph(store, ox.NamedNode(SUMMARY_GRAPH))


def workshops_turtle(count: int, topic: str | None = None) -> str:
    """`count` conforming workshops (with `topic`) as Turtle, for a PUT."""
    about = f"kg:topic <{topic}> ; " if topic else ""
    return f"PREFIX kg: <{KG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <https://schema.org/>\n" + \
        "".join(f'<{BASE_IRI}id/workshop/p{i}> a kg:Workshop ; rdfs:label "W {i}"@de ; schema:name "W {i}"@de ; '
                f'kg:title "W {i}"@de ; kg:status kg:Held ; {about}kg:location <{MUNICIPALITY}> ; '
                f'kg:reportedIn <{REPORT}> .\n' for i in range(count))


def test_remote_writes_keep_the_summary_equal_to_a_full_derivation(gate, engine, seed_store, tmp_path):
    """Issue 13: each write sends the summary triples of the subjects it reaches, derived here (no INSERT …
    WHERE on the store); after every write the summary is what the build derives from the default graph."""
    store = seed_store.open_read()
    topic = next(iter(store.query(f"SELECT ?t {{ ?w a <{KG}Workshop> ; <{KG}topic> ?t }} ORDER BY ?t")))["t"].value
    upload = tmp_path / "upload"
    writes = [("put", REPORT_GRAPH, text) for text in report_versions(store)]
    writes += [("put", TEST_GRAPH, workshops_turtle(20, topic)), ("update", None, topical_workshop("w6", topic)),
               ("update", None, f"DELETE WHERE {{ GRAPH <{TEST_GRAPH}> {{ <{BASE_IRI}id/workshop/p3> ?p ?o }} }}"),
               ("put", TEST_GRAPH, workshops_turtle(2)), ("delete", TEST_GRAPH, None),
               ("update", None, workshop_update("w7")), ("update", None, f"DROP GRAPH <{TEST_GRAPH}>")]
    assert remote_graph(engine, SUMMARY_GRAPH) == full_summary(engine)
    for operation, target, text in writes:
        if operation == "delete" or (operation == "put" and text is None):
            result = gate.delete(target, "alice")
        elif operation == "put":
            upload.write_text(text, encoding="utf-8")
            result = gate.put(target, str(upload), "text/turtle", "alice")
        else:
            result = gate.update(text, "alice")
        assert result.changed and {"summary", "send"} <= set(result.seconds), (operation, target, text)
        assert remote_graph(engine, SUMMARY_GRAPH) == full_summary(engine), (operation, target, text)
    assert remote_graph(engine, SUMMARY_GRAPH) == local_graph(store, ox.NamedNode(SUMMARY_GRAPH))


def every_quad(engine: RemoteEngine) -> dict[str, set[tuple]]:
    """Every graph of ours in the remote store (not Virtuoso's own), triple by triple."""
    graphs = [r["g"].value for r in engine.solutions("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]
    ours = [g for g in graphs if g.startswith((BASE_IRI, "http://ex/"))]
    assert DEFAULT in ours and SUMMARY_GRAPH in ours and REPORT_GRAPH in ours
    return {g: remote_graph(engine, g) for g in ours}


@pytest.mark.parametrize("count", [15, 150])
def test_a_write_the_store_aborts_leaves_it_exactly_as_it_was(gate, engine, virtuoso, tmp_path, count):
    """A write that Virtuoso aborts (its TransactionAfterImageLimit, lowered to 1 kB: it checks it in steps of
    some 100 triples) is reported, and nothing of it is there: some 400 quads (one INSERT DATA) and over
    4,000 (several), each after the DELETE DATA statements of the summary triples it changes."""
    assert len(remote_send.change_request([], [ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal(i),
                                                       ox.DefaultGraph()) for i in range(1001)]).split(" ;\n")) == 2
    before = every_quad(engine)
    upload = tmp_path / "workshops.ttl"
    upload.write_text(workshops_turtle(count), encoding="utf-8")
    limit = virtuoso.sql("select __dbf_set('txn_after_image_limit', 1000);").split("______\n\n")[-1].split()[0]
    try:
        with pytest.raises(RemoteWriteFailed, match="nothing of it was written") as caught:
            gate.put(TEST_GRAPH, str(upload), "text/turtle", "alice")
    finally:
        virtuoso.sql(f"select __dbf_set('txn_after_image_limit', {int(limit)});")
    assert "SR325" in str(caught.value)
    assert every_quad(engine) == before
    assert '"outcome": "failed"' in (tmp_path / "log" / "writes.jsonl").read_text()


def test_a_request_the_store_applies_in_part_is_reported(gate, engine, tmp_path, monkeypatch):
    """Virtuoso keeps the statements before one that fails with an ordinary error (here DROP GRAPH of a
    graph it does not know, put between the deletes and the inserts of a real write): the gate finds out."""
    upload = tmp_path / "workshops.ttl"
    upload.write_text(workshops_turtle(3), encoding="utf-8")
    gate.put(TEST_GRAPH, str(upload), "text/turtle", "alice")
    split = remote_send.change_request

    def broken(removed, added):
        assert removed and added
        return f"{split(removed, [])} ;\nDROP GRAPH <urn:missing> ;\n{split([], added)}"

    monkeypatch.setattr(remote_send, "change_request", broken)
    upload.write_text(workshops_turtle(3).replace('"W ', '"Werkstatt '), encoding="utf-8")
    before = remote_graph(engine, TEST_GRAPH)
    with pytest.raises(RemoteWriteFailed, match=r"holds part of it: \d+ of its \d+ quad changes") as caught:
        gate.put(TEST_GRAPH, str(upload), "text/turtle", "alice")
    assert "has not been explicitly created" in str(caught.value)
    after = remote_graph(engine, TEST_GRAPH)
    assert after < before and not any("Werkstatt" in str(o) for _, _, o in after)


def test_a_write_the_store_aborts_is_a_502_over_http(remote_writer, engine, virtuoso):
    before = every_quad(engine)
    limit = virtuoso.sql("select __dbf_set('txn_after_image_limit', 1000);").split("______\n\n")[-1].split()[0]
    try:
        response = requests.put(remote_writer.url + "/store", params={"graph": TEST_GRAPH}, timeout=60,
                                data=workshops_turtle(15).encode(),
                                headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
    finally:
        virtuoso.sql(f"select __dbf_set('txn_after_image_limit', {int(limit)});")
    assert response.status_code == 502, response.text
    assert response.json()["error"].endswith("nothing of it was written")
    assert every_quad(engine) == before
