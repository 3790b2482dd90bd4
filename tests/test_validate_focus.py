"""Issue 6: incremental validation of a change (validate_focus) on a store: shifty decides, pyshacl
explains; a good change passes, a change that breaks a shape names the focus node and the shape."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from graph.settings import current
from graph.checks.shacl import load_shapes, neighbourhood, validate, validate_focus

KG = "https://w3id.org/kommunalgraph/ontology#"
WORKSHOP = "https://w3id.org/kommunalgraph/id/event/"


@pytest.fixture()
def store(seed_store, tmp_path):
    """A writable copy of the seed store's current version."""
    seed_store.open_read().backup(str(tmp_path / "copy"))
    return ox.Store(str(tmp_path / "copy"))


def workshops(store) -> list[str]:
    rows = store.query(f"SELECT ?w {{ ?w a <{KG}Workshop> }} ORDER BY ?w")
    return [row["w"].value for row in rows]


def test_the_published_workshops_pass(store):
    shapes = load_shapes(current().shapes_dir)
    focus = workshops(store)
    report = validate_focus(store, focus, shapes)
    assert len(focus) == 5 and report.conforms and report.results == []
    # The reference on the same extract agrees.
    reference = validate(neighbourhood(store, focus), shapes, focus_nodes=[URIRef(f) for f in focus])
    assert not [r for r in reference.results if r.focus in focus]


def test_a_second_place_is_refused_with_the_shapes_message(store):
    shapes = load_shapes(current().shapes_dir)
    focus = workshops(store)
    store.add(ox.Quad(ox.NamedNode(focus[0]), ox.NamedNode(KG + "location"),
                      ox.NamedNode("https://w3id.org/kommunalgraph/id/municipality/01001000")))
    report = validate_focus(store, focus, shapes)
    assert not report.conforms
    assert [(r.focus, r.path) for r in report.violations] == [(focus[0], KG + "location")]
    assert "genau einen Ort" in report.violations[0].german and "exactly one place" in report.violations[0].english


def test_problems_of_neighbours_do_not_count(store):
    shapes = load_shapes(current().shapes_dir)
    focus = workshops(store)
    # A municipality the workshops point at loses its label: a problem of that place, not of the workshops.
    place = next(iter(store.query(f"SELECT ?m {{ <{focus[0]}> <{KG}location> ?m }}")))["m"]
    for quad in list(store.quads_for_pattern(place, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)):
        store.remove(quad)
    assert validate_focus(store, focus, shapes).conforms
    assert not validate_focus(store, [place.value], shapes).conforms


PERSON = "https://w3id.org/kommunalgraph/id/person/sebastian-warkentin"
REPORT_GRAPH = "https://w3id.org/kommunalgraph/graph/report/stadt-land-digital-2022-strategiestarterworkshops"


def test_a_write_about_a_person_is_judged_like_the_build(store_copy):
    """A nested shape (a person's name must not start with a title: sh:not [ sh:pattern … ]) is
    judged on the name. pyshacl's focus_nodes option judged it wrongly, and the gate refused every
    write that touched a person; a name that does start with a title is still refused."""
    from graph.errors import WriteRejected
    from graph.writes.gate import WriteGate

    gate = WriteGate(store_copy)
    done = gate.update(f'INSERT DATA {{ GRAPH <{REPORT_GRAPH}> {{ <{PERSON}> <{KG}honorific> "Herr" }} }}', "alice")
    assert done.changed
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    with pytest.raises(WriteRejected) as refused:
        gate.update(f'DELETE DATA {{ GRAPH <{REPORT_GRAPH}> {{ <{PERSON}> {label} "Sebastian Warkentin" }} }} ; '
                    f'INSERT DATA {{ GRAPH <{REPORT_GRAPH}> {{ <{PERSON}> {label} "Dr. Sebastian Warkentin" }} }}',
                    "alice")
    assert [(r["focus"], r["value"]) for r in refused.value.results] == [(PERSON, "Dr. Sebastian Warkentin")]
