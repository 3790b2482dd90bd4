"""Training-dependent measurements: the confidence calibration, its reliability table and the learning curve.

  python -m tests.extraction.curves --calibrate [MODEL_DIR]   fit calibration.json by 3-fold CV over real/dev
  python -m tests.extraction.evaluate --reliability            reliability table (cross-validated on real/dev)
  python -m tests.extraction.evaluate --learning-curve         real-test F1 per field against the share of real/dev
Every fold's tagger is trained with the fixed seed, so the numbers repeat.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from graph.extraction.confidence import Calibration, fit
from graph.extraction.extractor import Extractor
from graph.extraction.places import normalise
from graph.extraction.tagger import MODEL_DIR
from graph.extraction.train import CORPUS, fraction, pairs, train_place_classifier, train_shipped
from tests.extraction.evaluate import CORPUS_DAY, evaluate, load_annotation
from tests.extraction.scoring import FIELDS, facts, key

FOLDS = 3
RELIABILITY_FILE = "reliability.txt"
SHARES = (0.25, 0.5, 0.75, 1.0)
CURVE_FIELDS = FIELDS + ["event type", "status", "organisers"]


def _speaker_facts(event: dict):
    for talk in event.get("talks", []):
        for person in talk.get("speakers", []):
            yield person


def fact_confidences(record_events: list[dict], topics=None) -> list[tuple[str, object, float]]:
    """(field, comparable fact, confidence) of a draft's events, as the evaluation compares them (topics too when
    `topics`, the scheme's TopicIndex, is given)."""
    out = []
    for event in record_events:
        # A draft without a place (page_events.py) keys its facts to no place, as scoring.facts does.
        place_key = next(iter(facts([event], _NoTopics())["municipality"]), "")
        confidence = {e["field"]: e.get("confidence", 0.0) for e in event.get("evidence", [])}
        if "municipality" in confidence:
            out.append(("municipality", place_key, confidence["municipality"]))
        if "state" in confidence and event.get("state"):
            out.append(("state", (place_key, event["state"]), confidence["state"]))
        if "date" in confidence and event.get("date"):
            out.append(("date", (place_key, str(event["date"])), confidence["date"]))
        if "type" in confidence:
            out.append(("event type", (place_key, key(event["type"])), confidence["type"]))
        out += _listed_facts(event, place_key, topics)
        for person in _speaker_facts(event):
            evidence = {e["field"]: e.get("confidence", 0.0) for e in person.get("evidence", [])}
            name = key(person["name"])
            if "name" in evidence:
                out.append(("speaker name", name, evidence["name"]))
            for field_name in ("organisation", "role"):
                if field_name in evidence and person.get(field_name):
                    out.append((field_name, (name, key(person[field_name])), evidence[field_name]))
    return out


def _listed_facts(event: dict, place_key, topics) -> list[tuple[str, object, float]]:
    """Organisers, participants, the district and topics with their confidence, keyed as
    tests.extraction.scoring.facts keys them."""
    candidates = {t["label"] for t in event.get("topics", []) if isinstance(t, dict)}
    out = []
    for entry in event.get("evidence", []):
        value, confidence = entry.get("value"), entry.get("confidence", 0.0)
        if entry["field"] == "organisers" and value:
            out.append(("organisers", (place_key, key(value)), confidence))
        elif entry["field"] == "participants" and value:
            out.append(("participants", (place_key, normalise(value)), confidence))
        elif entry["field"] == "district" and value:
            out.append(("district", (place_key, normalise(re.sub(r"^(Land)?[Kk]reis\s+", "", value))), confidence))
        elif entry["field"] == "topics" and value and topics is not None:
            concept = None if value in candidates else topics.resolve(value)
            fact = "candidate:" + key(value) if value in candidates else str(concept) if concept else None
            if fact:
                out.append(("topics", (place_key, fact), confidence))
    return out


class _NoTopics:
    """Topic resolution is not needed for the place key."""

    def resolve(self, _):
        return None


def _samples(extractor: Extractor, texts: list[tuple[Path, Path]]) -> list[tuple[str, float, bool]]:
    """(field, confidence, correct) of every scored fact the extractor drafts for `texts`."""
    samples = []
    for text, annotation_path in texts:
        expected = facts(load_annotation(annotation_path)["events"], extractor.events.topics.index)
        for field_name, fact, confidence in fact_confidences(extractor.extract(text)["events"],
                                                             extractor.events.topics.index):
            samples.append((field_name, confidence, fact in expected[field_name]))
    return samples


def _text_pairs(folder: Path) -> list[tuple[Path, Path]]:
    return [(p, p.with_suffix(".yaml")) for p in sorted(folder.iterdir())
            if p.suffix in (".txt", ".html", ".md") and p.with_suffix(".yaml").exists()] if folder.is_dir() else []


def publisher_folds(annotations: list[dict], folds: int = FOLDS) -> list[int]:
    """The fold of each development text: all texts of one publisher in the same fold, folds of about equal size
    (largest publishers first, each into the smallest fold so far). Folds by text would put a publisher's other
    texts into training and measure how well the extractor learns that publisher, not how it generalises."""
    by_publisher: dict[str, list[int]] = {}
    for i, annotation in enumerate(annotations):
        by_publisher.setdefault(str(annotation.get("publisher") or f"text {i}"), []).append(i)
    sizes, out = [0] * folds, [0] * len(annotations)
    for publisher in sorted(by_publisher, key=lambda p: (-len(by_publisher[p]), p)):
        fold = sizes.index(min(sizes))
        for i in by_publisher[publisher]:
            out[i] = fold
        sizes[fold] += len(by_publisher[publisher])
    return out


def cross_validated(raw: bool) -> list[tuple[str, float, bool]]:
    """Samples of real/dev, each text drafted by a tagger trained without it (3 folds, tuned always in)."""
    dev = _text_pairs(CORPUS / "real" / "dev")
    tuned = pairs(CORPUS / "tuned")
    calibration = None if raw else Calibration.load(MODEL_DIR)
    samples = []
    dev_pairs = pairs(CORPUS / "real" / "dev")
    fold_of = publisher_folds([annotation for _, annotation in dev_pairs])
    for fold in range(FOLDS):
        held = [pair for i, pair in enumerate(dev) if fold_of[i] == fold]
        training = tuned + [pair for i, pair in enumerate(dev_pairs) if fold_of[i] != fold]
        with tempfile.TemporaryDirectory() as folder:
            train_shipped(training, Path(folder))
            extractor = Extractor(model_dir=Path(folder), today=CORPUS_DAY)
            if calibration is not None:  # the saved calibration applied to this fold's raw scores
                extractor.calibration = calibration
            samples += _samples(extractor, held)
    return samples


def cross_validated_scores(learned_place: bool = False, learned_topics: bool = False):
    """Scores and counts of real/dev where each text is drafted by a tagger trained without it (honest dev errors);
    with `learned_place` and `learned_topics`, each fold also trains the experimental event-place classifier
    (graph/extraction/event_place.py) and the topic model's concepts (graph/extraction/topic_model.py)."""
    from tests.extraction.scoring import ALL_FIELDS, Counts, Score, annotated_fields, compare

    dev = _text_pairs(CORPUS / "real" / "dev")
    dev_pairs, tuned = pairs(CORPUS / "real" / "dev"), pairs(CORPUS / "tuned")
    scores, tally = {f: Score() for f in ALL_FIELDS}, Counts()
    fold_of = publisher_folds([annotation for _, annotation in dev_pairs])
    for fold in range(FOLDS):
        training = tuned + [pair for i, pair in enumerate(dev_pairs) if fold_of[i] != fold]
        with tempfile.TemporaryDirectory() as folder:
            train_shipped(training, Path(folder), concepts=learned_topics)
            if learned_place:  # the place classifier never sees its fold either
                train_place_classifier(training, Path(folder))
            extractor = Extractor(model_dir=Path(folder), today=CORPUS_DAY)
            topics = extractor.events.topics.index
            for text, annotation_path in (pair for i, pair in enumerate(dev) if fold_of[i] == fold):
                annotation = load_annotation(annotation_path)
                drafted = extractor.extract(text)["events"]
                compare(facts(annotation["events"], topics), facts(drafted, topics), scores, text.name,
                        annotated_fields(annotation))
                tally.add(text.name, drafted, annotation["events"])
    return {"dev-cv": scores}, {"dev-cv": tally}


def calibrate(model_dir: Path) -> str:
    """Fit the per-field isotonic calibration on cross-validated real/dev facts and save it with the model."""
    samples = cross_validated(raw=True)
    calibration = fit(samples)
    calibration.save(model_dir)
    # The reliability of the fitted map on the same cross-validated facts, kept so that
    # `evaluate --reliability` need not train the three fold taggers again.
    calibrated = [(name, calibration(name, raw), right) for name, raw, right in samples]
    (model_dir / RELIABILITY_FILE).write_text(_reliability_table(calibrated) + "\n", "utf-8")
    return f"calibration fitted on {len(samples)} facts ({', '.join(sorted(calibration.maps))}) -> {model_dir}"


def reliability() -> str:
    """Bins of calibrated confidence against the share of right facts: on cross-validated real/dev (the facts the
    calibration was fitted on; read from the model folder when `make model` wrote it, else computed), and on
    real/test with the saved model (publishers it never saw: the check that means something; aggregate only)."""
    cached = MODEL_DIR / RELIABILITY_FILE
    fitted = cached.read_text("utf-8").rstrip("\n") if cached.exists() else _reliability_table(cross_validated(False))
    test = _text_pairs(CORPUS / "real" / "test")
    if not test:
        return fitted
    unseen = _reliability_table(_samples(Extractor(today=CORPUS_DAY), test)).replace(
        "(3-fold cross-validation over real/dev, folds by publisher,", "(real/test, model trained on tuned + real/dev,")
    return f"Fitted on (development, cross-validated):\n{fitted}\n\nOn the test split:\n{unseen}"


def _reliability_table(samples: list[tuple[str, float, bool]]) -> str:
    bins = [(0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]
    lines = [f"{'confidence':12} {'facts':>6} {'mean conf':>10} {'right':>7}"]
    for low, high in bins:
        inside = [s for s in samples if low <= s[1] < high]
        if inside:
            mean = sum(s[1] for s in inside) / len(inside)
            right = sum(s[2] for s in inside) / len(inside)
            lines.append(f"{low:.1f}–{min(high, 1.0):.1f}     {len(inside):6} {mean:10.2f} {right:7.2f}")
    lines.append(f"(3-fold cross-validation over real/dev, folds by publisher, {len(samples)} facts)")
    return "\n".join(lines)


def learning_curve() -> str:
    """real-test F1 per field for taggers trained on tuned + 25/50/75/100 % of real/dev (fixed seed)."""
    dev, tuned = pairs(CORPUS / "real" / "dev"), pairs(CORPUS / "tuned")
    header = f"{'dev texts':>9} " + " ".join(f"{f[:10]:>10}" for f in CURVE_FIELDS) + f" {'events ok':>9}"
    lines = [header]
    for share in SHARES:
        chosen = fraction(dev, share)
        with tempfile.TemporaryDirectory() as folder:
            train_shipped(tuned + chosen, Path(folder))
            counts = {}
            results = evaluate(Extractor(model_dir=Path(folder), today=CORPUS_DAY), parts=("real-test",), counts=counts)
        if "real-test" not in results:
            return "no real/test texts: no learning curve"
        scores, tally = results["real-test"], counts["real-test"]
        lines.append(f"{len(chosen):9} " + " ".join(f"{scores[f].f1:10.3f}" for f in CURVE_FIELDS)
                     + f" {100 * tally.right_share:8.0f}%")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """--calibrate [MODEL_DIR]: fit and save the calibration."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calibrate", type=Path, nargs="?", const=MODEL_DIR, metavar="MODEL_DIR")
    args = parser.parse_args(argv)
    if args.calibrate is None:
        parser.print_help()
        return 2
    if not (args.calibrate / "meta.json").exists():
        sys.stderr.write(f"error: no trained tagger in {args.calibrate}: run `make model` first\n")
        return 1
    sys.stdout.write(calibrate(args.calibrate) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
