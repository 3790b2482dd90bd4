"""Shapes tested as data: every file in shapes/conforms conforms, every file in shapes/violates does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from graph.ns import KG

from graph.checks.ontology import load_ontology
from graph.checks.shacl import load_shapes, validate

HERE = Path(__file__).parent / "shapes"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ROOT / "ontology")


@pytest.mark.parametrize("path", sorted((HERE / "conforms").glob("*.ttl")), ids=lambda p: p.stem)
def test_conforms(path, shapes, ontology):
    report = validate(Graph().parse(path), shapes, ontology)
    assert report.conforms, [r.english for r in report.results]


@pytest.mark.parametrize("path", sorted((HERE / "violates").glob("*.ttl")), ids=lambda p: p.stem)
def test_violates_with_german_and_english_message(path, shapes, ontology):
    expected = path.read_text("utf-8").splitlines()[0].removeprefix("# expect:").strip()
    report = validate(Graph().parse(path), shapes, ontology)
    assert not report.conforms
    assert any(expected in r.german for r in report.violations), [r.german for r in report.violations]
    assert all(r.english and r.english != r.german for r in report.violations)


def test_an_event_without_date_is_noted_but_its_talks_are_not(shapes, ontology):
    """Info, not a violation: a workshop without a date is noted once; a talk takes its event's date."""
    data = Graph().parse(HERE / "conforms" / "workshop.ttl")
    workshop = URIRef("https://example.org/id/event/w")
    talk = URIRef("https://example.org/id/talk/t")
    data.remove((workshop, KG.date, None))
    data.add((talk, RDF.type, KG.Talk))
    data.add((workshop, KG.hasTalk, talk))
    report = validate(data, shapes, ontology)
    # (The bare talk has violations of its own, no label and so on; only the date note is asked for.)
    noted = [(r.focus, r.severity, r.english) for r in report.results if "ohne Datum" in r.german]
    assert noted == [(str(workshop), "info", "Event without a date.")]
