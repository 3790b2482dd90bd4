"""`kommunalgraph extract` on good and broken input: exit codes, messages, nothing half-written (issue 3)."""

from __future__ import annotations

import json
import subprocess

import pytest
from ruamel.yaml import YAML

from graph.records.record import check
from tests.helpers import KOMMUNALGRAPH
from tests.extraction.evaluate import CORPUS

GOOD = CORPUS / "tuned" / "t02-pressemitteilung-dateline.txt"


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([KOMMUNALGRAPH, "extract", *map(str, args)], capture_output=True, text=True, timeout=300,
                          cwd=cwd)


@pytest.fixture(scope="module")
def needs_list(extractor):
    return extractor


def test_draft_is_a_valid_record_with_evidence_and_relative_text_path(tmp_path, needs_list):
    done = run(GOOD, "--out", tmp_path / "drafts")
    assert done.returncode == 0, done.stderr
    path = tmp_path / "drafts" / "t02-pressemitteilung-dateline.yaml"
    record = YAML(typ="safe").load(path.read_text("utf-8"))
    assert check(record, str(path)) == []
    assert (path.parent / record["report"]["text"]).resolve() == GOOD.resolve()
    event = record["events"][0]
    assert event["municipality"]["ags"] == "03355022" and event["state"] == "Niedersachsen"
    fields = {e["field"] for e in event["evidence"]}
    assert {"municipality", "state", "date", "topics"} <= fields
    text = GOOD.read_text("utf-8")
    municipality = next(e for e in event["evidence"] if e["field"] == "municipality")
    assert "Lüneburg" in text[municipality["start"]:municipality["end"]]
    assert all("sentence" not in e for e in event["evidence"])


def test_json_to_stdout(needs_list):
    done = run(GOOD, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["events"][0]["date"] == "2022-05-10"


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a text file"),
    ("Workshop in Köln am 3. März 2022 über Bürgerbeteiligung.".encode("cp1252"), "not UTF-8"),
    (b"<html><body><div><span></span><p>\xc2\xa0</p>&nbsp;<<<>>></div></body></html>", "no readable text"),
])
def test_broken_input_fails_with_exit_2_and_a_message(tmp_path, content, message, needs_list):
    bad = tmp_path / ("bad.html" if b"<html" in content else "bad.txt")
    bad.write_bytes(content)
    out = tmp_path / "out"
    done = run(GOOD, bad, "--out", out)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_missing_file(tmp_path, needs_list):
    done = run(tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert done.returncode == 2 and "file not found" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_huge_input_is_refused(tmp_path, needs_list):
    huge = tmp_path / "huge.txt"
    huge.write_text("Am 3. März 2022 fand in Köln ein Workshop statt. " * 120_000, "utf-8")
    done = run(huge, "--out", tmp_path / "out")
    assert done.returncode == 2 and "too large" in done.stderr
    assert not (tmp_path / "out").exists()


def test_text_without_events_gives_an_empty_record_and_a_warning(tmp_path, needs_list):
    plain = tmp_path / "kommentar.txt"
    plain.write_text("Kommentar\n\nDie Verwaltung sollte ihre Abläufe vereinfachen. Das hilft allen.\n", "utf-8")
    done = run(plain, "--out", tmp_path / "out")
    assert done.returncode == 0 and "no event found" in done.stderr
    record = YAML(typ="safe").load((tmp_path / "out" / "kommentar.yaml").read_text("utf-8"))
    assert record["events"] == [] and any("no event" in r for r in record["review"])


def test_unknown_publisher_is_flagged_for_review_not_invented(tmp_path, needs_list):
    done = run(CORPUS / "heldout" / "h05-regionales-offenburg.txt", "--out", tmp_path)
    assert done.returncode == 0
    record = YAML(typ="safe").load((tmp_path / "h05-regionales-offenburg.yaml").read_text("utf-8"))
    assert "report.publisher" in record["review"]
    done = run(CORPUS / "heldout" / "h05-regionales-offenburg.txt", "--out", tmp_path, "--publisher", "Ortenau-Bote")
    record = YAML(typ="safe").load((tmp_path / "h05-regionales-offenburg.yaml").read_text("utf-8"))
    assert record["report"]["publisher"] == "Ortenau-Bote" and "report.publisher" not in record.get("review", [])


def test_a_given_publication_date_is_the_reports_and_dates_the_days(tmp_path, needs_list):
    report = tmp_path / "bericht.txt"
    report.write_text("Digitalwerkstatt in Balgheim\n\nIn Balgheim fand am 12. Mai eine Digitalwerkstatt statt.\n",
                      "utf-8")
    done = run(report, "--out", tmp_path / "out", "--published", "2020-06")
    assert done.returncode == 0, done.stderr
    record = YAML(typ="safe").load((tmp_path / "out" / "bericht.yaml").read_text("utf-8"))
    assert record["report"]["date"] == "2020-06" and record["events"][0]["date"] == "2020-05-12"


@pytest.mark.parametrize("value, message", [("12.05.2020", "is no date"), ("2020-02-30", "is no date"),
                                            ("2999-01-01", "in the future"), ("gestern", "YYYY-MM-DD")])
def test_a_wrong_publication_date_fails_with_exit_2_and_writes_nothing(tmp_path, value, message, needs_list):
    out = tmp_path / "out"
    done = run(GOOD, "--out", out, "--published", value)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "publication date" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_a_given_address_is_the_reports_source_and_its_date(tmp_path, needs_list):
    report = tmp_path / "bericht.txt"
    report.write_text("Digitalwerkstatt in Balgheim\n\nIn Balgheim fand am 12. Mai eine Digitalwerkstatt statt.\n",
                      "utf-8")
    address = "https://www.balgheim.de/2020/06/digitalwerkstatt/"
    done = run(report, "--out", tmp_path / "out", "--source", address)
    assert done.returncode == 0, done.stderr
    record = YAML(typ="safe").load((tmp_path / "out" / "bericht.yaml").read_text("utf-8"))
    assert record["report"]["source"] == address and record["report"]["date"] == "2020-06"
    assert record["events"][0]["date"] == "2020-05-12"


@pytest.mark.parametrize("args, message", [
    (("--source", "www.balgheim.de/werkstatt"), "whole http(s) address"),
    (("--source", "https://www.balgheim.de/digital werkstatt"), "whole http(s) address"),
    (("{other}", "--source", "https://www.balgheim.de/werkstatt"), "give it with one file, not 2"),
], ids=["no scheme", "a space", "two files"])
def test_a_wrong_address_fails_with_exit_2_and_writes_nothing(tmp_path, args, message, needs_list):
    other = tmp_path / "anderer.txt"
    other.write_text(GOOD.read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    done = run(GOOD, *[str(a).format(other=other) for a in args], "--out", out)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "source" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()
