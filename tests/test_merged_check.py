"""What several reports say about one resource is checked together before a version is published
(graph/build/merged_check.py); the corpus annotations can say that two reports describe one event
(`same_as`) or two (`id`) (graph/records/annotations.py)."""

from __future__ import annotations

import pytest

from graph.build.pipeline import Sources, build
from graph.errors import ValidationFailed
from graph.records.annotations import same_events
from graph.store.versions import VersionedStore
from tests.helpers import BASE_IRI

RECORD = """
report: {{id: {key}, title: Bericht {key}, publisher: "Beispiel Digital"}}
events:
  - type: Workshop
{extra}    title: {title}
    date: "{date}"
    status: held
    municipality: {{name: Achern, ags: "08317001"}}
"""


def write(folder, key: str, date: str, extra: str = "", title: str = "Digitalwerkstatt Achern") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{key}.yaml").write_text(RECORD.format(key=key, date=date, extra=extra, title=title), "utf-8")


def test_two_reports_giving_one_event_two_dates_stop_the_build_and_name_both(tmp_path):
    records = tmp_path / "records"
    write(records, "bericht-a", "2023-05-04")
    write(records, "bericht-b", "2023-06-01")
    store = VersionedStore(tmp_path / "store")
    with pytest.raises(ValidationFailed) as failed:
        build(store, Sources(records=records), BASE_IRI, owl=False)
    [problem] = failed.value.problems
    assert problem.file == "bericht-a, bericht-b" and problem.field.endswith("#date")
    assert problem.value == f"{BASE_IRI}id/event/2023-achern-workshop"
    assert "contradict each other" in problem.english and "widersprüchlich" in problem.german
    assert store.current() is None, "nothing published"


def test_two_titles_in_one_language_for_one_event_stop_the_build(tmp_path):
    records = tmp_path / "records"
    write(records, "bericht-a", "2023-05-04")
    write(records, "bericht-b", "2023-05-04", title="Zukunftswerkstatt Achern digital")
    with pytest.raises(ValidationFailed) as failed:
        build(VersionedStore(tmp_path / "store"), Sources(records=records), BASE_IRI, owl=False)
    assert [(p.file, p.field.rsplit("#", 1)[1]) for p in failed.value.problems] == [("bericht-a, bericht-b", "title")]


def test_agreeing_reports_make_one_event_and_an_id_keeps_two_events_apart(tmp_path):
    records = tmp_path / "records"
    write(records, "bericht-a", "2023-05-04")
    write(records, "bericht-b", "2023-05-04")
    write(records, "bericht-c", "2023-09-12", extra="    id: 2023-achern-zweite-digitalwerkstatt\n")
    store = VersionedStore(tmp_path / "store")
    build(store, Sources(records=records), BASE_IRI, owl=False)
    rows = store.open_read().query(
        "SELECT ?e ?d WHERE { ?e <https://w3id.org/kommunalgraph/ontology#date> ?d } ORDER BY ?d")
    assert [(row["e"].value.rsplit("/", 1)[1], row["d"].value) for row in rows] == [
        ("2023-achern-workshop", "2023-05-04"), ("2023-achern-zweite-digitalwerkstatt", "2023-09-12")]


def test_same_as_takes_id_date_title_and_kind_from_the_other_annotation_and_keeps_the_rest(tmp_path):
    first = {"events": [{"type": "Bürgerdialog", "id": "2020-x-online", "title": "Online-Bürgerdialog",
                         "date": "2020-07-13", "municipality": "X", "status": "held"}]}
    second = {"events": [{"type": "Dialog", "same_as": "a#0", "date": "2020-07", "municipality": "X",
                          "status": "held", "topics": ["Digitalisierung"]}]}
    [event] = same_events(second, {"a": first, "b": second}, tmp_path / "b.yaml")["events"]
    assert event == {"type": "Bürgerdialog", "same_as": "a#0", "id": "2020-x-online", "title": "Online-Bürgerdialog",
                     "date": "2020-07-13", "municipality": "X", "status": "held", "topics": ["Digitalisierung"]}
    assert second["events"][0]["date"] == "2020-07", "the annotation itself is left as its text says"


@pytest.mark.parametrize("reference", ["a#1", "a", "nowhere#0", "a#x"])
def test_a_same_as_that_names_no_event_is_an_error_naming_the_file(tmp_path, reference):
    first = {"events": [{"type": "Workshop", "date": "2020"}]}
    second = {"events": [{"type": "Workshop", "same_as": reference}]}
    with pytest.raises(ValueError, match=f"b.yaml: same_as '{reference}' names no annotated event"):
        same_events(second, {"a": first, "b": second}, tmp_path / "b.yaml")


def test_a_participant_with_a_district_gets_the_one_ags_there():
    from graph.records.annotations import _participant
    from graph.records.gazetteer import load_gazetteer
    from graph.settings import current

    gazetteer = load_gazetteer(current().reference_dir)
    if not gazetteer.by_name("municipality", "Tiefenbach"):
        pytest.skip("data/reference/gazetteer.csv is missing: run `kommunalgraph gazetteer import`")
    assert _participant("Tiefenbach", "Bayern", gazetteer) == "Tiefenbach", "three in Bayern: no AGS"
    assert _participant({"name": "Tiefenbach", "district": "Landkreis Passau"}, "Bayern", gazetteer) == {
        "name": "Tiefenbach", "ags": "09275151"}
