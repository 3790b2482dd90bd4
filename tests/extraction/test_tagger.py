"""The trained tagger (issue 12): weak labels, a fixed-seed model on disk, the fallback without it, calibration,
the new record fields, and the new entry points on broken input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graph.extraction import details
from graph.extraction.confidence import Calibration, fit, sentence_of
from graph.extraction.drafts import draft_records
from graph.extraction.names import is_first_name
from graph.text.sentences import split
from graph.extraction.tagger import load, tag, train, weak_spans
from graph.text.documents import load_document
from tests.extraction.evaluate import ROOT

TEXT = ("Digital-Werkstatt in Wonnsheim\n\n"
        "Am 5. März 2024 lud die Entwicklungsagentur Rheinland-Pfalz zur Digital-Werkstatt nach Wonnsheim ein. "
        "Dr. Katrin Albers, Referentin des Ministeriums des Innern, sprach über die Digitalstrategie. "
        "Die Teilnehmenden erarbeiteten einen ersten Entwurf für eine Digitalstrategie. "
        "Im Mittelpunkt standen die Handlungsfelder „Tourismus“ und „Kommunale Verwaltung“.\n")
ANNOTATION = {"published": "2024-03-06", "events": [{
    "municipality": "Wonnsheim", "date": "2024-03-05", "organisers": ["Entwicklungsagentur Rheinland-Pfalz"],
    "speakers": [{"name": "Katrin Albers", "organisation": "Ministerium des Innern", "role": "Referentin"}]}]}


@pytest.fixture()
def report(tmp_path):
    path = tmp_path / "werkstatt.txt"
    path.write_text(TEXT, "utf-8")
    return load_document(path)


def test_weak_labels_find_the_annotation_in_the_text_also_when_inflected(report):
    spans = {(report.clean[s:e], label) for s, e, label in weak_spans(report, ANNOTATION)}
    assert ("Wonnsheim", "LOC_EVENT") in spans and ("Katrin Albers", "PER") in spans
    assert ("5. März 2024", "DATE_EVENT") in spans
    assert ("Ministeriums des Innern", "ORG") in spans          # genitive in the text, nominative annotated
    assert ("Entwicklungsagentur Rheinland-Pfalz", "ORG") in spans


def test_a_trained_tagger_is_saved_loaded_and_repeats_with_the_fixed_seed(report, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    train([(report, ANNOTATION)] * 4, first, epochs=25)
    train([(report, ANNOTATION)] * 4, second, epochs=25)
    model = load(first)
    assert model is not None and load(tmp_path / "missing") is None
    entities = tag(model, report)
    assert all(report.clean[e.start:e.end] == e.text for e in entities)
    assert [(e.start, e.label) for e in entities] == [(e.start, e.label) for e in tag(load(second), report)]
    assert {"PER", "LOC_EVENT"} & {e.label for e in entities}


def test_without_a_model_the_extractor_says_so_once_and_still_drafts(tmp_path, extractor):
    texts = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.txt"
        path.write_text(TEXT, "utf-8")
        texts.append(path)
    warnings = []
    drafts = draft_records(texts, None, None, warnings.append, model_dir=tmp_path / "no-model")
    assert sum("extraction model missing" in w for w in warnings) == 1
    assert [len(record["events"]) for _, record in drafts] == [1, 1]


def test_the_record_carries_organisers_working_groups_and_outcomes(report):
    sentences = split(report, [b for b in report.blocks if not b.furniture])
    assert [f.value for f in details.organisers(sentences)] == ["Entwicklungsagentur Rheinland-Pfalz"]
    assert [f.value for f in details.working_groups(sentences)] == ["Tourismus", "Kommunale Verwaltung"]
    assert [f.value for f in details.outcomes(sentences)] == ["einen ersten Entwurf für eine Digitalstrategie"]
    fact = details.outcomes(sentences)[0]
    assert report.clean[fact.start:fact.end] == fact.value


def test_calibration_is_monotone_and_survives_a_round_trip(tmp_path):
    samples = [("date", 0.5, False)] * 6 + [("date", 0.7, True), ("date", 0.7, False)] * 3 + [("date", 0.9, True)] * 6
    calibration = fit(samples)
    low, middle, high = (calibration("date", x) for x in (0.5, 0.7, 0.9))
    assert low == 0.0 and middle == pytest.approx(0.5) and high == 1.0
    calibration.save(tmp_path)
    assert Calibration.load(tmp_path)("date", 0.7) == pytest.approx(0.5)
    assert Calibration.load(tmp_path / "none")("date", 0.7) == 0.7      # no file: the raw score
    assert "erarbeiteten" in sentence_of(TEXT, TEXT.index("Entwurf"), TEXT.index("Entwurf") + 7)


def test_first_names_come_from_the_packaged_list():
    assert is_first_name("Katrin") and is_first_name("Anna-Lena")
    assert not is_first_name("Simbachs") and not is_first_name("Bürgermeister")


def _module(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_training_on_an_empty_corpus_fails_plainly_and_writes_no_model(tmp_path):
    done = _module("graph.extraction.train", "--corpus", str(tmp_path / "empty"), "--out", str(tmp_path / "model"))
    assert done.returncode == 1 and "no annotated texts" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "model").exists()


def test_calibrating_without_a_model_fails_plainly(tmp_path):
    done = _module("tests.extraction.curves", "--calibrate", str(tmp_path))
    assert done.returncode == 1 and "no trained tagger" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "calibration.json").exists()


def test_the_errors_of_the_test_split_are_never_shown():
    done = _module("tests.extraction.evaluate", "--parts", "tuned", "--show-errors", "real-test")
    assert done.returncode == 2 and "never shown" in done.stderr and done.stdout == ""
    assert json.dumps(done.stderr)  # a message, not a traceback
    assert "Traceback" not in done.stderr


def test_an_organisation_phrase_may_start_with_a_connector():
    """'… von und die Gemeinde' once crashed the phrase reader (a list index on no words)."""
    from graph.extraction import orgs

    assert orgs.phrase_at("und die Gemeinde", 0)[0] is None


def test_the_tagger_alone_is_scored_span_by_span_against_the_weak_labels(report, tmp_path):
    from tests.extraction.tagger_scores import SpanCounts

    train([(report, ANNOTATION)] * 4, tmp_path / "m", epochs=25)
    counts = SpanCounts()
    counts.add(load(tmp_path / "m"), report, ANNOTATION)
    gold = weak_spans(report, ANNOTATION)
    assert sum(counts.tp.values()) + sum(counts.fn.values()) == len(set(gold))
    assert counts.tp["PER"] + counts.tp["LOC_EVENT"] > 0        # the fixed-seed model learned its one text
    rows = {line.split()[0]: line.split() for line in counts.table().splitlines()[1:]}
    assert set(rows) == {"PER", "ORG", "ROLE", "LOC_EVENT", "DATE_EVENT", "all"}
    assert int(rows["all"][4]) == sum(counts.tp.values())


def test_scoring_the_tagger_without_a_model_fails_plainly(tmp_path):
    done = _module("tests.extraction.tagger_scores", "--model", str(tmp_path / "none"))
    assert done.returncode == 1 and "no trained tagger" in done.stderr and "Traceback" not in done.stderr


def test_a_shipped_model_comes_with_its_calibration():
    """`make model` goes on with raw scores when calibrating fails (so a machine without the corpus still
    installs); on this checkout, with the corpus, a failure would be a bug that only shows as odd confidences."""
    from graph.extraction.confidence import CALIBRATION_FILE
    from graph.extraction.tagger import MODEL_DIR

    if load(MODEL_DIR) is None:
        pytest.skip("no trained tagger in var/extraction-model: run `make model`")
    assert (MODEL_DIR / CALIBRATION_FILE).exists(), "make model trained the tagger but could not calibrate it"


def test_training_builds_beside_the_model_and_swaps_it_in_whole(tmp_path, monkeypatch):
    """While the tagger trains, extraction still finds the whole old model; afterwards nothing of it is left
    (an old experimental place classifier must not outlive a run without the option)."""
    import graph.extraction.train as training

    corpus = tmp_path / "corpus" / "tuned"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text("Am 3. Mai 2023 fand in Husum ein Workshop statt.\n", "utf-8")
    (corpus / "a.yaml").write_text("events:\n  - municipality: Husum\n", "utf-8")
    out = tmp_path / "model"
    out.mkdir()
    (out / "meta.json").write_text("{}", "utf-8")
    (out / "place-classifier.json").write_text("{}", "utf-8")
    seen_during_training = []

    def fake_train(data, folder, epochs):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "meta.json").write_text('{"new": true}', "utf-8")
        # What an extraction started now would load: still the old model, whole.
        seen_during_training.append((sorted(p.name for p in out.iterdir()), (out / "meta.json").read_text("utf-8")))

    monkeypatch.setattr(training, "train", fake_train)
    assert training.main(["--corpus", str(tmp_path / "corpus"), "--out", str(out)]) == 0
    assert seen_during_training == [(["meta.json", "place-classifier.json"], "{}")]
    assert (out / "meta.json").read_text("utf-8") == '{"new": true}'
    assert not (out / "place-classifier.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "model"]
