"""Prometheus metrics at /metrics (issue 6): requests, latencies, timeouts, rejected writes."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import TOKEN, WRITE_TOKENS, workshop_update
from tests.test_limits import RUNAWAY

UPDATE = {"Content-Type": "application/sparql-update"}


def samples(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.get_data(as_text=True)) for s in family.samples}


def test_metrics_count_requests_timeouts_and_writes(store_copy, make_app):
    """Flask's test client: the metrics are the app's own, no process boundary is involved."""
    client = make_app(STORE=str(store_copy.root), WRITE_TOKENS=WRITE_TOKENS, QUERY_TIMEOUT=1).test_client()
    assert client.get("/sparql", query_string={"query": RUNAWAY}).status_code == 503
    assert client.post("/sparql", data=workshop_update("m1").encode(), headers=UPDATE).status_code == 401
    bearer = {**UPDATE, "Authorization": f"Bearer {TOKEN}"}
    assert client.post("/sparql", data=workshop_update("m2", place=None).encode(), headers=bearer).status_code == 409
    assert client.post("/sparql", data=workshop_update("m3").encode(), headers=bearer).status_code == 200
    found = samples(client)
    assert found[("kommunalgraph_query_timeouts_total", ())] == 1
    assert found[("kommunalgraph_rejected_writes_total", (("reason", "auth"),))] == 1
    assert found[("kommunalgraph_rejected_writes_total", (("reason", "shapes"),))] == 1
    assert found[("kommunalgraph_writes_total", (("operation", "UPDATE"),))] == 1
    key = ("kommunalgraph_http_requests_total", (("endpoint", "/sparql"), ("method", "GET"), ("status", "503")))
    assert found[key] == 1
    latency = found[("kommunalgraph_http_request_duration_seconds_count", (("endpoint", "/sparql"),))]
    assert latency == 4
    assert found[("kommunalgraph_http_request_duration_seconds_sum", (("endpoint", "/sparql"),))] >= 1.0


def test_metrics_can_be_turned_off(seed_store, make_app):
    client = make_app(STORE=str(seed_store.root), METRICS_ENABLED=False).test_client()
    assert client.get("/metrics").status_code == 404
