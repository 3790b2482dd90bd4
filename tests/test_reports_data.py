"""The default data beyond the seed (issue 14 part 3): data/reports, one record per text of the
real-world corpus, written from its reviewed annotation; and builds that read several folders."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from graph.records import annotations
from graph.records.annotations import HEADER, write_records
from tests.helpers import KOMMUNALGRAPH

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "extraction" / "corpus" / "real"
REPORTS = ROOT / "data" / "reports"
needs_municipality_list = pytest.mark.skipif(
    not (ROOT / "data" / "reference" / "gazetteer.csv").exists(),
    reason="data/reference/gazetteer.csv is missing: run `kommunalgraph gazetteer import` (make install does)")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KOMMUNALGRAPH, *args], capture_output=True, text=True, timeout=600, cwd=ROOT)


@needs_municipality_list
def test_data_reports_is_exactly_what_the_corpus_annotations_give(tmp_path):
    """Nobody edits data/reports by hand: `make reports` writes it from the annotations."""
    out = tmp_path / "reports"
    write_records(CORPUS, out)
    fresh = {p.name: p for p in out.glob("*.yaml")}
    committed = {p.name: p for p in REPORTS.glob("*.yaml")}
    assert set(fresh) == set(committed), "data/reports is behind the corpus: run `make reports`"
    for name in committed:
        assert _comments(fresh[name]) == _comments(committed[name]), name
        assert _without_text_path(fresh[name]) == _without_text_path(committed[name]), f"{name}: run `make reports`"


def _comments(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").splitlines() if line.startswith("#")]


def _without_text_path(path: Path) -> dict:
    """The record apart from the text's relative path, which depends on where it was written."""
    record = YAML(typ="safe").load(path.read_text("utf-8"))
    record["report"].pop("text")
    return record


def test_every_record_keeps_its_source_and_names_an_existing_text():
    load = YAML(typ="safe").load
    records = sorted(REPORTS.glob("*.yaml"))
    assert len(records) >= 130
    for path in records:
        record = load(path.read_text("utf-8"))
        assert path.read_text("utf-8").startswith(HEADER), path.name
        assert record["report"]["source"].startswith(("https://", "http://")), path.name
        assert (REPORTS / record["report"]["text"]).resolve().is_file(), path.name
        for event in record["events"]:
            assert event.get("date"), f"{path.name}: events without a date are left out"


def test_an_undated_event_is_left_out_and_named_in_the_header(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "x-01-a.txt").write_text("Digitalwerkstatt in Rinchnach\n\nZwei Termine.\n", "utf-8")
    (corpus / "x-01-a.yaml").write_text(
        "source: https://example.org/a\npublisher: Beispiel\npublished: '2023-03-01'\nevents:\n"
        "  - {type: Werkstatt, title: Erste Werkstatt, municipality: Rinchnach, kind: Gemeinde, state: Bayern,"
        " date: '2023-02-20', status: held}\n"
        "  - {type: Werkstatt, title: Zweite Werkstatt, municipality: Rinchnach, kind: Gemeinde, state: Bayern,"
        " status: planned}\n", "utf-8")
    [written] = write_records(corpus, tmp_path / "out")
    text = written.read_text("utf-8")
    record = YAML(typ="safe").load(text)
    assert [e["title"] for e in record["events"]] == ["Erste Werkstatt"]
    assert "# Left out, the report gives no date: Zweite Werkstatt" in text
    assert record["report"]["title"] == "Digitalwerkstatt in Rinchnach"
    assert record["report"]["date"] == "2023-03-01" and record["events"][0]["date"] == "2023-02-20"


def test_a_broken_annotation_writes_nothing_and_exits_1(tmp_path, capsys):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "x-01-a.txt").write_text("Digitalwerkstatt in Rinchnach\n\nEin Termin im Februar.\n", "utf-8")
    (corpus / "x-01-a.yaml").write_text("source: https://example.org/a\npublisher: Beispiel\nevents:\n"
                                        "  - {type: Werkstatt, municipality: Rinchnach, date: '2023-13-40',"
                                        " status: held}\n", "utf-8")
    assert annotations.main([str(corpus), str(out)]) == 1
    assert "x-01-a.yaml" in capsys.readouterr().err
    assert not out.exists()
    assert annotations.main([str(corpus)]) == 2
    (corpus / "x-01-a.txt").write_bytes(b"\xff\xfe\x00binary")
    assert annotations.main([str(corpus), str(out)]) == 1
    assert "x-01-a.txt" in capsys.readouterr().err and not out.exists()


def test_stale_records_go_and_a_stewards_own_file_stays(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    out.mkdir()
    (out / "gone.yaml").write_text(f"{HEADER} gone.yaml of the extraction corpus\nreport: {{}}\n", "utf-8")
    (out / "mine.yaml").write_text("# written by a steward\nreport: {}\n", "utf-8")
    assert write_records(corpus, out) == []
    assert sorted(p.name for p in out.iterdir()) == ["mine.yaml"]


def test_validate_reads_every_folder_given_and_refuses_a_missing_one():
    both = run("validate", "--records", "data/records", "--records", "data/reports", "--no-owl", "--json")
    assert both.returncode == 0, both.stderr[-2000:]
    assert json.loads(both.stdout)["reports"] == 1 + len(list(REPORTS.glob("*.yaml")))
    missing = run("validate", "--records", "data/records", "--records", "no-such-folder", "--no-owl")
    assert missing.returncode == 1 and "records directory not found: no-such-folder" in missing.stdout + missing.stderr
    assert "Traceback" not in missing.stderr


def test_the_same_report_in_two_folders_is_refused():
    twice = run("validate", "--records", "data/records", "--records", "data/records", "--no-owl", "--json")
    assert twice.returncode == 1
    problems = json.loads(twice.stdout)["problems"]
    assert any("stadt-land-digital-2022-strategiestarterworkshops" in str(p.get("value")) for p in problems)


@pytest.mark.slow
@needs_municipality_list
def test_make_serve_publishes_hundreds_of_real_events_from_many_towns_and_states(tmp_path):
    """Issue 14's floor for the default data: 150 workshops, 100 municipalities, 10 states."""
    from graph.store.versions import VersionedStore

    built = run("build", "--records", "data/records", "--records", "data/reports", "--store", str(tmp_path / "store"),
                "--quiet")
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    store = VersionedStore(tmp_path / "store").open_read()
    prefixes = "PREFIX kg: <https://w3id.org/kommunalgraph/ontology#> PREFIX schema: <https://schema.org/> "

    def count(where: str) -> int:
        [row] = list(store.query(prefixes + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"))
        return int(row[0].value)

    events = count("?x a schema:Event FILTER NOT EXISTS { ?x a kg:Talk }")
    towns = count("?x a kg:Municipality . ?e a schema:Event ; ?p ?x")
    # Issue 14's done-when in its strict reading: workshops (kg:Workshop: Workshop, …werkstatt),
    # held in or for that many municipalities (Gemeinden and Städte, not districts; participants not counted).
    workshops = count("?x a kg:Workshop")
    workshop_towns = count("?x a kg:Municipality FILTER NOT EXISTS { ?x a kg:District } ?e a kg:Workshop ; kg:location ?x")
    states = count("?x a kg:FederalState . ?e a schema:Event ; ?p ?place . "
                   "?place (kg:district|kg:state|kg:inState|schema:containedInPlace)* ?x")
    sourced = count("?x a kg:Report ; <http://purl.org/dc/terms/source> ?address")
    assert events >= 150 and towns >= 100 and states >= 10, (events, towns, states)
    assert workshops >= 150 and workshop_towns >= 100, (workshops, workshop_towns)
    assert sourced >= 150, "every corpus report keeps its web address as dct:source"


@needs_municipality_list
@pytest.mark.parametrize("participant", ["{district: Landkreis Passau}", "{name: ''}", "{name: [a, b]}"])
def test_a_participant_without_a_name_is_a_clear_error_and_writes_nothing(tmp_path, capsys, participant):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "x-01-a.txt").write_text("Digitalwerkstatt in Rinchnach\n\nEin Termin im Februar.\n", "utf-8")
    (corpus / "x-01-a.yaml").write_text("source: https://example.org/a\npublisher: Beispiel\nevents:\n"
                                        "  - {type: Werkstatt, municipality: Rinchnach, state: Bayern, date: '2023-02',"
                                        f" status: held, participants: [{participant}]}}\n", "utf-8")
    assert annotations.main([str(corpus), str(out)]) == 1
    err = capsys.readouterr().err
    assert "x-01-a.yaml: a participant needs a name" in err and "Traceback" not in err
    assert not out.exists()
