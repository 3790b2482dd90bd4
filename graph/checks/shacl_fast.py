"""A fast SHACL verdict for large builds: the shifty engine (Rust, pyshifty) decides whether a
graph conforms; pyshacl stays the reference and explains (issue 6).

pyshacl needs ~14 ms CPU per workshop on our shapes, which alone would take a 10 M-triple
build past ten minutes on two cores. shifty checks the same shapes several times faster.
It only decides: a graph it finds conforming has no result at all (it counts warnings and
infos too), and a graph it does not is validated again by pyshacl, whose report gives the
problems in German and English. tests/test_shacl_engines.py checks that both engines judge
every shapes test case, the seed record and generated and mutated reports alike.
"""

from __future__ import annotations

import shifty
from rdflib import Graph


class FastVerdict:
    """Shapes prepared once; `conforms(data)` per graph. One per process (not shared between threads)."""

    def __init__(self, shapes: Graph, ontology: Graph | None = None):
        self._validator = shifty.PreparedValidator(shapes.serialize(format="turtle", encoding="utf-8"))
        # The ontology is mixed into the data, as graph/checks/shacl.py does, so subclasses count for sh:class.
        self._ontology = ontology.serialize(format="nt", encoding="utf-8") if ontology is not None else b""

    def conforms(self, data_ntriples: bytes) -> bool:
        """Whether the graph (N-Triples) has no SHACL result at all.

        :raises ValueError: if the shapes use a feature shifty does not support (never ignored).
        """
        return bool(self._run(data_ntriples).conforms)

    def failing(self, data_ntriples: bytes) -> set[str]:
        """The focus nodes (IRIs, or "_:" for blank nodes) that have a SHACL result."""
        nodes = set()
        for violation in self._run(data_ntriples).violations:
            term = str(violation.focus_node)
            nodes.add(term[1:-1] if term.startswith("<") else "_:")
        return nodes

    def _run(self, data_ntriples: bytes):
        # Bytes, never str: pyshifty would take a short string for a file name or a URL.
        return self._validator.validate_algebra(data_ntriples + b"\n" + self._ontology, infer=False,
                                                on_unsupported="error")


_PREPARED: dict[int, tuple[Graph, FastVerdict]] = {}


def verdict_for(shapes: Graph) -> FastVerdict:
    """A FastVerdict for `shapes` (no ontology), prepared once per shapes graph object."""
    entry = _PREPARED.get(id(shapes))
    if entry is None or entry[0] is not shapes:
        entry = _PREPARED[id(shapes)] = (shapes, FastVerdict(shapes))
    return entry[1]
