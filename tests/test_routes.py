"""The route table and the one error shape (house style: pin both down)."""

from __future__ import annotations

import pytest

from server.app import create_app


@pytest.fixture(scope="module")
def app(seed_store):
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True})
    yield app
    app.extensions["kommunalgraph"].close()


def test_route_table(app):
    routes = {(rule.rule, tuple(sorted(rule.methods - {"HEAD", "OPTIONS"}))) for rule in app.url_map.iter_rules()
              if rule.endpoint != "static"}
    assert {("/sparql", ("GET", "POST")), ("/api/queries", ("GET",)), ("/api/queries/<name>", ("GET",)),
            ("/health", ("GET",)), ("/store", ("DELETE", "GET", "POST", "PUT")), ("/metrics", ("GET",))} <= routes


@pytest.mark.parametrize("method, path, status", [
    ("get", "/nowhere", 404), ("delete", "/sparql", 405), ("get", "/api/queries/none", 404),
    ("get", "/sparql?query=SELECT", 400),
])
def test_every_error_has_the_same_shape(app, method, path, status):
    response = getattr(app.test_client(), method)(path, headers={"Accept": "application/json"})
    assert response.status_code == status
    body = response.get_json()
    assert body["status"] == status and isinstance(body["error"], str) and body["error"]
