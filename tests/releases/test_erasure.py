"""Issues 14 (part 6) and 15: a person the steward suppresses leaves the graph, the pages, the
dumps, the search index, the reconciliation service, the older versions and the whole history
(every release's diff and states, and so the change feed), and a write cannot bring them back."""

from __future__ import annotations

import gzip
import json
from datetime import date, timedelta

import pyoxigraph as ox
import pytest

from graph.build.erasure import ERASED_FILE
from graph.build.pipeline import Sources, build, check
from graph.errors import SuppressedPerson, ValidationFailed
from graph.mapping.erasure import ERASED, Erasure
from graph.ns import KG
from graph.publish.dumps import dumps_root
from graph.search.index import index_root
from graph.store import releases as log
from graph.store.states import derived
from graph.store.versions import VersionedStore
from graph.writes.gate import WriteGate
from tests.helpers import BASE_IRI, KOMMUNALGRAPH, ROOT, SHARED
from tests.releases.test_feed import TRIG, canonical, harvest, parsed

PERSON = f"{BASE_IRI}id/person/sebastian-warkentin"
# The surname alone: neither the IRI's key nor any text may keep it.
TRACES = (b"Warkentin", b"sebastian-warkentin")
REPORT_GRAPH = f"{BASE_IRI}graph/report/stadt-land-digital-2022-strategiestarterworkshops"
SUPPRESSION = "- person: sebastian-warkentin\n  reason: Widerspruch per Brief\n  date: 2026-11-30\n"


def copy_records(data) -> object:
    """The project's records under `data`/records, their report text still found (when ../shared is there)."""
    records = data / "records"
    records.mkdir(parents=True)
    for path in (ROOT / "data" / "records").glob("*.yaml"):
        text = path.read_text("utf-8")
        if (SHARED / "reports").is_dir():
            text = text.replace("text: ../../../shared/reports/", f"text: {SHARED / 'reports'}/")
        (records / path.name).write_text(text, "utf-8")
    return records


def traces(data: bytes) -> list[bytes]:
    return [t for t in TRACES if t in data]


@pytest.fixture(scope="module")
def erased(tmp_path_factory):
    """A build, a gated write about the person, then the steward suppresses them and builds again."""
    root = tmp_path_factory.mktemp("erasure")
    records = copy_records(root / "data")
    store = VersionedStore(root / "store")
    build(store, Sources(records=records), BASE_IRI, owl=False)
    gate = WriteGate(store, data_dir=root / "data")
    gate_update(gate, f'INSERT DATA {{ GRAPH <{REPORT_GRAPH}> {{ <{PERSON}> <{KG.honorific}> '
                f'"Dr." }} }}')
    before = store.open_read().dump(format=ox.RdfFormat.N_QUADS)
    assert traces(before) == list(TRACES), "the person is in the data before the suppression"
    (root / "data" / "suppressed.yaml").write_text(SUPPRESSION, "utf-8")
    result = build(store, Sources(records=records), BASE_IRI, owl=False)
    return store, root / "data", records, result


def test_the_current_version_and_its_dumps_hold_no_trace(erased):
    store, *_ = erased
    quads = store.open_read().dump(format=ox.RdfFormat.N_QUADS)
    assert traces(quads) == []
    # What is about other things stays: his organisation, the talk he gave (without its speaker).
    assert b"/id/organisation/digitalagentur-heidelberg>" in quads
    assert b"/id/talk/" in quads
    folders = [p for p in dumps_root(store).iterdir() if p.is_dir()]
    assert [p.name for p in folders] == [store.current()]
    for path in folders[0].iterdir():
        with gzip.open(path, "rb") as handle:
            assert traces(handle.read()) == [], path.name


def test_older_versions_and_their_indexes_are_gone(erased):
    """They hold the person, and a restore must not bring them back."""
    store, *_ = erased
    versions = [p.name for p in store.versions.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert versions == [store.current()]
    assert [p.stem for p in index_root(store).glob("*.sqlite")] == [store.current()]


def test_every_stored_release_is_rewritten(erased):
    store, *_ = erased
    found = log.list_releases(store.root)
    assert [r.cause["kind"] for r in found] == ["build", "write", "build"]
    for path in log.folder(store.root).iterdir():
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        assert traces(data) == [], path.name
    for release in found:
        with gzip.open(log.states_path(store.root, release), "rb") as handle:
            owners = {line.rsplit(b" ", 2)[-2] for line in handle.read().splitlines()}
        assert release.members == len(owners), "feed members follow the rewritten states"
    assert json.loads((store.root / ERASED_FILE).read_text()) == [PERSON]


def test_the_feed_replays_to_the_current_state_without_the_person(erased, make_app):
    store, *_ = erased
    client = make_app(STORE=str(store.root), FEED_PAGE_SIZE=40).test_client()
    for page in range(1, 1 + len(log.list_releases(store.root)) * 10):
        answer = client.get(f"/feed/pages/{page}", headers=TRIG)
        if answer.status_code == 404:
            break
        assert answer.status_code == 200 and traces(answer.data) == []
    state, _, members = harvest("http://localhost", get=lambda url: parsed(
        client.get(url.removeprefix("http://localhost"), headers=TRIG).data))
    assert members == sum(r.members for r in log.list_releases(store.root))
    with gzip.open(dumps_root(store) / store.current() / "kommunalgraph.nq.gz", "rb") as handle:
        expected = {(q.subject, q.predicate, q.object) for q in ox.parse(handle, format=ox.RdfFormat.N_QUADS)
                    if not derived(q.graph_name)}
    assert canonical(set().union(*state.values())) == canonical(expected)


def test_pages_search_and_reconciliation_do_not_find_the_person(erased, make_app):
    store, *_ = erased
    client = make_app(STORE=str(store.root)).test_client()
    assert client.get("/kommunalgraph/page/person/sebastian-warkentin").status_code == 404
    assert client.get("/kommunalgraph/page/person/oliver-kasties").status_code == 200, "other speakers stay"
    assert client.get("/api/search?q=Warkentin").get_json()["hits"] == []
    assert client.get("/api/search?q=Digitalagentur").get_json()["hits"], "the index itself works"
    assert client.get("/reconcile/suggest/entity", query_string={"prefix": "Warkentin"}).get_json()["result"] == []
    answer = client.post("/reconcile", data={"queries": json.dumps({"q0": {"query": "Sebastian Warkentin"}})})
    found = answer.get_json()["q0"]["result"]
    assert not [r for r in found if "person/" in r["id"] or "Warkentin" in r["name"]]
    page = client.get("/kommunalgraph/page/organisation/digitalagentur-heidelberg")
    assert page.status_code == 200 and traces(page.data) == []


def test_a_write_cannot_bring_the_person_back(erased):
    store, data, *_ = erased
    version = store.current()
    gate = WriteGate(store, data_dir=data)
    with pytest.raises(SuppressedPerson, match="suppressed person"):
        gate.update(f'INSERT DATA {{ GRAPH <{REPORT_GRAPH}> {{ <{BASE_IRI}id/talk/x> '
                    f'<{KG.speaker}> <{PERSON}> }} }}', "alice")
    assert store.current() == version


def test_a_later_build_leaves_the_rewritten_history_alone(erased):
    """The history is rewritten when the list grows, not on every build."""
    store, _, records, result = erased
    assert "erasure" in result.seconds
    first = log.patch_path(store.root, log.list_releases(store.root)[0])
    stamp = first.stat().st_mtime_ns
    again = build(store, Sources(records=records), BASE_IRI, owl=False)
    assert "erasure" not in again.seconds and first.stat().st_mtime_ns == stamp


BROKEN = {
    "not YAML": ("- person: [unclosed\n", "not valid YAML"),
    "not a list": ("person: sebastian-warkentin\n", "must be a list"),
    "no reason": ("- person: sebastian-warkentin\n  date: 2026-11-30\n", "reason"),
    "future date": (f"- person: sebastian-warkentin\n  reason: x\n  date: {date.today() + timedelta(days=2)}\n",
                    "not in the future"),
    "unknown field": ("- person: sebastian-warkentin\n  reason: x\n  date: 2026-11-30\n  email: a@b.de\n",
                      "unknown field 'email'"),
    "not a person": ("- person: https://example.org/someone\n  reason: x\n  date: 2026-11-30\n", "person IRI"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_list_stops_the_build_with_a_clear_problem(case, tmp_path):
    """Publishing a person the steward meant to remove is worse than not publishing: the build stops."""
    text, message = BROKEN[case]
    records = copy_records(tmp_path / "data")
    (tmp_path / "data" / "suppressed.yaml").write_text(text, "utf-8")
    problems = [p for p in check(Sources(records=records), BASE_IRI, owl=False).violations]
    assert problems and any(message in p.english and p.file.endswith("suppressed.yaml") for p in problems), problems
    store = VersionedStore(tmp_path / "store")
    with pytest.raises(ValidationFailed):
        build(store, Sources(records=records), BASE_IRI, owl=False)
    assert store.current() is None


def test_the_cli_build_reports_a_broken_list_and_publishes_nothing(tmp_path):
    import subprocess

    records = copy_records(tmp_path / "data")
    (tmp_path / "data" / "suppressed.yaml").write_text("- person: sebastian-warkentin\n", "utf-8")
    done = subprocess.run([KOMMUNALGRAPH, "build", "--no-owl", "--records", str(records), "--store",
                           str(tmp_path / "store")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "reason" in done.stderr + done.stdout and "Traceback" not in done.stderr
    assert not (tmp_path / "store" / "CURRENT").exists()


def gate_update(gate, text):
    from graph.errors import WriteRejected
    try:
        gate.update(text, "alice")
    except WriteRejected as exc:
        raise AssertionError(exc.results) from None


def test_the_name_is_blanked_out_of_texts_about_other_things():
    """A sentence quoted as evidence for an event, or a talk's title, keeps its other words."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import FOAF

    graph, talk, person = Graph(), URIRef(f"{BASE_IRI}id/talk/t"), URIRef(PERSON)
    graph.add((person, FOAF.name, Literal("Sebastian Warkentin")))
    graph.add((talk, KG.speaker, person))
    graph.add((talk, KG.title, Literal("Impuls von Sebastian Warkentin zur Strategie", lang="de")))
    assert Erasure(frozenset({PERSON})).erase_graph(graph) == 3
    assert set(graph) == {(talk, KG.title, Literal(f"Impuls von {ERASED} zur Strategie", lang="de"))}


def test_the_parallel_check_of_many_records_erases_too(tmp_path):
    """Large builds check records in worker processes (graph/build/bulk.py); they erase as well."""
    records = copy_records(tmp_path / "data")
    (tmp_path / "data" / "suppressed.yaml").write_text(SUPPRESSION, "utf-8")
    checked = check(Sources(records=records), BASE_IRI, owl=False, workers=2)
    try:
        assert checked.spool is not None and checked.report_count == 1 and not checked.violations
        spooled = checked.spool.path.read_bytes()
        assert b"/id/organisation/digitalagentur-heidelberg>" in spooled and traces(spooled) == []
    finally:
        checked.close()


def test_adding_a_suppression_keeps_the_entries_and_comments_already_there(tmp_path):
    """The review page appends (graph/records/suppressions.add_suppression); a steward's file stays as written."""
    from graph.errors import RecordError, ReviewConflict
    from graph.iri import Minter
    from graph.records.suppressions import add_suppression, load_suppressions

    minter = Minter(BASE_IRI)
    (tmp_path / "suppressed.yaml").write_text("# Liste der Redaktion\n" + SUPPRESSION.replace(
        "reason: Widerspruch per Brief", "reason: Widerspruch per Brief  # Az. 17/2026"), "utf-8")
    add_suppression(tmp_path, minter, f"{BASE_IRI}id/person/marcus-ott", "Löschantrag", "Marcus Ott",
                    date(2026, 12, 1))
    text = (tmp_path / "suppressed.yaml").read_text("utf-8")
    assert text.startswith("# Liste der Redaktion\n") and "# Az. 17/2026" in text
    found = load_suppressions(tmp_path, minter)
    assert [(s.person.rsplit("/", 1)[1], s.reason, s.decided, s.name) for s in found] == [
        ("sebastian-warkentin", "Widerspruch per Brief", date(2026, 11, 30), None),
        ("marcus-ott", "Löschantrag", date(2026, 12, 1), "Marcus Ott")]
    with pytest.raises(ReviewConflict):
        add_suppression(tmp_path, minter, "marcus-ott", "noch einmal")
    with pytest.raises(RecordError, match="date"):
        add_suppression(tmp_path, minter, "andreas-moeser", "Löschantrag", decided=date.today() + timedelta(days=1))
    assert len(load_suppressions(tmp_path, minter)) == 2
