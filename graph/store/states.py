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

from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from graph.ns import SUMMARY_GRAPH
from graph.store.compression import read_gzip, write_gzip

REMOVED = ox.NamedNode("urn:kommunalgraph:removed")


def derived(graph_name) -> bool:
    """Whether a graph holds derived statements (the default graph, the summary), not asserted ones."""
    return isinstance(graph_name, ox.DefaultGraph) or graph_name.value == SUMMARY_GRAPH


def owner(store, token: bytes) -> str | None:
    """The IRI of the resource that leads to the blank node `token` (`_:label`) in `store`, if any."""
    node = _owner(store, ox.BlankNode(token[2:].decode()))
    return node.value if node is not None else None


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


def state(store, resource: ox.NamedNode) -> list[ox.Triple]:
    """The resource's statements in the named graphs, and those of the blank nodes it leads to."""
    triples, todo, seen = set(), [resource], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        found = [ox.Triple(q.subject, q.predicate, q.object)
                 for q in store.quads_for_pattern(node, None, None) if not derived(q.graph_name)]
        for triple in found:
            triples.add(triple)
            if isinstance(triple.object, ox.BlankNode):
                todo.append(triple.object)
    return sorted(triples, key=str)


def lines_by_subject(store, known: dict[str, set[bytes]]) -> dict[bytes, list[bytes]]:
    """Every asserted statement of `store` (named graphs but the summary) as an N-Triples line, by
    subject token; `known` holds the lines of some graphs already (graph IRI → lines). One pass,
    cheaper than a lookup per resource when a release touches most of them (a build)."""
    index: dict[bytes, list[bytes]] = {}
    for graph_name in store.named_graphs():
        if derived(graph_name):
            continue
        found = known.get(graph_name.value)
        if found is None:
            found = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph_name).splitlines()
        for line in found:
            index.setdefault(line[:line.index(b" ")], []).append(line)
    return index


# Above this many touched resources, one pass over the store beats a lookup per resource.
ONE_PASS_FROM = 2_000


def write(path: Path, resources: Iterable[str], store, index: dict[bytes, list[bytes]] | None = None) -> int:
    """Write the states of `resources` (IRIs) in `store` to `path`; return how many were written.
    With `index` (from `lines_by_subject`), they are read from it instead of the store."""
    count = 0
    with write_gzip(path) as out:
        for resource in sorted(resources):
            token = f"<{resource}>".encode()
            lines = _state_lines(token, index) if index is not None else _lines(state(store, ox.NamedNode(resource)))
            suffix = b" " + token + b" .\n"
            if not lines:
                lines = [token + b" <" + REMOVED.value.encode() + b'> "true" .']
            out.write(b"".join(line[:-2] + suffix for line in lines))
            count += 1
    return count


def _state_lines(token: bytes, index: dict[bytes, list[bytes]]) -> list[bytes]:
    """A resource's lines and those of the blank nodes it leads to, sorted, each once."""
    lines, todo, seen = set(), [token], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for line in index.get(node, ()):
            lines.add(line)
            target = line[:-2].rsplit(b" ", 1)[-1]
            if target.startswith(b"_:") and b'"' not in target:
                todo.append(target)
    return sorted(lines)


def _lines(triples: list[ox.Triple]) -> list[bytes]:
    return sorted(f"{triple} .".encode() for triple in triples)


def read(path: Path) -> Iterator[tuple[ox.NamedNode, list[ox.Triple] | None]]:
    """(resource, its statements, or None if removed), in the order written."""
    current, triples, removed = None, [], False
    with read_gzip(path) as handle:
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
