"""RDF terms written by pyoxigraph, never by hand: engine terms, rdflib terms, and their text.

Engine terms are plain tuples so they cross process boundaries:
("iri", value) | ("literal", value, datatype_or_None, language_or_None).
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from graph.errors import ParameterError

# A term for substitution, as plain data (see above).
Term = tuple


def from_plain(term: Term) -> ox.NamedNode | ox.Literal:
    """A pyoxigraph term from its plain form; :raises ValueError: if an IRI or language tag is malformed."""
    if term[0] == "iri":
        return ox.NamedNode(term[1])
    value, datatype, language = term[1], term[2], term[3]
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def sparql_text(term: Term) -> str:
    """A plain term as SPARQL/N-Triples text, escaped by pyoxigraph.

    :raises ParameterError: if an IRI, datatype or language tag is malformed.
    """
    try:
        return str(from_plain(term))
    except ValueError as exc:
        what = "language tag" if term[0] == "literal" and term[3] else "IRI"
        raise ParameterError(f"not a valid {what}: {term[3] if what == 'language tag' else term[1]!r} ({exc})") from None


def string_literal(text: str, language: str | None = None) -> str:
    """A string literal (with a language tag) as SPARQL text, for VALUES blocks."""
    return str(ox.Literal(text, language=language) if language else ox.Literal(text))


def from_rdflib(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def ntriples(triples: Iterable[tuple]) -> bytes:
    """N-Triples of rdflib triples, written by pyoxigraph."""
    return ox.serialize([ox.Triple(*map(from_rdflib, triple)) for triple in triples], format=ox.RdfFormat.N_TRIPLES) or b""
