"""Issue 14, part 2: one resource per person across reports; uncertain merges go to the steward,
whose decisions no later run changes."""

from __future__ import annotations

import json
import subprocess

import pytest

from graph.build.pipeline import Sources, build
from graph.linking.person_file import PERSONS_FILE, add_candidates, decisions
from graph.linking.mentioned import read_mentioned
from graph.linking.persons import Mention, name_parts, names_agree, resolve
from graph.records.record import find_records
from graph.store.versions import VersionedStore
from tests.helpers import BASE_IRI, KOMMUNALGRAPH

RECORD = """
report: {{id: {key}, title: Bericht {key}, publisher: Testverlag}}
events:
  - type: Workshop
    id: achern-digitalwerkstatt-{key}   # one event per report: the key alone (year, place, kind) would join them
    title: Digitalwerkstatt {key}
    date: "{date}"
    status: held
    municipality: {{name: Achern, ags: "08317001"}}
    talks:
      - title: Impuls {key}
        speakers:
{speakers}
"""


def write_record(folder, key: str, date: str, *speakers: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = "\n".join(f"          - {s}" for s in speakers)
    (folder / f"{key}.yaml").write_text(RECORD.format(key=key, date=date, speakers=lines), "utf-8")


@pytest.mark.parametrize("name, parts", [
    ("Dr. Jörg Müller", (("joerg",), "mueller")), ("Prof. Dr.-Ing. Anna Schmidt", (("anna",), "schmidt")),
    ("Frauke Meier", (("frauke",), "meier")), ("Frau Meier", ((), "meier")), ("J. Müller", (("j",), "mueller"))])
def test_names_lose_titles_and_fold_german_letters(name, parts):
    assert name_parts(name) == parts


def test_names_agree_fully_by_an_initial_or_not_at_all():
    assert names_agree("Dr. Jörg Müller", "Jörg Mueller") == "full"
    assert names_agree("J. Müller", "Jörg Müller") == "initial"
    assert names_agree("Müller", "Jörg Müller") == "initial"
    assert names_agree("Jan Müller", "Jörg Müller") is None
    assert names_agree("Jörg Müller", "Jörg Maier") is None


def mention(report: str, name: str, organisation: str = "", role: str = "") -> Mention:
    return Mention(report, "events[0].talks[0].speakers[0]", name, organisation, role)


def test_one_person_through_three_reports_with_a_title_an_initial_and_a_changed_organisation():
    first = mention("a", "Dr. Anna Schmidt", "Stadt Achern", "CDO")
    second = mention("b", "A. Schmidt", "Stadt Achern")            # initial, same organisation: the same
    third = mention("c", "Anna Schmidt", "Ortenaukreis", "CDO")    # changed organisation: the steward decides
    found = resolve([first, second, third])
    assert found.keys[first.ref] == found.keys[second.ref] == "anna-schmidt"
    assert found.keys[third.ref] != found.keys[first.ref], "kept apart until decided"
    # One question per two people, not per two mentions: the steward sees the fullest name.
    assert [(c.first.name, c.second.name, c.why) for c in found.open] == [
        ("Dr. Anna Schmidt", "Anna Schmidt", "organisations differ")]
    decided = resolve([first, second, third], {frozenset({first.ref, third.ref}): "same"})
    assert len(set(decided.keys.values())) == 1


def test_a_name_alone_never_joins_two_people_kept_apart():
    kiel = mention("a", "Anna Schmidt", "Stadt Kiel")
    ploen = mention("b", "Anna Schmidt", "Kreis Plön")
    bare = mention("c", "Anna Schmidt")            # no organisation: fits both
    found = resolve([kiel, ploen, bare], {frozenset({kiel.ref, ploen.ref}): "different"})
    assert len({found.keys[m.ref] for m in (kiel, ploen, bare)}) == 3
    assert any(c.why == "the name fits several people kept apart" for c in found.open)
    alone = resolve([kiel, bare])                  # one candidate only: the same person
    assert alone.keys[kiel.ref] == alone.keys[bare.ref]


def test_the_decision_file_keeps_the_stewards_decisions_and_comments(tmp_path):
    first, third = mention("a", "Anna Schmidt", "Stadt Achern"), mention("c", "Anna Schmidt", "Ortenaukreis")
    path, added = add_candidates(tmp_path, resolve([first, third]))
    assert added == 1 and decisions(tmp_path) == {}
    text = path.read_text("utf-8").replace("decision: open", "decision: different  # zwei Personen, Telefonat 2.12.")
    path.write_text(text, "utf-8")
    _, again = add_candidates(tmp_path, resolve([first, third], decisions(tmp_path)))
    assert again == 0 and "# zwei Personen, Telefonat 2.12." in path.read_text("utf-8")
    assert decisions(tmp_path) == {frozenset({first.ref, third.ref}): "different"}


@pytest.mark.parametrize("text, message", [("- [unclosed\n", "cannot read"), ("mentions: x\n", "must be a list"),
                                           ("- {mentions: [a#x], decision: same}\n", "two mentions"),
                                           ("- {mentions: [a#x, b#y], decision: maybe}\n", "open, same or different")])
def test_a_broken_decision_file_is_a_clear_problem(tmp_path, text, message):
    from graph.errors import RecordError

    (tmp_path / PERSONS_FILE).write_text(text, "utf-8")
    with pytest.raises(RecordError) as caught:
        decisions(tmp_path)
    assert message in caught.value.problems[0].english


def persons_in(store: VersionedStore) -> set[str]:
    rows = store.open_read().query("SELECT DISTINCT ?p { ?p a <https://w3id.org/kommunalgraph/ontology#Person> }")
    return {row["p"].value.rsplit("/", 1)[1] for row in rows}


def test_the_build_and_the_command_follow_the_decisions(tmp_path):
    """Three reports through the build: the initial joins by its organisation, the changed
    organisation waits (a warning), `kommunalgraph persons` lists it, the steward's `same` joins it."""
    records, links = tmp_path / "records", tmp_path / "links"
    write_record(records, "bericht-a", "2022-05", "{name: Anna Schmidt, honorific: Dr., organisation: Stadt Achern}")
    write_record(records, "bericht-b", "2023-03", "{name: A. Schmidt, organisation: Stadt Achern}")
    write_record(records, "bericht-c", "2024-06", "{name: Anna Schmidt, organisation: Ortenaukreis}")
    assert len(read_mentioned(find_records(records)).mentions) == 3
    store = VersionedStore(tmp_path / "store")
    links.mkdir()
    result = build(store, Sources(records=records, links=links), BASE_IRI, owl=False)
    assert persons_in(store) == {"anna-schmidt", "anna-schmidt-ortenaukreis"}
    assert any("possible duplicate persons" in w.english for w in result.warnings)
    done = subprocess.run([KOMMUNALGRAPH, "persons", "--records", str(records), "--links", str(links), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 1
    path = links / PERSONS_FILE
    path.write_text(path.read_text("utf-8").replace("decision: open", "decision: same"), "utf-8")
    result = build(store, Sources(records=records, links=links), BASE_IRI, owl=False)
    assert persons_in(store) == {"anna-schmidt"}
    assert not any("possible duplicate persons" in w.english for w in result.warnings)
    talks = store.open_read().query(
        "SELECT (COUNT(DISTINCT ?t) AS ?n) { ?t <https://w3id.org/kommunalgraph/ontology#speaker> "
        f"<{BASE_IRI}id/person/anna-schmidt> }}")
    assert int(next(iter(talks))["n"].value) == 3
    # One name for the joined person (the shapes allow one), the fullest spelling; the others stay findable.
    names = store.open_read().query(
        f"SELECT ?p ?n {{ <{BASE_IRI}id/person/anna-schmidt> ?p ?n }} ORDER BY ?p ?n")
    found = {(row["p"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], row["n"].value) for row in names
             if row["p"].value.endswith(("#label", "/name", "#altLabel"))}
    assert found == {("label", "Anna Schmidt"), ("name", "Anna Schmidt"), ("altLabel", "A. Schmidt")}


def test_the_command_reports_a_broken_decision_file(tmp_path):
    records = tmp_path / "records"
    write_record(records, "bericht-a", "2022-05", "{name: Anna Schmidt}")
    (tmp_path / PERSONS_FILE).write_text("- {mentions: [a#x, b#y], decision: maybe}\n", "utf-8")
    done = subprocess.run([KOMMUNALGRAPH, "persons", "--records", str(records), "--links", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "open, same or different" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr



def test_no_candidates_write_an_empty_file_that_later_candidates_extend(tmp_path):
    """A first run without open candidates wrote nothing and crashed in ruamel.yaml (an empty list
    with a header); now it writes the header and [] and a later run adds entries in block style."""
    from graph.linking.persons import Resolution

    path, added = add_candidates(tmp_path, Resolution())
    assert added == 0 and path.read_text("utf-8").startswith("# ") and path.read_text("utf-8").endswith("[]\n")
    assert decisions(tmp_path) == {}
    mentions = [Mention(report="a", where="events[0].talks[0].speakers[0]", name="Anna Schmidt", organisation="Stadt A"),
                Mention(report="b", where="events[0].talks[0].speakers[0]", name="Dr. Anna Schmidt", organisation="Stadt B")]
    path, added = add_candidates(tmp_path, resolve(mentions, {}))
    text = path.read_text("utf-8")
    assert added == 1 and text.startswith("# ") and "\n- mentions:" in text and "[]" not in text


def test_the_label_name_is_the_fullest_spelling_and_survives_the_trip_to_a_worker():
    import pickle

    from graph.linking.persons import PersonKeys, label_name

    assert label_name({"A. Schmidt", "Anna Schmidt", "Anna M. Schmidt"}) == "Anna Schmidt"
    assert label_name({"Anna Maria Schmidt", "Anna Schmidt"}) == "Anna Maria Schmidt"
    keys = pickle.loads(pickle.dumps(PersonKeys({"a#x": "anna-schmidt"}, {"anna-schmidt": "Anna Schmidt"})))
    assert keys == {"a#x": "anna-schmidt"} and keys.names == {"anna-schmidt": "Anna Schmidt"}
