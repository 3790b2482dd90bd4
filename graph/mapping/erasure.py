"""Erasing suppressed persons (graph/records/suppressions.py) from report graphs and from history.

What goes with a person: the person's own statements, every statement that points to them (a talk's
speaker, a post's holder), and the nodes that exist only for them — their positions with the
intervals and ends of those positions, and the evidence statements about any of these with their
targets and selectors. Their name is blanked out of every remaining text (a quoted sentence, a
talk's title) as ERASED. Organisations, roles and posts stay: they are not about one person.

The same rules apply in two places, so they are written once over two small lookups:
`Erasure.erase_graph` on an rdflib graph of a report during the build, and `Erasure.line_filter`
on N-Quads lines of stored history (graph/store/history.py `rewrite_history`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.namespace import FOAF

from graph.ns import KG, OA, ORG, TIME

ERASED = "[…]"
# (predicate, direction): "in" — a subject pointing with it to an erased node is erased too;
# "out" — an erased node's object along it is erased too.
_OWNED = ((str(KG.holder), "in"), (str(OA.hasBody), "in"), (str(ORG.memberDuring), "out"),
          (str(TIME.hasEnd), "out"), (str(OA.hasTarget), "out"), (str(OA.hasSelector), "out"))
OWNING_PREDICATES = frozenset(p for p, _ in _OWNED)
NAME_PREDICATES = frozenset({str(FOAF.name), str(RDFS.label)})


def blank(text: str, words) -> str:
    """`text` with each of `words` replaced by ERASED, longest first ("Dr. Anna Beispiel" before "Anna Beispiel")."""
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, ERASED)
    return text


def owned_closure(persons: Iterable[str], pointing: Callable[[str, str], Iterable[str]],
                  pointed: Callable[[str, str], Iterable[str]]) -> set[str]:
    """The persons and every node that exists only for them.

    `pointing(p, o)` gives the subjects with (s p o); `pointed(s, p)` the objects of (s p o).
    """
    erased, todo = set(), list(persons)
    while todo:
        node = todo.pop()
        if node in erased:
            continue
        erased.add(node)
        for predicate, direction in _OWNED:
            found = pointing(predicate, node) if direction == "in" else pointed(node, predicate)
            todo.extend(n for n in found if n not in erased)
    return erased


@dataclass
class Erasure:
    """The persons to erase (IRIs) and the names to blank out of texts."""

    persons: frozenset[str]
    names: set[str] = field(default_factory=set)
    nodes: set[str] = field(default_factory=set)   # what `line_filter` found to belong to them

    def __bool__(self) -> bool:
        return bool(self.persons)

    def _blank(self, text: str) -> str:
        return blank(text, self.names)

    # -- a report graph (the build) --------------------------------------------------------

    def erase_graph(self, graph: Graph) -> int:
        """Remove the persons from `graph` in place; return how many triples were removed or changed."""
        present = [p for p in self.persons if (URIRef(p), None, None) in graph or (None, None, URIRef(p)) in graph]
        for person in present:
            self.names |= {str(o) for p in (FOAF.name, RDFS.label) for o in graph.objects(URIRef(person), p)}
        changed = 0
        if present:
            nodes = owned_closure(
                present, lambda p, o: (str(s) for s in graph.subjects(URIRef(p), URIRef(o))),
                lambda s, p: (str(o) for o in graph.objects(URIRef(s), URIRef(p)) if isinstance(o, URIRef)))
            for node in map(URIRef, nodes):
                for triple in [*graph.triples((node, None, None)), *graph.triples((None, None, node))]:
                    graph.remove(triple)
                    changed += 1
        if self.names:
            for s, p, o in [t for t in graph if isinstance(t[2], Literal) and self._mentions(str(t[2]))]:
                graph.remove((s, p, o))
                graph.add((s, p, Literal(self._blank(str(o)), lang=o.language, datatype=o.datatype)))
                changed += 1
        return changed

    def _mentions(self, text: str) -> bool:
        return any(name in text for name in self.names)

    # -- stored history (N-Quads lines) ----------------------------------------------------

    def line_filter(self, lines: Iterable[bytes]) -> Callable[[bytes], bytes | None]:
        """A function that returns a history line without the persons (None to drop it).

        `lines` are all the lines of the history: the nodes owned by the persons and their names
        as they were written are collected from them first."""
        pointing: dict[tuple[str, str], set[str]] = {}
        pointed: dict[tuple[str, str], set[str]] = {}
        for line in lines:
            parts = _NQUAD.match(line.decode("utf-8", "replace"))
            if not parts:
                continue
            s, p, o = parts.group(1), parts.group(2), parts.group(3)
            if p in OWNING_PREDICATES and o.startswith("<"):
                pointing.setdefault((p, o[1:-1]), set()).add(s[1:-1])
                pointed.setdefault((s[1:-1], p), set()).add(o[1:-1])
            if p in NAME_PREDICATES and s[1:-1] in self.persons and o.startswith('"'):
                self.names.add(_unescape(o))
        self.nodes = owned_closure(self.persons, lambda p, o: pointing.get((p, o), ()),
                                   lambda s, p: pointed.get((s, p), ()))
        marks = [f"<{n}>".encode() for n in self.nodes]
        names = [(n.encode(), ERASED.encode()) for n in sorted(self.names, key=len, reverse=True)]

        def keep(line: bytes) -> bytes | None:
            if any(mark in line for mark in marks):
                return None
            for name, blank in names:
                line = line.replace(name, blank)
            return line
        return keep


# subject, predicate, object of an N-Quads line as Oxigraph writes it (IRIs, blank nodes, literals).
_NQUAD = re.compile(r'^(<[^>]*>|_:\S+) <([^>]*)> (<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"\S*)')


def _unescape(literal: str) -> str:
    """The lexical form of an N-Quads literal token (only the escapes Oxigraph writes)."""
    body = literal[1:literal.rindex('"')]
    return re.sub(r'\\(["\\nrt])', lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m.group(1), m.group(1)), body)
