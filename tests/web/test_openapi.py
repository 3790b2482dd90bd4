"""Issue 4: the named queries as an OpenAPI 3.1 API, generated from the .rq headers."""

from __future__ import annotations

import pytest
import requests
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from graph.publish.openapi import openapi
from graph.sparql.named_queries import parse_named_query

from .conftest import parse_html


@pytest.fixture(scope="module")
def document(server):
    return requests.get(server.url + "/api/openapi.json", timeout=30).json()


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate_openapi(document)


def test_every_named_query_is_an_operation_with_its_parameters(document, server):
    listing = requests.get(server.url + "/api/queries", timeout=30).json()
    for query in listing:
        operation = document["paths"][f"/api/queries/{query['name']}"]["get"]
        assert operation["summary"] == query["title"]
        # The query's own parameters, then the paging every named query takes (graph/sparql/paging.py).
        paging = ["limit", "offset", "page"]
        assert [p["name"] for p in operation["parameters"]] == [p["name"] for p in query["parameters"]] + paging
    year = next(p for p in document["paths"]["/api/queries/workshops"]["get"]["parameters"] if p["name"] == "year")
    assert year["schema"] == {"type": "integer"} and year["example"] == 2022


def test_live_results_conform_to_the_documented_schema(document, sourced_server, report_text):
    server = sourced_server  # with source sentences, so that the provenance query finds rows
    for path, item in document["paths"].items():
        operation = item["get"]
        if path in ("/api/queries", "/api/search"):
            continue  # not named queries; /api/search: tests/test_search.py
        example = {p["name"]: p["example"] for p in operation["parameters"] if "example" in p}
        response = requests.get(server.url + path, params=example, timeout=30)
        assert response.status_code == 200, (path, response.text)
        schema = dict(operation["responses"]["200"]["content"]["application/sparql-results+json"]["schema"])
        schema["components"] = document["components"]
        Draft202012Validator(schema).validate(response.json())
        if path.endswith("/provenance") and report_text is None:
            continue  # no evidence without ../shared's report text (see tests/web/conftest.py)
        assert response.json()["results"]["bindings"], f"{path} with {example} found nothing"


def test_documented_error_shape_is_what_bad_input_gets(document, server):
    response = requests.get(server.url + "/api/queries/workshops", params={"year": "soon"}, timeout=30)
    assert response.status_code == 400
    Draft202012Validator(document["components"]["schemas"]["Error"]).validate(response.json())


def test_a_query_without_parameters_and_a_construct_query(tmp_path):
    path = tmp_path / "graph-of-things.rq"
    path.write_text("# title: Things\nCONSTRUCT WHERE { ?s a ?c }", "utf-8")
    operation = openapi([parse_named_query(path)], "http://127.0.0.1")["paths"]["/api/queries/graph-of-things"]
    assert [p["name"] for p in operation["get"]["parameters"]] == ["limit", "offset", "page"]
    assert "text/turtle" in operation["get"]["responses"]["200"]["content"]
    validate_openapi(openapi([parse_named_query(path)], "http://127.0.0.1"))


def test_docs_page_documents_every_query(server):
    html = parse_html(requests.get(server.url + "/api", headers={"Accept": "text/html"}, timeout=30).text)
    for name in ("workshops", "speakers", "topics", "municipalities", "provenance"):
        assert html.css_first(f"#q-{name}") is not None
    example = html.css_first("#q-workshops a").attributes["href"]
    assert requests.get(server.url + example, timeout=30).status_code == 200


@pytest.mark.parametrize("path", ["/api/openapi.yaml", "/api/openapi.json/x", "/api/docs/../../etc"])
def test_unknown_api_paths_are_404(server, path):
    assert requests.get(server.url + path, headers={"Accept": "application/json"}, timeout=30).status_code == 404


@pytest.mark.parametrize("path", ["/", "/api"])
@pytest.mark.parametrize("lang, title, description", [
    ("de", "Vortragende", "Personen mit Vorträgen"), ("en", "Speakers", "People who gave talks")])
def test_named_queries_are_titled_in_the_page_language(server, path, lang, title, description):
    html = parse_html(requests.get(server.url + path, params={"lang": lang}, headers={"Accept": "text/html"},
                                   timeout=30).text)
    described = [node for node in html.css("p[lang]") if description in node.text()]
    assert described and described[0].attributes["lang"] == lang
    assert any(node.text().strip().endswith(title) for node in html.css("h2, h3"))
