"""Other municipalities taking part, read from an enumeration in the event's sentences (made-up sentences)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module", params=["trained", "rules"])
def both_extractors(request, extractor):
    """The extractor with the trained models (as `make model` built them) and without (the rules alone)."""
    from graph.extraction.extractor import Extractor
    from tests.extraction.evaluate import CORPUS_DAY

    return extractor if request.param == "trained" else Extractor(today=CORPUS_DAY, model_dir=None)


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
def test_an_enumeration_of_taking_part_names_participants(both_extractors, tmp_path, sentence, expected):
    """With the trained models too: the tagger's vote once made a town the mayors came from the venue (a model
    trained at session 41 took Bayerisch Eisenstein for the second sentence's venue); a list after 'aus' now gets
    no vote while the rules found a place outside it."""
    path = tmp_path / "report.txt"
    path.write_text(f"Workshop\n\n{sentence}\n", "utf-8")
    event = both_extractors.extract(path)["events"][0]
    assert set(participant_names(event)) == set(expected)


@pytest.mark.parametrize("text, listed", [
    ("Es kamen Bürgermeister aus Lindberg, Bayerisch Eisenstein und St. Oswald-Riedlhütte.",
     ["Lindberg, Bayerisch Eisenstein und St. Oswald-Riedlhütte"]),
    # the list's first item takes the noun before it; the mention of Lindberg still lies inside
    ("Dabei waren Vertreter aus den Gemeinden Lindberg, Zwiesel und Frauenau.",
     ["Gemeinden Lindberg, Zwiesel und Frauenau"]),
    # the group holding the event: its first member is the event's place (the guidelines), the tagger may say so
    ("Beteiligt sind Eppenschlag, Fürsteneck und Grafenau.", []),
    # people from the places, but nothing says they take part
    ("Der Bus kommt aus Passau, Deggendorf und Regen.", []),
])
def test_the_places_people_came_from_are_the_lists_after_aus(text, listed):
    from graph.extraction.participants import came_from_spans
    from graph.text.sentences import Sentence

    sentence = Sentence(100, 100 + len(text), text, None, [])
    spans = came_from_spans(sentence)
    assert [text[start - 100:end - 100] for start, end in spans] == listed


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
