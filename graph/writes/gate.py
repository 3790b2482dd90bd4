"""Writes as single transactions: apply in a copy-on-write version, validate what changed, publish or discard.

Every write (a SPARQL Update, or a Graph Store Protocol PUT, POST or DELETE) runs the same
way under the store's writer lock: a new version starts as a hard-linked copy of the current
one; the write is applied to its named graphs; the change is compared graph by graph; the
nodes it touches are validated against shapes/ (incrementally, see graph/writes/delta.py); only if
they conform is the default graph brought up to date (graph/maintenance.py) and the version
published. A rejected or failed write leaves the store exactly as it was. Every outcome is
logged, and appended as one JSON line to `writes.jsonl` in the store directory.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import RDFS, Graph

from graph.settings import current
from graph.writes.write_log import Unchanged, WriteResult, append_entry, lap, log, log_entry
from graph.writes.delta import (as_rdflib, default_change, default_graph_changed, extract, focus_nodes, from_skolem,
                                graph_delta, graphs_present, known_change, named_graphs, shape_paths, skolem_focus)
from graph.writes.summary_delta import update_summary
from graph.build.pages import BoundaryMemo, update_pages
from graph.errors import (GraphNotFound, NetworkRefused, QuerySyntaxError, ReadOnlyGraph, ReportParseError, StoreError,
                          UpdateError, WriteRejected)
from graph.search.index import index_in_write, write_index
from graph.formats import GRAPH_FORMATS
from graph.writes.derived import SCRATCH, rederive
from graph.writes.suppressed import refuse_suppressed
from graph.build.summary import SUMMARY_GRAPH, write_summary
from graph.ns import ONTOLOGY_IRI
from graph.checks.ontology import load_ontology
from graph.checks.reasoning import rules_from
from graph.store.sandbox import text_may_fetch
from graph.store.versions import VersionedStore
from graph.sparql.update_targets import DERIVED_DEFAULT
from graph.checks.shacl import load_shapes, validate
from graph.checks.shacl_fast import FastVerdict

LOAD_REFUSED = ("LOAD and SERVICE are refused by policy: writes never fetch anything (the write worker has "
                "no network access); send the data with PUT or POST to /store?graph=...; nothing was written")
STRICT_UPDATE = ("LOAD and SERVICE are refused by policy: this server could not make a network sandbox for "
                 "its write worker (strict mode), so an update whose text contains 'load' or 'service' is "
                 "refused; nothing was written")
# Named graphs built by `kommunalgraph build` from files, which writes may not change: the links
# graph (graph/build.py) besides the ontology graph.
PROTECTED_SUFFIXES = ("/graph/links",)


class WriteGate:
    """Carries out writes on one store, each validated against the shapes before it commits."""

    def __init__(self, store: VersionedStore, shapes_dir: Path | None = None,
                 ontology_dir: Path | None = None, data_dir: Path | None = None):
        self.store = store
        # Where writes.jsonl goes.
        self.log_dir = store.root
        self.data_dir = data_dir or current().data_dir   # for suppressed.yaml
        self.shapes = load_shapes(shapes_dir or current().shapes_dir)
        self.ontology = load_ontology(ontology_dir or current().ontology_dir)
        self.rules = rules_from(self.ontology)
        # What validating an extract needs from the ontology: the class hierarchy (for sh:class and
        # sh:targetClass). The rest of the ontology graph is in the store and extracted as needed.
        self.class_axioms = Graph()
        for triple in self.ontology.triples((None, RDFS.subClassOf, None)):
            self.class_axioms.add(triple)
        self.paths = shape_paths(self.shapes)
        # shifty decides first, in a few ms; pyshacl (130-215 ms at 10 M) only explains a change with results
        # about its nodes (graph/checks/shacl_fast.py; the two judge alike, tests/test_shacl_engines.py).
        self.fast = FastVerdict(self.shapes, self.class_axioms)
        # The summary is derived (issue 13): only the gate writes it, after each write.
        self.protected = {str(ONTOLOGY_IRI), SUMMARY_GRAPH}
        # How this process is kept off the network (graph/store/sandbox.py); the write worker sets it.
        self.sandbox: str | None = None
        # pyshacl must not share one shapes graph between threads (pySHACL#314).
        self._lock = threading.Lock()
        # Page boundaries read in one write serve the next (writes never renumber; graph/build/pages.py).
        self._page_boundaries = BoundaryMemo()
        # The write worker removes old versions after it has answered (`tidy`): deleting a version's hundred
        # files took 20-60 ms of each write at 10 M.
        self.defer_pruning = False
        # The version this gate last published with its search index left to the first search (a large graph):
        # the next write need not count the graph again (see _index_current).
        self._left_large: str | None = None

    # -- the operations ------------------------------------------------------------------------

    def update(self, text: str, who: str) -> WriteResult:
        """Run a SPARQL 1.1 Update and judge it by its effect (issue 10).

        Nothing here reads the text with a second parser: Oxigraph applies it to a new version,
        the quads added and removed are compared graph by graph (the default graph included),
        and the write is refused if it changed a read-only graph or fails the shapes. The worker
        has no network (graph/store/sandbox.py), so a LOAD or SERVICE fails; it is refused with 403.

        :raises QuerySyntaxError, ReadOnlyGraph, UpdateError, WriteRejected, StoreError, NetworkRefused:
        """
        if self.sandbox is None and text_may_fetch(text):
            raise NetworkRefused(STRICT_UPDATE)
        return self._commit("update", who, self._applier(text), None, text=text)

    @staticmethod
    def _applier(text: str) -> Callable:
        """The function that applies update `text` to a store, with its errors as the user's errors."""

        def apply(version):
            try:
                version.update(text)
            except SyntaxError as exc:
                raise QuerySyntaxError.from_engine(str(exc)) from None
            except OSError as exc:
                # The only I/O an update does is LOAD or SERVICE, and the sandbox stops both.
                if text_may_fetch(text):
                    raise NetworkRefused(f"{LOAD_REFUSED} ({exc})") from None
                raise UpdateError(f"the update could not be carried out: {exc}") from None
            except (RuntimeError, ValueError) as exc:
                raise UpdateError(f"the update could not be carried out: {exc}") from None

        return apply

    def put(self, graph: str, path: str, media_type: str, who: str) -> WriteResult:
        """Replace a named graph with the RDF in the file `path` (Graph Store Protocol PUT)."""
        return self._load("put", graph, path, media_type, who, replace=True)

    def post(self, graph: str, path: str, media_type: str, who: str) -> WriteResult:
        """Add the RDF in the file `path` to a named graph (Graph Store Protocol POST)."""
        return self._load("post", graph, path, media_type, who, replace=False)

    def delete(self, graph: str, who: str) -> WriteResult:
        """Remove a named graph (Graph Store Protocol DELETE).

        :raises GraphNotFound: if the store has no such graph.
        """
        node = self._graph_node(graph)

        def apply(version):
            if not version.contains_named_graph(node):
                raise GraphNotFound(f"the store has no graph <{graph}>")
            version.remove_graph(node)

        return self._commit("delete", who, apply, [node])

    def _load(self, operation: str, graph: str, path: str, media_type: str, who: str, replace: bool) -> WriteResult:
        node = self._graph_node(graph)
        rdf_format = GRAPH_FORMATS[media_type]

        def apply(version):
            if replace and version.contains_named_graph(node):
                version.remove_graph(node)
            version.add_graph(node)
            try:
                version.load(path=path, format=rdf_format, to_graph=node, base_iri=graph)
            except SyntaxError as exc:
                raise ReportParseError(f"the uploaded {media_type} does not parse: {exc}") from None

        return self._commit(operation, who, apply, [node])

    def _graph_node(self, graph: str) -> ox.NamedNode:
        try:
            node = ox.NamedNode(graph)
        except ValueError as exc:
            raise QuerySyntaxError(f"not a valid graph IRI: <{graph}> ({exc})") from None
        self._check_writable([graph])
        return node

    def _check_writable(self, graphs) -> None:
        for graph in graphs:
            if graph in self.protected or graph.startswith(SCRATCH) or graph.endswith(PROTECTED_SUFFIXES):
                raise ReadOnlyGraph(f"the graph <{graph}> is read-only: `kommunalgraph build` rebuilds it from files "
                                    f"(ontology/, data/links/) or derives it (the summary)")

    # -- the transaction -----------------------------------------------------------------------

    def _commit(self, operation: str, who: str, apply: Callable, graphs: list[ox.NamedNode] | None,
                targets=None, text: str | None = None) -> WriteResult:
        started = time.perf_counter()
        seconds: dict[str, float] = {}
        result = WriteResult(operation, who, [], 0, 0, None, False)
        previous = self.store.current()
        try:
            self._transaction(apply, graphs, targets, result, seconds)
        except Unchanged:
            pass
        except WriteRejected as exc:
            self._record(result, "rejected", started, len(exc.results), text=text)
            raise
        except Exception as exc:
            self._record(result, "failed", started, error=str(exc), text=text)
            raise
        if result.changed:
            mark = time.perf_counter()
            self._index_current(previous)
            seconds["search"] = lap(mark)
        result.version = self.version()
        result.seconds = {**seconds, "total": lap(started)}
        self._record(result, "committed" if result.changed else "unchanged", started, text=text)
        return result

    def _index_current(self, previous: str | None) -> None:
        """The search index of the version just published (issue 14). The write stands if this fails,
        and on a large graph (see index_in_write) the index is left to the server's first search."""
        # One write does not make a graph of more than SYNC_DOCUMENTS small: after this gate left one version's
        # index to the first search, it leaves the next one's too instead of counting again (30-150 ms).
        if (previous is not None and previous == self._left_large) or not index_in_write(self.store, previous):
            log.info("search index of the new version left to the first search (large graph)")
            self._left_large = self.store.current()
            return
        try:
            write_index(self.store)
        except StoreError as exc:
            log.warning("no search index for the new version yet: %s", exc)

    def version(self) -> str | None:
        """The store version after a write."""
        return self.store.current()

    def tidy(self) -> None:
        """After a write has answered: remove the old versions it left (with `defer_pruning`) and start
        the next write's version (graph/store/prepared.py)."""
        if self.defer_pruning:
            self.store.prune()
        self.store.prepare()

    def close(self) -> None:
        """Before the process ends: remove the version `tidy` started."""
        self.store.discard_prepared()

    def _transaction(self, apply: Callable, graphs: list[ox.NamedNode] | None, targets,
                     result: WriteResult, seconds: dict[str, float]) -> None:
        """Apply, compare, validate and derive in a new version, published only if all of it succeeds."""
        started = time.perf_counter()
        with self._lock:
            with self.store.writer(from_current=True, cause={"kind": "write", "operation": result.operation,
                                                             "who": result.who},
                                   prune=not self.defer_pruning, keep_log=True) as version:
                known = self._page_boundaries.of(version.previous_name)
                old = version.previous if version.previous is not None else ox.Store()
                # The summary is derived again below (issue 13); out of the version while the write runs,
                # an update over GRAPH ?g neither reads nor changes it, and answers as it did without it.
                summary = ox.NamedNode(SUMMARY_GRAPH)
                had_summary = version.contains_named_graph(summary)
                if had_summary and graphs is None:
                    version.remove_graph(summary)
                before = graphs_present(old, graphs) - {summary}
                result.created = bool(graphs) and any(g not in before for g in graphs)
                apply(version)
                seconds["apply"] = lap(started)
                # Judge the effect, not the text: with graphs=None every graph is compared.
                if graphs is None and default_graph_changed(old, version):
                    raise ReadOnlyGraph(DERIVED_DEFAULT)
                compared = graphs if graphs is not None else named_graphs(old, version) - {summary}
                delta = graph_delta(old, version, compared)
                # With graphs named (PUT, POST, DELETE) the summary stayed in the version, untouched; an update
                # ran without it, so a summary graph there now is one the update wrote.
                after = graphs_present(version, graphs) - ({summary} if graphs is not None else set())
                result.created = result.created or (graphs is None and bool(after - before))
                self._check_writable(sorted(set(delta.graphs) | {g.value for g in after ^ before}))
                result.graphs, result.added, result.removed = delta.graphs, len(delta.added), len(delta.removed)
                result.effect = delta.effect()
                if not delta.added and not delta.removed and after == before:
                    raise Unchanged()
                refuse_suppressed(delta.added, self.data_dir, current().base_iri)
                mark = time.perf_counter()
                result.warnings = self._validate(delta, version)
                seconds["validate"] = lap(mark)
                mark = time.perf_counter()
                touched = rederive(version, self.rules, delta.union_added, delta.union_removed)
                default = default_change(old, version, touched)
                seconds["derive"] = lap(mark)
                mark = time.perf_counter()
                summary_change = self._summary(version, old, had_summary, graphs, default, known)
                version.known_change = known_change(delta, default, summary_change)
                seconds["summary"] = lap(mark)
                result.changed = True
            self._page_boundaries.carry_to(version.name, renumbered=not had_summary)

    def _summary(self, version, old, had_summary: bool, graphs, default: tuple[list, list], known: dict):
        """Re-derive the summary for what the write reached (issue 13; graph/writes/summary_delta.py) and
        return its (added, removed) triples; a store built before the summary gets it in full (None)."""
        if not had_summary:
            write_summary(version)
            return None
        if graphs is None:   # the update ran without the summary (see above): it comes back as it was
            version.extend(old.quads_for_pattern(None, None, None, ox.NamedNode(SUMMARY_GRAPH)))
        added, removed = update_summary(version, *default)
        # The workshops, speakers and municipalities whose summary changed go to the page their key falls
        # into (graph/build/pages.py); a speaker is the object of a talk's kgs:speaker.
        paged, unpaged = update_pages(version, {term.value for t in [*added, *removed] for term in (t.subject, t.object)
                                                if isinstance(term, ox.NamedNode)}, known=known)
        return added + sorted(paged, key=str), removed + sorted(unpaged, key=str)

    def _validate(self, delta, version) -> list[dict]:
        """Validate the nodes the change touches; raise WriteRejected on violations, return warnings."""
        nodes = focus_nodes(delta, version, self.paths)
        if not nodes:
            return []
        data = extract(version, nodes, self.paths)
        focus = skolem_focus(nodes)
        if not self.fast.failing(data) & {str(node) for node in focus}:
            return []
        report = validate(as_rdflib(data), self.shapes, self.class_axioms, focus_nodes=focus)
        results = [_result_dict(r) for r in report.results]
        if report.violations:
            raise WriteRejected([r for r in results if r["severity"] == "violation"],
                                report.graph.serialize(format="turtle"))
        return results

    def _record(self, result: WriteResult, outcome: str, started: float, violations: int = 0,
                error: str | None = None, text: str | None = None) -> None:
        append_entry(self.log_dir, log_entry(result, outcome, started, violations, error, text),
                     result.version or self.version())


def _result_dict(result) -> dict:
    return {"focus": from_skolem(result.focus), "path": result.path,
            "value": None if result.value is None else from_skolem(result.value), "severity": result.severity,
            "message": {"de": result.german, "en": result.english}}
