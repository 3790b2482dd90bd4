"""The build: records → RDF → SHACL and OWL checks → a new store version, published atomically."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.build.bulk import PARALLEL_FROM, Spool, bulk_load, check_parallel, worker_count
from graph.build.record_check import RecordChecker, count_events, duplicate_key
from graph.publish import quality
from graph.publish.dumps import write_dumps
from graph.search.index import write_index
from graph.linking.enrich import load_facts
from graph.errors import Problem, RecordError, ValidationFailed
from graph.iri import Minter
from graph.linking.link_triples import load_links
from graph.linking.mentioned import read_mentioned
from graph.linking.moved import load_moved, redirects_to_known
from graph.linking.organisation_file import organisation_keys
from graph.linking.person_file import person_keys
from graph.mapping.mapper import Mapper, ReportGraph
from graph.ns import ONTOLOGY_IRI
from graph.checks.ontology import load_ontology
from graph.mapping.places import PlaceMapper
from graph.records.gazetteer import Gazetteer, load_gazetteer
from graph.build.erasure import erase_past, suppressed_persons
from graph.build.roles import add_roles
from graph.mapping.erasure import Erasure
from graph.build.summary import write_summary
from graph.checks.imports import load_imports
from graph.checks.consistency import check_consistency, union
from graph.checks.reasoning import closure, materialise, materialise_joins, to_ntriples, rules_from
from graph.build.merged_check import merged_problems
from graph.build.sources import Sources
from graph.settings import Settings, current
from graph.store.versions import VersionedStore
from graph.mapping.topics import TopicIndex
from graph.checks.shacl import load_shapes, to_problems, validate

Progress = Callable[[str, int, int], None]


@dataclass
class Checked:
    """What the checks produced: report graphs, links, the ontology, and every problem."""

    reports: list[ReportGraph]
    links: Graph
    ontology: Graph
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    reference: Graph = field(default_factory=Graph)
    spool: Spool | None = None   # large builds: report graphs spooled as N-Quads, `reports` left empty
    wikidata_facts: Graph = field(default_factory=Graph)
    erasure: Erasure = field(default_factory=lambda: Erasure(frozenset()))
    shapes: Graph = field(default_factory=Graph)

    def close(self) -> None:
        """Remove the spool file of a large build."""
        if self.spool:
            self.spool.close()

    @property
    def report_count(self) -> int:
        """How many reports passed to the store (spooled or in memory)."""
        return len(self.spool.reports) if self.spool else len(self.reports)

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


def check(sources: Sources, base_iri: str, *, owl: bool = True, progress: Progress = _quiet,
          workers: int | None = None, settings: Settings | None = None) -> Checked:
    """Map and check all records without writing anything (the `validate` command).

    Many record files are checked in `workers` processes (default: one per core) and their
    graphs spooled to disk; a few are checked here and kept in memory.
    """
    settings = settings or current()
    started = time.perf_counter()
    minter = Minter(base_iri)
    ontology = load_ontology(sources.ontology)
    shapes = load_shapes(sources.shapes)
    gazetteer = load_gazetteer(sources.reference)
    problems: list[Problem] = []
    reports: list[ReportGraph] = []
    files = sources.record_files()
    try:
        links = load_links(sources.links, minter)
    except RecordError as exc:
        problems.extend(exc.problems)
        links = Graph()
    try:
        moved = load_moved(sources.links, minter)   # data/links/moved.yaml: IRIs that must keep answering
    except RecordError as exc:
        problems.extend(exc.problems)
        moved = Graph()
    erasure = suppressed_persons(sources.records.parent, minter, problems)  # data/suppressed.yaml
    workers = workers or (worker_count(settings.build_workers) if len(files) >= PARALLEL_FROM else 1)
    mentioned = read_mentioned(files, workers)
    organisations = organisation_keys(mentioned.names, sources.links, problems)   # one IRI per organisation across reports
    speakers = person_keys(mentioned.mentions, sources.links, problems, organisations)   # and per person
    del mentioned
    spool = None
    if workers > 1:
        spool, found = check_parallel(files, sources, base_iri, _linked_iris(links, moved), workers,
                                      progress, settings.owl_max_triples, settings.build_shacl, erasure or None,
                                      speakers, organisations)
        problems.extend(found)
    else:
        mapper = Mapper(minter, gazetteer, TopicIndex.from_graph(ontology), speakers, organisations)
        checker = RecordChecker(mapper, shapes, ontology, erasure=erasure or None)
        reports = _check_here(files, checker, problems, progress)
    reference = reference_graph(minter, gazetteer)
    problems.extend(to_problems(validate(reference, shapes, ontology), str(sources.reference), {}))
    seconds = {"map+shacl": time.perf_counter() - started}
    known = set(ontology.subjects()) | set(reference.subjects())
    for report in reports:
        known.update(report.graph.subjects())
    if spool:
        known.update(URIRef(s) for s in spool.link_subjects)
    checked = Checked(reports, _links_to_known(links, known) + redirects_to_known(moved, known), ontology, problems,
                      seconds, reference, spool)
    checked.erasure = erasure
    checked.shapes = shapes
    try:
        checked.wikidata_facts = load_facts(sources.links, checked.links, minter.named("graph/wikidata"))
    except RecordError as exc:
        problems.extend(exc.problems)
    if owl and not checked.violations:
        progress("owl", 0, 1)
        started = time.perf_counter()
        sample = spool.sample if spool else [r.graph for r in reports]
        checked.problems.extend(owl_check(union(ontology, links, checked.reference), sample, checked.report_count,
                                           settings.owl_max_triples))
        seconds["owl"] = time.perf_counter() - started
    return checked


def owl_check(base: Graph, reports: list[Graph], total_reports: int, max_triples: int) -> list[Problem]:
    """HermiT on the ontology, places, links and the reports; above `max_triples` on the first
    reports only (HermiT needs minutes per 100,000 triples and cannot take 10 M), with a warning.
    SHACL still checks every report."""
    taken, size = [], 0
    for graph in reports:
        if taken and size + len(graph) > max_triples:
            break
        taken.append(graph)
        size += len(graph)
    # With PROV-O, ORG, FOAF and OWL-Time when ../shared/ontologies has them (graph/checks/imports.py).
    problems = check_consistency(union(base, *taken), load_imports())
    if len(taken) < total_reports:
        problems.append(Problem(
            f"OWL-Prüfung (HermiT) nur mit {len(taken)} von {total_reports} Berichten (Grenze {max_triples} Tripel)",
            f"OWL check (HermiT) covered {len(taken)} of {total_reports} reports (limit {max_triples} triples)",
            severity="warning"))
    return problems


def _check_here(files, checker: RecordChecker, problems: list[Problem], progress: Progress) -> list[ReportGraph]:
    """Check record files in this process, keeping their graphs."""
    reports: list[ReportGraph] = []
    seen: dict[str, str] = {}
    for done, path in enumerate(files, 1):
        progress("check", done, len(files))
        checked = checker.check(path)
        duplicate = checked.key and duplicate_key(checked.key, checked.file, seen)
        if duplicate:
            problems.append(duplicate)
            continue
        problems.extend(checked.problems)
        if checked.report is not None:
            reports.append(checked.report)
    return reports


def reference_graph(minter: Minter, gazetteer: Gazetteer) -> Graph:
    """The states, districts and regions of data/reference/places.yaml, so queries can name them."""
    graph = Graph()
    places = PlaceMapper(minter, gazetteer, graph, lambda *args: None)
    for table in (gazetteer.states, gazetteer.government_districts, gazetteer.districts, gazetteer.regions):
        for place in table.values():
            places.write(place, "reference")
    return graph


def _linked_iris(links: Graph, moved: Graph) -> set[str]:
    """The IRIs whose presence in the data decides whether a link or redirect is kept."""
    return {str(s) for s in links.subjects()} | {str(node) for old, _, new in moved for node in (old, new)}


def _links_to_known(links: Graph, known: set) -> Graph:
    """Only links about resources the data describes, so no link points from an empty page."""
    kept = Graph()
    for triple in links:
        if triple[0] in known:
            kept.add(triple)
    return kept


def build(store: VersionedStore, sources: Sources, base_iri: str, *, owl: bool = True,
          progress: Progress = _quiet, settings: Settings | None = None) -> BuildResult:
    """Check everything, then publish a new store version; on any violation nothing is written.

    :raises ValidationFailed: if a record, shape or the ontology check fails.
    :raises StoreError: if the store cannot be written (the previous version stays).
    """
    checked = check(sources, base_iri, owl=owl, progress=progress, settings=settings)
    try:
        if checked.violations:
            raise ValidationFailed(checked.problems)
        return _publish(store, checked, base_iri, progress)
    finally:
        checked.close()


def _publish(store: VersionedStore, checked: Checked, base_iri: str, progress: Progress) -> BuildResult:
    """Write the checked graphs and their inferences as a new store version and switch to it."""
    minter = Minter(base_iri)
    started = time.perf_counter()
    with store.writer(cause={"kind": "build", "reports": checked.report_count}) as version:
        if checked.spool:
            progress("load", 0, 1)
            bulk_load(version, checked.spool)
        for done, report in enumerate(checked.reports, 1):
            progress("load", done, len(checked.reports))
            _load(version, report.graph, URIRef(report.iri))
        _load(version, checked.ontology, ONTOLOGY_IRI)
        _load(version, checked.reference, minter.named("graph/reference"))
        _load(version, checked.links, minter.named("graph/links"))
        if len(checked.wikidata_facts):
            _load(version, checked.wikidata_facts, minter.named("graph/wikidata"))
        progress("infer", 0, 1)
        rules = rules_from(checked.ontology)
        if checked.spool:
            # Reports arrive with their own closure (graph/build/bulk.py); add that of the shared
            # graphs and what follows across graphs.
            shared = union(checked.ontology, checked.reference, checked.links)
            version.load(to_ntriples(closure(shared, rules)),
                         format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            materialise_joins(version, rules)
        else:
            inferred = materialise(version, rules)
            before_roles = _count(version)
        # Current memberships and "former" are judged over all reports (not monotonic: not a
        # rule), over what the rules derived; a write re-derives them the same way (graph/writes/derived.py).
        checked.seconds["load+infer"] = time.perf_counter() - started
        step = time.perf_counter()
        add_roles(version, rules)
        default_triples = _count(version)
        checked.seconds["roles"] = time.perf_counter() - step
        step = time.perf_counter()
        contradictions = merged_problems(version, checked.shapes, base_iri)  # raising discards the version
        if contradictions:
            raise ValidationFailed(contradictions)
        checked.seconds["merged shapes"] = time.perf_counter() - step
        step = time.perf_counter()
        # The joins the named queries need, made once (issue 13); read from the finished default graph.
        write_summary(version)
        checked.seconds["summary"] = time.perf_counter() - step
        if checked.spool:
            inferred = (default_triples - sum(r.triples for r in checked.spool.reports) - len(shared)
                        - len(checked.wikidata_facts))
        else:
            inferred += default_triples - before_roles
        quads = len(version)
        if checked.spool:
            # Compact what the bulk load and the updates left as many small files: queries on a
            # large version read about twice as fast (issue 6).
            progress("optimise", 0, 1)
            step = time.perf_counter()
            version.optimize()
            checked.seconds["optimise"] = time.perf_counter() - step
    checked.seconds["store"] = time.perf_counter() - started
    started = time.perf_counter()
    write_dumps(store)  # downloads of the new version (issue 4)
    checked.seconds["dumps"] = time.perf_counter() - started
    started = time.perf_counter()
    # Quality as data (issue 15): the release keeps its measurements and the warnings of its build.
    quality.record(store.root, store.current(), store.open_read())
    quality.record_problems(store.root, store.current(), [p for p in checked.problems if p.severity != "violation"])
    checked.seconds["quality"] = time.perf_counter() - started
    started = time.perf_counter()
    write_index(store)  # the search index of the new version (issue 14)
    checked.seconds["search"] = time.perf_counter() - started
    # Persons the steward newly suppressed leave the older versions and the history too.
    started = time.perf_counter()
    if erase_past(store, checked.erasure)["persons"]:
        checked.seconds["erasure"] = time.perf_counter() - started
    if checked.spool:
        events = sum(r.events for r in checked.spool.reports)
    else:
        events = sum(count_events(r.graph) for r in checked.reports)
    return BuildResult(store.current(), checked.report_count, events, default_triples, inferred, quads,
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


def check_folder(folder: Path, base_iri: str) -> list[Problem]:
    """The violations the build's checks (schema, mapping, SHACL; OWL left out) find in the records
    of `folder`: what a steward's accepted draft must pass (graph/records/review.py)."""
    checked = check(Sources(records=folder), base_iri, owl=False, workers=1)
    checked.close()
    return checked.violations
