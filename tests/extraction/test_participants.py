"""Other municipalities taking part, read from an enumeration in the event's sentences (made-up sentences)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def rules_only(extractor):
    """The extractor without the trained models (tagger, place classifier, themes)."""
    from graph.extraction.extractor import Extractor
    from tests.extraction.evaluate import CORPUS_DAY

    return Extractor(today=CORPUS_DAY, model_dir=None)


def events(extract_text, text: str) -> list[dict]:
    return extract_text(text)["events"]


def participant_names(event: dict) -> list[str]:
    return [p["name"] for p in event.get("participants", [])]


@pytest.mark.parametrize("sentence, expected", [
    # people of the listed towns came; the event is the venue's, the others take part
    ("Am 4. Mai 2023 kamen Vertreterinnen und Vertreter aus Tiefenbach, Neureichenau und Rinchnach in Grafenau "
     "zu einem Workshop zusammen.", ["Tiefenbach", "Neureichenau", "Rinchnach"]),
    # the list names the mayors, with a multi-word name and 'St.'
    ("Zum Workshop in Spiegelau am 4. Mai 2023 waren Bürgermeisterinnen und Bürgermeister aus Lindberg, "
     "Bayerisch Eisenstein und St. Oswald-Riedlhütte gekommen.", ["Lindberg", "Bayerisch Eisenstein", "Sankt Oswald-Riedlhütte"]),
    # member towns of a partnership, the event's own town among them
    ("Beim Workshop am 4. Mai 2023 in Baden-Baden stellten die Mitgliedsstädte Baden-Baden, Bretten und Ettlingen "
     "ihr Konzept vor.", ["Bretten", "Ettlingen"]),
])
def test_an_enumeration_of_taking_part_names_participants(rules_only, tmp_path, sentence, expected):
    """Read with the rules' choice of the event's place: which of a sentence's towns is the venue is the learned
    place model's, and that model is retrained by `make model` whenever the extractor changes (the model trained
    at session 41's last commit takes Bayerisch Eisenstein for the second sentence's venue). The corpus
    evaluation measures that choice; this test, the enumeration."""
    path = tmp_path / "report.txt"
    path.write_text(f"Workshop\n\n{sentence}\n", "utf-8")
    event = rules_only.extract(path)["events"][0]
    assert set(participant_names(event)) == set(expected)


def test_a_list_of_districts_names_the_districts(extract_text):
    event = events(extract_text, "Konferenz in Gleichen\n\nAm 20. Juni 2023 lud die Gemeinde Gleichen Vertreter aus "
                                 "den Landkreisen Goslar, Holzminden und Northeim zu einer Konferenz ein.\n")[0]
    assert event["municipality"]["name"] == "Gleichen"
    assert set(participant_names(event)) == {"Landkreis Goslar", "Landkreis Holzminden", "Landkreis Northeim"}


@pytest.mark.parametrize("sentence", [
    # examples compared with, not participants
    "Am 4. Mai 2023 fand in Grafenau ein Workshop statt. Kommunen wie Ulm, Bamberg und Jena zeigen, wie es geht.",
    "Am 4. Mai 2023 fand in Grafenau ein Workshop statt. Als Beispiel dienten die Städte Ulm, Bamberg und Jena.",
    # a list that is not one of places
    "Am 4. Mai 2023 fand in Grafenau ein Workshop mit Vertretern aus Politik, Verwaltung und Wirtschaft statt.",
    # places without a word of taking part
    "Am 4. Mai 2023 fand in Grafenau ein Workshop statt. Die Bahn fährt über Passau, Deggendorf und Regen.",
])
def test_lists_that_are_no_participation_name_none(extract_text, sentence):
    assert participant_names(events(extract_text, f"Workshop\n\n{sentence}\n")[0]) == []


def test_a_series_of_workshops_by_town_keeps_each_towns_own_partners(extract_text):
    text = ("Vier Workshops im Ilzer Land\n\nIm Sommer 2022 kamen die Gemeinden des Ilzer Landes zu vier "
            "Workshop-Abenden zusammen. Die Abende im Überblick:\n\n- Eppenschlag\n- Hutthurm\n- Perlesreut und Fürsteneck "
            "(gemeinsam)\n- Saldenburg und Thurmansbang (gemeinsam)\n")
    by_place = {e["municipality"]["name"]: participant_names(e) for e in events(extract_text, text)}
    assert by_place["Eppenschlag"] == [] and by_place["Hutthurm"] == []
    assert by_place["Perlesreut"] == ["Fürsteneck"] and by_place["Saldenburg"] == ["Thurmansbang"]


def test_the_evidence_spans_the_place_name_not_the_noun_before_it(extract_text):
    text = ("Workshop\n\nBeim Workshop am 4. Mai 2023 in Sömmerda stellten die Mitgliedskommunen Rastenberg, "
            "Kindelbrück und Buttstädt ihren gemeinsamen Internetauftritt vor.\n")
    record = extract_text(text)
    event = record["events"][0]
    spans = {e["value"]: (e["start"], e["end"]) for e in event["evidence"] if e["field"] == "participants"}
    assert set(spans) == {"Rastenberg", "Kindelbrück", "Buttstädt"}
    assert all(end - start == len(name) for name, (start, end) in spans.items())
