"""Federated queries: SERVICE calls only to allow-listed endpoints, checked before anything runs.

Oxigraph evaluates `SERVICE <iri>` with its own HTTP client, so a query could make the server
call any host, internal ones included. Every SERVICE clause is therefore found first by
parsing the query with rdflib's SPARQL parser (used only to inspect the syntax tree, never to
evaluate), and a query naming anything but an allow-listed endpoint, or a variable, is
refused. Only then does the query reach the engine; its time limit covers the remote call.
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
# rdflib's parser runs in the request thread, not in a killable worker: longer queries are
# checked by their tokens only (linear time).
MAX_PARSED = 50_000

# Tokens of a SPARQL query that can hide the word SERVICE: strings, IRIs, comments, variables,
# prefixed names. What is left over are keywords and punctuation.
_TOKENS = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!\'\'))*\'\'\'|"(?:[^"\\\n\r]|\\.)*"'''
                     r'''|'(?:[^'\\\n\r]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*|[?$][\w\u00b7-]+'''
                     r'''|[\w.-]*:[\w.:%\\-]*|[A-Za-z_]\w*''')
_ESCAPES = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def allowed_endpoints(setting) -> tuple[str, ...]:
    """The allow-list from configuration: a list, or one string of IRIs separated by spaces or commas."""
    if isinstance(setting, str):
        return tuple(part for part in re.split(r"[\s,]+", setting) if part)
    return tuple(str(part) for part in setting or ())


def check_services(query: str, allowed: Iterable[str]) -> list[str]:
    """The SERVICE endpoints `query` calls, all of them allow-listed.

    :raises ServiceNotAllowed: if a SERVICE names another IRI or a variable, or if the query
        mentions SERVICE in a way that cannot be checked.
    """
    allowed = set(allowed)
    unescaped = _ESCAPES.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    if "service" not in unescaped.lower():
        return []  # no SERVICE keyword, no federation: nothing to check
    try:
        if len(query) > MAX_PARSED:
            raise ParseException(query, 0, f"query longer than {MAX_PARSED} characters")
        tree = parseQuery(query)
    except (ParseException, RecursionError) as exc:
        # rdflib's grammar lacks some SPARQL 1.2 syntax and recurses without end on nested
        # SERVICE: fall back to the query's tokens, accepting only literal allow-listed IRIs.
        return _check_tokens(unescaped, allowed, exc)
    prologue = translatePrologue(tree[0], None)
    services = []
    for term in _service_terms(tree[1]):
        if isinstance(term, Variable):
            raise ServiceNotAllowed(f"SERVICE ?{term} is not allowed: name an allow-listed endpoint "
                                    f"({', '.join(sorted(allowed)) or 'none configured'}); no request was made")
        if isinstance(term, CompValue) and term.name == "pname":
            term = prologue.resolvePName(term.prefix, term.localname)
        iri = str(prologue.absolutize(term)) if isinstance(term, URIRef) else str(term)
        if iri not in allowed:
            raise ServiceNotAllowed(f"SERVICE <{iri}> is not allowed; allowed endpoints: "
                                    f"{', '.join(sorted(allowed)) or 'none'}; no request was made", iri)
        services.append(iri)
    return services


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


def _check_tokens(query: str, allowed: set[str], error: Exception) -> list[str]:
    """SERVICE clauses found among the tokens: each must name an allow-listed IRI literally."""
    tokens = [t for t in _TOKENS.findall(query) if not t.startswith("#")]
    services = []
    for i, token in enumerate(tokens):
        if token.upper() != "SERVICE":
            continue  # 'service' inside a string, IRI or name is no SERVICE clause
        target = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 1].upper() == "SILENT" else \
            (tokens[i + 1] if i + 1 < len(tokens) else "")
        iri = target[1:-1] if target.startswith("<") else None
        if iri not in allowed:
            where = (f" (line {error.lineno}, column {error.col}: {error.msg})"
                     if isinstance(error, ParseException) else "")
            raise ServiceNotAllowed(f"SERVICE {target or '(nothing)'} is not allowed or could not be checked{where}; "
                                    f"allowed endpoints, written as <IRI>: {', '.join(sorted(allowed)) or 'none'}; "
                                    f"no request was made", iri)
        services.append(iri)
    return services
