"""The shapes over what several reports say about one resource (issue 14: one resource per real thing).

Each record is checked on its own, before the build merges them. But one IRI is one real thing
across reports: two reports on the same conference mint the same event, two articles name the same
person. Their statements meet only in the store, where two reports giving the event different dates
make an event with two dates — which the shapes forbid, and which a later gated write touching that
event would be refused for (the gate judges the merged graph). So before a version is published,
every resource that two or more report graphs describe is validated over the merged default graph,
and a violation stops the build, naming the reports that disagree.
"""

from __future__ import annotations

from rdflib import Graph

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


def merged_problems(version, shapes: Graph, base_iri: str) -> list[Problem]:
    """Violations of the shapes by resources that several reports describe, judged on the merge."""
    shared = shared_resources(version, base_iri)
    nodes = sorted(shared)
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
