"""The second half of the build: checked graphs and their inferences become a new store version, which
is published atomically with its dumps, quality record and search index (graph/build/pipeline.py checks)."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.build.bulk import Spool, bulk_load
from graph.build.erasure import erase_past
from graph.build.merged_check import merged_problems
from graph.build.record_check import count_events
from graph.build.roles import add_roles
from graph.build.summary import write_summary
from graph.checks.consistency import union
from graph.checks.reasoning import closure, materialise, materialise_joins, rules_from, to_ntriples
from graph.errors import Problem, ValidationFailed
from graph.iri import Minter
from graph.mapping.erasure import Erasure
from graph.mapping.mapper import ReportGraph
from graph.ns import ONTOLOGY_IRI
from graph.publish import quality
from graph.publish import dumps as dump_files
from graph.search.index import IndexBeside
from graph.store.version_handles import SinkGroup
from graph.store.versions import VersionedStore

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
    _owl: Future | None = field(default=None, repr=False)   # the OWL check, while it runs beside the store

    def start_owl(self, owl_check: Callable[[], list[Problem]]) -> None:
        """Start the OWL check in a thread of its own (HermiT runs in a JVM, so it takes the other core)."""
        def timed() -> tuple[list[Problem], float]:
            started = time.perf_counter()
            return owl_check(), time.perf_counter() - started

        runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-owl-check")
        self._owl = runner.submit(timed)
        runner.shutdown(wait=False)

    def settle_owl(self) -> None:
        """Wait for the OWL check started by `start_owl` (if any) and add its problems and seconds.

        :raises ReasonerUnavailable: if HermiT could not run.
        """
        pending, self._owl = self._owl, None
        if pending is not None:
            problems, seconds = pending.result()
            self.problems.extend(problems)
            self.seconds["owl"] = seconds

    def close(self) -> None:
        """Remove the spool file of a large build; wait for an OWL check still running (a failed build
        leaves no JVM behind), whatever it found."""
        try:
            if self._owl is not None:
                wait([self._owl])
        finally:
            self._owl = None
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


def publish(store: VersionedStore, checked: Checked, base_iri: str, progress: Progress) -> BuildResult:
    """Write the checked graphs and their inferences as a new store version and switch to it."""
    started = time.perf_counter()
    dumps: Path | None = None
    index: IndexBeside | None = None
    try:
        with store.writer(cause={"kind": "build", "reports": checked.report_count}) as version:
            default_triples, inferred, quads = _fill(version, checked, base_iri, progress, started)
            # HermiT's verdict is awaited after the release is staged, so the release, the dumps and the search index
            # are written while it still runs (at 1 M they waited 40-70 s for it); raising discards the version.
            version.before_switch = lambda: _owl_verdict(checked)
            # The downloads (issue 4) are written from the lines the release reads, before the switch: a
            # version is published with its dumps or not at all, and the store is read once for both. The
            # search index (issue 14) is written from the version meanwhile, in a thread of its own.
            name, dumps = version.name, dump_files.staging_folder(store, version.name)
            dumps_sink = dump_files.DumpsFromRelease(dumps)
            index = IndexBeside(store, name, version)
            version.lines_sink = SinkGroup(dumps_sink, index)
    except BaseException:
        if index is not None:
            index.abandon()
        if dumps is not None:
            dump_files.discard(dumps)
        raise
    checked.seconds["store"] = time.perf_counter() - started
    dump_files.place(store, name, dumps)
    index.place()
    checked.seconds["search"] = index.seconds   # beside the release, inside "store"
    started = time.perf_counter()
    # Quality as data (issue 15): the release keeps its measurements and the warnings of its build.
    quality.record(store.root, store.current(), store.open_read())
    quality.record_problems(store.root, store.current(), [p for p in checked.problems if p.severity != "violation"])
    checked.seconds["quality"] = time.perf_counter() - started
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


def _owl_verdict(checked: Checked) -> None:
    """Wait for the OWL check running beside the store; raise if it or an earlier check found a violation."""
    checked.settle_owl()
    if checked.violations:
        raise ValidationFailed(checked.problems)


def _fill(version, checked: Checked, base_iri: str, progress: Progress, started: float) -> tuple[int, int, int]:
    """Load, infer, check and summarise into the version being written; (default triples, inferred, quads)."""
    minter = Minter(base_iri)
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
    return default_triples, inferred, quads


def _load(version, graph: Graph, graph_name: URIRef) -> None:
    """Put `graph` into its named graph and into the default graph, which is the merge of all."""
    data = graph.serialize(format="nt", encoding="utf-8")
    version.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph_name)))
    # Copied, not parsed twice, so blank nodes are the same nodes in both graphs (issue 6: the
    # default graph must be exactly the union that incremental writes maintain).
    version.update(f"ADD <{graph_name}> TO DEFAULT")


def _count(version) -> int:
    return int(next(iter(version.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))["n"].value)
