"""Build the extraction tagger from the annotated corpus: `python -m graph.extraction.train [--out DIR]`.

Trains the span tagger and the organisers learned by keyphraseness (lexicon.py), and, with --place-classifier and
--topic-model, the experimental event-place classifier (event_place.py) and topic model (topic_model.py),
on the old tuned part and the real-world development part (never on held-out or test texts), with a fixed seed,
so `make` rebuilds the same model from the same corpus.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

from ruamel.yaml import YAML

from graph.settings import CHECKOUT
from graph.extraction import lexicon, topic_model
from graph.extraction.event_place import PlaceClassifier, fit, is_gold
from graph.extraction.tagger import MODEL_DIR, SEED, train
from graph.text.documents import Document, load_document

CORPUS = CHECKOUT / "tests" / "extraction" / "corpus"
TRAIN_PARTS = ("tuned", "real/dev")
SUFFIXES = (".txt", ".html", ".md")


def pairs(folder: Path) -> list[tuple[Document, dict]]:
    """(document, annotation) of every annotated text in `folder`, in name order."""
    yaml = YAML(typ="safe")
    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        annotation = path.with_suffix(".yaml")
        if path.suffix in SUFFIXES and annotation.exists():
            out.append((load_document(path), yaml.load(annotation.read_text("utf-8")) or {}))
    return out


def fraction(items: list, share: float, seed: int = SEED) -> list:
    """A fixed-seed random `share` of `items` (the learning curve's growing training sets are nested)."""
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    return shuffled[:max(1, round(share * len(shuffled)))] if shuffled else []


def place_samples(data: list[tuple[Document, dict]]) -> list[tuple[dict[str, float], bool]]:
    """(features, is an annotated event place) of every place mention the rules weigh in the texts' sections."""
    from graph.extraction.extractor import Extractor
    from graph.records.gazetteer import normalise

    extractor = Extractor(model_dir=None)  # rules alone: the classifier must not learn from a tagger's own texts
    samples = []
    for doc, annotation in data:
        gold = {normalise(_place_name(e.get("municipality") or "")) for e in annotation.get("events") or []}
        extractor.events.recorder = recorded = []
        extractor.extract_document(doc)
        for section in recorded:
            labelled = [(feats, is_gold(mention, gold)) for feats, mention in section]
            # Only sections with a choice to make teach the classifier anything about choosing.
            if len(labelled) > 1 and any(label for _, label in labelled):
                samples += labelled
    extractor.events.recorder = None
    return samples


def train_place_classifier(data: list[tuple[Document, dict]], out: Path | None) -> PlaceClassifier:
    """Fit the event-place classifier on the texts and save it next to the tagger when `out` is given."""
    classifier = fit(place_samples(data))
    if out is not None:
        classifier.save(out)
    return classifier


def topic_examples(data: list[tuple[Document, dict]]) -> list[topic_model.Example]:
    """Each text with the concepts and candidate labels its annotation records (all its events together)."""
    from graph.checks.ontology import load_ontology
    from graph.mapping.topics import TopicIndex
    from graph.settings import current

    index = TopicIndex.from_graph(load_ontology(current().ontology_dir))
    examples = []
    for doc, annotation in data:
        concepts, themes = set(), set()
        for event in annotation.get("events") or []:
            for topic in event.get("topics") or []:
                if isinstance(topic, dict):
                    themes.add(str(topic.get("label", "")).strip())
                elif (concept := index.resolve(str(topic))) is not None:
                    concepts.add(str(concept))
        examples.append(topic_model.Example(doc.clean, concepts, themes - {""}))
    return examples


def train_topic_model(data: list[tuple[Document, dict]], out: Path | None,
                      concepts: bool = True) -> topic_model.TopicModel:
    """Fit the learned themes (and, with `concepts`, the concept classifiers) and save them next to the tagger."""
    examples = topic_examples(data)
    model = topic_model.fit(examples) if concepts else topic_model.fit_themes(examples)
    if out is not None:
        model.save(out)
    return model


def train_shipped(data: list[tuple[Document, dict]], out: Path, epochs: int = 15, concepts: bool = False) -> None:
    """What `make model` ships: the tagger, the learned organisers and the learned themes (with `concepts`, also the
    experimental concept classifiers). Cross-validation and the learning curve train the same per fold."""
    train(data, out, epochs=epochs)
    train_organisers(data, out)
    train_topic_model(data, out, concepts=concepts)


def train_organisers(data: list[tuple[Document, dict]], out: Path | None) -> lexicon.Lexicon:
    """Learn the organisers by keyphraseness (lexicon.py) and save them next to the tagger."""
    examples = [lexicon.Example(doc.clean, {str(o.get("name", "")) if isinstance(o, dict) else str(o)
                                             for e in annotation.get("events") or [] for o in e.get("organisers") or []})
                for doc, annotation in data]
    learned = lexicon.fit(examples)
    if out is not None:
        learned.save(out / lexicon.ORGANISERS_FILE)
    return learned


def _place_name(spec) -> str:
    return spec if isinstance(spec, str) else spec.get("name", "")


def swap_in(built: Path, out: Path) -> None:
    """Replace the folder `out` by `built` with two renames (the old folder is removed after the swap)."""
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    built.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Train on tuned + real/dev and save the model; exit 1 with a message when there is nothing to train on."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="model folder (default var/extraction-model)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus folder with tuned/ and real/dev/")
    parser.add_argument("--epochs", type=int, default=15)
    # Off by default: it raised dev-CV municipality F1 (.683 -> .711) but lowered the old held-out texts below
    # the regression test's target (2 of 9 texts), so it is not yet shown to generalise.
    parser.add_argument("--place-classifier", action="store_true",
                        help="also train the event-place classifier (experimental; extraction uses it when present; without this "
                             "option an earlier one is removed)")
    # Off by default: by publisher-grouped dev cross-validation themes and concepts raised topic F1 .326 -> .424, but
    # on the test split (other publishers) they lowered it .41 -> .38 (precision .55 -> .41); the themes alone are kept.
    parser.add_argument("--topic-model", action="store_true",
                        help="also train the topic model's concept classifiers (experimental; without this option the "
                             "topic model holds the learned themes alone)")
    args = parser.parse_args(argv)
    data = [pair for part in TRAIN_PARTS for pair in pairs(args.corpus / part)]
    if not data:
        sys.stderr.write(f"error: no annotated texts under {args.corpus}/{{{','.join(TRAIN_PARTS)}}}; "
                         "the extractor keeps using its rules alone\n")
        return 1
    started = time.perf_counter()
    # Built beside the model and swapped in at the end: extraction running meanwhile keeps the whole old model
    # instead of meeting a half-written folder (or none, and silently using its rules alone).
    building = args.out.with_name(args.out.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    train_shipped(data, building, epochs=args.epochs, concepts=args.topic_model)
    if args.place_classifier:
        train_place_classifier(data, building)
    swap_in(building, args.out)
    sys.stdout.write(f"tagger trained on {len(data)} texts in {time.perf_counter() - started:.0f} s -> {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
