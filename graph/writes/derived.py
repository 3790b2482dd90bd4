"""Keeping the derived default graph exact after a write, without recomputing all of it.

The default graph is the union of the named graphs plus what the ontology's rules
(graph/checks/reasoning.py) derive from it. After a write changed that union, Delete-and-Rederive
(DRed) updates it: over-delete everything derivable from a removed triple, put back what
still follows from what is left, then add the new triples and what follows from them.
Each step is a SPARQL update joining the default graph with a small scratch graph holding
the triples in flight, so the cost follows the size of the change, not of the store.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.build.roles import derive_roles, scope_nodes
from graph.checks.reasoning import Rules

SCRATCH = "urn:kommunalgraph:scratch:"
DELTA, NEXT, DELETED, SCOPE, TOUCHED = (ox.NamedNode(SCRATCH + name)
                                        for name in ("delta", "next", "deleted", "scope", "touched"))
MAX_ROUNDS = 100


def rederive(store: ox.Store, rules: Rules, added: list[ox.Triple], removed: list[ox.Triple]) -> list[ox.Triple]:
    """Update the default graph after the union of the named graphs gained `added` and lost `removed`;
    return the triples it deleted from or inserted into the default graph on the way (a superset of
    its net change: compare them with the version before to get that, as graph/writes/gate.py does).

    Two layers, as the build derives them (graph/build/pipeline.py): first the rules, then the
    roles in time (graph/build/roles.py), which read what the rules derive. The roles of the
    memberships and persons the change reaches are derived before and after the first layer;
    what that changes goes through DRed in turn, so its consequences follow the rules too.
    """
    try:
        scope_nodes(store, [*added, *removed], SCOPE)
        roles_before = _triples(derive_roles(store, SCOPE))
        _dred(store, rules, added, removed)
        roles_after = _triples(derive_roles(store, SCOPE))
        kept = set(roles_after)
        _dred(store, rules, roles_after, [t for t in roles_before if t not in kept])
        return [q.triple for q in store.quads_for_pattern(None, None, None, TOUCHED)]
    finally:
        store.update(f"DROP SILENT GRAPH {SCOPE} ; DROP SILENT GRAPH {TOUCHED}")


def _triples(ntriples: bytes) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)] if ntriples else []


def _dred(store: ox.Store, rules: Rules, added: list[ox.Triple], removed: list[ox.Triple]) -> None:
    """Delete-and-Rederive for the rules: over-delete, put back what still holds, insert."""
    default = ox.DefaultGraph()
    # Each update is a transaction of its own (about a millisecond even when it finds nothing): the rules of
    # one step go as one request, and a write that only adds, or only removes, skips the other half.
    try:
        deleted = [t for t in removed if _quad(t, default) in store]
        if deleted:
            _fill(store, DELETED, deleted)
            _fixpoint(store, rules, "overdelete", f"ADD SILENT {NEXT} TO {DELETED}",
                      first=f"ADD SILENT {DELETED} TO {DELTA}", source=DELETED)
            # Every triple deleted from or inserted into the default graph is noted in TOUCHED, so the
            # release of the write knows its change without comparing the whole default graph.
            store.update(f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {DELETED} {{ ?s ?p ?o }} }} ; "
                         f"ADD SILENT {DELETED} TO {TOUCHED} ; DROP SILENT GRAPH {DELTA} ; "
                         + " ; ".join(_rederivations(rules)))
        inserted = [t for t in added if _quad(t, default) not in store]
        if inserted or deleted:   # (what the rederivation put back in DELTA goes in too)
            _fill(store, DELTA, inserted)
            _fixpoint(store, rules, "insert",
                      f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {NEXT} {{ ?s ?p ?o }} }} ; ADD SILENT {NEXT} TO {TOUCHED}",
                      first=f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {DELTA} {{ ?s ?p ?o }} }} ; "
                            f"ADD SILENT {DELTA} TO {TOUCHED}")
    finally:
        store.update(" ; ".join(f"DROP SILENT GRAPH {graph}" for graph in (DELTA, NEXT, DELETED)))


def _fixpoint(store: ox.Store, rules: Rules, mode: str, take_next: str, first: str, source=DELTA) -> None:
    """Derive consequences of DELTA into NEXT, take them, and go on from them until none are new.

    `first` readies DELTA, which then holds what `source` holds now; each round is one request: the
    updates that take what the round before derived and make it DELTA, then the rules (their joins start
    from DELTA's pairs, read beforehand from the graph that becomes DELTA)."""
    step = first
    for _ in range(MAX_ROUNDS):
        store.update(" ; ".join([step, f"DROP SILENT GRAPH {NEXT}",
                                 *consequences(rules, mode, _delta_pairs(store, rules, source))]))
        if not store.query(f"ASK {{ GRAPH {NEXT} {{ ?s ?p ?o }} }}"):
            return
        step, source = f"{take_next} ; MOVE SILENT {NEXT} TO {DELTA}", NEXT
    raise RuntimeError(f"derivation did not settle within {MAX_ROUNDS} rounds")


def _fill(store: ox.Store, graph: ox.NamedNode, triples: list[ox.Triple]) -> None:
    store.extend(_quad(t, graph) for t in triples)


def _quad(triple: ox.Triple, graph) -> ox.Quad:
    return ox.Quad(triple.subject, triple.predicate, triple.object, graph)


def _values(pairs) -> str:
    return " ".join(f"(<{a}> <{b}>)" for a, b in pairs)


def _delta_pairs(store: ox.Store, rules: Rules, source: ox.NamedNode = DELTA) -> dict[str, str | None]:
    """For each property that transitivity and chains join on, DELTA's (subject object) pairs of it as
    a VALUES body ("" when it has none; None when a blank node, which VALUES cannot hold, is among them)."""
    found: dict[str, str | None] = {}
    for prop in {*rules.transitive, *(p for _, first, second in rules.chains for p in (first, second))}:
        pairs = [(q.subject, q.object) for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, source)]
        if any(isinstance(term, ox.BlankNode) for pair in pairs for term in pair):
            found[prop] = None
        else:
            found[prop] = " ".join(f"({a} {b})" for a, b in pairs)
    return found


def consequences(rules: Rules, mode: str, pairs: dict[str, str | None] | None = None) -> list[str]:
    """Updates putting into NEXT what follows from DELTA with the default graph.

    mode "insert": only conclusions the default graph lacks; mode "overdelete": only
    conclusions it has that are not yet marked in DELETED. With `pairs` (`_delta_pairs`), the joins of
    transitivity and chains start from DELTA's pairs given as VALUES: as a graph pattern, Oxigraph
    scanned every kg:withinArea of the store first (8 of the 9 s a write took at 10 M triples).
    """
    def join(prop: str, variables: str, body: str) -> str | None:
        """One branch: DELTA's `prop` triples as `variables`, joined with `body` in the default graph."""
        values = (pairs or {}).get(prop)
        if pairs is None or values is None:
            subject, obj = variables.split()
            return f"{{ GRAPH {DELTA} {{ {subject} <{prop}> {obj} }} {body} }}"
        return f"{{ VALUES ({variables}) {{ {values} }} {body} }}" if values else None

    def union(*branches: str | None) -> str | None:
        kept = [b for b in branches if b]
        return " UNION ".join(kept) if kept else None

    def rule(conclusion: str, body: str) -> str:
        if mode == "insert":
            condition = f"FILTER NOT EXISTS {{ {conclusion} }}"
        else:
            condition = f"{conclusion} . FILTER NOT EXISTS {{ GRAPH {DELETED} {{ {conclusion} }} }}"
        return f"INSERT {{ GRAPH {NEXT} {{ {conclusion} }} }} WHERE {{ {body} {condition} }}"

    updates = []
    if rules.superclasses:
        updates.append(rule("?x a ?super", f"VALUES (?sub ?super) {{ {_values(rules.superclasses)} }} "
                                           f"GRAPH {DELTA} {{ ?x a ?sub }}"))
    if rules.superproperties:
        updates.append(rule("?s ?super ?o", f"VALUES (?sub ?super) {{ {_values(rules.superproperties)} }} "
                                            f"GRAPH {DELTA} {{ ?s ?sub ?o }}"))
    if rules.inverses:
        updates.append(rule("?o ?inverse ?s", f"VALUES (?p ?inverse) {{ {_values(rules.inverses)} }} "
                                              f"GRAPH {DELTA} {{ ?s ?p ?o }} FILTER(!isLiteral(?o))"))
    for prop in rules.transitive:
        body = union(join(prop, "?a ?b", f"?b <{prop}> ?c"), join(prop, "?b ?c", f"?a <{prop}> ?b"))
        if body:
            updates.append(rule(f"?a <{prop}> ?c", body))
    for result, first, second in rules.chains:
        body = union(join(first, "?a ?b", f"?b <{second}> ?c"), join(second, "?b ?c", f"?a <{first}> ?b"))
        if body:
            updates.append(rule(f"?a <{result}> ?c", body))
    return updates


def _rederivations(rules: Rules) -> list[str]:
    """Updates putting into DELTA the over-deleted triples that still hold: asserted in a
    named graph, or following in one step from what the default graph still has."""
    def rule(conclusion: str, body: str) -> str:
        return f"INSERT {{ GRAPH {DELTA} {{ {conclusion} }} }} WHERE {{ GRAPH {DELETED} {{ {conclusion} }} {body} }}"

    updates = [rule("?s ?p ?o", f'GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{SCRATCH}"))')]
    if rules.superclasses:
        updates.append(rule("?x a ?super", f"VALUES (?sub ?super) {{ {_values(rules.superclasses)} }} ?x a ?sub"))
    if rules.superproperties:
        updates.append(rule("?s ?super ?o", f"VALUES (?sub ?super) {{ {_values(rules.superproperties)} }} ?s ?sub ?o"))
    if rules.inverses:
        updates.append(rule("?o ?inverse ?s", f"VALUES (?p ?inverse) {{ {_values(rules.inverses)} }} ?s ?p ?o"))
    for prop in rules.transitive:
        updates.append(rule(f"?a <{prop}> ?c", f"?a <{prop}> ?b . ?b <{prop}> ?c"))
    for result, first, second in rules.chains:
        updates.append(rule(f"?a <{result}> ?c", f"?a <{first}> ?b . ?b <{second}> ?c"))
    return updates
