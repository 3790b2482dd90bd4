"""`kommunalgraph build` and `validate`: atomic publishing, readable failures, materialised inferences."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pyoxigraph as ox
import pytest

from tests.helpers import BASE_IRI, KOMMUNALGRAPH
from graph.store.versions import VersionedStore

SEED = "stadt-land-digital-2022-strategiestarterworkshops.yaml"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KOMMUNALGRAPH, *args], capture_output=True, text=True, timeout=300)


def ask(store: VersionedStore, query: str):
    prefixes = ("PREFIX kg: <https://w3id.org/kommunalgraph/ontology#> PREFIX schema: <https://schema.org/> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
    result = store.open_read().query(prefixes + query)
    return bool(result) if isinstance(result, ox.QueryBoolean) else list(result)


def dump(store: VersionedStore) -> bytes:
    return store.open_read().dump(format=ox.RdfFormat.N_QUADS)


def test_build_publishes_one_named_graph_per_report(seed_store):
    graphs = {r["g"].value for r in ask(seed_store, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")}
    assert BASE_IRI + "graph/report/stadt-land-digital-2022-strategiestarterworkshops" in graphs
    assert "https://w3id.org/kommunalgraph/ontology" in graphs


def test_schema_org_clients_find_the_workshops(seed_store):
    events = {r["e"].value for r in ask(seed_store, "SELECT ?e { ?e a schema:Event ; kg:status kg:Held "
                                                    "FILTER NOT EXISTS { ?e a kg:Talk } }")}
    assert len(events) == 5
    names = ask(seed_store, "SELECT ?n { ?e a schema:Event ; schema:name ?n ; kg:location/schema:name 'Achern' }")
    assert [n["n"].value for n in names] == ["Strategiestarterworkshop mit Schwerpunkt auf interner und externer Kommunikation"]


def test_everything_in_baden_wuerttemberg_without_property_paths(seed_store):
    rows = ask(seed_store, "SELECT ?w { ?w a kg:Workshop ; kg:withinArea ?s . ?s rdfs:label 'Baden-Württemberg' }")
    assert len(rows) == 2
    lippe = ask(seed_store, "ASK { ?w kg:location ?g ; kg:withinArea ?nrw . ?g a kg:MunicipalGroup . "
                            "?nrw kg:stateKey '05' }")
    assert lippe is True


def test_inverses_and_chains_are_materialised(seed_store):
    assert ask(seed_store, "ASK { ?p kg:gaveTalk ?t ; kg:affiliation ?o . ?o rdfs:label 'Stadt Flensburg' }") is True
    assert ask(seed_store, "ASK { <https://w3id.org/kommunalgraph/topic/internet-der-dinge> "
                                "<http://www.w3.org/2004/02/skos/core#narrower> "
                                "<https://w3id.org/kommunalgraph/topic/lorawan> }") is True


def test_verified_wikidata_links_only(seed_store):
    links = {(r["s"].value.rsplit("/", 1)[-1], r["o"].value.rsplit("/", 1)[-1])
             for r in ask(seed_store, "SELECT ?s ?o { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }")}
    assert ("08221000", "Q2966") in links and ("01001000", "Q3798") in links
    assert not any(q in {"Q3896", "Q3958"} for _, q in links), "unverified QIDs must not be asserted"


def test_broken_record_exits_1_and_leaves_the_store_as_it_was(tmp_path, records_copy):
    store = tmp_path / "store"
    assert run("build", "--quiet", "--no-owl", "--records", str(records_copy), "--store", str(store)).returncode == 0
    before_version, before = VersionedStore(store).current(), dump(VersionedStore(store))
    text = (records_copy / SEED).read_text("utf-8").replace('date: "2022-04"', 'date: "April 2022"')
    (records_copy / SEED).write_text(text, "utf-8")
    result = run("build", "--records", str(records_copy), "--store", str(store))
    assert result.returncode == 1
    assert "events[0].date" in result.stderr and "JJJJ-MM" in result.stderr and "YYYY-MM" in result.stderr
    assert "store is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert VersionedStore(store).current() == before_version
    assert dump(VersionedStore(store)) == before


def test_shape_violation_found_after_mapping_exits_1_with_json(tmp_path, records_copy):
    text = (records_copy / SEED).read_text("utf-8").replace("topics: [Digitalisierungsstrategie]\n",
                                                            "topics: [Quantencomputer]\n", 1)
    (records_copy / SEED).write_text(text, "utf-8")
    result = run("build", "--json", "--records", str(records_copy), "--store", str(tmp_path / "s"))
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert any("Quantencomputer" in p["german"] for p in problems)
    assert not (tmp_path / "s" / "CURRENT").exists()


def test_validate_checks_without_writing(tmp_path, records_copy):
    result = run("validate", "--no-owl", "--records", str(records_copy))
    assert result.returncode == 0 and "all valid" in result.stdout
    (records_copy / "kaputt.yaml").write_text("report: {title: X}\nevents: []\n", "utf-8")
    result = run("validate", "--no-owl", "--records", str(records_copy))
    assert result.returncode == 1 and "publisher" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only directories")
def test_unwritable_store_directory_is_a_clear_error(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    store.chmod(0o500)
    try:
        result = run("build", "--quiet", "--no-owl", "--store", str(store))
    finally:
        store.chmod(0o700)
    assert result.returncode == 2 and "not writable" in result.stderr


def test_store_path_that_is_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("build", "--quiet", "--no-owl", "--store", str(blocker))
    assert result.returncode == 2
    assert "store" in result.stderr and "Traceback" not in result.stderr


def test_missing_records_folder_exits_2(tmp_path):
    result = run("build", "--quiet", "--records", str(tmp_path / "none"), "--store", str(tmp_path / "s"))
    assert result.returncode == 2 and "not found" in result.stderr


def test_a_contradiction_hermit_finds_leaves_the_store_as_it_was(store_copy, tmp_path):
    # Records that pass SHACL can still contradict the ontology; only HermiT sees it, and nothing may be published.
    from graph.build.pipeline import Sources, build
    from graph.errors import ValidationFailed
    from graph.settings import current

    ontology = tmp_path / "ontology"
    ontology.mkdir()
    for path in current().ontology_dir.glob("*.ttl"):
        (ontology / path.name).write_text(path.read_text("utf-8"), "utf-8")
    # Every workshop is an event: with this axiom the seed's workshops cannot exist (SHACL does not read it).
    (ontology / "contradiction.ttl").write_text(
        "@prefix kg: <https://w3id.org/kommunalgraph/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "kg:Workshop owl:disjointWith kg:Event .\n", "utf-8")
    before_version, before = store_copy.current(), dump(store_copy)
    releases = sorted(p.name for p in store_copy.root.glob("releases/*"))
    # The release, dumps and search index are written while HermiT runs: none may stay behind.
    def published():
        return sorted(str(p.relative_to(store_copy.root)) for folder in ("releases", "dumps", "search")
                      for p in (store_copy.root / folder).rglob("*"))

    files = published()
    sources = Sources()
    sources.ontology = ontology
    with pytest.raises(ValidationFailed) as failed:
        build(store_copy, sources, BASE_IRI)
    assert any("inconsistent" in p.english for p in failed.value.problems)
    assert store_copy.current() == before_version and dump(store_copy) == before
    assert not list(store_copy.versions.glob(".tmp-*"))
    assert sorted(p.name for p in store_copy.root.glob("releases/*")) == releases
    assert published() == files


def test_hermit_failing_beside_the_store_publishes_nothing(store_copy, monkeypatch):
    # The OWL check runs while the store is filled: a HermiT that cannot run still stops the build before the switch.
    from graph.build.pipeline import Sources, build
    from graph.errors import ReasonerUnavailable

    monkeypatch.setenv("JAVA", "no-such-java-binary")
    before_version, before = store_copy.current(), dump(store_copy)
    with pytest.raises(ReasonerUnavailable, match="Java"):
        build(store_copy, Sources(), BASE_IRI)
    assert store_copy.current() == before_version and dump(store_copy) == before
    assert not list(store_copy.versions.glob(".tmp-*"))


def test_a_build_that_fails_waits_for_its_owl_check(store_copy, monkeypatch):
    # A build that stops for another reason while HermiT runs returns only after HermiT ended: no JVM is left
    # running for a store nobody builds any more.
    import threading

    from graph.build import pipeline, store_version
    from graph.errors import StoreError

    filled, owl_done = threading.Event(), threading.Event()

    def slow_owl_check(*_args):
        assert filled.wait(60), "the store was never filled"
        # Still running for a while after the fill failed: a build that did not wait returns before this ends.
        threading.Event().wait(1.0)
        owl_done.set()
        return []

    def failing_fill(*_args):
        filled.set()
        raise StoreError("disk full (test)")

    monkeypatch.setattr(pipeline, "owl_check", slow_owl_check)
    monkeypatch.setattr(store_version, "_fill", failing_fill)
    with pytest.raises(StoreError, match="disk full"):
        pipeline.build(store_copy, pipeline.Sources(), BASE_IRI)
    assert owl_done.is_set()


def test_dumps_that_cannot_be_written_publish_nothing(store_copy):
    # A build publishes its version with its downloads or not at all (they are written before the switch).
    from graph.build.pipeline import Sources, build
    from graph.errors import StoreError
    from graph.publish.dumps import dumps_root

    before_version, before = store_copy.current(), dump(store_copy)
    releases = sorted(p.name for p in store_copy.root.glob("releases/*"))
    shutil.rmtree(dumps_root(store_copy), ignore_errors=True)
    dumps_root(store_copy).write_text("not a folder")
    with pytest.raises(StoreError, match="cannot write the dumps"):
        build(store_copy, Sources(), BASE_IRI, owl=False)
    assert store_copy.current() == before_version and dump(store_copy) == before
    assert not list(store_copy.versions.glob(".tmp-*"))
    assert sorted(p.name for p in store_copy.root.glob("releases/*")) == releases


def test_the_search_index_is_written_beside_the_release_for_exactly_the_published_version(store_copy):
    # The build writes the index from the version being written, while its release is staged; it is named after
    # the switch. It must describe the published version, and leave no staged file behind.
    import sqlite3

    from graph.build.pipeline import Sources, build
    from graph.search.index import index_path, index_root

    result = build(store_copy, Sources(), BASE_IRI, owl=False)
    assert store_copy.current() == result.version
    with sqlite3.connect(index_path(store_copy, result.version)) as connection:
        meta = dict(connection.execute("SELECT name, value FROM meta"))
        documents = connection.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
    assert meta["version"] == result.version and int(meta["documents"]) == documents > 100
    assert not list(index_root(store_copy).glob(".tmp-*"))


def test_a_search_index_that_cannot_be_written_publishes_nothing(store_copy, monkeypatch):
    # The index is part of what a build publishes: if it fails, the version, its release and its dumps are
    # discarded with it, and no staged index file is left.
    from graph.build.pipeline import Sources, build
    from graph.errors import StoreError
    from graph.publish.dumps import dumps_root
    from graph.search import index as search_index

    def broken(source, path, version, copies=1):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search_index, "build_index_file", broken)
    before_version, before = store_copy.current(), dump(store_copy)
    releases = sorted(p.name for p in store_copy.root.glob("releases/*"))
    dumps = sorted(p.name for p in dumps_root(store_copy).glob("*"))
    with pytest.raises(StoreError, match="cannot write the search index"):
        build(store_copy, Sources(), BASE_IRI, owl=False)
    assert store_copy.current() == before_version and dump(store_copy) == before
    assert not list(store_copy.versions.glob(".tmp-*"))
    assert sorted(p.name for p in store_copy.root.glob("releases/*")) == releases
    assert sorted(p.name for p in dumps_root(store_copy).glob("*")) == dumps
    assert not list(search_index.index_root(store_copy).glob(".tmp-*"))


def test_the_parallel_build_publishes_what_the_serial_build_publishes(tmp_path):
    # Workers compute each report's closure on their own (graph/checks/reasoning.closure_of_ntriples); the
    # serial build infers over the whole store. Both must give the same store, graph by graph.
    from graph.build.pipeline import Sources, check
    from graph.build.store_version import publish
    from graph.records.synthetic import Sizes, generate
    from graph.settings import current

    listed = current().reference_dir / "gazetteer.csv"
    if not listed.exists():
        pytest.skip("the municipality list (make install) is needed to generate workshops")
    generate(tmp_path / "data", 3, Sizes(workshops=120, per_report=3, speakers=40), listed, current().reference_dir,
             current().ontology_dir)
    sources = Sources(records=tmp_path / "data" / "records", reference=tmp_path / "data" / "reference")
    published = {}
    for workers in (1, 2):
        checked = check(sources, BASE_IRI, owl=False, workers=workers)
        try:
            assert not checked.violations and (checked.spool is not None) == (workers > 1)
            store = VersionedStore(tmp_path / f"store-{workers}")
            publish(store, checked, BASE_IRI, lambda *_: None)
        finally:
            checked.close()
        dataset = ox.Dataset(store.open_read().quads_for_pattern(None, None, None, None))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        published[workers] = sorted(map(str, dataset))
    assert len(published[1]) > 5_000 and published[1] == published[2]
