"""Prometheus metrics at /metrics (issue 6): requests, latencies, timeouts, rejected writes."""

from __future__ import annotations

import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import TOKEN, LiveServer, workshop_update, writer_server
from tests.test_limits import RUNAWAY

UPDATE = {"Content-Type": "application/sparql-update"}


def samples(server) -> dict:
    response = requests.get(server.url + "/metrics", timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def test_metrics_count_requests_timeouts_and_writes(store_copy, tmp_path):
    server = writer_server(store_copy, tmp_path, QUERY_TIMEOUT=1)
    try:
        assert requests.get(server.url + "/sparql", params={"query": RUNAWAY}, timeout=30).status_code == 503
        assert requests.post(server.url + "/sparql", data=workshop_update("m1").encode(), headers=UPDATE,
                             timeout=30).status_code == 401
        bearer = {**UPDATE, "Authorization": f"Bearer {TOKEN}"}
        assert requests.post(server.url + "/sparql", data=workshop_update("m2", place=None).encode(), headers=bearer,
                             timeout=30).status_code == 409
        assert requests.post(server.url + "/sparql", data=workshop_update("m3").encode(), headers=bearer,
                             timeout=30).status_code == 200
        found = samples(server)
        assert found[("kommunalgraph_query_timeouts_total", ())] == 1
        assert found[("kommunalgraph_rejected_writes_total", (("reason", "auth"),))] == 1
        assert found[("kommunalgraph_rejected_writes_total", (("reason", "shapes"),))] == 1
        assert found[("kommunalgraph_writes_total", (("operation", "UPDATE"),))] == 1
        key = ("kommunalgraph_http_requests_total", (("endpoint", "/sparql"), ("method", "GET"), ("status", "503")))
        assert found[key] == 1
        latency = found[("kommunalgraph_http_request_duration_seconds_count", (("endpoint", "/sparql"),))]
        assert latency == 4
        assert found[("kommunalgraph_http_request_duration_seconds_sum", (("endpoint", "/sparql"),))] >= 1.0
    finally:
        server.stop()


def test_metrics_can_be_turned_off(seed_store, tmp_path):
    server = LiveServer(["--store", str(seed_store.root)], env={"KG_METRICS_ENABLED": "false"},
                        log=tmp_path / "server.log")
    try:
        assert requests.get(server.url + "/metrics", timeout=30).status_code == 404
    finally:
        server.stop()
