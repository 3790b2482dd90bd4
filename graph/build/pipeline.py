"""The build: records → RDF → SHACL and OWL checks (here) → a new store version, published atomically
(graph/build/store_version.py)."""

from __future__ import annotations

import time
from pathlib import Path

from rdflib import Graph, URIRef

from graph.build.bulk import PARALLEL_FROM, check_parallel, worker_count
from graph.build.record_check import RecordChecker, duplicate_key
from graph.linking.enrich import load_facts
from graph.errors import Problem, RecordError, ValidationFailed
from graph.iri import Minter
from graph.linking.link_triples import load_links
from graph.linking.mentioned import read_mentioned
from graph.linking.moved import load_moved, redirects_to_known
from graph.linking.organisation_file import organisation_keys
from graph.linking.person_file import person_keys
from graph.mapping.mapper import Mapper, ReportGraph
from graph.checks.ontology import load_ontology
from graph.mapping.places import PlaceMapper
from graph.records.gazetteer import Gazetteer, load_gazetteer
from graph.build.erasure import suppressed_persons
from graph.checks.imports import load_imports
from graph.checks.consistency import check_consistency, union
from graph.build.sources import Sources
from graph.build.store_version import BuildResult, Checked, Progress, publish
from graph.settings import Settings, current
from graph.store.versions import VersionedStore
from graph.mapping.topics import TopicIndex
from graph.checks.shacl import load_shapes, to_problems, validate


def _quiet(step: str, done: int, total: int) -> None:
    """A progress callback that reports nothing."""


def check(sources: Sources, base_iri: str, *, owl: bool = True, progress: Progress = _quiet,
          workers: int | None = None, settings: Settings | None = None, owl_in_background: bool = False) -> Checked:
    """Map and check all records without writing anything (the `validate` command).

    Many record files are checked in `workers` processes (default: one per core) and their
    graphs spooled to disk; a few are checked here and kept in memory. With `owl_in_background` the
    HermiT check is only started: its problems join `problems` at `Checked.settle_owl()`.
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
        sample = spool.sample if spool else [r.graph.serialize(format="nt", encoding="utf-8") for r in reports]
        base = union(ontology, links, checked.reference)
        checked.start_owl(lambda: owl_check(base, sample, checked.report_count, settings.owl_max_triples))
        if not owl_in_background:
            checked.settle_owl()
    return checked


HERMIT_NICENESS = 10


def owl_check(base: Graph, reports: list[bytes], total_reports: int, max_triples: int) -> list[Problem]:
    """HermiT on the ontology, places, links and the reports (N-Triples, one chunk each); above
    `max_triples` on the first reports only (HermiT needs minutes per 100,000 triples and cannot take 10 M),
    with a warning. SHACL still checks every report."""
    taken, size = [], 0
    for data in reports:
        triples = data.count(b"\n")
        if taken and size + triples > max_triples:
            break
        taken.append(data)
        size += triples
    # With PROV-O, ORG, FOAF and OWL-Time when ../shared/ontologies has them (graph/checks/imports.py).
    # Niced: in a build HermiT runs beside the store's fill (graph/build/store_version.py), whose steps are the longer
    # chain; at 1 M the two shared the cores evenly and load+infer took twice as long as alone.
    problems = check_consistency(base, load_imports(), taken, niceness=HERMIT_NICENESS)
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
    # HermiT runs in its own JVM while the store is filled (at 1 M its 29 s were a fifth of the build); the
    # version is switched to only after its verdict (publish).
    checked = check(sources, base_iri, owl=owl, progress=progress, settings=settings, owl_in_background=True)
    try:
        if checked.violations:
            raise ValidationFailed(checked.problems)
        return publish(store, checked, base_iri, progress)
    finally:
        checked.close()


def check_folder(folder: Path, base_iri: str) -> list[Problem]:
    """The violations the build's checks (schema, mapping, SHACL; OWL left out) find in the records
    of `folder`: what a steward's accepted draft must pass (graph/records/review.py)."""
    checked = check(Sources(records=folder), base_iri, owl=False, workers=1)
    checked.close()
    return checked.violations
