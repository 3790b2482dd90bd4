"""Record files: the seed record loads; broken records get precise German and English problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import RecordError
from graph.records.record import find_records, load_record

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "records" / "stadt-land-digital-2022-strategiestarterworkshops.yaml"

VALID_EVENT = """
report: {title: Testbericht, publisher: Testverlag}
events:
  - type: Strategiestarterworkshop
    title: Test
    date: "2022-05"
    status: held
    municipality: {name: Achern, ags: "08317001"}
"""


def problems_of(tmp_path: Path, text: str):
    path = tmp_path / "record.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(RecordError) as caught:
        load_record(path)
    return caught.value.problems


def test_seed_record_loads_with_its_five_events():
    record = load_record(SEED)
    assert record.key == "stadt-land-digital-2022-strategiestarterworkshops"
    assert [e["municipality"]["name"] for e in record.events] == [
        "Bad Schönborn", "Achern", "Lippische Kommunen", "Neubrandenburg", "Neubrandenburg"]
    assert {e["date"] for e in record.events} == {"2022-04", "2022-05", "2022-05-11", "2021"}


def test_valid_minimal_record_loads(tmp_path):
    path = tmp_path / "mein-bericht.yaml"
    path.write_text(VALID_EVENT, "utf-8")
    assert load_record(path).key == "mein-bericht"


def test_unquoted_ags_gets_a_hint_with_line_number(tmp_path):
    problems = problems_of(tmp_path, VALID_EVENT.replace('"08317001"', "8317001"))
    assert len(problems) == 1
    problem = problems[0]
    assert problem.field == "events[0].municipality.ags"
    assert "Anführungszeichen" in problem.german and "quote" in problem.english
    assert "Zeile 8" in problem.german and "line 8" in problem.english
    assert problem.event == "1: Test"


@pytest.mark.parametrize("broken, field, german", [
    ('date: "2022-13"', "events[0].date", "JJJJ-MM"),
    ('date: "Mai 2022"', "events[0].date", "JJJJ-MM"),
    ('date: "2022-05\\n"', "events[0].date", "JJJJ-MM"),  # `$` ends the text, as in JSON Schema (issue 6)
    ("status: held", "events[0].status", None),
])
def test_malformed_dates(tmp_path, broken, field, german):
    text = VALID_EVENT.replace('date: "2022-05"', broken) if "date" in broken else VALID_EVENT
    if german is None:
        text = VALID_EVENT.replace("status: held", "status: done")
        german = "held, planned"
    problems = problems_of(tmp_path, text)
    assert [p.field for p in problems] == [field if "date" in broken else "events[0].status"]
    assert german in problems[0].german


def test_missing_required_fields_are_named(tmp_path):
    problems = problems_of(tmp_path, VALID_EVENT.replace("    status: held\n", "").replace("    title: Test\n", ""))
    messages = " ".join(p.german for p in problems)
    assert "Pflichtfeld fehlt: title" in messages and "Pflichtfeld fehlt: status" in messages


def test_unknown_field_lists_allowed_fields(tmp_path):
    problems = problems_of(tmp_path, VALID_EVENT + "    venue: Rathaus\n")
    assert problems[0].field == "events[0]"
    assert "venue" in problems[0].german and "municipality" in problems[0].english


def test_wrong_kind_and_bad_wikidata_id(tmp_path):
    text = VALID_EVENT.replace('{name: Achern, ags: "08317001"}', "{name: Achern, kind: Dorf, wikidata: '2966'}")
    fields = sorted(p.field for p in problems_of(tmp_path, text))
    assert fields == ["events[0].municipality.kind", "events[0].municipality.wikidata"]


def test_talk_needs_title_speakers_or_subject(tmp_path):
    problems = problems_of(tmp_path, VALID_EVENT + "    talks:\n      - {kind: Impulsvortrag}\n")
    assert problems[0].field == "events[0].talks[0]"
    assert "Vortrag braucht" in problems[0].german


def test_invalid_yaml_reports_position(tmp_path):
    problems = problems_of(tmp_path, "report: {title: [unclosed\nevents: []\n")
    assert len(problems) == 1 and "YAML" in problems[0].german and "line" in problems[0].english


@pytest.mark.parametrize("text", ["", "- just\n- a list\n", "42\n"])
def test_non_mapping_documents(tmp_path, text):
    problems = problems_of(tmp_path, text)
    assert "report" in problems[0].english


def test_undecodable_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("report: {title: Gr\xfc\xdfe}".encode("latin-1"))
    with pytest.raises(RecordError) as caught:
        load_record(path)
    assert "cannot read" in caught.value.problems[0].english


def test_missing_records_directory(tmp_path):
    with pytest.raises(RecordError) as caught:
        find_records(tmp_path / "nope")
    assert "not found" in caught.value.problems[0].english


def test_tagged_scalars_load_on_the_careful_path(tmp_path):
    """`!!str` tags are plain YAML; hypothesis once found that their position has no line."""
    from graph.records.record import careful_load

    text = (VALID_EVENT.replace("title: Test\n", "title: !!str 1\n")
            .replace("{title: Testbericht,", "{id: !!str 7, title: Testbericht,"))
    record = careful_load(text, tmp_path / "getaggt.yaml")
    assert record.events[0]["title"] == "1"
