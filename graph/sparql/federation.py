r"""Federated queries: a separate, allow-listed path beside the sandboxed query workers (issue 10).

Query workers run without network access (graph/store/sandbox.py), so no spelling of SERVICE can make
them reach a host. A query that is to call a remote endpoint runs in a separate federation worker
that keeps the network, and only if a strict gate proves that every SERVICE it contains names an
allow-listed endpoint. The gate is conservative on purpose: the raw text must contain no
backslash (rdflib expands \\u escapes before parsing, Oxigraph does not, and `\\#` in prefixed
names is read differently), no '#' except inside a plain http(s) IRI (no comment can hide or
reveal text), be at most MAX_PARSED characters (no fallback scan), and parse with rdflib's SPARQL
grammar; every SERVICE must name a
literal IRI or prefixed name that resolves to an allow-listed endpoint. Anything the gate cannot
prove runs in a sandboxed worker, where a SERVICE call fails and is reported as refused by policy.
"""

from __future__ import annotations

import re
from typing import Iterable

from pyparsing import ParseException
from rdflib import URIRef, Variable
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import ServiceNotAllowed

DEFAULT_ENDPOINTS = ("https://query.wikidata.org/sparql",)
# rdflib's parser runs in the request thread, not in a killable worker: longer queries are not
# parsed at all (they run sandboxed).
MAX_PARSED = 50_000
# Characters whose presence makes the gate give up: escapes and comments are where rdflib and
# Oxigraph were found to read the same text differently.
UNPROVABLE = ("\\", "#")
# The one place a '#' is allowed: inside an absolute http(s) IRI written with plain URI
# characters only (no space, quote, bracket, angle or parenthesis), such as owl#sameAs. Nothing in
# such a span can end a string or start a comment for either parser, and no grammar position
# reads it as anything but one IRI that both parsers accept alike.
HARMLESS_IRI = re.compile(r"<https?://[A-Za-z0-9\-._~:/?@!$&*+,;=%#]*>")


def allowed_endpoints(setting) -> tuple[str, ...]:
    """The allow-list from configuration: a list, or one string of IRIs separated by spaces or commas."""
    if isinstance(setting, str):
        return tuple(part for part in re.split(r"[\s,]+", setting) if part)
    return tuple(str(part) for part in setting or ())


def check_services(query: str, allowed: Iterable[str]) -> list[str] | None:
    """The SERVICE endpoints `query` calls, when the strict gate can prove them; None when it cannot.

    A list (maybe empty) means: rdflib's parse of exactly this text has these SERVICE clauses,
    all allow-listed. None means the text is outside what the gate judges (escapes, comments,
    length, syntax rdflib lacks): the query must run sandboxed.

    :raises ServiceNotAllowed: if the gate proves a SERVICE to another IRI or to a variable.
    """
    allowed = set(allowed)
    if "service" not in query.lower():
        return []  # no SERVICE keyword, no federation (keywords cannot be escaped in SPARQL)
    if not provable_text(query):
        return None
    try:
        tree = parseQuery(query)
        prologue = translatePrologue(tree[0], None)
        terms = list(_service_terms(tree[1]))
    except (ParseException, RecursionError):
        return None
    except Exception:  # rdflib raises bare Exception for an unknown prefix
        return None
    services = []
    for term in terms:
        if isinstance(term, Variable):
            raise ServiceNotAllowed(f"SERVICE ?{term} is not allowed: name an allow-listed endpoint "
                                    f"({', '.join(sorted(allowed)) or 'none configured'}); no request was made")
        try:
            if isinstance(term, CompValue) and term.name == "pname":
                term = prologue.resolvePName(term.prefix, term.localname)
            iri = str(prologue.absolutize(term)) if isinstance(term, URIRef) else str(term)
        except Exception:  # an unknown prefix: Oxigraph refuses it as well
            return None
        if iri not in allowed:
            raise ServiceNotAllowed(f"SERVICE <{iri}> is not allowed; allowed endpoints: "
                                    f"{', '.join(sorted(allowed)) or 'none'}; no request was made", iri)
        services.append(iri)
    return services


def provable_text(text: str) -> bool:
    """Whether `text` is inside what the gate judges: short enough, no backslash, and no '#'
    outside a plain http(s) IRI (see HARMLESS_IRI)."""
    if len(text) > MAX_PARSED or "\\" in text:
        return False
    return "#" not in HARMLESS_IRI.sub("", text)


def _service_terms(node) -> Iterable:
    """The endpoint term of every SERVICE clause anywhere in a parse tree (subqueries, EXISTS …)."""
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node.get("term")
        for value in node.values():
            yield from _service_terms(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _service_terms(value)
    elif hasattr(node, "asList") or isinstance(node, dict):
        for value in (node.values() if isinstance(node, dict) else node):
            yield from _service_terms(value)
