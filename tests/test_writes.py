"""Writes as one validated transaction each (issue 6): the library, without HTTP."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from graph.build.roles import add_roles
from graph.writes.delta import graph_delta, named_graphs
from graph.errors import NetworkRefused, QuerySyntaxError, ReadOnlyGraph, UpdateError, WriteRejected
from graph.writes.derived import rederive
from graph.checks.reasoning import materialise
from graph.store.states import derived
from graph.writes.gate import WriteGate
from graph.writes.write_log import WRITE_LOG
from tests.helpers import BASE_IRI, KG, MUNICIPALITY, REPORT, REPORT_GRAPH, workshop_update

NEW_GRAPH = BASE_IRI + "graph/report/test"


@pytest.fixture()
def gate(store_copy) -> WriteGate:
    return WriteGate(store_copy)


def content(store: ox.Store) -> set:
    return set(store.quads_for_pattern(None, None, None, None))


def recomputed_default(store: ox.Store, rules) -> set:
    """The default graph as a full build derives it: union of the named graphs (but the derived
    summary graph) plus what the rules and then the roles in time derive (graph/build/pipeline.py)."""
    fresh = ox.Store()
    fresh.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                 for q in store if not derived(q.graph_name))
    materialise(fresh, rules, max_rounds=50)
    add_roles(fresh, rules)
    return set(fresh)


def default_graph(store: ox.Store) -> set:
    return set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_a_conforming_update_commits_with_inferences(gate, store_copy):
    before = store_copy.current()
    result = gate.update(workshop_update("w1"), "alice")
    assert result.changed and result.added == 7 and result.graphs == [NEW_GRAPH]
    assert store_copy.current() != before
    store = store_copy.open_read()
    workshop = ox.NamedNode(BASE_IRI + "id/workshop/w1")
    assert ox.Quad(workshop, ox.NamedNode(str(ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type").value)),
                   ox.NamedNode("https://schema.org/Event"), ox.DefaultGraph()) in store, "superclass inferred"
    assert store.query(f"ASK {{ <{workshop.value}> <{KG}withinArea> ?state . ?state <{KG}stateKey> \"08\" }}")
    assert default_graph(store) == recomputed_default(store, gate.rules)


def test_a_shape_breaking_update_is_rejected_and_changes_nothing(gate, store_copy):
    before_version, before = store_copy.current(), content(store_copy.open_read())
    with pytest.raises(WriteRejected) as caught:
        gate.update(workshop_update("w2", place=None), "alice")
    results = caught.value.results
    assert [r["path"] for r in results] == [KG + "location"]
    assert results[0]["focus"] == BASE_IRI + "id/workshop/w2"
    assert "Ort" in results[0]["message"]["de"] and "place" in results[0]["message"]["en"]
    assert "sh:ValidationReport" in caught.value.report_turtle
    assert store_copy.current() == before_version and content(store_copy.open_read()) == before
    assert not list(store_copy.versions.glob(".tmp-*"))


def test_validation_reaches_nodes_pointing_at_a_retyped_node(gate):
    """Removing a municipality's types breaks the sh:class check of workshops located there."""
    update = (f"DELETE WHERE {{ GRAPH ?g {{ <{MUNICIPALITY}> a ?type }} }}")
    with pytest.raises(WriteRejected) as caught:
        gate.update(update, "alice")
    assert any(r["path"] == KG + "location" and r["value"] == MUNICIPALITY for r in caught.value.results)


def test_validation_reads_inverse_paths(gate, store_copy):
    """A talk may belong to one event only (sh:inversePath kg:hasTalk, maxCount 1)."""
    talk = store_copy.open_read().query(f"SELECT ?t WHERE {{ GRAPH ?g {{ ?e <{KG}hasTalk> ?t }} }} LIMIT 1")
    talk = next(iter(talk))["t"].value
    gate.update(workshop_update("w3"), "alice")
    with pytest.raises(WriteRejected) as caught:
        gate.update(f"INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{ <{BASE_IRI}id/workshop/w3> <{KG}hasTalk> <{talk}> }} }}",
                    "alice")
    assert any(r["focus"] == talk for r in caught.value.results)


@pytest.mark.parametrize("update, error", [
    ("INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }", ReadOnlyGraph),
    ("DELETE WHERE { ?s ?p ?o }", ReadOnlyGraph),
    ("CLEAR DEFAULT", ReadOnlyGraph),
    ("DROP ALL", ReadOnlyGraph),
    ("COPY <http://ex/g> TO DEFAULT", ReadOnlyGraph),
    ("INSERT DATA { GRAPH <https://w3id.org/kommunalgraph/ontology> { <http://ex/a> <http://ex/b> 1 } }",
     ReadOnlyGraph),
    ("LOAD <http://example.org/data.ttl> INTO GRAPH <http://ex/g>", NetworkRefused),
    ("INSERT { GRAPH <http://ex/g> { ?s ?p ?o } } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
     NetworkRefused),
    ("CREATE GRAPH <http://ex/g> ; CREATE GRAPH <http://ex/g>", UpdateError),
    ("INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/b> } }", QuerySyntaxError),
    ("INSERT DATA { GRAPH nope:g { <http://ex/a> <http://ex/b> 1 } }", QuerySyntaxError),
])
def test_refused_updates_change_nothing(gate, store_copy, update, error):
    before_version, before = store_copy.current(), content(store_copy.open_read())
    with pytest.raises(error):
        gate.update(update, "alice")
    assert store_copy.current() == before_version and content(store_copy.open_read()) == before


def test_a_graph_variable_may_not_reach_the_ontology(gate, store_copy):
    before = store_copy.current()
    with pytest.raises(ReadOnlyGraph, match="ontology"):
        gate.update(f"DELETE {{ GRAPH ?g {{ <{KG}Workshop> ?p ?o }} }} WHERE {{ GRAPH ?g {{ <{KG}Workshop> ?p ?o }} }}",
                    "alice")
    assert store_copy.current() == before


def test_an_update_that_changes_nothing_keeps_the_version(gate, store_copy):
    before = store_copy.current()
    result = gate.update("DELETE DATA { GRAPH <http://ex/none> { <http://ex/a> <http://ex/b> 1 } }", "alice")
    assert not result.changed and result.version == before == store_copy.current()


def test_graph_store_operations_and_the_write_log(gate, store_copy, tmp_path):
    upload = tmp_path / "g.ttl"
    upload.write_text(f"<{BASE_IRI}id/x> <http://www.w3.org/2000/01/rdf-schema#comment> \"eins\" .\n")
    assert gate.put("http://ex/g", str(upload), "text/turtle", "alice").created
    upload.write_text(f"<{BASE_IRI}id/x> <http://www.w3.org/2000/01/rdf-schema#comment> \"zwei\" .\n")
    replaced = gate.put("http://ex/g", str(upload), "text/turtle", "bob")
    assert (replaced.added, replaced.removed, replaced.created) == (1, 1, False)
    added = gate.post("http://ex/g", str(upload), "text/turtle", "bob")
    assert not added.changed
    gate.delete("http://ex/g", "alice")
    store = store_copy.open_read()
    assert ox.NamedNode("http://ex/g") not in set(store.named_graphs())
    assert default_graph(store) == recomputed_default(store, gate.rules)
    entries = [json.loads(line) for line in (store_copy.root / WRITE_LOG).read_text().splitlines()]
    assert [(e["who"], e["operation"], e["outcome"], e["added"], e["removed"]) for e in entries] == [
        ("alice", "put", "committed", 1, 0), ("bob", "put", "committed", 1, 1), ("bob", "post", "unchanged", 0, 0),
        ("alice", "delete", "committed", 0, 1)]
    assert all(e["graphs"] in (["http://ex/g"], []) and e["time"].endswith("+00:00") for e in entries)


def test_the_default_graph_matches_a_full_rebuild_after_mixed_writes(gate, store_copy):
    """DRed keeps the derived default graph exactly what materialising from scratch gives."""
    updates = [
        workshop_update("w4"),
        f"DELETE WHERE {{ GRAPH <{REPORT_GRAPH}> {{ ?w <{KG}participant> ?m }} }}",
        workshop_update("w5", graph=REPORT_GRAPH),
        f"WITH <{BASE_IRI}graph/report/test> DELETE {{ ?w <{KG}location> ?m }} INSERT {{ ?w <{KG}location> "
        f"<{BASE_IRI}id/municipality/08221000> }} WHERE {{ ?w <{KG}location> ?m }}",
        f"DROP GRAPH <{BASE_IRI}graph/report/test>",
    ]
    for update in updates:
        gate.update(update, "alice")
        store = store_copy.open_read()
        assert default_graph(store) == recomputed_default(store, gate.rules), update


def test_rederive_handles_removal_of_a_triple_another_graph_still_holds(gate, store_copy):
    """The union only loses a triple when no named graph holds it any more."""
    old = store_copy.open_read()
    copy = ox.Store()
    copy.extend(old)
    some = next(iter(copy.quads_for_pattern(None, None, None, ox.NamedNode(REPORT_GRAPH))))
    copy.add(ox.Quad(some.subject, some.predicate, some.object, ox.NamedNode("http://ex/other")))
    before = ox.Store()
    before.extend(copy)
    copy.remove_graph(ox.NamedNode(REPORT_GRAPH))
    delta = graph_delta(before, copy, named_graphs(before, copy))
    assert ox.Triple(some.subject, some.predicate, some.object) not in delta.union_removed
    rederive(copy, gate.rules, delta.union_added, delta.union_removed)
    assert default_graph(copy) == recomputed_default(copy, gate.rules)


def test_a_graph_iri_oxigraph_refuses_is_a_syntax_error(gate):
    """Found by the fuzzer: rdflib's parser takes <'ttps://…> as a graph IRI, Oxigraph does not
    (and only Oxigraph's reading counts now, issue 10)."""
    with pytest.raises(QuerySyntaxError, match="IRI"):
        gate.update("WITH <'ttps://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "alice")


def test_removing_a_deep_evidence_offset_revalidates_its_statement(gate, store_copy):
    """Sequence paths: deleting oa:start of a selector re-checks the statement that reaches it."""
    store = store_copy.open_read()
    rows = list(store.query(
        "SELECT ?position ?start ?g WHERE { GRAPH ?g { ?statement <http://www.w3.org/ns/oa#hasTarget> ?t . "
        "?t <http://www.w3.org/ns/oa#hasSelector> ?position . ?position <http://www.w3.org/ns/oa#start> ?start } } "
        "LIMIT 1"))
    assert rows, "the seed record carries evidence"
    position, start, graph = rows[0]["position"], rows[0]["start"], rows[0]["g"]
    before = store_copy.current()
    with pytest.raises(WriteRejected) as caught:
        gate.update(f"DELETE DATA {{ GRAPH <{graph.value}> {{ <{position.value}> "
                    f"<http://www.w3.org/ns/oa#start> {start} }} }}", "alice")
    assert any("Anfangsposition" in r["message"]["de"] for r in caught.value.results)
    assert store_copy.current() == before


@pytest.mark.parametrize("update, reads, beyond", [
    ("INSERT DATA { GRAPH <http://ex/a> { <http://ex/s> <http://ex/p> 1 } }", set(), False),
    ("DELETE WHERE { GRAPH <http://ex/a> { ?s ?p ?o } }", {"http://ex/a"}, False),
    ("WITH <http://ex/a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o GRAPH <http://ex/b> { ?s ?q 1 } }",
     {"http://ex/a", "http://ex/b"}, False),
    ("DELETE { GRAPH <http://ex/a> { ?s ?p ?o } } USING <http://ex/u> WHERE { ?s ?p ?o }", {"http://ex/u"}, False),
    ("DELETE { GRAPH <http://ex/a> { ?s ?p ?o } } WHERE { ?s ?p ?o }", set(), True),
    ("DELETE { GRAPH <http://ex/a> { ?s ?p ?o } } WHERE { GRAPH <http://ex/a> { ?s ?p ?o "
     "FILTER EXISTS { GRAPH ?g { ?s ?p 1 } } } }", {"http://ex/a"}, True),
    ("COPY <http://ex/a> TO <http://ex/b>", {"http://ex/a"}, False),
    ("ADD DEFAULT TO <http://ex/b>", set(), True),
])
def test_update_targets_say_which_graphs_an_update_reads(update, reads, beyond):
    """What a remote store's write gate copies before it applies an update (graph/writes/remote_gate.py)."""
    from graph.sparql.update_targets import update_targets

    targets = update_targets(update)
    assert (targets.reads, targets.reads_beyond) == (reads, beyond)


def test_writes_dating_a_membership_rederive_affiliation_and_former_as_the_build_does(gate, store_copy):
    """Roles in time are not a rule (graph/build/roles.py): a report dating the end of a membership
    takes the person's affiliation away and makes the membership former; a later report naming it
    current gives the affiliation back; each time the default graph is what a full build derives."""
    person = f"<{BASE_IRI}id/person/sebastian-warkentin>"
    organisation = f"<{BASE_IRI}id/organisation/digitalagentur-heidelberg>"
    position = f"<{BASE_IRI}id/position/sebastian-warkentin-digitalagentur-heidelberg>"
    interval = f"<{BASE_IRI}id/interval/sebastian-warkentin-digitalagentur-heidelberg>"
    xsd = "http://www.w3.org/2001/XMLSchema#"

    def state() -> tuple[bool, bool, bool]:
        store = store_copy.open_read()
        assert default_graph(store) == recomputed_default(store, gate.rules)
        return (bool(store.query(f"ASK {{ {person} <{KG}affiliation> {organisation} }}")),
                bool(store.query(f"ASK {{ {person} <https://schema.org/affiliation> {organisation} }}")),
                bool(store.query(f"ASK {{ {position} <{KG}former> true }}")))

    assert state() == (True, True, False)
    gate.update(f'INSERT DATA {{ GRAPH <{REPORT_GRAPH}> {{ {interval} <{KG}endedBy> "2023-06"^^<{xsd}gYearMonth> }} }}',
                "alice")
    assert state() == (False, False, True)
    gate.update(f'INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{ {interval} <{KG}heldAsOf> "2024-01-15"^^<{xsd}date> }} }}',
                "alice")
    assert state() == (True, True, False)
    gate.update(f"DROP GRAPH <{NEW_GRAPH}>", "alice")
    assert state() == (False, False, True)


def test_a_write_opens_the_current_version_once_and_closes_its_copy_without_a_full_collection(gate, store_copy,
                                                                                              monkeypatch):
    # Opening a national store takes tens of ms and a full gc.collect() 50-180 ms in a write worker: the
    # copy, the comparison and the release share one handle of the version written from, and the new version's
    # store, referenced by its handle alone, is closed when that lets go of it.
    import gc

    from graph.store import versions

    opened, collected = [], []
    monkeypatch.setattr(versions, "open_version", lambda path, real=versions.open_version: opened.append(path) or real(path))
    monkeypatch.setattr(gc, "collect", lambda *args, real=gc.collect: collected.append(args) or real(*args))
    before = store_copy.current()
    assert gate.update(workshop_update("once"), "alice").changed
    assert store_copy.current() != before
    assert [path.name for path in opened].count(before) == 1, opened   # (the search index reads the new one)
    assert collected == []


def test_a_write_syncs_the_files_it_wrote_not_those_linked_from_the_version_before(gate, store_copy, monkeypatch,
                                                                                   tmp_path):
    # A copy-on-write version hard-links most files of the published version it starts from, which
    # were synced when that was published: syncing them again costs a device flush each (100-300 ms at 10 M).
    import os
    import stat

    synced = set()
    real_fsync = os.fsync

    def fsync(fd):
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            synced.add((info.st_dev, info.st_ino))
        real_fsync(fd)

    def inodes(folder):
        return {(i.st_dev, i.st_ino) for i in (p.stat() for p in folder.iterdir() if p.is_file())}

    monkeypatch.setattr(os, "fsync", fsync)
    backup = store_copy.backup(tmp_path / "backup") / "versions" / "v-backup"
    assert inodes(backup) <= synced, "a backup is as durable as a published version"
    before = inodes(store_copy.current_path())
    synced.clear()
    assert gate.update(workshop_update("synced"), "alice").changed
    now = inodes(store_copy.current_path())
    linked, written = now & before, now - before
    assert linked and written, (linked, written)
    assert written <= synced and not linked & synced


def test_health_counts_a_written_version_from_the_count_before_and_the_release(gate, store_copy, make_app,
                                                                                monkeypatch):
    # Counting the default graph scans it (seconds at 10 M), and every write makes a new version: after the
    # first count, /health adds what each write's release says it added and removed. A backup has no release
    # of its own, so its count is the one scan.
    from server import ops

    asked = []
    monkeypatch.setattr(ops, "QueryRequest", lambda text, real=ops.QueryRequest: asked.append(text) or real(text))
    monkeypatch.setattr(ops, "_counts", {})
    client = make_app(STORE=str(store_copy.root)).test_client()
    for _ in range(2):
        assert client.get("/health").json["triples"] == len(default_graph(store_copy.open_read()))
    assert len(asked) == 1
    for key in ("health-1", "health-2"):
        assert gate.update(workshop_update(key, BASE_IRI + f"graph/report/{key}"), "alice").changed
        answer = client.get("/health").json
        assert answer["store_version"] == store_copy.current()
        assert answer["triples"] == len(default_graph(store_copy.open_read())), key
    assert gate.update(f"DROP GRAPH <{BASE_IRI}graph/report/health-1>", "alice").changed
    assert client.get("/health").json["triples"] == len(default_graph(store_copy.open_read()))
    assert len(asked) == 1, "no scan after the first"


def test_a_fresh_server_counts_a_built_store_from_its_first_release(seed_store, make_app, monkeypatch):
    # The build's release added the whole default graph, so a fresh server needs no scan at all (a scan at
    # 10 M held a query worker for seconds while the first users' queries waited).
    from server import ops

    asked = []
    monkeypatch.setattr(ops, "QueryRequest", lambda text, real=ops.QueryRequest: asked.append(text) or real(text))
    monkeypatch.setattr(ops, "_counts", {})
    client = make_app(STORE=str(seed_store.root)).test_client()
    assert client.get("/health").json["triples"] == len(default_graph(seed_store.open_read()))
    assert asked == []


def test_an_object_is_revalidated_only_where_shapes_read_the_change_backwards(gate):
    # A workshop's place and report carry thousands of triples at 10 M; adding a workshop changes nothing
    # their shapes read. A talk is read through sh:inversePath kg:hasTalk, an interval through
    # sh:targetObjectsOf org:memberDuring: those objects are validated again.
    from graph.writes.delta import Delta, focus_nodes

    def node(name):
        return ox.NamedNode(BASE_IRI + "id/" + name)

    org = "http://www.w3.org/ns/org#"
    workshop, place, talk, membership, interval = (node(n) for n in ("w", "m", "t", "ms", "i"))
    delta = Delta(union_added=[ox.Triple(workshop, ox.NamedNode(KG + "location"), place),
                               ox.Triple(workshop, ox.NamedNode(KG + "hasTalk"), talk),
                               ox.Triple(membership, ox.NamedNode(org + "memberDuring"), interval)])
    assert focus_nodes(delta, ox.Store(), gate.paths) == {workshop, talk, membership, interval}


def test_the_class_of_a_neighbour_is_read_from_every_graph_that_types_it(gate, store_copy):
    # The extract takes a neighbour's distinct types from all named graphs at once: a place that is a
    # municipality in another report's graph is one here, and a report is no place (sh:class of kg:location).
    assert gate.update(workshop_update("typed"), "alice").changed
    with pytest.raises(WriteRejected) as caught:
        gate.update(workshop_update("misplaced", place=REPORT), "alice")
    assert [r["path"] for r in caught.value.results] == [KG + "location"]


def test_the_write_worker_removes_old_versions_after_it_has_answered(store_copy, make_app):
    # Deleting an old version's files took 20-60 ms of each write at 10 M: the worker does it after the answer
    # (WriteGate.tidy), and before it reads the next message, so a store never holds more than one extra.
    from graph.store.versions import KEEP_VERSIONS
    from server.backend import get_backend
    from tests.helpers import WRITE_TOKENS

    app = make_app(STORE=str(store_copy.root), WRITE_TOKENS=WRITE_TOKENS)
    with app.app_context():
        writer = get_backend().writer
        for n in range(KEEP_VERSIONS + 2):
            assert writer.call("update", workshop_update(f"tidy-{n}", BASE_IRI + f"graph/report/tidy-{n}"),
                               "alice").changed
            assert len(published(store_copy)) <= KEEP_VERSIONS + 1
        assert writer.call("version") == store_copy.current()   # answered after the last write's tidying
        assert len(published(store_copy)) == KEEP_VERSIONS
        # Tidying also started the next write's version (graph/store/prepared.py); a stopped worker removes it.
        assert len(list(store_copy.versions.glob(".tmp-*"))) == 1
        writer.close()
        assert not list(store_copy.versions.glob(".tmp-*"))


def test_a_gate_that_defers_pruning_leaves_old_versions_to_tidy(gate, store_copy):
    from graph.store.versions import KEEP_VERSIONS

    gate.defer_pruning = True
    for n in range(KEEP_VERSIONS + 1):
        assert gate.update(workshop_update(f"later-{n}", BASE_IRI + f"graph/report/later-{n}"), "alice").changed
    assert len(published(store_copy)) == KEEP_VERSIONS + 2
    gate.tidy()
    assert len(published(store_copy)) == KEEP_VERSIONS


def published(store) -> list:
    """The store's published versions (not a version being written or prepared, `.tmp-*`)."""
    return [p for p in store.versions.iterdir() if p.is_dir() and not p.name.startswith(".")]
