"""Comparing an answer with a test's expected result: literals exactly, blank nodes up to renaming."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

JSON_RESULTS = "application/sparql-results+json"
CSV_RESULTS = "text/csv"
TSV_RESULTS = "text/tab-separated-values"
N_TRIPLES = "application/n-triples"
_BY_EXTENSION = {"srx": "application/sparql-results+xml", "srj": JSON_RESULTS, "csv": CSV_RESULTS,
                 "tsv": TSV_RESULTS, "ttl": "text/turtle", "nt": N_TRIPLES, "rdf": "application/rdf+xml"}

# A solution is {variable: term}; a term is its N-Triples text ("_:x" for a blank node), or the
# cell text for CSV, which cannot say what kind of term a cell holds.
Solution = dict[str, str]

_TOKENS = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                     r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*|[{}]|\bORDER\s+BY\b", re.IGNORECASE)
_RS = "urn:x-kommunalgraph:result-set:"
# The vocabulary some expected results of SELECT and ASK tests are written in.
RESULT_SET = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"


def media_type_of(path: Path) -> str:
    """The media type of an expected-result file, from its extension."""
    return _BY_EXTENSION[path.suffix.lstrip(".")]


def accepted(result_path: Path | None) -> tuple[str, str]:
    """(results, graph) media types to ask for: CSV and TSV tests need their own lossy format."""
    media_type = media_type_of(result_path) if result_path else JSON_RESULTS
    return (media_type if media_type in (CSV_RESULTS, TSV_RESULTS) else JSON_RESULTS), N_TRIPLES


def is_ordered(query: str) -> bool:
    """Whether the query has ORDER BY outside any group, so its solutions come in a set order."""
    depth = 0
    for token in _TOKENS.finditer(query):
        text = token.group()
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
        elif depth == 0 and text[:1] in "oO":
            return True
    return False


def read_answer(media_type: str, body: bytes, base_iri: str) -> bool | list[Solution] | Graph:
    """A boolean, solutions in order, or a graph whose literal objects are kept as exact text."""
    media_type = media_type.split(";")[0].strip()
    if media_type == CSV_RESULTS:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        return [{v: cell for v, cell in zip(rows[0], row) if cell} for row in rows[1:]] if rows else []
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        results = ox.parse_query_results(body, results_format)
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        names = [v.value for v in results.variables]
        return [{n: str(t) for n, t in zip(names, solution) if t is not None} for solution in results]
    triples = list(ox.parse(body, ox.RdfFormat.from_media_type(media_type), base_iri=base_iri))
    result_set = _result_set(triples)
    if result_set is not None:
        return result_set
    graph = Graph()
    for triple in triples:
        graph.add((_node(triple.subject), _node(triple.predicate), _node(triple.object)))
    return graph


def _result_set(triples: list) -> bool | list[Solution] | None:
    """Solutions or a boolean written in the suite's result-set vocabulary, or None for other graphs."""
    about: dict = {}
    for triple in triples:
        about.setdefault(triple.subject, {}).setdefault(triple.predicate.value, []).append(triple.object)
    result_set = ox.NamedNode(RESULT_SET + "ResultSet")
    roots = [node for node, fields in about.items() if result_set in fields.get(str(RDF.type), [])]
    if not roots:
        return None
    fields = about[roots[0]]
    if RESULT_SET + "boolean" in fields:
        return fields[RESULT_SET + "boolean"][0].value == "true"
    rows = []
    for row in fields.get(RESULT_SET + "solution", []):
        solution = {}
        for binding in about[row].get(RESULT_SET + "binding", []):
            variable, value = about[binding][RESULT_SET + "variable"][0], about[binding][RESULT_SET + "value"][0]
            solution[variable.value] = str(value)
        index = about[row].get(RESULT_SET + "index")
        rows.append((int(index[0].value) if index else 0, solution))
    return [solution for _, solution in sorted(rows, key=lambda row: row[0])]


def _node(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    # rdflib would normalise typed literals ("01"^^xsd:integer to "1"); plain text keeps them exact.
    return Literal(str(term))


def mismatch(expected, actual, ordered: bool) -> str | None:
    """Why `actual` differs from `expected`, or None when they are the same result."""
    if isinstance(expected, Graph) or isinstance(actual, Graph):
        if isinstance(expected, Graph) and isinstance(actual, Graph) and isomorphic(expected, actual):
            return None
        return f"graphs differ: expected {_size(expected)}, got {_size(actual)}"
    if isinstance(expected, bool) or isinstance(actual, bool):
        return None if expected is actual else f"expected {expected}, got {actual}"
    if _same_solutions(expected, actual, ordered):
        return None
    missing = Counter(map(_key, expected)) - Counter(map(_key, actual))
    extra = Counter(map(_key, actual)) - Counter(map(_key, expected))
    detail = f"; missing {_show(missing)}; unexpected {_show(extra)}" if missing or extra else "; order differs"
    return f"expected {len(expected)} solutions, got {len(actual)}{detail}"


def _size(result) -> str:
    return f"{len(result)} triples" if isinstance(result, Graph) else type(result).__name__


def _key(solution: Solution) -> frozenset:
    return frozenset(solution.items())


def _show(counter: Counter) -> str:
    shown = [dict(sorted(key)) for key in list(counter)[:2]]
    return f"{sum(counter.values())} (e.g. {shown})" if counter else "none"


def _same_solutions(expected: list[Solution], actual: list[Solution], ordered: bool) -> bool:
    if len(expected) != len(actual):
        return False
    if not any(term.startswith("_:") for s in expected + actual for term in s.values()):
        if ordered:
            return list(map(_key, expected)) == list(map(_key, actual))
        return Counter(map(_key, expected)) == Counter(map(_key, actual))
    return isomorphic(_solutions_graph(expected, ordered), _solutions_graph(actual, ordered))


def _solutions_graph(solutions: list[Solution], ordered: bool) -> Graph:
    """Solutions as a graph, so blank-node renaming is matched by graph isomorphism."""
    if ordered:
        rows = [(str(index), _key(solution), 1) for index, solution in enumerate(solutions)]
    else:
        rows = [(None, key, count) for key, count in Counter(map(_key, solutions)).items()]
    graph = Graph()
    for label, key, count in rows:
        if label is None and not any(term.startswith("_:") for _, term in key):
            # A row without blank nodes is named by its content, which keeps isomorphism cheap.
            label = hashlib.sha1(repr(sorted(key)).encode()).hexdigest()
        node = BNode() if label is None else URIRef(_RS + label)
        graph.add((node, RDF.type, URIRef(_RS + "Solution")))
        graph.add((node, URIRef(_RS + "count"), Literal(str(count))))
        for name, term in key:
            value = BNode(term[2:]) if term.startswith("_:") else Literal(term)
            graph.add((node, URIRef(_RS + "var/" + name), value))
    return graph


def expected_answer(result_path: Path, base_iri: str) -> bool | list[Solution] | Graph:
    """The expected result of a test, read like an answer."""
    return read_answer(media_type_of(result_path), result_path.read_bytes(), base_iri)
