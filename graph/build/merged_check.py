"""The shapes over what several reports say about one resource (issue 14: one resource per real thing).

Each record is checked on its own, before the build merges them. But one IRI is one real thing
across reports: two reports on the same conference mint the same event, two articles name the same
person. Their statements meet only in the store, where two reports giving the event different dates
make an event with two dates — which the shapes forbid, and which a later gated write touching that
event would be refused for (the gate judges the merged graph). So before a version is published,
every resource that two or more report graphs describe is validated over the merged default graph,
and a violation stops the build, naming the reports that disagree.

Validating every shared resource took 155 s at 1.4 M triples (11,559 of them: places, persons,
organisations named by many reports). A merge breaks a shape that each report keeps only by
cardinality: two reports each giving one value where one is allowed (sh:maxCount, sh:uniqueLang —
a second date, a second German title). So only resources with more distinct values of such a path
across the report graphs than the shapes allow are handed to SHACL; the rest cannot have changed
their verdict by merging.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from graph.checks.shacl import validate_focus
from graph.errors import Problem

# Focus nodes per SHACL run: the extract of their neighbourhood stays small.
BATCH = 500


def shared_resources(version, base_iri: str) -> dict[str, list[str]]:
    """Resources that two or more report graphs type, with the keys of those reports."""
    prefix = f"{base_iri}graph/report/"
    rows = version.query(
        "SELECT ?s (GROUP_CONCAT(DISTINCT STR(?g); SEPARATOR=' ') AS ?graphs) "
        f"WHERE {{ GRAPH ?g {{ ?s a ?type }} FILTER(isIRI(?s) && STRSTARTS(STR(?g), \"{prefix}\")) }} "
        "GROUP BY ?s HAVING (COUNT(DISTINCT ?g) > 1)")
    return {row["s"].value: sorted(g.removeprefix(prefix) for g in row["graphs"].value.split())
            for row in rows}


def limits(shapes: Graph) -> tuple[dict[str, int], set[str]]:
    """The most values the shapes allow per predicate path (sh:maxCount), and the paths with one
    value per language (sh:uniqueLang)."""
    most: dict[str, int] = {}
    for shape, count in shapes.subject_objects(SH.maxCount):
        path = shapes.value(shape, SH.path)
        if isinstance(path, URIRef):
            most[str(path)] = min(int(count), most.get(str(path), int(count)))
    per_language = {str(shapes.value(shape, SH.path)) for shape in shapes.subjects(SH.uniqueLang, Literal(True))
                    if isinstance(shapes.value(shape, SH.path), URIRef)}
    return most, per_language


def over_limit(version, shared: dict[str, list[str]], shapes: Graph, base_iri: str) -> list[str]:
    """The shared nodes whose report graphs together give more values of a limited path than allowed."""
    most, per_language = limits(shapes)
    found = []
    for node, reports in sorted(shared.items()):
        values: dict[tuple, set] = defaultdict(set)
        subject = ox.NamedNode(node)
        for report in reports:
            for quad in version.quads_for_pattern(subject, None, None, ox.NamedNode(f"{base_iri}graph/report/{report}")):
                predicate = quad.predicate.value
                if predicate in most:
                    values[(predicate, None)].add(quad.object)
                if predicate in per_language and isinstance(quad.object, ox.Literal) and quad.object.language:
                    values[(predicate, quad.object.language)].add(quad.object)
        if any(len(seen) > (1 if language else most[predicate]) for (predicate, language), seen in values.items()):
            found.append(node)
    return found


def merged_problems(version, shapes: Graph, base_iri: str) -> list[Problem]:
    """Violations of the shapes by resources that several reports describe, judged on the merge."""
    shared = shared_resources(version, base_iri)
    nodes = over_limit(version, shared, shapes, base_iri)
    problems = []
    for start in range(0, len(nodes), BATCH):
        report = validate_focus(version, nodes[start:start + BATCH], shapes)
        for result in report.results:
            if result.severity != "violation":
                continue
            reports = ", ".join(shared[result.focus])
            problems.append(Problem(
                f"Die Berichte {reports} beschreiben diese Ressource gemeinsam, aber widersprüchlich: {result.german}",
                f"the reports {reports} describe this resource together, and contradict each other: {result.english}",
                file=reports, field=result.path, value=result.focus))
    return problems
