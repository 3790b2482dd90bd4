"""Extraction quality on the evaluation corpus and on the seed report (issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.helpers import shared_path
from tests.extraction.evaluate import CORPUS, FIELDS, SEED_RECORD, compare, corpus, evaluate, facts

TARGET_ALL, TARGET_HELDOUT = 0.9, 0.8


@pytest.fixture(scope="module")
def results(extractor):
    return evaluate(extractor)


def test_corpus_has_25_texts_in_several_formats_and_8_held_out():
    tuned, heldout = corpus("tuned"), corpus("heldout")
    assert len(tuned) + len(heldout) >= 25
    assert len(heldout) >= 8
    assert {p.suffix for p, _ in tuned + heldout} == {".txt", ".html", ".md"}
    for text, expected in tuned + heldout:
        assert expected.exists(), f"{text.name} has no expected record"


@pytest.mark.parametrize("field_name", FIELDS)
def test_whole_corpus_reaches_f1_target(results, field_name):
    score = results["all"][field_name]
    assert score.f1 >= TARGET_ALL, f"{field_name}: F1 {score.f1:.3f} < {TARGET_ALL}; {score.errors}"


@pytest.mark.parametrize("field_name", FIELDS)
def test_held_out_part_reaches_f1_target(results, field_name):
    score = results["heldout"][field_name]
    assert score.f1 >= TARGET_HELDOUT, f"{field_name}: F1 {score.f1:.3f} < {TARGET_HELDOUT}"


def test_seed_report_comes_out_complete_and_exact(extractor):
    """Every curated fact (municipality, state, date, speakers with organisation and role, topics), nothing else."""
    text = shared_path("reports", "stadt-land-digital-2022-strategiestarterworkshops.txt")
    topics = extractor.events.topics.index
    curated = facts(YAML(typ="safe").load(SEED_RECORD.read_text("utf-8"))["events"], topics)
    found = facts(extractor.extract(text)["events"], topics)
    for field_name in FIELDS:
        assert found[field_name] == curated[field_name], (
            f"{field_name}: missing {curated[field_name] - found[field_name]}, "
            f"extra {found[field_name] - curated[field_name]}")


def test_the_comparison_notices_a_wrong_fact(extractor):
    """The scoring is not vacuous: one changed date is a false positive and a false negative."""
    topics = extractor.events.topics.index
    expected = facts([{"municipality": "Achern", "state": "Baden-Württemberg", "date": "2022-05"}], topics)
    found = facts([{"municipality": "Achern", "state": "Baden-Württemberg", "date": "2022-06"}], topics)
    scores = {name: __import__("tests.extraction.evaluate", fromlist=["Score"]).Score() for name in FIELDS}
    compare(expected, found, scores, "x")
    assert (scores["date"].tp, scores["date"].fp, scores["date"].fn) == (0, 1, 1)
    assert scores["municipality"].f1 == 1.0


def test_held_out_texts_are_not_in_the_tuned_folder():
    names = {p.name for p in (CORPUS / "tuned").iterdir()} & {p.name for p in (CORPUS / "heldout").iterdir()}
    assert names == set()
    assert Path(CORPUS / "README.md").exists()
