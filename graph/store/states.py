"""The state of each resource a release touched, as it was right after that release.

A change feed (graph/publish/ldes.py) publishes one member per touched resource and release,
holding the resource's statements at that time. Old versions are pruned, so the states are kept
with the release, written while its version is still open:

    releases/<version>.states.nq.gz

as N-Quads whose graph name is the resource the statement belongs to (its own statements from
the named graphs, and those of blank nodes it leads to); a resource the release removed
entirely has one statement `<resource> <urn:kommunalgraph:removed> "true" <resource>`.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from graph.ns import SUMMARY_GRAPH

REMOVED = ox.NamedNode("urn:kommunalgraph:removed")


def derived(graph_name) -> bool:
    """Whether a graph holds derived statements (the default graph, the summary), not asserted ones."""
    return isinstance(graph_name, ox.DefaultGraph) or graph_name.value == SUMMARY_GRAPH


def touched(changes: Iterable[ox.Quad], stores: Iterable) -> set[ox.NamedNode]:
    """The resources (IRIs) whose statements in named graphs a change touches; a changed blank
    node counts for the resource that leads to it."""
    found, blanks = set(), set()
    for quad in changes:
        if derived(quad.graph_name):
            continue
        if isinstance(quad.subject, ox.NamedNode):
            found.add(quad.subject)
        elif isinstance(quad.subject, ox.BlankNode):
            blanks.add(quad.subject)
    for store in stores:
        if store is not None:
            found |= {_owner(store, blank) for blank in blanks} - {None}
    return found


def _owner(store, blank: ox.BlankNode, depth: int = 8):
    node = blank
    for _ in range(depth):
        parents = [q.subject for q in store.quads_for_pattern(None, None, node)
                   if not derived(q.graph_name)]
        if not parents:
            return None
        node = parents[0]
        if isinstance(node, ox.NamedNode):
            return node
    return None


def state(store, resource: ox.NamedNode, asserted: dict | None = None) -> list[ox.Triple]:
    """The resource's statements in the named graphs, and those of the blank nodes it leads to
    (looked up in `asserted`, from `asserted_by_subject`, when given; else in the store)."""
    triples, todo, seen = set(), [resource], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if asserted is not None:
            found = asserted.get(node, ())
        else:
            found = [ox.Triple(q.subject, q.predicate, q.object)
                     for q in store.quads_for_pattern(node, None, None) if not derived(q.graph_name)]
        for triple in found:
            triples.add(triple)
            if isinstance(triple.object, ox.BlankNode):
                todo.append(triple.object)
    return sorted(triples, key=str)


def asserted_by_subject(store) -> dict:
    """Every asserted statement (named graphs but the summary), by subject: one pass over the store,
    cheaper than a lookup per resource when a release touches most of them (a build)."""
    index: dict = {}
    for graph_name in store.named_graphs():
        if derived(graph_name):
            continue
        for quad in store.quads_for_pattern(None, None, None, graph_name):
            index.setdefault(quad.subject, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return index


# Above this many touched resources, one pass over the store beats a lookup per resource.
ONE_PASS_FROM = 2_000


def write(path: Path, resources: Iterable[ox.NamedNode], store) -> int:
    """Write the states of `resources` in `store` to `path`; return how many were written."""
    count = 0
    quads = []
    resources = sorted(resources, key=lambda r: r.value)
    asserted = asserted_by_subject(store) if len(resources) >= ONE_PASS_FROM else None
    for resource in resources:
        triples = state(store, resource, asserted)
        if not triples:
            triples = [ox.Triple(resource, REMOVED, ox.Literal("true"))]
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, resource) for t in triples)
        count += 1
    with gzip.GzipFile(path, "wb", mtime=0) as out:
        ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)
    return count


def read(path: Path) -> Iterator[tuple[ox.NamedNode, list[ox.Triple] | None]]:
    """(resource, its statements, or None if removed), in the order written."""
    current, triples, removed = None, [], False
    with gzip.open(path, "rb") as handle:
        for quad in ox.parse(handle, format=ox.RdfFormat.N_QUADS):
            if quad.graph_name != current:
                if current is not None:
                    yield current, None if removed else triples
                current, triples, removed = quad.graph_name, [], False
            if quad.predicate == REMOVED:
                removed = True
            else:
                triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    if current is not None:
        yield current, None if removed else triples
