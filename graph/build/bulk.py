"""The build at national scale (issue 6): records checked in parallel, N-Quads bulk-loaded.

Each worker process reads, maps and validates whole record files with its own ontology,
shapes and gazetteer (pySHACL#314: a shapes graph is never shared), and sends back the
problems and the report's triples as N-Triples. The parent spools them into one N-Quads
file (each triple in its report's named graph and in the default graph), which pyoxigraph
bulk-loads into the new store version without a Python object per triple.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from graph.build.record_check import RecordChecker, count_events, duplicate_key
from graph.checks.ontology import load_ontology
from graph.checks.reasoning import closure_of_ntriples, rules_from
from graph.checks.shacl import load_shapes
from graph.checks.shacl_fast import FastVerdict
from graph.errors import Problem
from graph.iri import Minter
from graph.mapping.erasure import Erasure
from graph.mapping.mapper import Mapper
from graph.mapping.topics import TopicIndex
from graph.records.gazetteer import load_gazetteer
from graph.store.workers import exit_with_parent

# Below this many record files the build runs in one process (no start-up cost).
PARALLEL_FROM = 64
# Record files per task sent to a worker: large enough to amortise the round trip.
CHUNK = 8


@dataclass
class SpooledReport:
    """A checked report whose triples wait in the spool file."""

    key: str
    iri: str
    file: str
    events: int
    triples: int


@dataclass
class Spool:
    """The N-Quads file of all report graphs and what it holds."""

    path: Path
    reports: list[SpooledReport] = field(default_factory=list)
    link_subjects: set[str] = field(default_factory=set)
    sample: list[bytes] = field(default_factory=list)   # the first reports as N-Triples, for HermiT

    def close(self) -> None:
        """Remove the spool file."""
        self.path.unlink(missing_ok=True)


def worker_count(configured: int = 0) -> int:
    """Worker processes for checking: `configured` (KG_BUILD_WORKERS), or one per core if 0."""
    return max(1, configured or os.cpu_count() or 1)


# -- in the worker ------------------------------------------------------------------------------

_state: dict = {}


def _init_worker(build_pid: int, sources, base_iri: str, link_subjects: frozenset[str], shacl_engine: str,
                 erasure: Erasure | None, speakers: dict[str, str], organisations: dict[str, str]) -> None:
    """Load this worker's own ontology, shapes, gazetteer and mapper once."""
    exit_with_parent(build_pid)   # a build killed with -9 must not leave its workers behind
    ontology = load_ontology(sources.ontology)
    shapes = load_shapes(sources.shapes)
    fast = FastVerdict(shapes, ontology) if shacl_engine == "shifty" else None
    mapper = Mapper(Minter(base_iri), load_gazetteer(sources.reference), TopicIndex.from_graph(ontology), speakers,
                    organisations)
    _state.update(checker=RecordChecker(mapper, shapes, ontology, fast, erasure), rules=rules_from(ontology),
                  links=link_subjects)


def _check_files(paths: list[Path]) -> list[tuple]:
    """Check record files: (key, iri, file, problems, (asserted, inferred) N-Triples or None, events,
    link subjects) each."""
    results = []
    for path in paths:
        checked = _state["checker"].check(path)
        if checked.report is None:
            results.append((None, None, checked.file, checked.problems, None, 0, set()))
            continue
        report = checked.report
        data = None
        if not checked.blocked:
            data = (checked.ntriples(), closure_of_ntriples(checked.ntriples(), _state["rules"]))
        subjects = {str(s) for s in set(report.graph.subjects())} & _state["links"]
        results.append((checked.key, str(report.iri), checked.file, checked.problems, data,
                        count_events(report.graph), subjects))
    return results


# -- in the parent ------------------------------------------------------------------------------

def check_parallel(files: list[Path], sources, base_iri: str, link_subjects: set[str], workers: int,
                   progress: Callable[[str, int, int], None], sample_triples: int,
                   shacl_engine: str = "shifty", erasure: Erasure | None = None,
                   speakers: dict[str, str] | None = None,
                   organisations: dict[str, str] | None = None) -> tuple[Spool, list[Problem]]:
    """Check `files` in worker processes; spool the report graphs of the ones that pass.

    `shacl_engine` (KG_BUILD_SHACL): "shifty" decides and pyshacl explains failures; "pyshacl"
    alone is the reference, several times slower. `erasure`: suppressed persons, erased from every report graph.
    `speakers` and `organisations`: the person and organisation keys across reports (graph/linking/).
    """
    handle, name = tempfile.mkstemp(prefix="kommunalgraph-", suffix=".nq")
    spool = Spool(Path(name))
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    sampled = 0
    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    context = multiprocessing.get_context("spawn")
    done = 0
    try:
        with os.fdopen(handle, "wb") as out, ProcessPoolExecutor(
                workers, mp_context=context, initializer=_init_worker,
                initargs=(os.getpid(), sources, base_iri, frozenset(link_subjects), shacl_engine, erasure, speakers or {},
                          organisations or {})) as pool:
            for results in pool.map(_check_files, chunks):
                for key, iri, file, found, data, events, subjects in results:
                    done += 1
                    progress("check", done, len(files))
                    duplicate = key and duplicate_key(key, file, seen)
                    if duplicate:
                        problems.append(duplicate)
                        continue
                    problems.extend(found)
                    if key is None or data is None:
                        continue
                    asserted, inferred = data
                    triples = _spool(out, asserted, iri)
                    out.write(inferred)
                    spool.reports.append(SpooledReport(key, iri, file, events, triples))
                    spool.link_subjects |= subjects
                    if sampled < sample_triples:
                        spool.sample.append(asserted)
                        sampled += triples
    except BaseException:
        spool.close()
        raise
    return spool, problems


def _spool(out, data: bytes, graph_iri: str) -> int:
    """Append `data` (N-Triples) as quads in its named graph and in the default graph; the
    inferred triples of a report go to the default graph only."""
    lines = [line for line in data.split(b"\n") if line.strip()]
    suffix = f" <{graph_iri}> .\n".encode()
    for line in lines:
        body = line.rstrip()[:-1].rstrip()  # drop the final " ."
        out.write(body + suffix)
        out.write(body + b" .\n")
    return len(lines)


def bulk_load(store, spool: Spool) -> None:
    """Load the spool into a new, not yet published store version (bulk_load is not transactional,
    which is safe here: an unfinished version is never published)."""
    store.bulk_load(path=str(spool.path), format=ox.RdfFormat.N_QUADS)
