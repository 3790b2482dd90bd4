"""Which triples a named graph of the store holds, many at a time.

A write asks this of every triple it adds or removes (is the union of the named graphs changed?) and
of every triple Delete-and-Rederive over-deleted (does it still stand?). A lookup per triple across
every graph took about 70 µs at 10 M triples; one query with the triples as VALUES answers a few
hundred in a few milliseconds.
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

CHUNK = 500   # triples per query


def asserted_among(store: ox.Store, triples: Iterable[ox.Triple], skip_prefix: str | None = None) -> set[ox.Triple]:
    """Those of `triples` that some named graph of `store` holds (not one whose IRI starts with `skip_prefix`)."""
    listed, one_by_one = [], []
    for triple in triples:
        # VALUES holds IRIs and literals; a blank node there would be a new variable, not the store's node.
        plain = not any(isinstance(term, (ox.BlankNode, ox.Triple)) for term in (triple.subject, triple.object))
        (listed if plain else one_by_one).append(triple)
    found = {t for t in one_by_one if any(_counts(q.graph_name, skip_prefix) for q in
                                          store.quads_for_pattern(t.subject, t.predicate, t.object))}
    skip = f'FILTER (!STRSTARTS(STR(?g), "{skip_prefix}"))' if skip_prefix else ""
    for start in range(0, len(listed), CHUNK):
        rows = " ".join(f"({t.subject} {t.predicate} {t.object})" for t in listed[start:start + CHUNK])
        found.update(ox.Triple(row["s"], row["p"], row["o"]) for row in store.query(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} GRAPH ?g {{ ?s ?p ?o }} {skip} }}"))
    return found


def _counts(graph, skip_prefix: str | None) -> bool:
    return not isinstance(graph, ox.DefaultGraph) and not (skip_prefix and graph.value.startswith(skip_prefix))
