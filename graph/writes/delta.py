"""What a write changed, and the small part of the store that validating it needs.

A write changes quads in named graphs. What counts for the shapes and for the derived
default graph is the change of their union: a triple added to one graph that another
graph already holds changes nothing there. Validation then looks only at the nodes the
change touches, in a subgraph holding their triples, the incoming triples that shapes
read through inverse paths, and the types of their neighbours (for sh:class).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from graph.ns import SUMMARY_GRAPH
from graph.writes.asserted import asserted_among
from graph.store.diff import DEFAULT_GRAPH, KnownChange, from_triples

TYPE = ox.NamedNode(str(RDF.type))
SKOLEM = "urn:kommunalgraph:bnode:"


@dataclass
class Delta:
    """Quads added to and removed from named graphs, and the triples their union gained and lost."""

    added: list[ox.Quad] = field(default_factory=list)
    removed: list[ox.Quad] = field(default_factory=list)
    union_added: list[ox.Triple] = field(default_factory=list)
    union_removed: list[ox.Triple] = field(default_factory=list)

    @property
    def graphs(self) -> list[str]:
        """The named graphs whose content changed."""
        return sorted({q.graph_name.value for q in self.added + self.removed})

    def effect(self) -> dict[str, dict[str, int]]:
        """Quads added and removed per named graph."""
        counts: dict[str, dict[str, int]] = {}
        for key, quads in (("added", self.added), ("removed", self.removed)):
            for quad in quads:
                entry = counts.setdefault(quad.graph_name.value, {"added": 0, "removed": 0})
                entry[key] += 1
        return dict(sorted(counts.items()))


def named_graphs(*stores: ox.Store) -> set[ox.NamedNode]:
    """Every named graph of `stores`."""
    return {graph for store in stores for graph in store.named_graphs() if isinstance(graph, ox.NamedNode)}


def graphs_present(store: ox.Store, graphs: list[ox.NamedNode] | None) -> set[ox.NamedNode]:
    """The named graphs of `store` a write can have created or removed: those it names, or every one
    for an update (listing every graph of a national store takes 50-100 ms)."""
    if graphs is None:
        return named_graphs(store)
    return {graph for graph in graphs if store.contains_named_graph(graph)}


def default_graph_changed(old: ox.Store, new: ox.Store) -> bool:
    """Whether the default graph differs between two versions (writes may not touch it: it is derived)."""
    default = ox.DefaultGraph()
    # Two on-disk versions iterate in index order, so equal content means equal sequences: compare
    # them pairwise and stop at the first difference (no sets of the whole graph). Any difference in
    # order (in-memory stores do not sort) can only report a change, never hide one.
    pairs = zip_longest(old.quads_for_pattern(None, None, None, default),
                        new.quads_for_pattern(None, None, None, default))
    return any(a != b for a, b in pairs)


def graph_delta(old: ox.Store, new: ox.Store, graphs: Iterable[ox.NamedNode]) -> Delta:
    """Compare `graphs` in two versions of the store, quad by quad."""
    delta = Delta()
    for graph in graphs:
        added, removed = _graph_diff(old.quads_for_pattern(None, None, None, graph),
                                     new.quads_for_pattern(None, None, None, graph))
        delta.added.extend(added)
        delta.removed.extend(removed)
    added = {ox.Triple(q.subject, q.predicate, q.object) for q in delta.added}
    removed = {ox.Triple(q.subject, q.predicate, q.object) for q in delta.removed}
    delta.union_added = list(added - asserted_among(old, added))
    delta.union_removed = list(removed - asserted_among(new, removed))
    return delta


def _graph_diff(old: Iterator[ox.Quad], new: Iterator[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """Quads only in `new` and only in `old`, for one graph.

    Writes compare every graph (graph/writes/gate.py), and most graphs are unchanged: two on-disk
    versions list an unchanged graph in the same order, so the common prefix is walked pairwise
    without lookups; from the first difference on, the rest is compared as sets (also right when
    the order differs, as in in-memory stores).
    """
    for a, b in zip_longest(old, new):
        if a != b:
            old_rest = [a, *old] if a is not None else list(old)
            new_rest = [b, *new] if b is not None else list(new)
            old_set, new_set = set(old_rest), set(new_rest)
            return [q for q in new_rest if q not in old_set], [q for q in old_rest if q not in new_set]
    return [], []


@dataclass(frozen=True)
class ShapePaths:
    """What the shapes read beyond a node's own triples: predicates they follow backwards
    (sh:inversePath) and chains of predicates they follow forwards (sequence paths)."""

    inverse: frozenset[str] = frozenset()
    sequences: tuple[tuple[str, ...], ...] = ()
    # Predicates whose objects shapes target (sh:targetObjectsOf).
    target_objects: frozenset[str] = frozenset()


def shape_paths(shapes: Graph) -> ShapePaths:
    """The inverse and sequence paths of `shapes`.

    :raises ValueError: if a shape uses a path the focus-node extract cannot cover.
    """
    inverse, sequences = set(), set()
    for path in set(shapes.objects(None, SH.path)):
        if isinstance(path, URIRef):
            continue
        steps = list(Collection(shapes, path)) if shapes.value(path, RDF.first) is not None else None
        if steps and all(isinstance(step, URIRef) for step in steps):
            sequences.add(tuple(str(step) for step in steps))
            continue
        predicate = shapes.value(path, SH.inversePath)
        if not isinstance(predicate, URIRef):
            raise ValueError(f"incremental validation covers predicate, inverse and sequence paths only, "
                             f"not {path!r}")
        inverse.add(str(predicate))
    target_objects = frozenset(str(p) for p in shapes.objects(None, SH.targetObjectsOf))
    return ShapePaths(frozenset(inverse), tuple(sorted(sequences)), target_objects)


def focus_nodes(delta: Delta, new: ox.Store, paths: ShapePaths) -> set:
    """Nodes whose shapes may change: subjects of the change, objects that shapes read it from (through
    an inverse path, or as targets of sh:targetObjectsOf), the nodes pointing at a node whose type changed
    (their sh:class constraints read that type), and the nodes that reach a changed triple through a
    sequence path.

    Other objects keep their verdict: what validating a node reads (`extract`) is its own triples, those
    inverse paths and its neighbours' types, none of which such a change touches. A workshop's place and
    report are such objects, and at national scale they carry thousands of triples each."""
    nodes = set()
    retyped = set()
    read_backwards = paths.inverse | paths.target_objects
    for triple in delta.union_added + delta.union_removed:
        nodes.add(triple.subject)
        if triple.predicate == TYPE:
            retyped.add(triple.subject)
        elif not isinstance(triple.object, ox.Literal) and triple.predicate.value in read_backwards:
            nodes.add(triple.object)
        nodes.update(_sequence_heads(new, triple, paths.sequences))
    for node in retyped:
        nodes.update(q.subject for q in new.quads_for_pattern(None, None, node) if _named(q))
    return nodes


def _sequence_heads(store: ox.Store, triple: ox.Triple, sequences) -> set:
    """Nodes from which a sequence path reaches `triple` (walking the path backwards)."""
    heads = set()
    predicate = triple.predicate.value
    for steps in sequences:
        for position, step in enumerate(steps):
            if step != predicate or position == 0:
                continue
            frontier = {triple.subject}
            for back in reversed(steps[:position]):
                frontier = {q.subject for node in frontier
                            for q in store.quads_for_pattern(None, ox.NamedNode(back), node) if _named(q)}
            heads.update(frontier)
    return heads


def extract(store: ox.Store, nodes: set, paths: ShapePaths) -> bytes:
    """The named-graph triples validating `nodes` reads, as N-Triples (blank nodes skolemised).

    N-Triples straight from pyoxigraph, because most writes are judged by the fast checker alone;
    an rdflib graph of a few thousand triples (10-40 ms per thousand) is built only when pyshacl runs.
    """
    triples = set()
    neighbours = set()

    def add(quad: ox.Quad) -> None:
        triples.add(ox.Triple(_skolem(quad.subject), quad.predicate, _skolem(quad.object)))

    inverse = [ox.NamedNode(p) for p in sorted(paths.inverse)]
    for node in nodes:
        for quad in store.quads_for_pattern(node, None, None):
            if _named(quad):
                add(quad)
                if not isinstance(quad.object, ox.Literal):
                    neighbours.add(quad.object)
        for predicate in inverse:
            for quad in store.quads_for_pattern(None, predicate, node):
                if _named(quad):
                    add(quad)
                    neighbours.add(quad.subject)
        for steps in paths.sequences:
            frontier = {node}
            for step in steps:
                quads = [q for n in frontier for q in store.quads_for_pattern(n, ox.NamedNode(step), None)
                         if _named(q)]
                for quad in quads:
                    add(quad)
                frontier = {q.object for q in quads if not isinstance(q.object, ox.Literal)}
    for node in neighbours - nodes:
        triples.update(ox.Triple(_skolem(node), TYPE, _skolem(type_)) for type_ in _types(store, node))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


NEIGHBOUR_TYPES = f"SELECT DISTINCT ?node ?type WHERE {{ GRAPH ?graph {{ ?node <{RDF.type}> ?type }} }}"


def _types(store, node) -> set:
    """The types named graphs give `node`. A place or a report is typed again in the graph of each report that
    names it (thousands at 10 M): Oxigraph finds the distinct ones, instead of one Python quad per graph (a
    remote store's view, graph/writes/remote_gate.py, answers quad patterns only)."""
    if hasattr(store, "query"):
        return {row["type"] for row in store.query(NEIGHBOUR_TYPES, substitutions={ox.Variable("node"): node})}
    return {q.object for q in store.quads_for_pattern(node, TYPE, None) if _named(q)}


def as_rdflib(ntriples: bytes) -> Graph:
    """An rdflib graph of `extract`'s N-Triples, for pyshacl."""
    return Graph().parse(data=ntriples, format="nt")


def _skolem(term):
    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(SKOLEM + term.value)
    if isinstance(term, ox.Triple):
        raise ValueError(f"RDF-star terms are not supported: {term}")
    return term


def _named(quad: ox.Quad) -> bool:
    return not isinstance(quad.graph_name, ox.DefaultGraph)


def to_rdflib(term):
    """An rdflib term from a pyoxigraph term; blank nodes become IRIs pyshacl can focus on."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return URIRef(SKOLEM + term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"RDF-star terms are not supported: {term}")


def from_skolem(iri: str) -> str:
    """The blank-node label `_:x` for a skolemised IRI, other IRIs unchanged."""
    return "_:" + iri[len(SKOLEM):] if iri.startswith(SKOLEM) else iri


def skolem_focus(nodes: set) -> list[URIRef]:
    """Focus nodes as rdflib IRIs (pyshacl's focus_nodes option takes IRIs only)."""
    return sorted(to_rdflib(n) for n in nodes if not isinstance(n, ox.Literal))


def default_change(old: ox.Store, new: ox.Store, touched: list[ox.Triple]) -> tuple[list, list]:
    """The triples the default graph gained and lost from `old` to `new`, given the triples DRed
    `touched` (graph/writes/derived.py: every triple it deleted or inserted on the way)."""
    default = ox.DefaultGraph()
    added, removed = [], []
    for triple in set(touched):
        quad = ox.Quad(triple.subject, triple.predicate, triple.object, default)
        before, after = quad in old, quad in new
        if after and not before:
            added.append(triple)
        elif before and not after:
            removed.append(triple)
    return added, removed


def known_change(delta: Delta, default: tuple[list, list], summary: tuple[list, list] | None) -> KnownChange:
    """What a write changed, for its release (graph/store/releases.py): the named graphs as `delta`
    compared them, the default graph's (added, removed) triples, and the summary's, or None when
    the summary was derived in full and is to be compared."""
    by_graph: dict[str, tuple[list, list]] = {}
    for index, quads in enumerate((delta.added, delta.removed)):
        for quad in quads:
            by_graph.setdefault(quad.graph_name.value, ([], []))[index].append(quad.triple)
    given = [from_triples(graph, plus, minus) for graph, (plus, minus) in by_graph.items()]
    given.append(from_triples(DEFAULT_GRAPH, *default))
    if summary is None:
        return KnownChange(given, [SUMMARY_GRAPH])
    return KnownChange(given + [from_triples(SUMMARY_GRAPH, *summary)], [])
