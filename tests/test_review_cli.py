"""The steward's loop in a terminal (issue 14 part 1): ingest → review edit → accept or reject.

The report below is invented for the test (a real municipality, an invented event and a placeholder
person), so no fact about a real person is stated.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from graph.records import review
from tests.helpers import KOMMUNALGRAPH

ROOT = Path(__file__).resolve().parent.parent
REPORT = """Digitalwerkstatt in Rinchnach

Rinchnach, 18. November 2022. Am 17. November 2022 kamen in Rinchnach (Landkreis Regen, Bayern)
Gemeinderat und Verwaltung zu einer Digitalwerkstatt zusammen. Erika Musterfrau von der
Digitalagentur Beispiel hielt einen Impulsvortrag über Offene Daten.
"""
# The steward's editor: fills what the extractor left open, adds a comment, clears the review lists.
EDITOR = """import sys
from ruamel.yaml import YAML
yaml = YAML()
path = sys.argv[1]
data = yaml.load(open(path, encoding="utf-8"))
data["report"]["publisher"] = "Gemeinde Rinchnach"
data.pop("review", None)
for event in data["events"]:
    event.pop("review", None)
    event["date"] = "2022-11-17"
data.yaml_set_start_comment("Geprueft am Telefon mit der Gemeinde")
yaml.dump(data, open(path, "w", encoding="utf-8"))
"""


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([KOMMUNALGRAPH, *args], capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture()
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "rinchnach.txt").write_text(REPORT, "utf-8")
    return folder


def edit(draft: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, "utf-8")
    return run("review", "edit", str(draft), env={**os.environ, "EDITOR": f"{sys.executable} {script}"})


@pytest.mark.slow
def test_from_a_report_to_a_record_that_builds(inbox, tmp_path):
    drafts, records = tmp_path / "drafts", tmp_path / "records"
    ingested = run("ingest", str(inbox), "--drafts", str(drafts))
    assert ingested.returncode == 0, ingested.stderr
    draft = drafts / "rinchnach.yaml"
    assert draft.exists() and "rinchnach.yaml: 1 Veranstaltung" in ingested.stdout

    # Open review items block the record; the draft stays where it was.
    blocked = run("review", "accept", str(draft), "--records", str(records), "--json")
    assert blocked.returncode == 1 and "open review item" in blocked.stdout
    assert draft.exists() and not records.exists()

    assert edit(draft, tmp_path).returncode == 0
    accepted = run("review", "accept", str(draft), "--records", str(records))
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    record = records / "rinchnach.yaml"
    text = record.read_text("utf-8")
    assert "Geprueft am Telefon mit der Gemeinde" in text, "the steward's comment is kept"
    assert "Entwurf" not in text and (drafts / "accepted" / "rinchnach.yaml").exists() and not draft.exists()
    data = YAML(typ="safe").load(text)
    assert (records / data["report"]["text"]).resolve() == (inbox / "rinchnach.txt").resolve()
    assert data["events"][0]["municipality"]["name"] == "Rinchnach"
    checked = run("validate", "--records", str(records), "--no-owl")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    again = run("review", "accept", str(draft), "--records", str(records))
    assert again.returncode == 1 and "no longer open" in again.stderr
    # A new extraction never overwrites a decided draft.
    second = run("ingest", str(inbox), "--drafts", str(drafts))
    assert "already drafted" in second.stderr and not draft.exists()


def test_a_rejected_draft_is_kept_with_its_reason_and_not_drafted_again(inbox, tmp_path):
    drafts = tmp_path / "drafts"
    assert run("ingest", str(inbox), "--drafts", str(drafts)).returncode == 0
    rejected = run("review", "reject", str(drafts / "rinchnach.yaml"), "--reason", "keine Veranstaltung zur Digitalisierung")
    assert rejected.returncode == 0, rejected.stderr
    kept = drafts / "rejected" / "rinchnach.yaml"
    assert kept.read_text("utf-8").startswith("# Abgelehnt / rejected ")
    assert "keine Veranstaltung zur Digitalisierung" in kept.read_text("utf-8")
    assert "already drafted" in run("ingest", str(inbox), "--drafts", str(drafts)).stderr
    assert not (drafts / "rinchnach.yaml").exists()
    listed = run("review", "list", "--drafts", str(drafts))
    assert listed.returncode == 0 and "no open drafts" in listed.stdout


def test_two_stewards_accepting_at_once_one_wins_one_gets_a_conflict(inbox, tmp_path):
    drafts, records = tmp_path / "drafts", tmp_path / "records"
    assert run("ingest", str(inbox), "--drafts", str(drafts)).returncode == 0
    assert edit(drafts / "rinchnach.yaml", tmp_path).returncode == 0
    command = [KOMMUNALGRAPH, "review", "accept", str(drafts / "rinchnach.yaml"), "--records", str(records)]
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    finished = [(p, p.communicate(timeout=300)) for p in both]
    results = sorted((p.returncode, stderr) for p, (_stdout, stderr) in finished)
    assert [code for code, _ in results] == [0, 1]
    assert "no longer open" in results[1][1]
    assert list(records.glob("*.yaml")) == [records / "rinchnach.yaml"]


def test_an_edit_over_a_changed_draft_is_refused_and_kept(tmp_path):
    draft = tmp_path / "d.yaml"
    draft.write_text("report: {title: A, publisher: B}\nevents: []\n", "utf-8")
    opened = review.fingerprint(draft)
    draft.write_text("report: {title: A, publisher: C}\nevents: []\n", "utf-8")   # another steward saved
    with pytest.raises(review.ReviewConflict, match="changed since you opened it"):
        review.save_edit(draft, "report: {title: Mine, publisher: B}\nevents: []\n", opened)
    assert "publisher: C" in draft.read_text("utf-8")
    [kept] = tmp_path.glob("d.conflict-*.txt")
    assert "Mine" in kept.read_text("utf-8")


def test_an_existing_record_is_never_overwritten(tmp_path):
    drafts, records = tmp_path / "drafts", tmp_path / "records"
    drafts.mkdir()
    records.mkdir()
    (drafts / "x.yaml").write_text("report: {title: A, publisher: B}\nevents: []\n", "utf-8")
    (records / "x.yaml").write_text("# the steward's record\n", "utf-8")
    with pytest.raises(review.ReviewConflict, match="already exists"):
        review.accept(drafts / "x.yaml", records, lambda folder: [])
    assert (records / "x.yaml").read_text("utf-8") == "# the steward's record\n"
    assert (drafts / "x.yaml").exists(), "the draft goes back for another try"


@pytest.mark.parametrize("args, code, message", [
    (("ingest", "{empty}"), 2, "no report files"),
    (("ingest", "{binary}"), 2, "binary"),
    (("ingest", "{report}", "--published", "2020-13"), 2, "'2020-13' is no date: write YYYY-MM-DD"),
    (("ingest", "{report}", "--source", "ftp://example.de/a"), 2, "whole http(s) address"),
    (("ingest", "{report}", "{binary}", "--source", "https://example.de/a"), 2, "give it with one file, not 2"),
    (("review", "reject", "{missing}", "--reason", "x"), 1, "no longer open"),
    (("review", "reject", "{missing}", "--reason", "  "), 2, "must not be empty"),
    (("review", "accept", "{broken}"), 1, "YAML"),
], ids=["empty folder", "binary file", "wrong publication date", "wrong address", "address for two files",
        "missing draft", "empty reason", "broken draft"])
def test_broken_input_gets_a_precise_exit_code_and_message(tmp_path, args, code, message):
    (tmp_path / "empty").mkdir()
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "broken.yaml").write_text("report: [unclosed\n", "utf-8")
    (tmp_path / "bericht.txt").write_text(PLACELESS, "utf-8")
    paths = {"empty": tmp_path / "empty", "binary": tmp_path / "binary.txt", "missing": tmp_path / "nope.yaml",
             "broken": tmp_path / "broken.yaml", "report": tmp_path / "bericht.txt"}
    result = run(*[a.format(**paths) for a in args], "--drafts", str(tmp_path / "drafts")) \
        if args[0] == "ingest" else run(*[a.format(**paths) for a in args])
    assert result.returncode == code, result.stdout + result.stderr
    assert message in (result.stdout + result.stderr).replace("\n", " ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "drafts").exists() or not list((tmp_path / "drafts").glob("*.yaml"))


PLACELESS = """Unser Digitallabor

Am 17. November 2022 fand im Begegnungshaus der erste Workshop unseres Digitallabors statt.
Erika Musterfrau zeigte, was der Lasercutter kann.
"""
# A careless steward clears the review lists without naming the place; a careful one names it first.
CLEARS = """import os, sys
from ruamel.yaml import YAML
yaml = YAML()
path = sys.argv[1]
data = yaml.load(open(path, encoding="utf-8"))
data["report"]["publisher"] = "Digitallabor Beispiel"
data.pop("review", None)
for event in data["events"]:
    event.pop("review", None)
    if os.environ.get("PLACE"):
        event["municipality"] = {"name": os.environ["PLACE"]}
        event["state"] = "Bayern"
yaml.dump(data, open(path, "w", encoding="utf-8"))
"""


@pytest.mark.slow
def test_a_draft_without_a_place_is_reviewed_and_accepted_only_once_the_steward_names_it(tmp_path):
    """Issue 12: a page that names its workshop but no town is a draft to complete, not 'no event found'."""
    inbox, drafts, records = tmp_path / "inbox", tmp_path / "drafts", tmp_path / "records"
    inbox.mkdir()
    (inbox / "labor.txt").write_text(PLACELESS, "utf-8")
    ingested = run("ingest", str(inbox), "--drafts", str(drafts))
    assert ingested.returncode == 0 and "no event found" not in ingested.stderr, ingested.stderr
    draft = drafts / "labor.yaml"
    listed = run("review", "list", "--drafts", str(drafts))
    assert listed.returncode == 0 and "kein Ort gefunden / no place found" in listed.stdout, listed.stdout

    script = tmp_path / "clears.py"
    script.write_text(CLEARS, "utf-8")
    careless = {**os.environ, "EDITOR": f"{sys.executable} {script}"}
    assert run("review", "edit", str(draft), env=careless).returncode == 0
    refused = run("review", "accept", str(draft), "--records", str(records))
    assert refused.returncode == 1 and "municipality" in refused.stdout + refused.stderr
    assert draft.exists() and not (records / "labor.yaml").exists()

    careful = {**careless, "PLACE": "Rinchnach"}
    assert run("review", "edit", str(draft), env=careful).returncode == 0
    accepted = run("review", "accept", str(draft), "--records", str(records))
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    record = YAML(typ="safe").load((records / "labor.yaml").read_text("utf-8"))
    assert record["events"][0]["municipality"]["name"] == "Rinchnach"
    assert record["events"][0]["date"] == "2022-11-17"
