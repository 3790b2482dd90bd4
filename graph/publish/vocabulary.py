"""Documentation of the ontology, the topic scheme and the shapes, read from their files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SH, SKOS

from graph.ns import KG, ONTOLOGY_IRI, PREFIXES
from graph.checks.shacl import load_shapes

ONTOLOGY_FILE = "kommunalgraph.ttl"
TOPICS_FILE = "topics.ttl"
# Constraint parameters shown for a property shape, in this order.
_FACTS = (SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH.languageIn,
          SH.uniqueLang, SH["in"], SH["or"])


def curie(iri: str) -> str:
    """prefix:local for IRIs in a known namespace, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


@dataclass
class TermDoc:
    """One class, property or individual of the ontology."""

    iri: str
    anchor: str
    labels: dict[str, str]
    definitions: dict[str, str]
    related: dict[str, list[str]] = field(default_factory=dict)
    shapes: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # Turtle snippets of the pattern (skos:example)


@dataclass
class ConstraintDoc:
    """One property shape: its path, constraint parameters and messages."""

    path: str
    facts: list[str]
    messages: dict[str, str]


@dataclass
class ShapeDoc:
    """One node shape with its targets and property constraints."""

    iri: str
    anchor: str
    targets: list[str]
    constraints: list[ConstraintDoc]


@dataclass
class VocabularyDoc:
    """What the ontology page shows."""

    titles: dict[str, str]
    descriptions: dict[str, str]
    version: str
    modified: str
    license: str
    classes: list[TermDoc]
    object_properties: list[TermDoc]
    datatype_properties: list[TermDoc]
    individuals: list[TermDoc]
    shapes: list[ShapeDoc]


def _by_lang(graph: Graph, subject, predicate) -> dict[str, str]:
    return {(o.language or ""): str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def _iris(graph: Graph, subject, predicate) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, URIRef))


def _ours(graph: Graph, cls) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef) and str(s).startswith(str(KG._NS)))


def load_vocabulary(ontology_dir: Path, shapes_dir: Path) -> VocabularyDoc:
    """The documentation model of ontology/kommunalgraph.ttl and shapes/*.ttl."""
    ontology = Graph().parse(ontology_dir / ONTOLOGY_FILE, format="turtle")
    shapes = load_shapes(shapes_dir)
    shape_docs = [_shape(shapes, s) for s in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)))
                  if isinstance(s, URIRef)]
    shapes_of: dict[str, list[str]] = {}
    for shape in shape_docs:
        for target in shape.targets:
            shapes_of.setdefault(target, []).append(shape.anchor)

    def term(iri: URIRef, relations: dict) -> TermDoc:
        doc = TermDoc(str(iri), str(iri).split("#", 1)[-1], _by_lang(ontology, iri, RDFS.label),
                      _by_lang(ontology, iri, SKOS.definition), shapes=shapes_of.get(str(iri), []),
                      examples=sorted(str(e) for e in ontology.objects(iri, SKOS.example)))
        for name, (predicate, inverse) in relations.items():
            doc.related[name] = (sorted(str(s) for s in ontology.subjects(predicate, iri)) if inverse
                                 else _iris(ontology, iri, predicate))
        return doc

    class_relations = {"superclasses": (RDFS.subClassOf, False), "subclasses": (RDFS.subClassOf, True)}
    property_relations = {"domain": (RDFS.domain, False), "range": (RDFS.range, False),
                          "superproperties": (RDFS.subPropertyOf, False), "inverse": (OWL.inverseOf, False)}
    return VocabularyDoc(
        _by_lang(ontology, ONTOLOGY_IRI, DCTERMS.title), _by_lang(ontology, ONTOLOGY_IRI, DCTERMS.description),
        str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo) or ""), str(ontology.value(ONTOLOGY_IRI, DCTERMS.modified) or ""),
        str(ontology.value(ONTOLOGY_IRI, DCTERMS.license) or ""),
        [term(c, class_relations) for c in _ours(ontology, OWL.Class)],
        [term(p, property_relations) for p in _ours(ontology, OWL.ObjectProperty)],
        [term(p, property_relations) for p in _ours(ontology, OWL.DatatypeProperty)],
        [term(i, {"type": (RDF.type, False)}) for i in _ours(ontology, OWL.NamedIndividual)],
        shape_docs)


def _shape(graph: Graph, shape: URIRef) -> ShapeDoc:
    constraints = [_constraint(graph, p) for p in graph.objects(shape, SH.property)]
    return ShapeDoc(str(shape), "shape-" + str(shape).rsplit("#", 1)[-1], _iris(graph, shape, SH.targetClass),
                    sorted(constraints, key=lambda c: c.path))


def _constraint(graph: Graph, node) -> ConstraintDoc:
    facts = []
    for parameter in _FACTS:
        for value in graph.objects(node, parameter):
            facts.append(f"{curie(str(parameter))} {_show(graph, value)}")
    return ConstraintDoc(_path(graph, graph.value(node, SH.path)), facts, _by_lang(graph, node, SH.message))


def _show(graph: Graph, value) -> str:
    if isinstance(value, BNode) and graph.value(value, RDF.first) is not None:
        return "( " + " ".join(_show(graph, v) for v in Collection(graph, value)) + " )"
    if isinstance(value, BNode):
        return "[ " + "; ".join(f"{curie(str(p))} {_show(graph, o)}" for p, o in graph.predicate_objects(value)) + " ]"
    return curie(str(value)) if isinstance(value, URIRef) else str(value)


def _path(graph: Graph, path) -> str:
    """A SHACL property path in SPARQL path syntax."""
    if isinstance(path, URIRef):
        return curie(str(path))
    if path is None:
        return "?"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path(graph, p) for p in Collection(graph, path))
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                                (SH.zeroOrOnePath, "{}?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(_path(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    return "|".join(_path(graph, p) for p in Collection(graph, alternatives)) if alternatives else "?"
