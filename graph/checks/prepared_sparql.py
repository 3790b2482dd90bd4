"""SHACL-SPARQL constraints parsed once per process, not once per focus node.

pyshacl hands each SPARQL-based constraint to rdflib as text for every focus node it checks,
and rdflib parses the text every time (about 60 ms with its pyparsing grammar). A gated write of
20 workshops spent 2.8 of its 3.4 seconds parsing the same few constraint queries 44 times.
rdflib's plugin registry lets a processor stand in for its "sparql" one: this one keeps the
translated query of each text (with its namespaces and base) and evaluates it with each call's
bindings, which is what rdflib's prepared queries are for. Only rdflib's own SPARQL (pyshacl's
constraints, graphs built in Python) goes through it; user queries run in Oxigraph.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import plugin
from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor


@lru_cache(maxsize=512)
def prepared(text: str, namespaces: tuple, base: str | None) -> Query:
    """The translated query of `text`; `namespaces` are (prefix, IRI) pairs."""
    return prepareQuery(text, dict(namespaces), base)


class PreparedSPARQLProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, with the translation of each query text kept."""

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 - rdflib's names
        """Evaluate like rdflib, from the kept translation when the query comes as text."""
        query = strOrQuery
        if isinstance(query, str):
            query = prepared(query, tuple(sorted((initNs or {}).items())), base)
        return super().query(query, initBindings, initNs, base, DEBUG)


def register() -> None:
    """Make it the processor rdflib uses for `Graph.query` (idempotent)."""
    plugin.register("sparql", Processor, __name__, "PreparedSPARQLProcessor")
