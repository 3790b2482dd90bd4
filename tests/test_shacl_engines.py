"""Issue 6: the fast SHACL engine of large builds (shifty) and the reference (pyshacl) judge our
shapes alike: on every shapes test case, the seed record, generated reports and mutants of them
they agree on conforms, and shifty finds problems at the same focus nodes."""

from __future__ import annotations

from pathlib import Path

import pytest
import shifty
from hypothesis import HealthCheck, given, settings, strategies as st
from rdflib import RDF, XSD, Graph, Literal, URIRef

from graph.settings import current
from graph.build.pipeline import Sources, check
from graph.records.synthetic import Sizes, generate
from graph.checks.ontology import load_ontology
from graph.checks.shacl_fast import FastVerdict
from graph.checks.shacl import load_shapes, validate

HERE = Path(__file__).parent / "shapes"
SHAPES = load_shapes(current().shapes_dir)
ONTOLOGY = load_ontology(current().ontology_dir)
FAST = FastVerdict(SHAPES, ONTOLOGY)
PREPARED = shifty.PreparedValidator(SHAPES.serialize(format="turtle", encoding="utf-8"))
ONTOLOGY_NT = ONTOLOGY.serialize(format="nt", encoding="utf-8")


def assert_engines_agree(graph: Graph) -> bool:
    """Both verdicts and the focus nodes with problems are the same; returns the verdict."""
    reference = validate(graph, SHAPES, ONTOLOGY)
    data = graph.serialize(format="nt", encoding="utf-8")
    assert FAST.conforms(data) == (not reference.results), [r.english for r in reference.results]
    fast = PREPARED.validate_algebra(data + b"\n" + ONTOLOGY_NT, infer=False, on_unsupported="error")
    assert {_focus(str(v.focus_node)) for v in fast.violations} == {_focus(r.focus) for r in reference.results}
    return not reference.results


def _focus(term: str) -> str:
    """An IRI as itself, any blank node as one name (labels differ between the engines)."""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    return term if ":" in term and not term.startswith("_:") else "_:blank"


@pytest.mark.parametrize("path", sorted(HERE.glob("*/*.ttl")), ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_shapes_test_cases(path):
    assert assert_engines_agree(Graph().parse(path)) == (path.parent.name == "conforms")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[Graph]:
    """The seed record's report graph and six generated reports of 20 workshops."""
    graphs = [r.graph for r in check(Sources(), current().base_iri, owl=False, workers=1).reports]
    gazetteer = current().reference_dir / "gazetteer.csv"
    if gazetteer.exists():  # `make install` imports it; without it only the seed record is compared
        out = tmp_path_factory.mktemp("generated")
        generate(out, 3, Sizes(workshops=120, per_report=20, speakers=300), gazetteer, current().reference_dir,
                 current().ontology_dir)
        generated = check(Sources(records=out / "records", reference=out / "reference"), current().base_iri,
                          owl=False, workers=1)
        graphs += [r.graph for r in generated.reports]
    return graphs


def test_seed_and_generated_reports_conform_for_both(reports):
    for graph in reports:
        assert_engines_agree(graph)  # same verdict and focus nodes, warnings and infos included
        # The seed has infos (events without a date, talks without a speaker), never a violation.
        assert not validate(graph, SHAPES, ONTOLOGY).violations


# Changes that break or keep our shapes: drop a triple, give a literal another datatype or
# language, repeat a value on another resource, add a type, put a title before a name.
MUTATIONS = ["drop", "datatype", "language", "copy", "type", "honorific"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_reports_are_judged_alike(reports, data):
    graph = Graph()
    graph += data.draw(st.sampled_from(reports))
    triples = sorted(graph)
    for _ in range(data.draw(st.integers(1, 3))):
        s, p, o = data.draw(st.sampled_from(triples))
        kind = data.draw(st.sampled_from(MUTATIONS))
        if kind == "drop":
            graph.remove((s, p, o))
        elif kind == "datatype" and isinstance(o, Literal):
            graph.remove((s, p, o))
            graph.add((s, p, Literal(str(o), datatype=data.draw(st.sampled_from([XSD.string, XSD.integer, XSD.date,
                                                                                   XSD.gYear, None])))))
        elif kind == "language" and isinstance(o, Literal):
            graph.remove((s, p, o))
            graph.add((s, p, Literal(str(o), lang=data.draw(st.sampled_from(["de", "en", "fr"])))))
        elif kind == "copy":
            _, p2, o2 = data.draw(st.sampled_from(triples))
            graph.add((s, p2, o2))
        elif kind == "type":
            graph.add((s, RDF.type, data.draw(st.sampled_from(sorted(set(ONTOLOGY.subjects(RDF.type, URIRef(
                "http://www.w3.org/2002/07/owl#Class"))))))))
        elif kind == "honorific" and isinstance(o, Literal):
            graph.remove((s, p, o))
            graph.add((s, p, Literal("Dr. " + str(o), datatype=o.datatype, lang=o.language)))
    assert_engines_agree(graph)
