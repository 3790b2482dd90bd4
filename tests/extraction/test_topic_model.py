"""The learned topics (graph/extraction/topic_model.py): themes by keyphraseness, concept classifiers, saving, use."""

from __future__ import annotations

import numpy as np
import pytest

from graph.extraction.topic_model import MIN_CHARS, MODEL_FILE, Example, TopicModel, fit, learned_topics
from graph.text.documents import load_document
from graph.text.sentences import split

PARTICIPATION = "https://w3id.org/kommunalgraph/topic/buergerbeteiligung"
BROADBAND = "https://w3id.org/kommunalgraph/topic/breitband"
# Event texts under MIN_CHARS get no guessed concept; this makes a text long enough without new topics.
LONGER = "Die Teilnehmenden sammelten an Stellwänden, was ihnen wichtig ist. " * 7 + "\n"


def _examples() -> list[Example]:
    """Texts about citizens taking part (recorded as Bürgerbeteiligung) and about fibre (Breitband)."""
    out = []
    for i in range(8):
        out.append(Example(f"In Workshop {i} haben Bürgerinnen und Bürger mitgewirkt und Ideen eingebracht. "
                           "Die Einwohnerschaft diskutierte mit.", {PARTICIPATION}, set()))
        out.append(Example(f"Beim Termin {i} ging es um Glasfaser, schnelles Internet und Funkmasten im Ort.",
                           {BROADBAND}, set()))
    # 'Mobilität' is recorded by two of the three texts that name it; 'Verwaltung' by two texts that do not name
    # it and by none of the three that do.
    out += [Example("Die Mobilität im Dorf war Thema.", set(), {"Mobilität", "Verwaltung"}),
            Example("Mobilitätskonzepte wurden vorgestellt.", set(), {"Mobilität", "Verwaltung"}),
            Example("Mobilität kam kurz vor.", set(), set())]
    out += [Example(f"Die Verwaltung berichtete ({i}).", set(), set()) for i in range(3)]
    return out


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return fit(_examples())


def test_themes_are_kept_by_keyphraseness(model):
    assert model.themes == ["Mobilität"]
    assert model.found_themes("Ein Mobilitätskonzept für die Stadt") == [("Mobilität", 4, 13)]
    assert model.found_themes("Immobilität") == []


def test_a_concept_is_recognised_without_its_label(model):
    text = "Viele Bürgerinnen und Bürger haben beim Workshop mitgewirkt. " + LONGER
    likely = dict(model.likely_concepts(text))
    assert PARTICIPATION in likely and BROADBAND not in likely
    assert BROADBAND in dict(model.likely_concepts("Es ging um Glasfaser und schnelles Internet. " + LONGER))


def test_short_texts_get_no_guessed_concept(model):
    text = "Viele Bürgerinnen und Bürger haben beim Workshop mitgewirkt."
    assert len(text) < MIN_CHARS and PARTICIPATION in model.probabilities(text)
    assert model.likely_concepts(text) == []


def test_a_concept_in_every_or_few_texts_gets_no_classifier(model):
    examples = _examples()[:4] + [Example("x", {"https://example.org/rare"}, set())]
    assert "https://example.org/rare" not in fit(examples).concepts
    assert set(model.concepts) == {PARTICIPATION, BROADBAND}


def test_saved_model_answers_alike_and_no_file_means_no_model(model, tmp_path):
    model.save(tmp_path)
    loaded = TopicModel.load(tmp_path)
    text = "Bürgerinnen und Bürger haben mitgewirkt, auch beim Glasfaser-Ausbau."
    assert loaded.themes == model.themes and loaded.concepts == model.concepts
    assert loaded.probabilities(text) == pytest.approx(model.probabilities(text))
    with np.load(tmp_path / MODEL_FILE, allow_pickle=False) as data:  # plain arrays, nothing pickled
        assert set(data.files) >= {"themes", "concepts", "vocabulary", "idf", "coef", "intercept"}
    assert TopicModel.load(tmp_path / "missing") is None and TopicModel.load(None) is None


def test_learned_topics_point_at_their_sentence(model, extractor, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Workshop in Husum\n\nIn Husum haben Bürgerinnen und Bürger mitgewirkt. Es ging auch um Mobilität. "
                    + LONGER, "utf-8")
    doc = load_document(path)
    sentences = split(doc, [b for b in doc.blocks if not b.furniture])
    found = learned_topics(model, sentences, extractor.events.topics.index)
    theme = next(t for t in found if t.candidate)
    assert (theme.label, doc.clean[theme.start:theme.end]) == ("Mobilität", "Mobilität")
    concept = next(t for t in found if not t.candidate)
    assert str(concept.concept) == PARTICIPATION and concept.label == "Bürgerbeteiligung"
    assert 0.5 <= concept.probability <= 1 and doc.clean[concept.start:concept.end] == sentences[0].text


def test_the_extractor_records_learned_topics_with_their_probability(model, extractor, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Bürgerworkshop in Husum\n\nAm 3. Mai 2023 fand in Husum ein Workshop statt. Viele Bürgerinnen "
                    "und Bürger haben mitgewirkt und Ideen zur Mobilität eingebracht. " + LONGER, "utf-8")
    saved = extractor.events.topic_model
    extractor.events.topic_model = model
    try:
        event = extractor.extract(path)["events"][0]
    finally:
        extractor.events.topic_model = saved
    assert {"label": "Mobilität", "candidate": True} in event["topics"]
    assert "Bürgerbeteiligung" in event["topics"]
    evidence = {e["value"]: e for e in event["evidence"] if e["field"] == "topics"}
    assert 0.5 <= evidence["Bürgerbeteiligung"]["confidence"] <= 1


def test_cross_validation_keeps_each_publisher_in_one_fold():
    from tests.extraction.curves import publisher_folds

    annotations = [{"publisher": p} for p in "AAAABBCCCDEF"] + [{}]
    folds = publisher_folds(annotations)
    for publisher in "ABCDEF":
        assert len({f for a, f in zip(annotations, folds) if a.get("publisher") == publisher}) == 1
    sizes = [folds.count(f) for f in range(3)]
    assert sorted(sizes) == [4, 4, 5] and set(folds) == {0, 1, 2}


def test_a_broken_topic_model_file_is_a_clear_error(tmp_path):
    from graph.errors import KommunalgraphError

    for broken in (b"PK\x03\x04 not a zip", b"\x93NUMPY garbage", b"plain text"):
        (tmp_path / MODEL_FILE).write_bytes(broken)
        with pytest.raises(KommunalgraphError, match="topic-model.npz is unreadable"):
            TopicModel.load(tmp_path)
    np.savez(tmp_path / MODEL_FILE, themes=np.array(["Mobilität"]))  # a key is missing
    with pytest.raises(KommunalgraphError, match="topic-model.npz is unreadable"):
        TopicModel.load(tmp_path)


def test_a_training_run_without_the_option_keeps_the_themes_and_drops_the_concepts(tmp_path, monkeypatch, extractor):
    import graph.extraction.topic_model as topic_model
    import graph.extraction.train as training

    corpus = tmp_path / "corpus" / "tuned"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text("Am 3. Mai 2023 fand in Husum ein Workshop statt.\n", "utf-8")
    (corpus / "a.yaml").write_text("events:\n  - municipality: Husum\n    topics: [Smart City]\n", "utf-8")
    monkeypatch.setattr(training, "train", lambda data, out, epochs: out.mkdir(parents=True, exist_ok=True))
    out = tmp_path / "model"
    args = ["--corpus", str(tmp_path / "corpus"), "--out", str(out)]
    for name, day in (("b", 4), ("c", 5)):  # two texts that record the theme they name
        (corpus / f"{name}.txt").write_text(f"Am {day}. Mai 2023 fand in Husum ein Workshop zur Mobilität statt.\n",
                                            "utf-8")
        (corpus / f"{name}.yaml").write_text("events:\n  - municipality: Husum\n    topics: [{label: Mobilität, "
                                             "candidate: true}]\n", "utf-8")
    monkeypatch.setattr(topic_model, "MIN_CONCEPT_TEXTS", 1)   # Smart City, recorded once, gets a regression
    assert training.main(args + ["--topic-model"]) == 0
    assert TopicModel.load(out).concepts
    assert training.main(args) == 0
    assert (out / "organisers.json").exists()
    themes_only = TopicModel.load(out)
    assert themes_only.concepts == [] and themes_only.found_themes("Ein Workshop zur Mobilität")
