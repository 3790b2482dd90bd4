"""The build: records → RDF → SHACL and OWL checks → a new store version, published atomically."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from graph import project
from graph.errors import Problem, RecordError, ValidationFailed
from graph.iri import Minter
from graph.links import load_links
from graph.mapping import EVENT_CLASSES, Mapper, ReportGraph
from graph.ns import ONTOLOGY_IRI
from graph.ontology import load_ontology
from graph.placemap import PlaceMapper
from graph.places import Gazetteer, load_gazetteer
from graph.reasoning import check_consistency, materialise, rules_from, union
from graph.records import find_records, load_record
from graph.store import VersionedStore
from graph.topics import TopicIndex
from graph.validate import load_shapes, to_problems, validate

Progress = Callable[[str, int, int], None]


@dataclass
class Sources:
    """Where a build reads from; defaults are the project's folders."""

    records: Path = project.RECORDS_DIR
    reference: Path = project.REFERENCE_DIR
    links: Path = project.LINKS_DIR
    ontology: Path = project.ONTOLOGY_DIR
    shapes: Path = project.SHAPES_DIR


@dataclass
class Checked:
    """What the checks produced: report graphs, links, the ontology, and every problem."""

    reports: list[ReportGraph]
    links: Graph
    ontology: Graph
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    reference: Graph = field(default_factory=Graph)

    @property
    def violations(self) -> list[Problem]:
        """Problems that stop publishing."""
        return [p for p in self.problems if p.severity == "violation"]


@dataclass
class BuildResult:
    """What a successful build published."""

    version: str
    reports: int
    events: int
    default_triples: int
    inferred_triples: int
    quads: int
    warnings: list[Problem]
    seconds: dict[str, float]


def _quiet(step: str, done: int, total: int) -> None:
    """A progress callback that reports nothing."""


def check(sources: Sources, base_iri: str, *, owl: bool = True, progress: Progress = _quiet) -> Checked:
    """Map and check all records without writing anything (the `validate` command)."""
    started = time.perf_counter()
    minter = Minter(base_iri)
    ontology = load_ontology(sources.ontology)
    shapes = load_shapes(sources.shapes)
    gazetteer = load_gazetteer(sources.reference)
    mapper = Mapper(minter, gazetteer, TopicIndex.from_graph(ontology))
    problems: list[Problem] = []
    reports: list[ReportGraph] = []
    files = find_records(sources.records)
    seen: dict[str, str] = {}
    for done, path in enumerate(files, 1):
        progress("check", done, len(files))
        try:
            record = load_record(path)
        except RecordError as exc:
            problems.extend(exc.problems)
            continue
        if record.key in seen:
            problems.append(Problem(f"Berichtskennung {record.key!r} kommt auch in {seen[record.key]} vor",
                                    f"report id {record.key!r} is also used by {seen[record.key]}", file=str(path),
                                    field="report.id", value=record.key))
            continue
        seen[record.key] = str(path)
        report_graph = mapper.map_record(record)
        problems.extend(report_graph.problems)
        problems.extend(to_problems(validate(report_graph.graph, shapes, ontology), report_graph.file,
                                    report_graph.origin))
        reports.append(report_graph)
    try:
        links = load_links(sources.links, minter)
    except RecordError as exc:
        problems.extend(exc.problems)
        links = Graph()
    reference = reference_graph(minter, gazetteer)
    problems.extend(to_problems(validate(reference, shapes, ontology), str(sources.reference), {}))
    seconds = {"map+shacl": time.perf_counter() - started}
    checked = Checked(reports, _links_to_known(links, reports, ontology, reference), ontology, problems, seconds,
                      reference)
    if owl and not checked.violations:
        progress("owl", 0, 1)
        started = time.perf_counter()
        checked.problems.extend(check_consistency(union(ontology, links, checked.reference,
                                                        *(r.graph for r in reports))))
        seconds["owl"] = time.perf_counter() - started
    return checked


def reference_graph(minter: Minter, gazetteer: Gazetteer) -> Graph:
    """The states, districts and regions of data/reference/places.yaml, so queries can name them."""
    graph = Graph()
    places = PlaceMapper(minter, gazetteer, graph, lambda *args: None)
    for table in (gazetteer.states, gazetteer.districts, gazetteer.regions):
        for place in table.values():
            places.write(place, "reference")
    return graph


def _links_to_known(links: Graph, reports: list[ReportGraph], ontology: Graph, reference: Graph) -> Graph:
    """Only links about resources the data describes, so no link points from an empty page."""
    known = set(ontology.subjects()) | set(reference.subjects())
    for report in reports:
        known.update(report.graph.subjects())
    kept = Graph()
    for triple in links:
        if triple[0] in known:
            kept.add(triple)
    return kept


def build(store: VersionedStore, sources: Sources, base_iri: str, *, owl: bool = True,
          progress: Progress = _quiet) -> BuildResult:
    """Check everything, then publish a new store version; on any violation nothing is written.

    :raises ValidationFailed: if a record, shape or the ontology check fails.
    :raises StoreError: if the store cannot be written (the previous version stays).
    """
    checked = check(sources, base_iri, owl=owl, progress=progress)
    if checked.violations:
        raise ValidationFailed(checked.problems)
    minter = Minter(base_iri)
    started = time.perf_counter()
    with store.writer() as version:
        for done, report in enumerate(checked.reports, 1):
            progress("load", done, len(checked.reports))
            _load(version, report.graph, URIRef(report.iri))
        _load(version, checked.ontology, ONTOLOGY_IRI)
        _load(version, checked.reference, minter.named("graph/reference"))
        _load(version, checked.links, minter.named("graph/links"))
        loaded = len(version)
        progress("infer", 0, 1)
        inferred = materialise(version, rules_from(checked.ontology))
        default_triples = _count(version)
        quads = len(version)
    checked.seconds["store"] = time.perf_counter() - started
    events = sum(_events(r.graph) for r in checked.reports)
    return BuildResult(store.current(), len(checked.reports), events, default_triples, inferred, quads,
                       [p for p in checked.problems if p.severity != "violation"], checked.seconds)


def _load(version, graph: Graph, graph_name: URIRef) -> None:
    """Put `graph` into its named graph and into the default graph, which is the merge of all."""
    data = graph.serialize(format="nt", encoding="utf-8")
    version.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph_name)))
    # Copied, not parsed twice, so blank nodes are the same nodes in both graphs (issue 6: the
    # default graph must be exactly the union that incremental writes maintain).
    version.update(f"ADD <{graph_name}> TO DEFAULT")


def _count(version) -> int:
    return int(next(iter(version.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))["n"].value)


def _events(graph: Graph) -> int:
    return sum(1 for cls in EVENT_CLASSES.values() for _ in graph.subjects(RDF.type, cls))
