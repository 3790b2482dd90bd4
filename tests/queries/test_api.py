"""The named-query API itself: listing, unknown names, header parsing."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from graph.errors import QuerySyntaxError
from graph.sparql.named_queries import load_named_queries, parse_named_query

ROOT = Path(__file__).resolve().parents[2]


def test_listing_describes_parameters_and_columns(server):
    listing = {q["name"]: q for q in requests.get(server.url + "/api/queries", timeout=30).json()}
    assert {"workshops", "speakers", "topics", "municipalities"} <= set(listing)
    workshops = listing["workshops"]
    assert [p["name"] for p in workshops["parameters"]] == ["state", "year"]
    assert workshops["parameters"][1]["type"] == "integer"
    assert workshops["columns"][0] == {"name": "workshop", "type": "iri", "description": "The workshop."}


def test_unknown_query_is_404_listing_the_known_ones(server):
    response = requests.get(server.url + "/api/queries/nope", timeout=30)
    assert response.status_code == 404 and "workshops" in response.json()["error"]


def test_unknown_suffix_is_406(server):
    assert requests.get(server.url + "/api/queries/workshops.pdf", timeout=30).status_code == 406


def test_every_project_query_loads():
    assert len(load_named_queries(ROOT / "queries")) >= 4


@pytest.mark.parametrize("text, message", [
    ("SELECT * { ?s ?p ?o }", "title"),
    ("# title: [broken\nSELECT * { ?s ?p ?o }", "YAML"),
    ("# title: T\nSELECT * { ?s ?p }", "expected"),
    ("# title: T\n# columns: {a: {}}\nSELECT ?b { ?b ?p ?o }", "differ"),
    ("# title: T\n# parameters: {x: {type: iri}}\nSELECT ?s { ?s ?p ?x }", "projected"),
    ("# title: T\n# parameters: {x: {type: colour}}\nSELECT ?x { ?s ?p ?x }", "unknown type"),
    ("# title: T\n# parameters: {x: {type: iri, pattern: '?s <http://ex/p> ?x'}}\nSELECT ?s ?x { ?s ?p ?x }",
     "no WHERE"),
    ("# title: T\n# parameters: {x: {type: iri, pattern: '?s <http://ex/p> ?x }'}}\nSELECT ?s ?x WHERE { ?s ?p ?x }",
     "patterns"),
])
def test_malformed_query_files_are_refused(tmp_path, text, message):
    path = tmp_path / "broken.rq"
    path.write_text(text, "utf-8")
    with pytest.raises(QuerySyntaxError, match=message):
        parse_named_query(path)
