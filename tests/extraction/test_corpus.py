"""The real-world corpus keeps its promises: sources, an honest split by publisher, coverage (issue 12)."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlparse

import pytest
from ruamel.yaml import YAML

REAL = Path(__file__).resolve().parent / "corpus" / "real"
SPLITS = ("dev", "test")
TEXT_SUFFIXES = (".txt", ".html", ".md")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
STATES = {
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
    "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland",
    "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen",
}


def _annotations() -> list[tuple[str, Path, dict]]:
    yaml = YAML(typ="safe")
    return [(split, path, yaml.load(path.read_text(encoding="utf-8")))
            for split in SPLITS for path in sorted((REAL / split).glob("*.yaml"))]


def domain(source: str) -> str:
    """The publisher's web domain of a source address, without a leading www."""
    return (urlparse(source).hostname or "").removeprefix("www.")


ANNOTATIONS = _annotations()


@pytest.mark.parametrize("split,path,note", ANNOTATIONS, ids=[p.stem for _, p, _ in ANNOTATIONS])
def test_every_annotation_names_its_source_and_is_well_formed(split, path, note):
    texts = [path.with_suffix(s) for s in TEXT_SUFFIXES if path.with_suffix(s).exists()]
    assert len(texts) == 1, f"{path.name}: exactly one text file belongs to an annotation"
    assert note["source"].startswith(("https://", "http://")) and domain(note["source"]), path.name
    assert note["publisher"].strip(), path.name
    for event in note["events"]:
        assert event["municipality"], path.name
        assert event["state"] in STATES, f"{path.name}: {event['state']!r}"
        if "date" in event:
            assert DATE.match(str(event["date"])), f"{path.name}: {event['date']!r}"
        assert event.get("status", "held") in {"held", "planned"}, path.name
        for speaker in event.get("speakers", []):
            assert speaker["name"].strip(), path.name


def test_no_publisher_is_in_both_splits():
    splits = defaultdict(set)
    for split, _, note in ANNOTATIONS:
        splits[domain(note["source"])].add(split)
    assert [d for d, s in splits.items() if len(s) > 1] == []


def test_the_publisher_list_matches_the_annotations():
    counted = Counter((domain(note["source"]), split) for split, _, note in ANNOTATIONS)
    with (REAL / "publishers.tsv").open(encoding="utf-8") as handle:
        listed = {(row["domain"], row["split"]): int(row["texts"]) for row in csv.DictReader(handle, delimiter="\t")}
    assert listed == dict(counted)


def test_the_corpus_is_as_large_and_as_wide_as_issue_12_asks():
    per_split = Counter(split for split, _, _ in ANNOTATIONS)
    publishers = {domain(note["source"]) for _, _, note in ANNOTATIONS}
    states = {event["state"] for _, _, note in ANNOTATIONS for event in note["events"]}
    assert sum(per_split.values()) >= 120 and per_split["test"] >= 40
    assert len(publishers) >= 30 and len(states) >= 10
