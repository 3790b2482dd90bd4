"""OWL at build time: HermiT consistency (owlready2) and materialising the inferences users query by."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from itertools import chain

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection

from graph.errors import Problem


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
        updates = []
        if self.superclasses:
            updates.append(_values_update("INSERT { ?x a ?super } WHERE { VALUES (?sub ?super) { %s } ?x a ?sub }",
                                          self.superclasses))
        if self.superproperties:
            updates.append(_values_update("INSERT { ?s ?super ?o } WHERE { VALUES (?sub ?super) { %s } ?s ?sub ?o }",
                                          self.superproperties))
        if self.inverses:
            updates.append(_values_update(
                "INSERT { ?o ?inverse ?s } WHERE { VALUES (?p ?inverse) { %s } ?s ?p ?o FILTER(!isLiteral(?o)) }",
                self.inverses))
        for prop in self.transitive:
            updates.append(f"INSERT {{ ?a <{prop}> ?c }} WHERE {{ ?a <{prop}>/<{prop}>+ ?c }}")
        for result, first, second in self.chains:
            updates.append(f"INSERT {{ ?a <{result}> ?c }} WHERE {{ ?a <{first}> ?b . ?b <{second}> ?c }}")
        return updates


def _values_update(template: str, pairs) -> str:
    return template % " ".join(f"(<{a}> <{b}>)" for a, b in pairs)


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
    """Apply `rules` to the store's default graph until nothing new follows; return triples added."""
    before = _default_size(store)
    size = before
    for _ in range(max_rounds):
        for update in rules.updates():
            store.update(update)
        new_size = _default_size(store)
        if new_size == size:
            break
        size = new_size
    return size - before


def _default_size(store: ox.Store) -> int:
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(next(iter(result))["n"].value)


def check_consistency(graph: Graph) -> list[Problem]:
    """Problems HermiT finds in `graph` (ontology plus data): empty when it is consistent."""
    # Imported here: owlready2 builds a quadstore at import time that only this check needs.
    from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner

    handle, path = tempfile.mkstemp(suffix=".nt")
    os.close(handle)
    try:
        graph.serialize(path, format="nt", encoding="utf-8")
        world = World()
        ontology = world.get_ontology("file://" + path).load()
        try:
            with ontology:
                # HermiT does not know xsd:gYear and xsd:gYearMonth; they carry no axioms here.
                sync_reasoner(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
        except OwlReadyInconsistentOntologyError:
            return [Problem("Die Daten widersprechen der Ontologie (HermiT: inkonsistent), "
                            "etwa eine Ressource mit zwei unvereinbaren Typen oder zwei Werten einer funktionalen Eigenschaft.",
                            "the data contradicts the ontology (HermiT: inconsistent), for example a resource "
                            "with two disjoint types or two values of a functional property.")]
        unsatisfiable = [c for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing)]
        world.close()
        return [Problem(f"Klasse {c.iri} ist unerfüllbar", f"class {c.iri} is unsatisfiable") for c in unsatisfiable]
    finally:
        os.unlink(path)


def union(*graphs: Graph) -> Graph:
    """One graph holding the triples of all `graphs`."""
    merged = Graph()
    for triple in chain.from_iterable(graphs):
        merged.add(triple)
    return merged
