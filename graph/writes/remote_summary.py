"""The summary graph of a remote store, kept right by each write without deriving all of it (issue 13).

The embedded gate re-derives the summary for the subjects a write reaches, in its new version
(graph/writes/summary_delta.py). A remote store holds the old data until the write is sent, and
the write's summary change must go in the same request as its data (graph/writes/remote_send.py),
so the same derivation runs here, in a small store in memory that `RemoteReach` fills batch by
batch with what the rules read for the subjects of that batch:

- the default graph's triples of each subject, of the areas, positions and topics it points at
  and of the topics above those (skos:broader), and the kg:hasTalk and kg:holds
  triples pointing at it; read from the store and changed as the write changes them;
- the summary triples of each subject, of its event or talks, from the store as they are;
- stand-ins for the summary triples that point at a subject from nodes not loaded: the rules
  only ask whether one exists (kgs:speaker, kgs:position and the labelled references) or count
  the workshops of a topic (kgs:topic). The store counts them; the stand-ins are `urn:` nodes
  that never leave memory and are never a subject the derivation returns.

What it costs is a few small SELECTs (VALUES of at most BATCH IRIs) per step of the derivation,
whatever the size of the store; no INSERT … WHERE runs on the store.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

import pyoxigraph as ox

from graph.build.summary import KGS
from graph.ns import SUMMARY_GRAPH
from graph.writes.summary_delta import KG, RDF_TYPE, Reach, update_summary

BROADER = "http://www.w3.org/2004/02/skos/core#broader"
# Default-graph triples pointing at a subject that a rule reads (a talk's event, a position's holder).
INCOMING = (KG + "hasTalk", KG + "holds")
# What a rule reads of the node a subject points at: whether an area is a federal state, a held
# position's organisation, a topic's broader topics.
POINTED = (KG + "withinArea", KG + "holds", KG + "topic")
# Summary predicates that rules read from the object's side, only to ask whether one exists.
EXISTS = tuple(KGS + n for n in ("speaker", "position", "location", "state", "inState", "organisation"))
TOPIC, WORKSHOP, EVENT = KGS + "topic", KGS + "Workshop", KGS + "event"
STAND_IN = "urn:x-kommunalgraph:summary-stand-in:"
BATCH = 200


def remote_summary_change(engine, default_graph: str | None, added: list[ox.Triple], removed: list[ox.Triple],
                          graph: str = SUMMARY_GRAPH) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """The summary triples to add and remove on the remote store after its default graph gains `added`
    and loses `removed` (computed here, nothing is written)."""
    reach = RemoteReach(engine, default_graph, added, removed, graph)
    return update_summary(reach.store, added, removed, graph, reach)


class RemoteReach(Reach):
    """A store in memory holding the part of the remote store (as the write changes it) that the
    summary rules read for the subjects loaded so far."""

    def __init__(self, engine, default_graph: str | None, added: list[ox.Triple], removed: list[ox.Triple],
                 graph: str = SUMMARY_GRAPH):
        super().__init__(ox.Store())
        self.engine, self.graph = engine, graph
        self._in_default = (lambda p: f"GRAPH <{default_graph}> {{ {p} }}") if default_graph else (lambda p: p)
        self._removed = set(removed)
        self.store.extend(_in(t, ox.DefaultGraph()) for t in added)
        self._out_read: set[str] = set()       # nodes whose default-graph triples are here
        self._in_read: set[str] = set()        # nodes whose INCOMING triples are here
        self.loaded: set[str] = set()          # nodes whose summary triples are here, as the store has them
        self._pointing: Counter = Counter()    # (object, predicate): loaded nodes with such an old summary triple
        self._totals: dict[tuple[str, str], int] = {}   # (object, predicate): such triples in the store

    def load(self, subjects: list[str]) -> None:
        """Read what the rules need for `subjects` into the store in memory."""
        subjects = list(subjects)
        self._read_out(subjects)
        self._read_in(subjects)
        pointed = {q.object.value for s in subjects for q in self._default_of(s)
                   if isinstance(q.object, ox.NamedNode) and q.predicate.value in POINTED}
        self._read_out(pointed)
        topics = pointed
        while topics:   # up the topic tree, as the write leaves it
            topics = {q.object.value for t in topics for q in self.store.quads_for_pattern(
                ox.NamedNode(t), ox.NamedNode(BROADER), None, ox.DefaultGraph())} - self._out_read
            self._read_out(topics)
        nodes = [ox.NamedNode(s) for s in subjects]
        events = {q.subject.value for n in nodes for q in self.store.quads_for_pattern(
            None, ox.NamedNode(KG + "hasTalk"), n, ox.DefaultGraph())}
        holders = {q.subject.value for n in nodes for q in self.store.quads_for_pattern(
            None, ox.NamedNode(KG + "holds"), n, ox.DefaultGraph())}
        talks = self._talks_of(subjects)
        # `|`, not `or`: both must run. Either changes what the stand-ins stand for, and they are few
        # enough to be made again in full.
        if self._read_summary(set(subjects) | events | talks) | self._count(set(subjects) | holders):
            self._stand_ins()

    def select(self, pattern: str) -> set[str]:
        """?x of a default-graph pattern, in the store as it is and in memory as the write changes it.

        Each pattern starts at a node of the change, so the store before the write and what the
        write adds find every subject; one found too many only costs its derivation."""
        rows = self.engine.solutions(f"SELECT DISTINCT ?x WHERE {{ {self._in_default(pattern)} }}")
        return super().select(pattern) | {r["x"].value for r in rows if isinstance(r["x"], ox.NamedNode)}

    def _default_of(self, subject: str) -> Iterable[ox.Quad]:
        return self.store.quads_for_pattern(ox.NamedNode(subject), None, None, ox.DefaultGraph())

    def _read_out(self, nodes: Iterable[str]) -> None:
        todo = sorted(set(nodes) - self._out_read)
        self._out_read.update(todo)
        for start in range(0, len(todo), BATCH):
            values = " ".join(f"<{n}>" for n in todo[start:start + BATCH])
            rows = self.engine.solutions(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} "
                                         f"{self._in_default('?s ?p ?o')} }}")
            self._add_default(rows)

    def _read_in(self, nodes: list[str]) -> None:
        todo = sorted(set(nodes) - self._in_read)
        self._in_read.update(todo)
        predicates = ", ".join(f"<{p}>" for p in INCOMING)
        for start in range(0, len(todo), BATCH):
            values = " ".join(f"<{n}>" for n in todo[start:start + BATCH])
            rows = self.engine.solutions(f"SELECT ?s ?p ?o WHERE {{ VALUES ?o {{ {values} }} "
                                         f"{self._in_default('?s ?p ?o')} FILTER (?p IN ({predicates})) }}")
            self._add_default(rows)

    def _add_default(self, rows) -> None:
        triples = (ox.Triple(r["s"], r["p"], r["o"]) for r in rows)
        self.store.extend(_in(t, ox.DefaultGraph()) for t in triples if t not in self._removed)

    def _read_summary(self, nodes: set[str]) -> bool:
        """Read the summary triples of `nodes` as the store has them, and count what they point at (for the
        stand-ins); whether there were new nodes."""
        todo = sorted(nodes - self.loaded)
        self.loaded.update(todo)
        summary = ox.NamedNode(self.graph)
        for start in range(0, len(todo), BATCH):
            values = " ".join(f"<{n}>" for n in todo[start:start + BATCH])
            rows = self.engine.solutions(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} "
                                         f"GRAPH <{self.graph}> {{ ?s ?p ?o }} }}")
            triples = [ox.Triple(r["s"], r["p"], r["o"]) for r in rows]
            self.store.extend(_in(t, summary) for t in triples)
            workshops = {t.subject for t in triples if t.predicate.value == RDF_TYPE and t.object.value == WORKSHOP}
            for t in triples:
                if t.predicate.value in EXISTS or (t.predicate.value == TOPIC and t.subject in workshops):
                    self._pointing[(t.object.value, t.predicate.value)] += 1
        return bool(todo)

    def _count(self, nodes: set[str]) -> bool:
        """Count in the store the summary triples pointing at `nodes`; whether there were new nodes."""
        todo = sorted({n for n in nodes if (n, TOPIC) not in self._totals})
        for n in todo:
            self._totals.update({(n, p): 0 for p in (*EXISTS, TOPIC)})
        predicates = ", ".join(f"<{p}>" for p in EXISTS)
        for start in range(0, len(todo), BATCH):
            values = " ".join(f"<{n}>" for n in todo[start:start + BATCH])
            for row in self.engine.solutions(
                    f"SELECT ?n ?p (COUNT(DISTINCT ?x) AS ?c) WHERE {{ VALUES ?n {{ {values} }} GRAPH <{self.graph}> "
                    f"{{ ?x ?p ?n }} FILTER (?p IN ({predicates})) }} GROUP BY ?n ?p"):
                self._totals[(row["n"].value, row["p"].value)] = int(row["c"].value)
            for row in self.engine.solutions(
                    f"SELECT ?n (COUNT(DISTINCT ?x) AS ?c) WHERE {{ VALUES ?n {{ {values} }} GRAPH <{self.graph}> "
                    f"{{ ?x <{TOPIC}> ?n ; a <{WORKSHOP}> }} }} GROUP BY ?n"):
                self._totals[(row["n"].value, TOPIC)] = int(row["c"].value)
        return bool(todo)

    def _stand_ins(self) -> None:
        """Replace the stand-ins: one per (object, predicate) the store has from nodes not loaded, and one
        workshop per workshop of a topic not loaded (the rule counts them)."""
        summary = ox.NamedNode(self.graph)
        self.store.update(f"DELETE {{ GRAPH <{self.graph}> {{ ?x ?p ?o }} }} WHERE {{ GRAPH <{self.graph}> "
                          f"{{ ?x ?p ?o }} FILTER (STRSTARTS(STR(?x), \"{STAND_IN}\")) }}")
        quads = []
        for (node, predicate), total in self._totals.items():
            elsewhere = total - self._pointing[(node, predicate)]
            for i in range(elsewhere if predicate == TOPIC else min(elsewhere, 1)):
                stand_in = ox.NamedNode(f"{STAND_IN}{i}")
                quads.append(ox.Quad(stand_in, ox.NamedNode(predicate), ox.NamedNode(node), summary))
                if predicate == TOPIC:
                    quads.append(ox.Quad(stand_in, ox.NamedNode(RDF_TYPE), ox.NamedNode(WORKSHOP), summary))
        self.store.extend(quads)

    def _talks_of(self, nodes: list[str]) -> set[str]:
        """The talks whose event is one of `nodes` in the store's summary (summary_delta's _talks_of asks this)."""
        found: set[str] = set()
        for start in range(0, len(nodes), BATCH):
            values = " ".join(f"<{n}>" for n in nodes[start:start + BATCH])
            rows = self.engine.solutions(f"SELECT DISTINCT ?s WHERE {{ VALUES ?e {{ {values} }} "
                                         f"GRAPH <{self.graph}> {{ ?s <{EVENT}> ?e }} }}")
            found |= {r["s"].value for r in rows if isinstance(r["s"], ox.NamedNode)}
        return found


def _in(triple: ox.Triple, graph) -> ox.Quad:
    return ox.Quad(triple.subject, triple.predicate, triple.object, graph)
