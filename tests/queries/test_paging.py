"""Pages of named queries: `limit` and `offset` (graph/sparql/paging.py), through Flask's test client."""

from __future__ import annotations

import pytest

from graph.errors import QuerySyntaxError
from graph.sparql.named_queries import parse_named_query
from server.app import create_app


def rows(client, name: str, **params) -> list[dict]:
    response = client.get(f"/api/queries/{name}", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in row.items()} for row in response.get_json()["results"]["bindings"]]


@pytest.mark.parametrize("name, params", [("workshops", {}), ("workshops", {"year": "2022"}), ("speakers", {}),
                                          ("topics", {}), ("municipalities", {})])
def test_pages_are_the_full_answer_cut_in_order(client, name, params):
    everything = rows(client, name, **params)
    assert len(everything) >= 4
    pages = [rows(client, name, limit="2", offset=str(start), **params) for start in range(0, len(everything) + 2, 2)]
    assert all(len(page) == 2 for page in pages[:len(everything) // 2])
    assert [row for page in pages for row in page] == everything
    assert rows(client, name, offset="1", **params) == everything[1:]


@pytest.mark.parametrize("params, word", [({"limit": "0"}, "limit"), ({"limit": "zehn"}, "limit"),
                                          ({"limit": "10001"}, "limit"), ({"offset": "-1"}, "offset"),
                                          ({"offset": "1e3"}, "offset"), ({"limit": "2.5"}, "limit")])
def test_a_malformed_page_is_a_400_naming_the_parameter(client, params, word):
    response = client.get("/api/queries/workshops", query_string=params)
    assert response.status_code == 400
    assert f"parameter {word!r} must be a whole number" in response.get_json()["error"]


def test_a_too_large_answer_says_how_to_page(seed_store):
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True, "MAX_RESULT_BYTES": 2000})
    try:
        client = app.test_client()
        response = client.get("/api/queries/workshops", headers={"Cache-Control": "no-cache"})
        assert response.status_code == 422
        assert "limit and offset" in response.get_json()["error"]
        assert client.get("/api/queries/workshops", query_string={"limit": "1"}).status_code == 200
    finally:
        app.extensions["kommunalgraph"].close()


def test_a_query_may_not_declare_a_paging_parameter(tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("# title: Broken\n# parameters:\n#   limit: {type: integer}\nSELECT ?limit WHERE { BIND(1 AS ?limit) }\n",
                    encoding="utf-8")
    with pytest.raises(QuerySyntaxError, match="'limit' is not a parameter name"):
        parse_named_query(path)


def test_the_openapi_document_lists_limit_and_offset_for_every_query(client):
    document = client.get("/api/openapi.json").get_json()
    for path, operations in document["paths"].items():
        if path.startswith("/api/queries/"):
            names = {p["name"] for p in operations["get"]["parameters"]}
            assert {"limit", "offset"} <= names, path
