"""The ontology: loads, is consistent under HermiT, documents itself in German and English."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import FOAF, SKOS

from graph.ns import KG, PREFIXES
from graph.checks.ontology import load_ontology
from graph.checks.consistency import axioms_only, check_consistency, inconsistent
from graph.errors import ReasonerUnavailable
from graph.checks.shacl import load_shapes

ROOT = Path(__file__).resolve().parent.parent
KG_NS = "https://w3id.org/kommunalgraph/ontology#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ROOT / "ontology")


def own_terms(ontology: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    return {s for kind in kinds for s in ontology.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(KG_NS)}


def test_defined_namespace_lists_exactly_the_ontology_terms(ontology):
    tree = ast.parse((ROOT / "graph" / "ns.py").read_text("utf-8"))
    kg_class = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "KG")
    declared = {n.target.id for n in kg_class.body if isinstance(n, ast.AnnAssign)}
    assert declared == {str(t)[len(KG_NS):] for t in own_terms(ontology)}


def test_mistyped_term_fails_loudly():
    with pytest.raises(AttributeError):
        KG.Workshopp  # noqa: B018 - the access itself is the test


def test_every_term_has_german_and_english_label_and_definition(ontology):
    for term in own_terms(ontology):
        labels = {label.language for label in ontology.objects(term, RDFS.label)}
        definitions = {d.language for d in ontology.objects(term, SKOS.definition)}
        assert {"de", "en"} <= labels, f"{term} lacks a de/en label"
        assert {"de", "en"} <= definitions, f"{term} lacks a de/en definition"


def test_every_class_and_property_is_aligned_to_a_standard_vocabulary(ontology):
    standard = ("https://schema.org/", "http://www.w3.org/ns/org#", "http://xmlns.com/foaf/0.1/",
                "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/",
                "http://www.w3.org/ns/dcat#")
    for cls in own_terms(ontology) & set(ontology.subjects(RDF.type, OWL.Class)):
        supers = {str(s) for s in ontology.transitive_objects(cls, RDFS.subClassOf)}
        assert any(s.startswith(standard) for s in supers), f"class {cls} has no standard superclass"


def test_every_class_is_covered_by_a_shape(ontology):
    shapes = load_shapes(ROOT / "shapes")
    targets = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    for cls in own_terms(ontology) & set(ontology.subjects(RDF.type, OWL.Class)):
        supers = set(ontology.transitive_objects(cls, RDFS.subClassOf))
        assert supers & targets, f"no shape targets {cls} or a superclass"


def test_ontology_is_consistent_under_hermit(ontology):
    assert check_consistency(ontology) == []


def test_hermit_finds_an_inconsistency(ontology):
    data = Graph()
    thing = URIRef("https://w3id.org/kommunalgraph/id/person/not-a-place")
    data.add((thing, RDF.type, KG.Person))
    data.add((thing, RDF.type, KG.Municipality))
    graph = Graph()
    graph += ontology
    graph += data
    problems = check_consistency(graph)
    assert len(problems) == 1
    assert "inkonsistent" in problems[0].german and "inconsistent" in problems[0].english


def test_data_given_as_ntriples_joins_the_consistency_question(ontology):
    """A build hands HermiT its report graphs as the workers wrote them (N-Triples, graph/build/pipeline.py)."""
    person = b"<https://w3id.org/kommunalgraph/id/person/not-a-place>"
    typed = person + b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    fine = typed + f"<{KG.Person}> .\n".encode()
    clash = typed + f"<{KG.Municipality}> .".encode()   # no final newline: chunks are joined line by line
    assert check_consistency(ontology, data=[fine]) == []
    problems = check_consistency(ontology, data=[fine, clash])
    assert [p.english for p in problems] == [inconsistent().english]


def test_the_build_check_takes_whole_reports_up_to_its_limit(ontology, monkeypatch):
    from graph.build import pipeline

    handed, nice = [], []
    monkeypatch.setattr(pipeline, "check_consistency",
                        lambda graph, imports, data, niceness: nice.append(niceness) or handed.extend(data) or [])
    reports = [b"<a:s> <a:p> <a:o1> .\n<a:s> <a:p> <a:o2> .\n", b"<a:s> <a:p> <a:o3> .\n", b"<a:s> <a:p> <a:o4> .\n"]
    problems = pipeline.owl_check(Graph(), reports, total_reports=3, max_triples=3)
    assert handed == reports[:2]
    assert [p.english for p in problems] == ["OWL check (HermiT) covered 2 of 3 reports (limit 3 triples)"]
    handed.clear()
    # the first report is always taken, however large
    assert pipeline.owl_check(Graph(), reports, total_reports=3, max_triples=1) and handed == reports[:1]
    assert nice == [pipeline.HERMIT_NICENESS] * 2 and pipeline.HERMIT_NICENESS > 0


def test_a_niced_hermit_runs_under_nice(tmp_path, monkeypatch):
    """The build's HermiT yields the cores to the store's fill beside it."""
    from graph.checks import consistency

    commands = []

    def run(command, **_kwargs):
        commands.append(command)
        raise OSError("stop here")

    monkeypatch.setattr(consistency.subprocess, "run", run)
    for niceness in (0, 10):
        with pytest.raises(OSError):
            consistency._run_hermit("-k", tmp_path / "x.nt", niceness)
    plain, niced = commands
    assert "java" in Path(plain[0]).name
    assert Path(niced[0]).name == "nice" and niced[1:3] == ["-n", "10"] and niced[3:] == plain


def _derivation_with_an_annotation_sub_property() -> list[tuple]:
    """PROV-O's shape, in the order that misled the OWL API: `revised` is typed an annotation property,
    then made a sub-property of `derived`, then typed an object property; an activity is derived."""
    ex = "https://example.org/"
    revised, derived, event, report = (URIRef(ex + name) for name in ("revised", "derived", "e", "r"))
    workshop, kind_of_event, activity = (URIRef(ex + name) for name in ("Workshop", "Event", "Activity"))
    return [(event, RDF.type, workshop),
            (revised, RDF.type, OWL.AnnotationProperty),
            (revised, RDFS.subPropertyOf, derived),
            (revised, RDF.type, OWL.ObjectProperty),
            (kind_of_event, RDFS.subClassOf, activity),
            (workshop, RDFS.subClassOf, kind_of_event),
            (derived, RDF.type, OWL.ObjectProperty),
            (report, RDF.type, URIRef(ex + "Report")),
            (activity, OWL.disjointWith, URIRef(ex + "Entity")),
            (derived, RDFS.domain, URIRef(ex + "Entity")),
            (event, derived, report)]


def _as_graph(triples: list[tuple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _in_this_order(triples: list[tuple], path: Path) -> Path:
    """`triples` as an N-Triples file HermiT reads in the list's order (rdflib would choose its own)."""
    from graph.checks import consistency

    lines = "".join(" ".join(term.n3() for term in triple) + " .\n" for triple in triples)
    return consistency._write_for_hermit(Graph(), path, [lines.encode("utf-8")])


def test_a_property_of_two_kinds_cannot_hide_a_contradiction(tmp_path):
    """Read in this order, the OWL API takes `derived` for an annotation property and HermiT calls the file
    consistent, every time it is asked: the CI failure of tests/test_ontology_imports.py, on about one PROV-O
    file in ten as rdflib wrote it. Without the annotation type, the same order shows the contradiction."""
    from graph.checks import consistency
    from graph.checks.consistency import one_kind_per_property

    triples = _derivation_with_an_annotation_sub_property()
    misread = _in_this_order(triples, tmp_path / "misread.nt")
    assert consistency._run_hermit("-k", misread) is not None, "the OWL API read this order right: the case is gone"
    kept = one_kind_per_property(_as_graph(triples))
    fixed = _in_this_order([triple for triple in triples if triple in kept], tmp_path / "fixed.nt")
    assert consistency._run_hermit("-k", fixed) is None


def test_only_the_annotation_type_of_a_property_of_two_kinds_is_dropped():
    from graph.checks.consistency import one_kind_per_property

    graph = _as_graph(_derivation_with_an_annotation_sub_property())
    note = URIRef("https://example.org/note")
    graph.add((note, RDF.type, OWL.AnnotationProperty))
    kept = one_kind_per_property(graph)
    assert set(graph) - set(kept) == {(URIRef("https://example.org/revised"), RDF.type, OWL.AnnotationProperty)}
    assert (note, RDF.type, OWL.AnnotationProperty) in kept and len(graph) == len(kept) + 1
    assert one_kind_per_property(kept) is kept


def test_the_check_hands_hermit_one_kind_per_property(monkeypatch):
    """check_consistency asks once and writes the graph without the second kind."""
    from graph.checks import consistency

    asked = []

    def hermit(action, path, niceness=0):
        asked.append((action, path.read_text()))
        return "Classes equivalent to"

    monkeypatch.setattr(consistency, "_run_hermit", hermit)
    graph = _as_graph(_derivation_with_an_annotation_sub_property())
    assert check_consistency(graph) == [] and [action for action, _text in asked] == ["-k", "-U"]
    whole = asked[0][1]
    assert "<https://example.org/revised> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " \
           "<http://www.w3.org/2002/07/owl#ObjectProperty> ." in whole
    assert "<https://example.org/revised> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " \
           "<http://www.w3.org/2002/07/owl#AnnotationProperty> ." not in whole


def test_hermit_names_a_class_that_cannot_have_members(ontology):
    """A subclass of two disjoint classes: no individual needed, the axioms alone make it empty."""
    graph = Graph()
    graph += ontology
    narrow = URIRef("https://example.org/PersonThatIsAPlace")
    graph.add((narrow, RDF.type, OWL.Class))
    graph.add((narrow, RDFS.subClassOf, KG.Person))
    graph.add((narrow, RDFS.subClassOf, KG.Municipality))
    problems = check_consistency(graph)
    assert [p.english for p in problems] == [f"class {narrow} is unsatisfiable"]
    assert "unerfüllbar" in problems[0].german


def test_axioms_only_leaves_out_individuals_and_keeps_restrictions(ontology):
    graph = Graph()
    graph += ontology
    person = URIRef("https://w3id.org/kommunalgraph/id/person/x")
    graph.add((person, RDF.type, KG.Person))
    graph.add((person, FOAF.name, Literal("X")))
    axioms = axioms_only(graph)
    assert (person, RDF.type, KG.Person) not in axioms and (person, FOAF.name, Literal("X")) not in axioms
    assert set(axioms.subjects(RDF.type, OWL.Restriction)) == set(ontology.subjects(RDF.type, OWL.Restriction))
    assert (KG.Workshop, RDF.type, OWL.Class) in axioms


def test_without_java_the_check_says_what_is_missing(ontology, monkeypatch):
    monkeypatch.setenv("JAVA", "no-such-java-binary")
    with pytest.raises(ReasonerUnavailable, match="Java"):
        check_consistency(ontology)


def test_topic_scheme_has_required_topics_with_both_languages(ontology):
    labels = {str(label) for label in ontology.objects(None, SKOS.prefLabel)}
    for label in ("LoRaWAN", "Internet der Dinge", "Intranet", "Social Intranet", "Social Media",
                  "Interne Kommunikation", "Externe Kommunikation", "Veränderungsmanagement", "Führung",
                  "Interkommunale Zusammenarbeit", "Fördermittel", "Smart City"):
        assert label in labels, label
    for concept in ontology.subjects(SKOS.inScheme, None):
        languages = {label.language for label in ontology.objects(concept, SKOS.prefLabel)}
        assert {"de", "en"} <= languages, concept
    lorawan = URIRef("https://w3id.org/kommunalgraph/topic/lorawan")
    iot = URIRef("https://w3id.org/kommunalgraph/topic/internet-der-dinge")
    assert (lorawan, SKOS.broader, iot) in ontology


def test_topics_link_outward_to_eu_data_themes(ontology):
    themes = "http://publications.europa.eu/resource/authority/data-theme/"
    matched = {s for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
               for s, o in ontology.subject_objects(p) if str(o).startswith(themes)}
    assert URIRef("https://w3id.org/kommunalgraph/topic/technologie") in matched
    assert len(matched) >= 10
    for topic in matched:
        assert (topic, SKOS.inScheme, URIRef("https://w3id.org/kommunalgraph/topics")) in ontology


def test_only_verified_wikidata_topics_are_asserted_the_rest_await_review():
    from graph.linking.link_file import check, read_link_file

    links = read_link_file(ROOT / "data" / "links" / "wikidata.yaml")
    assert check(links) == []
    accepted = {e["key"] for e in links.accepted() if e["kind"] == "topic"}
    waiting = {e["key"] for e in links.review if e["kind"] == "topic"}
    assert accepted == {"social-media"}  # the one topic marked verified in the research list
    assert "internet-der-dinge" in waiting and not any(e.get("decision") for e in links.review)


def test_official_keys_name_their_wikidata_property_and_geocoding(ontology):
    for prop, wikidata, level in ((KG.ags, "P439", "municipalityKey"), (KG.ars, "P1388", "regionalKey"),
                                  (KG.districtKey, "P440", "districtKey")):
        assert (prop, SKOS.exactMatch, URIRef(f"http://www.wikidata.org/entity/{wikidata}")) in ontology
        assert (prop, RDFS.seeAlso, URIRef(f"http://dcat-ap.de/def/politicalGeocoding/{level}/")) in ontology
    assert (KG.associationKey, RDFS.seeAlso,
            URIRef("http://dcat-ap.de/def/politicalGeocoding/municipalAssociationKey/")) in ontology


def test_documentation_shows_each_new_pattern_with_an_example():
    from graph.publish.vocabulary import load_vocabulary

    doc = load_vocabulary(ROOT / "ontology", ROOT / "shapes")
    examples = {t.anchor: t.examples for t in doc.classes}
    for pattern in ("Position", "AdministrativeArea", "MunicipalAssociation", "CityAdministration", "Event",
                    "Statement", "Project"):
        assert examples.get(pattern), f"no example for kg:{pattern}"
    # Each example is Turtle (with the ontology's prefixes and a base) that parses.
    head = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items()) + "@base <https://example.org/> .\n"
    for snippets in examples.values():
        for snippet in snippets:
            assert len(Graph().parse(data=head + snippet, format="turtle")) > 0


@pytest.mark.parametrize("action", ["-k", "-U"])
@pytest.mark.parametrize("content", ['<https://example.org/a> <https://example.org/b> "unterminated .\n', None, "",
                                     "<https://example.org/a> a <http://www.w3.org/2002/07/owl#Class> .\n"],
                         ids=["syntax error (exit 1)", "missing file (exit 0)", "empty file", "file cut short"])
def test_a_file_hermit_cannot_load_is_a_failure_not_a_pass(tmp_path, content, action):
    """HermiT's command line exits 0 when OWL API cannot open the file, and answers "consistent" for
    what it read of a file cut short: neither may read as a pass (a CI run once passed wrong data)."""
    from graph.checks import consistency

    path = tmp_path / "ontology.nt"
    if content is not None:
        path.write_text(content, "utf-8")
    with pytest.raises(ReasonerUnavailable, match="HermiT failed"):
        consistency._run_hermit(action, path, niceness=0)


def test_a_file_read_to_its_end_is_answered(tmp_path):
    """The counterpart: the same small file with the sentinel the check writes last is answered."""
    from graph.checks import consistency

    graph = Graph()
    graph.add((URIRef("https://example.org/a"), RDF.type, OWL.Class))
    path = consistency._write_for_hermit(graph, tmp_path / "ontology.nt")
    assert "is satisfiable" in consistency._run_hermit("-k", path)
    assert consistency._unsatisfiable(consistency._run_hermit("-U", path)) == [consistency._SENTINEL]
