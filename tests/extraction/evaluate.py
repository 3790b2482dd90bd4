"""Precision, recall and F1 of `kommunalgraph extract` per field on the evaluation corpus.

Run: .venv/bin/python -m tests.extraction.evaluate [--parts …] [--intervals] [--show-errors PART …]
     [--learning-curve] [--reliability]
Parts: tuned (the rules were developed on it), heldout (old, written before the rules), real-dev (real-world
texts the extractor is tuned and trained on), real-test (real-world texts of other publishers: only the
aggregate table is ever printed for it), seed (the shared Stadt.Land.Digital report against its curated record).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ruamel.yaml import YAML

from graph.extraction.extractor import Extractor
from tests.extraction.intervals import TextResult, interval_table
from tests.extraction.scoring import (ALL_FIELDS, FIELDS, RECORD_FIELDS, Counts, Score, annotated_fields, compare,
                                      facts)

__all__ = ["CORPUS", "CORPUS_DAY", "FIELDS", "ALL_FIELDS", "RECORD_FIELDS", "SEED_RECORD", "Score", "compare", "corpus",
           "evaluate", "facts", "table"]

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ROOT = HERE.parent.parent
SEED_TEXT = ROOT.parent / "shared" / "reports" / "stadt-land-digital-2022-strategiestarterworkshops.txt"
SEED_RECORD = ROOT / "data" / "records" / "stadt-land-digital-2022-strategiestarterworkshops.yaml"
TEXT_SUFFIXES = (".txt", ".html", ".md")
PARTS = {"tuned": "tuned", "heldout": "heldout", "real-dev": "real/dev", "real-test": "real/test"}
# Parts whose per-text errors may be printed; real-test never (the honest split of issue 12).
OPEN_PARTS = ("tuned", "heldout", "real-dev", "dev-cv", "seed")
# The day the corpus was last gathered, the extractor's "today" when scoring it: a page that writes no year is
# dated by the clock (page_dates.weekday_year), and the scores must not move with it.
CORPUS_DAY = dt.date(2026, 12, 1)


def corpus(part: str) -> list[tuple[Path, Path]]:
    """(text, expected record) pairs of one part of the corpus ('tuned', 'real-dev', or a folder name)."""
    folder = CORPUS / PARTS.get(part, part)
    if not folder.is_dir():
        return []
    return [(p, p.with_suffix(".yaml")) for p in sorted(folder.iterdir())
            if p.suffix in TEXT_SUFFIXES and p.with_suffix(".yaml").exists()]


def load_annotation(path: Path) -> dict:
    """An annotation file as a dict (events: [] when empty)."""
    data = YAML(typ="safe").load(path.read_text("utf-8")) or {}
    data["events"] = data.get("events") or []
    return data


def evaluate(extractor: Extractor | None = None, parts: tuple[str, ...] = ("tuned", "heldout"),
             counts: dict[str, Counts] | None = None,
             per_text: dict[str, list[TextResult]] | None = None,
             given_published: bool = False, given_source: bool = False) -> dict[str, dict[str, Score]]:
    """Scores per part (plus 'all' = tuned + heldout, and 'seed' when the shared report is there).

    `given_published` passes each annotation's publication date to the extractor, as a steward who knows the
    page's date passes `extract --published`; without it the extractor finds the date in the text or not at all.
    `given_source` passes each annotation's source address, as `extract --source` does.

    `counts`, when given, is filled with each part's event counts (texts with the right number of events,
    'no event found' on texts that report events); `per_text` with each part's results text by text (for the
    bootstrap intervals, intervals.py).
    """
    extractor = extractor or Extractor(today=CORPUS_DAY)
    topics = extractor.events.topics.index
    counts = counts if counts is not None else {}
    results: dict[str, dict[str, Score]] = {}
    for part in parts:
        results[part] = {f: Score() for f in ALL_FIELDS}
        counts[part] = Counts()
        for text, expected_path in corpus(part):
            annotation = load_annotation(expected_path)
            known = str(annotation["published"]) if given_published and annotation.get("published") else None
            address = str(annotation["source"]) if given_source and annotation.get("source") else None
            drafted = extractor.extract(text, published=known, source=address)["events"]
            one = {f: Score() for f in ALL_FIELDS}
            compare(facts(annotation["events"], topics), facts(drafted, topics), one, text.name,
                    annotated_fields(annotation))
            _add(results[part], one)
            if part in ("tuned", "heldout"):
                _add(results.setdefault("all", {f: Score() for f in ALL_FIELDS}), one)
            counts[part].add(text.name, drafted, annotation["events"])
            if per_text is not None:
                per_text.setdefault(part, []).append(TextResult.of(one, len(drafted) == len(annotation["events"])))
        if not counts[part].texts:  # a part that is not there (yet) is left out of the table
            del results[part], counts[part]
    if SEED_TEXT.exists():
        results["seed"] = {f: Score() for f in ALL_FIELDS}
        curated = load_annotation(SEED_RECORD)["events"]
        compare(facts(curated, topics), facts(extractor.extract(SEED_TEXT)["events"], topics), results["seed"],
                SEED_TEXT.name)
    return results


def _add(totals: dict[str, Score], one: dict[str, Score]) -> None:
    """Add one text's scores to a part's."""
    for name, score in one.items():
        total = totals[name]
        total.tp, total.fp, total.fn = total.tp + score.tp, total.fp + score.fp, total.fn + score.fn
        total.errors.extend(score.errors)


def table(results: dict[str, dict[str, Score]], counts: dict[str, Counts] | None = None) -> str:
    """The scores as a plain text table; fields without any fact in a part are left out."""
    lines = [f"{'part':9} {'field':14} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for part, scores in results.items():
        for name in ALL_FIELDS:
            s = scores[name]
            if name in RECORD_FIELDS and not s.tp + s.fp + s.fn:
                continue
            lines.append(f"{part:9} {name:14} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4} {s.fp:4} {s.fn:4}")
    for part, c in (counts or {}).items():
        lines.append(f"{part:9} events right on {c.right}/{c.texts} texts ({100 * c.right_share:.0f} %); "
                     f"'no event found' on {c.none_found} of {c.with_events} texts with events")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table (and, with --show-errors, every differing fact of the open parts)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", nargs="+", default=["tuned", "heldout", "real-dev", "real-test"],
                        choices=list(PARTS), help="corpus parts to score (seed is always scored when present)")
    parser.add_argument("--show-errors", nargs="*", metavar="PART",
                        help=f"print the differing facts of these parts ({', '.join(OPEN_PARTS)}; never real-test)")
    parser.add_argument("--learning-curve", action="store_true",
                        help="train the tagger on 25/50/75/100 %% of real-dev (fixed seed), print real-test F1")
    parser.add_argument("--cv-dev", action="store_true",
                        help="score real-dev by 3-fold cross-validation, folds by publisher (each text drafted by a "
                             "model trained without its publisher)")
    parser.add_argument("--learned-place", action="store_true",
                        help="with --cv-dev: each fold also trains the event-place classifier (off by default: it "
                             "lowers the old held-out texts)")
    parser.add_argument("--learned-topics", action="store_true",
                        help="with --cv-dev: each fold also trains the topic model (off by default: it raised dev topic "
                             "F1 but lowered the test split's)")
    parser.add_argument("--intervals", action="store_true",
                        help="also print each F1 with its 95 %% bootstrap interval over the part's texts (fixed seed)")
    parser.add_argument("--reliability", action="store_true",
                        help="print the reliability table of the calibrated confidences (cross-validated on real-dev)")
    parser.add_argument("--given-published", action="store_true",
                        help="pass each annotation's publication date to the extractor, as `extract --published` does "
                             "for a steward who knows the page's date")
    parser.add_argument("--given-source", action="store_true",
                        help="pass each annotation's source address to the extractor, as `extract --source` does")
    args = parser.parse_args(argv)
    if args.intervals and (args.cv_dev or args.learning_curve or args.reliability):
        parser.error("--intervals goes with a plain run of --parts, not with --cv-dev, --learning-curve or --reliability")
    if args.show_errors and "real-test" in args.show_errors:
        sys.stderr.write("error: the errors of real-test are never shown (it is the honest test split); "
                         "move a text to real/dev to look at it\n")
        return 2
    if args.learning_curve:
        from tests.extraction.curves import learning_curve
        sys.stdout.write(learning_curve() + "\n")
        return 0
    if args.reliability:
        from tests.extraction.curves import reliability
        sys.stdout.write(reliability() + "\n")
        return 0
    counts: dict[str, Counts] = {}
    per_text: dict[str, list[TextResult]] | None = {} if args.intervals else None
    if args.cv_dev:
        from tests.extraction.curves import cross_validated_scores
        results, counts = cross_validated_scores(args.learned_place, args.learned_topics)
    else:
        results = evaluate(parts=tuple(args.parts), counts=counts, per_text=per_text,
                           given_published=args.given_published, given_source=args.given_source)
    sys.stdout.write(table(results, counts) + "\n")
    if per_text:
        sys.stdout.write("\n" + interval_table(per_text) + "\n")
    if args.show_errors is not None:
        for part, scores in results.items():
            if part not in (args.show_errors or ["tuned", "seed"]) or part not in OPEN_PARTS:
                continue
            for name in ALL_FIELDS:
                for error in scores[name].errors:
                    sys.stdout.write(f"[{part}] {name}: {error}\n")
            for wrong in counts[part].wrong if part in counts else []:
                sys.stdout.write(f"[{part}] event count: {wrong}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
