"""Named-query parameters written into the query text, safely, for engines without substitutions.

Oxigraph binds parameters through `substitutions`. A remote SPARQL 1.1 store (Virtuoso,
Fuseki, GraphDB, QLever) only takes query text, so the value must go into the text. We never
paste user input as text: each value becomes an RDF term serialised by the N-Triples rules
(IRIs checked for forbidden characters, literals escaped, language tags and datatypes
checked), and only variable tokens are replaced, found by a tokenizer that skips strings,
IRIs and comments. This mirrors Oxigraph's substitution: a parameter variable is replaced in
the WHERE clause, except where a BIND (… AS ?var) or the projection names it, and a trailing
VALUES clause binds it in the results, so both engines give the same answers.
"""

from __future__ import annotations

import re

from graph.errors import ParameterError

_TOKENS = re.compile(r'''
    (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<comment>\#[^\n]*)
  | (?P<variable>[?$][A-Za-z_0-9\u00B7\u00C0-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<other>.)
''', re.VERBOSE | re.DOTALL)
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def term_text(term: tuple) -> str:
    """An engine term ("iri", value) or ("literal", value, datatype, language) as SPARQL text.

    :raises ParameterError: if an IRI, datatype or language tag is malformed.
    """
    if term[0] == "iri":
        return _iri(term[1])
    value, datatype, language = term[1], term[2], term[3]
    text = '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'
    if language:
        if not _LANGUAGE.match(language):
            raise ParameterError(f"malformed language tag {language!r}")
        return f"{text}@{language}"
    return f"{text}^^{_iri(datatype)}" if datatype else text


def _iri(value: str) -> str:
    if _IRI_FORBIDDEN.search(value) or ":" not in value:
        raise ParameterError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def bind_in_text(query: str, substitutions: tuple) -> str:
    """`query` with each (name, term) of `substitutions` written in as an escaped RDF term."""
    if not substitutions:
        return query
    values = {name: term_text(term) for name, term in substitutions}
    out, previous, projecting = [], "", False
    for match in _TOKENS.finditer(query):
        kind, token = match.lastgroup, match.group()
        upper = token.upper()
        if kind == "word" and upper == "SELECT":
            projecting = True      # a projection names variables; it never takes constants
        elif (kind == "word" and upper == "WHERE") or token == "{":
            projecting = False
        elif kind == "variable" and token[1:] in values and not projecting and previous != "AS":
            token = values[token[1:]]
        if kind != "comment" and not token.isspace():
            previous = upper
        out.append(token)
    names = list(values)
    trailing = "\nVALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(values[n] for n in names) + ") }\n"
    return "".join(out).rstrip() + trailing
