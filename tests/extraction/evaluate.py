"""Precision, recall and F1 of `kommunalgraph extract` per field on the evaluation corpus.

Run: .venv/bin/python -m tests.extraction.evaluate [--show-errors]
Parts: tuned (rules were developed on it), heldout (written before the rules, never tuned on),
and seed (the shared Stadt.Land.Digital report against its curated record, when ../shared is there).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from graph.extraction.extractor import Extractor
from graph.records.gazetteer import normalise
from graph.mapping.topics import TopicIndex

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ROOT = HERE.parent.parent
SEED_TEXT = ROOT.parent / "shared" / "reports" / "stadt-land-digital-2022-strategiestarterworkshops.txt"
SEED_RECORD = ROOT / "data" / "records" / "stadt-land-digital-2022-strategiestarterworkshops.yaml"
FIELDS = ["municipality", "state", "date", "speaker name", "organisation", "role", "topics"]
TEXT_SUFFIXES = (".txt", ".html", ".md")


@dataclass
class Score:
    """True positives, false positives and false negatives of one field, with the differing facts."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s*\([A-ZÄÖÜ]{2,8}\)", "", str(text))).strip().casefold()


def _place_name(spec) -> str:
    return spec if isinstance(spec, str) else spec["name"]


def facts(events: list[dict], topics: TopicIndex) -> dict[str, set]:
    """The facts of a record's events, per evaluated field, as comparable keys."""
    out = {name: set() for name in FIELDS}
    for event in events:
        place = normalise(_place_name(event.get("municipality", "")))
        out["municipality"].add(place)
        if event.get("state"):
            out["state"].add((place, event["state"]))
        if event.get("date"):
            out["date"].add((place, str(event["date"])))
        speakers = list(event.get("speakers", [])) + [s for t in event.get("talks", []) for s in t.get("speakers", [])]
        for speaker in speakers:
            name = _key(speaker["name"])
            out["speaker name"].add(name)
            if speaker.get("organisation"):
                out["organisation"].add((name, _key(speaker["organisation"])))
            if speaker.get("role"):
                out["role"].add((name, _key(speaker["role"])))
        for topic in event.get("topics", []):
            if isinstance(topic, dict):
                key = "candidate:" + _key(topic["label"])
            else:
                concept = topics.resolve(topic)
                key = str(concept) if concept else "unknown:" + _key(topic)
            out["topics"].add((place, key))
    return out


def compare(expected: dict[str, set], found: dict[str, set], scores: dict[str, Score], name: str) -> None:
    """Add one document's true and false positives to `scores`."""
    for field_name in FIELDS:
        score = scores[field_name]
        score.tp += len(expected[field_name] & found[field_name])
        for fact in sorted(found[field_name] - expected[field_name], key=str):
            score.fp += 1
            score.errors.append(f"{name}: extra {fact}")
        for fact in sorted(expected[field_name] - found[field_name], key=str):
            score.fn += 1
            score.errors.append(f"{name}: missing {fact}")


def corpus(part: str) -> list[tuple[Path, Path]]:
    """(text, expected record) pairs of one part of the corpus."""
    folder = CORPUS / part
    return [(p, p.with_suffix(".yaml")) for p in sorted(folder.iterdir()) if p.suffix in TEXT_SUFFIXES]


def evaluate(extractor: Extractor | None = None) -> dict[str, dict[str, Score]]:
    """Scores per part ('tuned', 'heldout', 'all', and 'seed' when the shared report is there)."""
    extractor = extractor or Extractor()
    topics = extractor.events.topics.index
    yaml = YAML(typ="safe")
    results = {part: {f: Score() for f in FIELDS} for part in ("tuned", "heldout", "all")}
    for part in ("tuned", "heldout"):
        for text, expected_path in corpus(part):
            expected = facts(yaml.load(expected_path.read_text("utf-8"))["events"] or [], topics)
            found = facts(extractor.extract(text)["events"], topics)
            compare(expected, found, results[part], text.name)
            compare(expected, found, results["all"], text.name)
    if SEED_TEXT.exists():
        results["seed"] = {f: Score() for f in FIELDS}
        curated = yaml.load(SEED_RECORD.read_text("utf-8"))["events"]
        compare(facts(curated, topics), facts(extractor.extract(SEED_TEXT)["events"], topics), results["seed"],
                SEED_TEXT.name)
    return results


def table(results: dict[str, dict[str, Score]]) -> str:
    """The scores as a plain text table."""
    lines = [f"{'part':8} {'field':14} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for part, scores in results.items():
        for name in FIELDS:
            s = scores[name]
            lines.append(f"{part:8} {name:14} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4} {s.fp:4} {s.fn:4}")
    return "\n".join(lines)


def main() -> None:
    """Print the table (and, with --show-errors, every differing fact)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show-errors", nargs="*", metavar="PART",
                        help="print the differing facts of these parts (tuned, seed; heldout only to report)")
    args = parser.parse_args()
    results = evaluate()
    sys.stdout.write(table(results) + "\n")
    if args.show_errors is not None:
        for part, scores in results.items():
            if part not in (args.show_errors or ["tuned", "seed"]):
                continue
            for name in FIELDS:
                for error in scores[name].errors:
                    sys.stdout.write(f"[{part}] {name}: {error}\n")


if __name__ == "__main__":
    main()
