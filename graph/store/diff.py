"""The exact change between two store versions, graph by graph, as lines (issue 13).

A release (graph/store/releases.py) keeps the change from the previous version quad by quad.
Reading both versions whole into two sets of N-Quads lines and parsing every changed line back
into Python quads cost about a minute and 3 GB at 1 M triples, and most of the build's 22 GB at
10 M. Here each graph is compared on its own, as N-Triples lines: Oxigraph writes a triple as
the same line every time (and a blank node with the same label within a store's lineage), so
two versions of a graph differ exactly by the lines in one set only. What a release needs
besides the lines (counts per graph, the resources touched and their classes) is read off each
line's first tokens, which in N-Triples never contain a space, without parsing the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from graph.ns import SUMMARY_GRAPH
from graph.store import states

DEFAULT_GRAPH = ""  # the default graph's key in the counts per graph
TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# Takes one graph's lines in the new version, sorted (graph IRI or DEFAULT_GRAPH, lines).
EveryGraph = Callable[[str, list[bytes]], None]


@dataclass
class GraphChange:
    """The lines one graph gained and lost (N-Triples, sorted)."""

    graph: str            # graph IRI, or DEFAULT_GRAPH
    added: list[bytes]
    removed: list[bytes]

    @property
    def derived(self) -> bool:
        """Whether the graph holds derived statements (default graph, summary), not asserted ones."""
        return self.graph in (DEFAULT_GRAPH, SUMMARY_GRAPH)

    def quads(self, lines: list[bytes]) -> Iterator[bytes]:
        """`lines` of this graph as N-Quads lines, exactly as Oxigraph dumps them."""
        return as_quads(self.graph, lines)


def as_quads(graph: str, lines: Iterable[bytes]) -> Iterator[bytes]:
    """N-Triples `lines` of `graph` as N-Quads lines, exactly as Oxigraph dumps them."""
    if graph == DEFAULT_GRAPH:
        yield from lines
        return
    suffix = b" <" + graph.encode() + b"> ."
    for line in lines:
        yield line[:-2] + suffix


def graph_lines(store: ox.Store | None, graph) -> set[bytes]:
    """The triples of one graph of `store` as N-Triples lines."""
    if store is None:
        return set()
    return set(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines())


def graph_names(*stores: ox.Store | None) -> list[str]:
    """The named graphs of `stores`, sorted by IRI."""
    return sorted({g.value for store in stores if store is not None for g in store.named_graphs()
                   if isinstance(g, ox.NamedNode)})


@dataclass
class KnownChange:
    """What a writer knows it changed: the exact change of some graphs (`given`) and the graphs whose
    change it cannot tell (`compare`); every other graph is unchanged."""

    given: list[GraphChange]
    compare: list[str]


def from_triples(graph: str, added: Iterable[ox.Triple], removed: Iterable[ox.Triple]) -> GraphChange:
    """A graph's change from triples; Oxigraph writes a triple as its N-Triples form (str) and " ."."""
    return GraphChange(graph, sorted({f"{t} .".encode() for t in added}), sorted({f"{t} .".encode() for t in removed}))


def changes(old: ox.Store | None, new: ox.Store, known: KnownChange | None = None,
            every_graph: EveryGraph | None = None) -> Iterator[tuple[GraphChange, set[bytes] | None]]:
    """Every graph that differs between `old` (None: an empty store) and `new`, the default graph
    first, with the graph's lines in `new` when they were read (what the states of touched
    resources are read from). With `known`, only the graphs it cannot tell are compared; without,
    `every_graph` gets each graph's lines in `new`, changed or not, as they are read."""
    if known is not None:
        given = {change.graph: change for change in known.given}
        for name in sorted({*given, *known.compare}):
            if name in given:
                if given[name].added or given[name].removed:
                    yield given[name], None
            else:
                yield from _compared(old, new, name)
        return
    for name in [DEFAULT_GRAPH, *graph_names(old, new)]:
        yield from _compared(old, new, name, every_graph)


def _compared(old: ox.Store | None, new: ox.Store, name: str,
              every_graph: EveryGraph | None = None) -> Iterator[tuple[GraphChange, set[bytes]]]:
    """The change of one graph, compared line by line, if it changed."""
    node = ox.DefaultGraph() if name == DEFAULT_GRAPH else ox.NamedNode(name)
    before, after = graph_lines(old, node), graph_lines(new, node)
    change = GraphChange(name, sorted(after - before), sorted(before - after))
    if every_graph is not None:
        # A graph new in this version was added whole: its added lines, sorted already, are all its lines.
        every_graph(name, change.added if not before else sorted(after))
    del before
    if change.added or change.removed:
        yield change, after


def subject(line: bytes) -> bytes:
    """The subject token of an N-Triples line (`<iri>` or `_:label`)."""
    return line[:line.index(b" ")]


def object_token(line: bytes) -> bytes | None:
    """The object token of an N-Triples line if it is an IRI or a blank node (`<iri>`, `_:label`);
    None for a literal (whose last word may look like either, but has a quote before it)."""
    token = line[:-2].rsplit(b" ", 1)[-1]
    return None if b'"' in token else token


def type_of(line: bytes) -> str | None:
    """The class IRI if the line states an rdf:type with an IRI object."""
    first = line.index(b" ")
    if not line.startswith(TYPE, first + 1):
        return None
    token = object_token(line)
    return token[1:-1].decode() if token and token.startswith(b"<") else None


class Touched:
    """The resources a change touches in the asserted graphs, read off its lines: for each IRI
    whether statements were added (+) or removed (-) and the classes typed in them."""

    def __init__(self):
        self.entries: dict[str, dict] = {}
        self.blanks: set[bytes] = set()

    def note(self, change: GraphChange) -> None:
        """Take in one asserted graph's change."""
        for sign, lines_ in (("+", change.added), ("-", change.removed)):
            for line in lines_:
                token = subject(line)
                if token.startswith(b"_:"):
                    self.blanks.add(token)
                    continue
                entry = self._entry(token[1:-1].decode())
                entry[sign] = True
                cls = type_of(line)
                if cls:
                    entry[sign + "type"].add(cls)

    def _entry(self, iri: str) -> dict:
        return self.entries.setdefault(iri, {"+": False, "-": False, "+type": set(), "-type": set()})

    def resources(self, stores) -> set[str]:
        """The touched IRIs, and the resources that lead to each touched blank node (in `stores`)."""
        found = set(self.entries)
        for store in stores:
            if store is not None:
                found |= {states.owner(store, token) for token in self.blanks} - {None}
        return found
