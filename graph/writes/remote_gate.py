"""Writes to a remote SPARQL store through the same SHACL gate as the embedded one (issue 6).

A remote store gives us no copy-on-write version, so a write runs in three steps. First the
named graphs it reads and writes are copied from the store into memory and the write is
applied to the copy, exactly as on the embedded store. Then the change is validated: the
focus nodes and their neighbourhood are read through RemoteView, which answers from the copy
for the copied graphs and asks the store for all others. Only if the change conforms is it
sent, together with the change of our derived default graph (KG_REMOTE_DEFAULT_GRAPH) and of
the summary graph (issue 13), both computed here: the default graph by DRed over the
neighbourhood of the change (see _derive), the summary for the subjects the change reaches
(graph/writes/remote_summary.py, the embedded gate's graph/writes/summary_delta.py on a part of
the store read into memory). What the store holds is written as computed and validated here,
never re-evaluated there: no INSERT … WHERE runs on the store.

The change goes as one request of DELETE DATA and INSERT DATA statements (graph/writes/
remote_send.py, which also has what was measured on Virtuoso): Virtuoso applies one statement
whole or not at all and runs a request as one transaction, which an abort undoes whole, but an
ordinary error in a later statement would leave the earlier ones applied, so the request is not
all or nothing by itself. If the store fails it, the gate asks the store what it holds of the
change and raises RemoteWriteFailed (502) saying that nothing, or part of it, was written; if all
of it is there, the write stands.

Limits, because the copy must be complete: an update may read and write only named graphs
given by IRI (GRAPH <…>, WITH <…>, USING <…>), and it cannot delete blank-node triples
(DELETE DATA refuses blank nodes; data pushed by us has none, see graph/remote.push).
`kommunalgraph push` derives the default graph and the summary in full. The gate assumes it is
the store's only writer, and that the store holds the summary graph (push sends it).
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from graph.writes.delta import Delta, graph_delta, named_graphs
from graph.errors import ReadOnlyGraph, UnprovableUpdate, UpdateError
from graph.sparql.federation import provable_text
from graph.store.sandbox import text_may_fetch
from graph.writes.derived import rederive
from graph.ns import SUMMARY_GRAPH
from graph.store.remote import RemoteEngine
from graph.writes.remote_send import send
from graph.writes.remote_summary import remote_summary_change
from graph.store.versions import VersionedStore
from graph.sparql.update_targets import DERIVED_DEFAULT, Targets, update_targets
from graph.writes.gate import WriteGate
from graph.writes.write_log import Unchanged, WriteResult, lap, log
from graph.writes.suppressed import refuse_suppressed
from graph.settings import current

TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
# How far the default graph is read around a change: workshop → municipality → district → state.
DEPTH = 3
BATCH = 200
UNION_BATCH = 25
UNPROVABLE_REMOTE = ("with a remote store an update may not contain backslash escapes, '#' outside plain "
                     "http(s) IRIs, LOAD or SERVICE, nor be longer than 50,000 characters: the gate must know "
                     "exactly which graphs it reads and writes before it runs; nothing was written")
NAMED_ONLY = ("with a remote store an update may read only named graphs given by IRI (GRAPH <…>, WITH <…> "
              "or USING <…>): the gate validates it on a copy of those graphs")


class RemoteWriteGate(WriteGate):
    """Carries out writes on a remote store, each validated against the shapes before it is sent."""

    def __init__(self, engine: RemoteEngine, log_dir: Path, shapes_dir: Path | None = None,
                 ontology_dir: Path | None = None):
        # No local store: the VersionedStore only names the folder of the write log.
        super().__init__(VersionedStore(log_dir), shapes_dir, ontology_dir)
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # the gate works without its log; each write then says so in the server log
            log.error("cannot create the write log folder %s: %s", log_dir, exc)
        self.engine = engine
        self.default_graph = engine.settings.default_graph
        if self.default_graph:
            self.protected.add(self.default_graph)

    def update(self, text: str, who: str) -> WriteResult:
        """Run a SPARQL 1.1 Update on a copy of the graphs it reads, then send its validated effect.

        The copy needs to know which graphs the update reads, which only rdflib's parse can tell;
        so, unlike the embedded gate, this path accepts only texts the federation gate's rules
        make unambiguous: no backslash, no '#', no LOAD or SERVICE, at most MAX_PARSED characters.

        :raises UnprovableUpdate: for any other text (403).
        """
        if not provable_text(text) or text_may_fetch(text):
            raise UnprovableUpdate(UNPROVABLE_REMOTE)
        targets = update_targets(text)
        self._check_writable(targets.graphs)
        graphs = None if targets.every_graph else [self._graph_node(g) for g in sorted(targets.graphs)]
        return self._commit("update", who, self._applier(text), graphs, targets, text=text)

    def version(self) -> str | None:
        """A remote store shows us no versions."""
        return None

    def tidy(self) -> None:
        """Nothing to remove: a remote store keeps no versions here."""

    def close(self) -> None:
        """Nothing to remove (see tidy)."""

    def _transaction(self, apply: Callable, graphs: list[ox.NamedNode] | None, targets: Targets | None,
                     result: WriteResult, seconds: dict[str, float]) -> None:
        started = time.perf_counter()
        if graphs is None or (targets is not None and targets.reads_beyond):
            raise UpdateError(NAMED_ONLY)
        if targets is not None and self.default_graph in targets.reads:
            raise UpdateError(f"an update may not read the derived default graph <{self.default_graph}>; " + NAMED_ONLY)
        copied = sorted({g.value for g in graphs} | (targets.reads if targets is not None else set()))
        with self._lock:
            old = self._copy(copied)
            new = ox.Store()
            new.extend(old)
            result.created = any(g not in named_graphs(old) for g in graphs)
            apply(new)
            seconds["apply"] = lap(started)
            # Judged by effect on the copy: every graph of it, whatever the parse said.
            if any(True for _ in new.quads_for_pattern(None, None, None, ox.DefaultGraph())):
                raise ReadOnlyGraph(DERIVED_DEFAULT)
            delta = graph_delta(old, new, named_graphs(old, new))
            self._check_writable(delta.graphs)
            result.effect = delta.effect()
            result.graphs, result.added, result.removed = delta.graphs, len(delta.added), len(delta.removed)
            if not delta.added and not delta.removed:
                raise Unchanged()
            refuse_suppressed(delta.added, self.data_dir, current().base_iri)
            view = RemoteView(new, self.engine, set(copied) | ({self.default_graph} if self.default_graph else set()))
            _drop_held_elsewhere(delta, view)
            mark = time.perf_counter()
            result.warnings = self._validate(delta, view)
            seconds["validate"] = lap(mark)
            mark = time.perf_counter()
            derived_added, derived_removed = self._derive(delta, new, view)
            seconds["derive"] = lap(mark)
            mark = time.perf_counter()
            summary_added, summary_removed = remote_summary_change(self.engine, self.default_graph, derived_added,
                                                                   derived_removed)
            seconds["summary"] = lap(mark)
            mark = time.perf_counter()
            default = ox.NamedNode(self.default_graph) if self.default_graph else ox.DefaultGraph()
            summary = ox.NamedNode(SUMMARY_GRAPH)
            send(self.engine, [*delta.removed, *_in(derived_removed, default), *_in(summary_removed, summary)],
                 [*delta.added, *_in(derived_added, default), *_in(summary_added, summary)])
            seconds["send"] = lap(mark)
            result.changed = True

    def _copy(self, graphs: list[str]) -> ox.Store:
        """The named graphs `graphs` of the remote store, in memory."""
        store = ox.Store()
        for start in range(0, len(graphs), BATCH):
            values = " ".join(f"<{g}>" for g in graphs[start:start + BATCH])
            for row in self.engine.solutions(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} "
                                             f"GRAPH ?g {{ ?s ?p ?o }} }}"):
                store.add(ox.Quad(row["s"], row["p"], row["o"], row["g"]))
        return store

    def _derive(self, delta: Delta, new: ox.Store, view: RemoteView) -> tuple[list[ox.Triple], list[ox.Triple]]:
        """How the derived default graph changes: DRed on a copy of its part around the change.

        The copy holds the default graph's triples reachable from the changed nodes (DEPTH steps
        out), those of the nodes pointing at changed subjects, and the written graphs, so what the
        rules join on is there; an over-deleted triple that another graph still asserts is kept.
        """
        local = ox.Store()
        local.extend(q for q in new if not isinstance(q.graph_name, ox.DefaultGraph))
        triples = delta.union_added + delta.union_removed
        subjects = {t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}
        # Nodes pointing at a changed subject derive through it (a workshop located in a town
        # that changes its district): their own triples are read too, one step only, since a
        # state points at thousands of towns.
        incoming = view.default_triples("?o", subjects)
        local.extend(_in_default(incoming))
        local.extend(_in_default(view.default_triples("?s", {t.subject for t in incoming} - subjects)))
        frontier = subjects | {t.object for t in triples if isinstance(t.object, ox.NamedNode) and t.predicate != TYPE}
        seen = set()
        for _ in range(DEPTH):
            frontier = {n for n in frontier if isinstance(n, ox.NamedNode)} - seen
            seen |= frontier
            found = view.default_triples("?s", frontier)
            local.extend(_in_default(found))
            frontier = {t.object for t in found if t.predicate != TYPE and isinstance(t.object, ox.NamedNode)}
        before = set(local.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        rederive(local, self.rules, delta.union_added, delta.union_removed)
        after = set(local.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        added = [_triple(q) for q in after - before]
        removed = [_triple(q) for q in before - after]
        held = view.held_elsewhere(removed)
        return added, [t for t in removed if t not in held]


class RemoteView:
    """Quads by pattern: the copied graphs from memory, every other named graph from the store."""

    def __init__(self, local: ox.Store, engine: RemoteEngine, copied: set[str]):
        self.local, self.engine = local, engine
        self._not_copied = "FILTER(?g NOT IN (" + ", ".join(f"<{g}>" for g in sorted(copied)) + "))" if copied else ""
        self._default = engine.settings.default_graph
        self._remote = lru_cache(maxsize=None)(self._remote_quads)

    def quads_for_pattern(self, subject, predicate, obj, graph=None):
        """Quads matching the pattern in the copied graphs and the store's other named graphs."""
        yield from self.local.quads_for_pattern(subject, predicate, obj, graph)
        if graph is None and not any(isinstance(t, ox.BlankNode) for t in (subject, obj)):
            yield from self._remote(subject, predicate, obj)

    def _remote_quads(self, subject, predicate, obj) -> tuple[ox.Quad, ...]:
        pattern = [term if term is not None else ox.Variable(name)
                   for name, term in (("s", subject), ("p", predicate), ("o", obj))]
        rows = self.engine.solutions(f"SELECT * WHERE {{ GRAPH ?g {{ {pattern[0]} {pattern[1]} {pattern[2]} }} "
                                     f"{self._not_copied} }}")
        return tuple(ox.Quad(*(r[t.value] if isinstance(t, ox.Variable) else t for t in pattern), r["g"])
                     for r in rows)

    def held_elsewhere(self, triples: list[ox.Triple]) -> set[ox.Triple]:
        """Those of `triples` that a named graph not copied holds."""
        plain = [t for t in triples if not any(isinstance(x, ox.BlankNode) for x in (t.subject, t.object))]
        # First which subjects have triples elsewhere at all (usually few), then each of their
        # triples as one pattern in a UNION: Virtuoso misses language-tagged literals in VALUES of
        # more than one row, compares literals by value (1 = true), and compiles long UNIONs slowly.
        subjects = sorted({t.subject for t in plain}, key=str)
        present = set()
        for start in range(0, len(subjects), BATCH):
            values = " ".join(str(s) for s in subjects[start:start + BATCH])
            present.update(r["s"] for r in self.engine.solutions(
                f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {self._not_copied} }}"))
        candidates = [t for t in plain if t.subject in present]
        held = set()
        for start in range(0, len(candidates), UNION_BATCH):
            batch = candidates[start:start + UNION_BATCH]
            union = " UNION ".join(f"{{ GRAPH ?g {{ {t.subject} {t.predicate} {t.object} }} BIND({i} AS ?i) }}"
                                   for i, t in enumerate(batch))
            rows = self.engine.solutions(f"SELECT DISTINCT ?i WHERE {{ {union} {self._not_copied} }}")
            held.update(batch[int(r["i"].value)] for r in rows)
        return held

    def default_triples(self, position: str, nodes: set) -> list[ox.Triple]:
        """Triples of the store's derived default graph with one of `nodes` as subject ("?s") or object ("?o")."""
        found = []
        ordered = sorted(nodes, key=str)
        for start in range(0, len(ordered), BATCH):
            values = " ".join(str(n) for n in ordered[start:start + BATCH])
            pattern = f"GRAPH <{self._default}> {{ ?s ?p ?o }}" if self._default else "?s ?p ?o"
            rows = self.engine.solutions(f"SELECT ?s ?p ?o WHERE {{ VALUES {position} {{ {values} }} {pattern} }}")
            found.extend(ox.Triple(r["s"], r["p"], r["o"]) for r in rows)
        return found


def _drop_held_elsewhere(delta: Delta, view: RemoteView) -> None:
    """Correct the change of the union: the copy lacks the graphs that were not copied."""
    held = view.held_elsewhere(delta.union_added + delta.union_removed)
    delta.union_added = [t for t in delta.union_added if t not in held]
    delta.union_removed = [t for t in delta.union_removed if t not in held]


def _in(triples: list[ox.Triple], graph) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def _in_default(triples: list[ox.Triple]) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]


def _triple(quad: ox.Quad) -> ox.Triple:
    return ox.Triple(quad.subject, quad.predicate, quad.object)
