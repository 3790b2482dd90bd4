"""Keeping the derived default graph exact after a write, without recomputing all of it.

The default graph is the union of the named graphs plus what the ontology's rules
(graph/checks/reasoning.py) derive from it. After a write changed that union, Delete-and-Rederive
(DRed) updates it: over-delete everything derivable from a removed triple, put back what
still follows from what is left, then add the new triples and what follows from them.

The triples in flight are Python sets, and each rule is an index lookup in the store from one of
them, so the cost follows the size of the change, not of the store. (This replaced one SPARQL update
per rule over scratch graphs: every triple in flight was written to and dropped from a scratch graph
four or five times, at 15-20 µs per quad and index, 65-150 ms of a 20-workshop write at 10 M.)
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Iterable, Iterator

import pyoxigraph as ox

from graph.build.roles import TYPE, derive_roles, scope_nodes
from graph.checks.reasoning import Rules
from graph.writes.asserted import asserted_among

SCRATCH = "urn:kommunalgraph:scratch:"
SCOPE = ox.NamedNode(SCRATCH + "scope")
MAX_ROUNDS = 100
DEFAULT = ox.DefaultGraph()


def rederive(store: ox.Store, rules: Rules, added: list[ox.Triple], removed: list[ox.Triple]) -> list[ox.Triple]:
    """Update the default graph after the union of the named graphs gained `added` and lost `removed`;
    return the triples it deleted from or inserted into the default graph on the way (a superset of
    its net change: compare them with the version before to get that, as graph/writes/gate.py does).

    Two layers, as the build derives them (graph/build/pipeline.py): first the rules, then the
    roles in time (graph/build/roles.py), which read what the rules derive. The roles of the
    memberships and persons the change reaches are derived before and after the first layer;
    what that changes goes through DRed in turn, so its consequences follow the rules too.
    """
    index = rule_index(rules)
    touched: set[ox.Triple] = set()
    try:
        scope_nodes(store, [*added, *removed], SCOPE)
        roles_before = _triples(derive_roles(store, SCOPE))
        _dred(store, index, added, removed, touched, unasserted=frozenset(removed))
        roles_after = _triples(derive_roles(store, SCOPE))
        kept = set(roles_after)
        _dred(store, index, roles_after, [t for t in roles_before if t not in kept], touched)
        return list(touched)
    finally:
        if store.contains_named_graph(SCOPE):
            store.remove_graph(SCOPE)


def _triples(ntriples: bytes) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)] if ntriples else []


@lru_cache(maxsize=4)
def rule_index(rules: Rules) -> "RuleIndex":
    """The index of `rules`, made once per set of rules (a gate keeps one for all its writes)."""
    return RuleIndex(rules)


class RuleIndex:
    """The rules as lookups by predicate (and class), both ways: forward to derive, backward to
    rederive (does a triple still follow in one step from what the default graph has)."""

    def __init__(self, rules: Rules):
        def index(pairs) -> dict[ox.NamedNode, list[ox.NamedNode]]:
            found = defaultdict(list)
            for a, b in pairs:
                found[ox.NamedNode(a)].append(ox.NamedNode(b))
            return found

        self.supers, self.subs = index(rules.superclasses), index((b, a) for a, b in rules.superclasses)
        self.superprops = index(rules.superproperties)
        self.subprops = index((b, a) for a, b in rules.superproperties)
        self.inverses = index(rules.inverses)   # symmetric: rules_from lists both directions
        self.transitive = {ox.NamedNode(p) for p in rules.transitive}
        self.by_first, self.by_second, self.by_result = defaultdict(list), defaultdict(list), defaultdict(list)
        for result, first, second in ((ox.NamedNode(x) for x in chain) for chain in rules.chains):
            self.by_first[first].append((result, second))
            self.by_second[second].append((result, first))
            self.by_result[result].append((first, second))

    def consequences(self, store: ox.Store, triple: ox.Triple) -> Iterator[ox.Triple]:
        """What follows in one step from `triple` together with the default graph."""
        s, p, o = triple.subject, triple.predicate, triple.object
        if p == TYPE and isinstance(o, ox.NamedNode):
            yield from (ox.Triple(s, TYPE, c) for c in self.supers.get(o, ()))
        yield from (ox.Triple(s, q, o) for q in self.superprops.get(p, ()))
        for result, first in self.by_second.get(p, ()):
            yield from (ox.Triple(q.subject, result, o) for q in store.quads_for_pattern(None, first, s, DEFAULT))
        if p in self.transitive:
            yield from (ox.Triple(q.subject, p, o) for q in store.quads_for_pattern(None, p, s, DEFAULT))
        if isinstance(o, ox.Literal):   # the rest reads the object as a subject
            return
        yield from (ox.Triple(o, q, s) for q in self.inverses.get(p, ()))
        for result, second in self.by_first.get(p, ()):
            yield from (ox.Triple(s, result, q.object) for q in store.quads_for_pattern(o, second, None, DEFAULT))
        if p in self.transitive:
            yield from (ox.Triple(s, p, q.object) for q in store.quads_for_pattern(o, p, None, DEFAULT))

    def follows(self, store: ox.Store, triple: ox.Triple) -> bool:
        """Whether `triple` follows in one step from the default graph."""
        s, p, o = triple.subject, triple.predicate, triple.object
        if p == TYPE and isinstance(o, ox.NamedNode) and any(_has(store, s, TYPE, c) for c in self.subs.get(o, ())):
            return True
        if any(_has(store, s, q, o) for q in self.subprops.get(p, ())):
            return True
        if not isinstance(o, ox.Literal) and any(_has(store, o, q, s) for q in self.inverses.get(p, ())):
            return True
        steps = [*self.by_result.get(p, ()), *([(p, p)] if p in self.transitive else [])]
        return any(not isinstance(q.object, ox.Literal) and _has(store, q.object, second, o)
                   for first, second in steps for q in store.quads_for_pattern(s, first, None, DEFAULT))


def _has(store: ox.Store, s, p, o) -> bool:
    return ox.Quad(s, p, o, DEFAULT) in store


def _quads(triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, DEFAULT) for t in triples]


def _dred(store: ox.Store, index: RuleIndex, added: list[ox.Triple], removed: list[ox.Triple],
          touched: set[ox.Triple], unasserted: frozenset[ox.Triple] = frozenset()) -> None:
    """Delete-and-Rederive for the rules: over-delete, put back what still holds, insert."""
    deleted = {t for t in removed if _has(store, t.subject, t.predicate, t.object)}
    back: set[ox.Triple] = set()
    if deleted:
        # Over-delete: everything that follows from a deleted triple with the default graph as it was.
        _fixpoint(store, index, set(deleted), lambda t: t not in deleted and _has(store, t.subject, t.predicate, t.object),
                  deleted.update)
        for quad in _quads(deleted):
            store.remove(quad)
        touched.update(deleted)
        # What still stands: asserted in a named graph (what the union lost is not: `unasserted`), or following
        # in one step from what the default graph has left.
        held = asserted_among(store, deleted - unasserted, skip_prefix=SCRATCH)
        back = held | {t for t in deleted - held if index.follows(store, t)}
    inserted = {t for t in added if not _has(store, t.subject, t.predicate, t.object)} | back
    if inserted:
        def take(new: set[ox.Triple]) -> None:
            store.extend(_quads(new))
            touched.update(new)

        take(inserted)
        _fixpoint(store, index, inserted, lambda t: not _has(store, t.subject, t.predicate, t.object), take)


def _fixpoint(store: ox.Store, index: RuleIndex, delta: set[ox.Triple], wanted, take) -> None:
    """Derive what follows from `delta` with the default graph, keep what `wanted` accepts, hand it to
    `take`, and go on from it until nothing new follows. Each round reads the default graph as
    `take` left it after the round before."""
    for _ in range(MAX_ROUNDS):
        new = {c for t in delta for c in index.consequences(store, t) if wanted(c)}
        if not new:
            return
        take(new)
        delta = new
    raise RuntimeError(f"derivation did not settle within {MAX_ROUNDS} rounds")
