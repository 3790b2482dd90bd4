"""The conformance harness compares results strictly: exact literals, order under ORDER BY, blank nodes."""

from __future__ import annotations

from tests.conformance.compare import is_ordered, mismatch, read_answer

INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
BASE = "http://example.org/"


def json_results(*rows: str) -> bytes:
    """SPARQL JSON results with one variable ?x and the given binding objects."""
    bindings = ", ".join(f'{{"x": {row}}}' for row in rows)
    return f'{{"head": {{"vars": ["x"]}}, "results": {{"bindings": [{bindings}]}}}}'.encode()


def solutions(*rows: str) -> list:
    """Parsed solutions, as the harness reads them."""
    return read_answer("application/sparql-results+json", json_results(*rows), BASE)


def test_literals_are_compared_exactly():
    one = '{"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}'
    zero_one = '{"type": "literal", "value": "01", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}'
    assert mismatch(solutions(one), solutions(one), ordered=False) is None
    assert mismatch(solutions(one), solutions(zero_one), ordered=False) is not None


def test_order_counts_only_when_ordered():
    a, b = '{"type": "uri", "value": "http://a"}', '{"type": "uri", "value": "http://b"}'
    assert mismatch(solutions(a, b), solutions(b, a), ordered=False) is None
    assert mismatch(solutions(a, b), solutions(b, a), ordered=True) is not None
    assert mismatch(solutions(a, a, b), solutions(a, b, b), ordered=False) is not None


def test_blank_nodes_match_up_to_renaming():
    x, y = '{"type": "bnode", "value": "x"}', '{"type": "bnode", "value": "y"}'
    assert mismatch(solutions(x, y), solutions(y, x), ordered=False) is None
    assert mismatch(solutions(x, y), solutions(x, x), ordered=False) is not None


def test_graphs_match_by_isomorphism_with_exact_literals():
    expected = read_answer("text/turtle", b'_:a <http://p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .', BASE)
    renamed = read_answer("application/n-triples", f'_:z <http://p> "1"^^{INTEGER} .'.encode(), BASE)
    padded = read_answer("application/n-triples", f'_:z <http://p> "01"^^{INTEGER} .'.encode(), BASE)
    assert mismatch(expected, renamed, ordered=False) is None
    assert mismatch(expected, padded, ordered=False) is not None


def test_order_by_inside_a_subquery_does_not_order_the_result():
    assert is_ordered("SELECT * { ?s ?p ?o } ORDER BY ?s")
    assert not is_ordered("SELECT * { { SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 1 } }")
    assert not is_ordered('SELECT * { ?s ?p "ORDER BY" } # ORDER BY ?s')
