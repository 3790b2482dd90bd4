"""How well the trained tagger alone finds its spans, apart from the rules around it.

  python -m tests.extraction.tagger_scores                 the shipped model (make model) on real/test
  python -m tests.extraction.tagger_scores --cv-dev        3-fold CV over real/dev, folds by publisher (~9 min)

The end-to-end scores (tests.extraction.evaluate) mix the tagger with rules that were written on the development
texts, so a change to the tagger can look worse on them only because the rules were fitted to the old one. These
scores compare the tagger's spans with the weak labels (the annotation's values found in the text,
tagger.weak_spans) span by span: exact offsets and label. The test split is printed as this table only.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from graph.extraction import tagger
from graph.extraction.train import CORPUS, pairs
from tests.extraction.curves import FOLDS, publisher_folds


@dataclass
class SpanCounts:
    """True positives, false positives and false negatives per label."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, nlp, doc, annotation: dict) -> None:
        gold = set(tagger.weak_spans(doc, annotation))
        found = {(e.start, e.end, e.label) for e in tagger.tag(nlp, doc)}
        for span in found:
            (self.tp if span in gold else self.fp)[span[2]] += 1
        for span in gold - found:
            self.fn[span[2]] += 1

    def table(self) -> str:
        lines = [f"{'label':11} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
        for label in (*tagger.LABELS, "all"):
            counts = [sum(c.values()) if label == "all" else c[label] for c in (self.tp, self.fp, self.fn)]
            tp, fp, fn = counts
            p, r = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            lines.append(f"{label:11} {p:6.3f} {r:6.3f} {f1:6.3f} {tp:5} {fp:5} {fn:5}")
        return "\n".join(lines)


def on_test(model_dir: Path) -> SpanCounts:
    """The model at `model_dir` on real/test."""
    nlp, counts = tagger.load(model_dir), SpanCounts()
    for doc, annotation in pairs(CORPUS / "real" / "test"):
        counts.add(nlp, doc, annotation)
    return counts


def cross_validated() -> SpanCounts:
    """real/dev, each fold tagged by a tagger trained on tuned + the other publishers' texts."""
    dev, tuned = pairs(CORPUS / "real" / "dev"), pairs(CORPUS / "tuned")
    fold_of, counts = publisher_folds([annotation for _, annotation in dev]), SpanCounts()
    for fold in range(FOLDS):
        nlp = tagger.train(tuned + [pair for i, pair in enumerate(dev) if fold_of[i] != fold])
        for doc, annotation in (pair for i, pair in enumerate(dev) if fold_of[i] == fold):
            counts.add(nlp, doc, annotation)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv-dev", action="store_true", help="cross-validate over real/dev instead")
    parser.add_argument("--model", type=Path, default=tagger.MODEL_DIR, help="model folder (default: make model's)")
    args = parser.parse_args(argv)
    if args.cv_dev:
        sys.stdout.write(cross_validated().table() + "\n")
        return 0
    if tagger.load(args.model) is None:
        sys.stderr.write(f"error: no trained tagger in {args.model}: run `make model` first\n")
        return 1
    sys.stdout.write(on_test(args.model).table() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
