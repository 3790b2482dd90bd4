"""The route table and the one error shape (house style: pin both down)."""

from __future__ import annotations

import pytest


def test_route_table(app):
    routes = {(rule.rule, tuple(sorted(rule.methods - {"HEAD", "OPTIONS"}))) for rule in app.url_map.iter_rules()
              if rule.endpoint != "static"}
    assert {("/sparql", ("GET", "POST")), ("/api/queries", ("GET",)), ("/api/queries/<name>", ("GET",)),
            ("/health", ("GET",)), ("/store", ("DELETE", "GET", "POST", "PUT")), ("/metrics", ("GET",))} <= routes
    assert {("/reconcile", ("GET", "POST")), ("/reconcile/suggest/entity", ("GET",)),
            ("/reconcile/suggest/type", ("GET",)), ("/reconcile/suggest/property", ("GET",)),
            ("/reconcile/properties", ("GET",)), ("/reconcile/preview", ("GET",)),
            ("/reconcile/view", ("GET",))} <= routes, "issue 5"
    # Issue 4: publishing.
    assert {("/", ("GET",)), ("/<path:path>", ("GET",)), ("/.well-known/void", ("GET",)), ("/catalog", ("GET",)),
            ("/catalog.<extension>", ("GET",)), ("/downloads", ("GET",)), ("/downloads/<name>", ("GET",)),
            ("/downloads/<version>/<name>", ("GET",)), ("/api/openapi.json", ("GET",)), ("/api", ("GET",))} <= routes
    # Issue 14: the steward's review, publish and removal.
    assert {("/review", ("GET",)), ("/review/<name>", ("GET",)), ("/review/<name>", ("POST",)),
            ("/review/signin", ("POST",)), ("/review/upload", ("POST",)), ("/review/publish", ("GET",)),
            ("/review/publish", ("POST",)), ("/review/suppress", ("POST",))} <= routes


@pytest.mark.parametrize("method, path, status", [
    ("get", "/nowhere", 404), ("delete", "/sparql", 405), ("get", "/api/queries/none", 404),
    ("get", "/sparql?query=SELECT", 400),
])
def test_every_error_has_the_same_shape(client, method, path, status):
    response = getattr(client, method)(path, headers={"Accept": "application/json"})
    assert response.status_code == status
    body = response.get_json()
    assert body["status"] == status and isinstance(body["error"], str) and body["error"]


@pytest.mark.parametrize("path, status", [("/nowhere", 404), ("/api/queries/none", 404),
                                          ("/kommunalgraph/page/municipality/08215100?lang=xx", 400)])
def test_browsers_get_the_same_error_as_a_page(client, path, status):
    """Issue 4: clients that prefer HTML get an error page with the same status and message."""
    response = client.get(path, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == status and response.mimetype == "text/html"
    assert f"<h1>{status} " in response.get_data(as_text=True)
