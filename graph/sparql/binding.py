"""Named-query parameters written into the query text, safely, for engines without substitutions.

Oxigraph binds parameters through `substitutions`. A remote SPARQL 1.1 store (Virtuoso,
Fuseki, GraphDB, QLever) only takes query text, so the value must go into the text. We never
paste user input as text: each value becomes an RDF term serialised by the N-Triples rules
(IRIs checked for forbidden characters, literals escaped, language tags and datatypes
checked), and only variable tokens are replaced, found by a tokenizer that skips strings,
IRIs and comments. This mirrors Oxigraph's substitution: a parameter variable is replaced in
the WHERE clause; a projected parameter becomes a constant column `(term AS ?var)`, and one
that a BIND (… AS ?var) also binds is joined by a trailing VALUES clause, so both engines give
the same answers.
"""

from __future__ import annotations

import re

from graph.terms import sparql_text

_TOKENS = re.compile(r'''
    (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<variable>[?$][A-Za-z_0-9\u00B7\u00C0-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<other>.)
''', re.VERBOSE | re.DOTALL)


def term_text(term: tuple) -> str:
    """An engine term ("iri", value) or ("literal", value, datatype, language) as SPARQL text.

    :raises ParameterError: if an IRI, datatype or language tag is malformed.
    """
    return sparql_text(term)


def bind_in_text(query: str, substitutions: tuple) -> str:
    """`query` with each (name, term) of `substitutions` written in as an escaped RDF term."""
    if not substitutions:
        return query
    values = {name: term_text(term) for name, term in substitutions}
    tokens = [(m.lastgroup, m.group()) for m in _TOKENS.finditer(query)]
    bound_by_bind = _bound_by_as(tokens)
    out, previous, projecting, depth, projected = [], "", False, 0, set()
    for kind, token in tokens:
        upper = token.upper()
        if kind == "word" and upper == "SELECT":
            projecting, depth = True, 0   # a projection names variables; it never takes constants
        elif projecting and ((kind == "word" and upper == "WHERE") or token == "{"):
            projecting = False
        elif projecting and token in "()":
            depth += 1 if token == "(" else -1
        elif kind == "variable" and token[1:] in values and previous != "AS":
            name = token[1:]
            if not projecting or depth > 0:
                token = values[name]
            elif name not in bound_by_bind:
                # A projected parameter becomes a constant column. (A trailing VALUES would do the
                # same by the standard, but Virtuoso joins it as equality and drops every row.)
                token = f"({values[name]} AS ?{name})"
                projected.add(name)
        if kind != "comment" and not token.isspace():
            previous = upper
        out.append(token)
    names = [n for n in values if n not in projected]
    if not names:
        return "".join(out)
    # Parameters that a BIND (… AS ?var) also binds: the trailing VALUES joins the two, as
    # Oxigraph's substitution does.
    trailing = "\nVALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(values[n] for n in names) + ") }\n"
    return "".join(out).rstrip() + trailing


def write_terms(fragment: str, substitutions) -> str:
    """`fragment` with the variables of `substitutions` written as escaped RDF terms (no projection rules)."""
    values = {name: term_text(term) for name, term in substitutions}
    return "".join(values.get(m.group()[1:], m.group()) if m.lastgroup == "variable" else m.group()
                   for m in _TOKENS.finditer(fragment))


def insert_into_where(query: str, fragment: str) -> str:
    """`query` with `fragment` first in its outermost WHERE group.

    :raises ValueError: if the query has no `WHERE {` outside strings, IRIs and comments.
    """
    after_where = False
    for match in _TOKENS.finditer(query):
        token = match.group()
        if match.lastgroup == "word" and token.upper() == "WHERE":
            after_where = True
        elif after_where and token == "{":
            return query[:match.end()] + "\n  " + fragment + query[match.end():]
        elif match.lastgroup != "comment" and not token.isspace():
            after_where = False
    raise ValueError("the query has no WHERE { … } to put a parameter's pattern in")


def _bound_by_as(tokens: list[tuple[str, str]]) -> set[str]:
    """Variables that follow AS outside the projection (BIND … AS ?var)."""
    found, previous, projecting = set(), "", False
    for kind, token in tokens:
        upper = token.upper()
        if kind == "word" and upper == "SELECT":
            projecting = True
        elif (kind == "word" and upper == "WHERE") or token == "{":
            projecting = False
        elif kind == "variable" and previous == "AS" and not projecting:
            found.add(token[1:])
        if kind != "comment" and not token.isspace():
            previous = upper
    return found


def names_dataset(query: str) -> bool:
    """Whether `query` chooses its own dataset with FROM or FROM NAMED (outside strings, IRIs and comments)."""
    tokens = [m for m in _TOKENS.finditer(query) if m.lastgroup != "comment" and not m.group().isspace()]
    for index, match in enumerate(tokens):
        if match.lastgroup == "word" and match.group().upper() == "FROM":
            before = tokens[index - 1].group() if index else ""
            after = tokens[index + 1].group() if index + 1 < len(tokens) else ""
            if before != ":" and after != ":":  # not part of a prefixed name such as from:x or ex:FROM
                return True
    return False
