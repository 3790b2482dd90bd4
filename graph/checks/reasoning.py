"""OWL at build time: materialising the inferences users query by (HermiT's check: graph/checks/consistency.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection

from graph.terms import ntriples


@dataclass(frozen=True)
class Rules:
    """Entailments taken from the ontology, each as pairs or chains of IRIs."""

    superclasses: tuple[tuple[str, str], ...]
    superproperties: tuple[tuple[str, str], ...]
    inverses: tuple[tuple[str, str], ...]
    transitive: tuple[str, ...]
    chains: tuple[tuple[str, str, str], ...]

    def updates(self) -> list[str]:
        """SPARQL updates that add these entailments to the default graph."""
        return [f"INSERT {{ {head} }} WHERE {{ {body} }}" for head, body in self.rules()]

    def rules(self) -> list[tuple[str, str]]:
        """Each entailment as (head, body): SPARQL patterns; the head follows from the body."""
        rules = []
        if self.superclasses:
            rules.append(("?x a ?super", _values("?sub ?super", self.superclasses) + " ?x a ?sub"))
        if self.superproperties:
            rules.append(("?s ?super ?o", _values("?sub ?super", self.superproperties) + " ?s ?sub ?o"))
        if self.inverses:
            rules.append(("?o ?inverse ?s",
                          _values("?p ?inverse", self.inverses) + " ?s ?p ?o FILTER(!isLiteral(?o))"))
        for prop in self.transitive:
            rules.append((f"?a <{prop}> ?c", f"?a <{prop}>/<{prop}>+ ?c"))
        for result, first, second in self.chains:
            rules.append((f"?a <{result}> ?c", f"?a <{first}> ?b . ?b <{second}> ?c"))
        return rules


def _values(variables: str, pairs) -> str:
    return f"VALUES ({variables}) {{ " + " ".join(f"(<{a}> <{b}>)" for a, b in pairs) + " }"


def rules_from(ontology: Graph) -> Rules:
    """The class and property hierarchy, inverses, transitivity and chains of `ontology`."""
    def closure(predicate) -> list[tuple[str, str]]:
        pairs = []
        for sub in set(ontology.subjects(predicate, None)):
            if isinstance(sub, URIRef):
                for sup in ontology.transitive_objects(sub, predicate):
                    if sup != sub and isinstance(sup, URIRef):
                        pairs.append((str(sub), str(sup)))
        return sorted(set(pairs))

    inverses = set()
    for a, b in ontology.subject_objects(OWL.inverseOf):
        inverses.update({(str(a), str(b)), (str(b), str(a))})
    chains = []
    for prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
        steps = [str(s) for s in Collection(ontology, head)]
        if len(steps) == 2:
            chains.append((str(prop), steps[0], steps[1]))
    transitive = sorted(str(p) for p in ontology.subjects(RDF.type, OWL.TransitiveProperty))
    return Rules(tuple(closure(RDFS.subClassOf)), tuple(closure(RDFS.subPropertyOf)),
                 tuple(sorted(inverses)), tuple(transitive), tuple(sorted(chains)))


def materialise(store: ox.Store, rules: Rules, max_rounds: int = 6) -> int:
    """Apply `rules` to the store's default graph until nothing new follows; return triples added.

    Each round asks every rule for the triples it would add that are not there yet
    (CONSTRUCT … FILTER NOT EXISTS), serialised by Oxigraph, and loads them in one go: at
    10 M triples a SPARQL INSERT per rule holds everything in one transaction and is many
    times slower (issue 6, bench/).
    """
    before = _default_size(store)
    for _ in range(max_rounds):
        new = b"".join(_new_triples(store, head, body) for head, body in rules.rules())
        if not new:
            break
        if len(new) > BULK_FROM_BYTES:
            store.bulk_load(new, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        else:
            store.load(new, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    return _default_size(store) - before


def _new_triples(store: ox.Store, head: str, body: str) -> bytes:
    """N-Triples of what `head` adds for each match of `body`, without triples already present."""
    query = f"CONSTRUCT {{ {head} }} WHERE {{ {body} FILTER NOT EXISTS {{ {head} }} }}"
    return store.query(query).serialize(format=ox.RdfFormat.N_TRIPLES) or b""


# Above this much new data per round, bulk_load (no transaction) beats load.
BULK_FROM_BYTES = 8 * 1024 * 1024


def closure(graph: Graph, rules: Rules) -> list[tuple]:
    """The triples `rules` add to `graph` alone (not already in it), computed in Python.

    Used per report in the build's workers: class and property hierarchy and inverses need
    one triple, so the closure of the union of reports is the union of their closures except
    for chains and transitivity across reports, which `materialise_joins` adds in the store.
    """
    return _closure(set(graph), rules, URIRef, RDF.type, Literal)


def closure_of_ntriples(data: bytes, rules: Rules) -> bytes:
    """`closure` of a graph given as N-Triples, as N-Triples: the same triples, computed on pyoxigraph's terms,
    whose hashing and comparison run in Rust (a build worker's report file: 27 ms on rdflib's terms, 12 ms here)."""
    present = {(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)}
    added = _closure(present, rules, ox.NamedNode, ox.NamedNode(str(RDF.type)), ox.Literal)
    return ox.serialize([ox.Triple(*triple) for triple in added], format=ox.RdfFormat.N_TRIPLES) or b""


def _closure(present: set[tuple], rules: Rules, iri: Callable, rdf_type, literal: type) -> list[tuple]:
    """What `rules` add to the triples `present` (which it extends), on terms made by `iri`."""
    supers, superprops = _index(rules.superclasses, iri), _index(rules.superproperties, iri)
    inverses = _index(rules.inverses, iri)
    chains_first = {iri(f): (iri(r), iri(s)) for r, f, s in rules.chains}
    chains_second = {iri(s): (iri(r), iri(f)) for r, f, s in rules.chains}
    transitive = {iri(p) for p in rules.transitive}
    # Forward and backward indexes only for the predicates that chains and transitivity join on.
    joined = set(chains_first) | set(chains_second) | transitive
    forward: dict = {}
    backward: dict = {}

    def index(s, p, o):
        if p in joined:
            forward.setdefault((s, p), []).append(o)
            backward.setdefault((o, p), []).append(s)

    for triple in present:
        index(*triple)
    added = []
    pending = list(present)
    while pending:
        s, p, o = pending.pop()
        derived = []
        if p == rdf_type:
            derived += [(s, rdf_type, c) for c in supers.get(o, ())]
        derived += [(s, q, o) for q in superprops.get(p, ())]
        if not isinstance(o, literal):
            derived += [(o, q, s) for q in inverses.get(p, ())]
        if p in chains_first:
            result, second = chains_first[p]
            derived += [(s, result, c) for c in forward.get((o, second), ())]
        if p in chains_second:
            result, first = chains_second[p]
            derived += [(a, result, o) for a in backward.get((s, first), ())]
        if p in transitive:
            derived += [(s, p, c) for c in forward.get((o, p), ())] + [(a, p, o) for a in backward.get((s, p), ())]
        for triple in derived:
            if triple not in present:
                present.add(triple)
                index(*triple)
                added.append(triple)
                pending.append(triple)
    return added


def to_ntriples(triples) -> bytes:
    """N-Triples of `triples` (rdflib terms), one line each."""
    return ntriples(triples)


def _index(pairs, iri: Callable = URIRef) -> dict:
    index: dict = {}
    for a, b in pairs:
        index.setdefault(iri(a), []).append(iri(b))
    return index


def materialise_joins(store: ox.Store, rules: Rules, max_rounds: int = 6) -> int:
    """Complete a default graph that holds the union of per-report closures: add what chains
    and transitivity derive across reports, and the closure of those triples; return how many."""
    joins = Rules((), (), (), rules.transitive, rules.chains)
    before = _default_size(store)
    for _ in range(max_rounds):
        new = b"".join(_new_triples(store, head, body) for head, body in joins.rules())
        if not new:
            break
        graph = Graph().parse(data=new, format="nt")
        store.load(new + to_ntriples(closure(graph, rules)), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.DefaultGraph())
    return _default_size(store) - before


def _default_size(store: ox.Store) -> int:
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(next(iter(result))["n"].value)
