"""The learned choice of an event's place (graph/extraction/event_place.py): features, fitting, choice, fallback."""

from __future__ import annotations

import re

from graph.extraction.event_place import MODEL_FILE, Context, Located, PlaceClassifier, decide, fit
from graph.extraction.places import Mention
from graph.records.gazetteer import Place
from graph.text.documents import load_document
from graph.text.sentences import Sentence

TEXT = ("Husum, 3. Mai 2023 – Die Gemeinde Ladelund lud am Dienstag zu einem Workshop zur Digitalisierung ein. "
        "Den Vortrag hielt Jana Berg aus Flensburg. Der Workshop in Ladelund soll im Herbst fortgesetzt werden.\n")


def _recorded(extractor, tmp_path, text=TEXT):
    """Per section, (features, mention) of every place the extractor weighed in `text`."""
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    extractor.events.recorder = recorded = []
    try:
        extractor.extract_document(load_document(path))
    finally:
        extractor.events.recorder = None
    return recorded


def _by_name(recorded):
    out = {}
    for section in recorded:
        for feats, mention in section:
            out.setdefault(mention.candidates[0].name, feats)
    return out


def test_features_of_dateline_home_town_and_event_place(extractor, tmp_path):
    feats = _by_name(_recorded(extractor, tmp_path))
    assert feats["Husum"]["dateline"] == 1.0 and feats["Husum"]["sentence_start"] == 1.0
    assert feats["Flensburg"]["before1=aus"] == 1.0 and feats["Flensburg"]["decoy_before"] == 1.0
    assert feats["Ladelund"]["kind=Gemeinde"] == 1.0 and feats["Ladelund"]["dateline"] == 0.0
    # Ladelund is named twice (once after 'in'), the others once; a place's mentions are merged into one candidate.
    assert feats["Ladelund"]["most_frequent"] == 1.0 and feats["Flensburg"]["most_frequent"] == 0.0
    assert feats["Ladelund"]["in_before"] == 1.0 and feats["Ladelund"]["always_decoy"] == 0.0
    assert feats["Flensburg"]["always_decoy"] == 1.0


def test_fit_learns_the_direction_of_a_clue_and_repeats_itself():
    samples = [({"dateline": 1.0, "count": 0.7}, False)] * 6 + [({"dateline": 0.0, "count": 1.1}, True)] * 6 \
        + [({"dateline": 0.0, "count": 0.7}, False)] * 2
    first, second = fit(samples), fit(samples)
    assert first.weights == second.weights and first.intercept == second.intercept
    assert first.weights["dateline"] < 0 < first.weights["count"]
    assert first.logit({"dateline": 0.0, "count": 1.1}) > first.logit({"dateline": 1.0, "count": 0.7})


def test_rare_words_are_not_features():
    samples = [({"before1=sitz": 1.0, "dateline": 1.0}, False), ({"dateline": 0.0}, True)] * 2
    assert "before1=sitz" not in fit(samples).weights


def test_the_classifier_overrules_the_hand_set_scores(extractor, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(TEXT, "utf-8")
    trained = extractor.events.place_model
    try:
        extractor.events.place_model = None  # the hand-set scores: the event's own municipality
        assert extractor.extract_document(load_document(path))["events"][0]["municipality"]["name"] == "Ladelund"
        # Weights that prefer the dateline: now the learned choice, not the rules, names the place.
        extractor.events.place_model = PlaceClassifier({"dateline": 10.0}, 0.0)
        assert extractor.extract_document(load_document(path))["events"][0]["municipality"]["name"] == "Husum"
    finally:
        extractor.events.place_model = trained


def test_save_load_and_fallback_without_the_file(tmp_path):
    assert PlaceClassifier.load(tmp_path) is None and PlaceClassifier.load(None) is None
    PlaceClassifier({"dateline": -1.5}, 0.25).save(tmp_path)
    loaded = PlaceClassifier.load(tmp_path)
    assert (tmp_path / MODEL_FILE).exists() and loaded.weights == {"dateline": -1.5} and loaded.intercept == 0.25


def test_the_rules_decide_whether_a_section_has_a_place():
    sentence = Sentence(0, 18, "Workshop in Husum", None)
    husum = Mention(12, 17, "Husum", [Place("municipality", "01054056", "Husum")], 3.0)
    located = [Located(husum, sentence, False, 0, 3.0)]
    context = Context(sentence.text, set(), re.compile("Workshop"))
    assert decide(PlaceClassifier({"rule": 5.0}, 0.0), located, context, None, []) == (None, [])
    assert decide(PlaceClassifier({"rule": 5.0}, 0.0), located, context, husum, [])[0] is husum
