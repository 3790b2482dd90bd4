"""Limits over HTTP against the real server (issue 6): time, result size, bodies, concurrency, rate."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from server.limits import TokenBuckets
from tests.helpers import LiveServer, busy_workers, children, cpu_seconds, running, wait_until

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "ASK { ?s a <https://w3id.org/kommunalgraph/ontology#Workshop> }"


def start(seed_store, tmp_path, args=(), **env) -> LiveServer:
    """A server over the seed store; `env` sets KG_* settings.

    Issue 11: the cache warms the named queries in the background on the same workers, so with one
    worker a test's runaway query waited behind the warming, timed out in the queue itself, and the
    next query got the worker (200, not 503). These tests measure the workers, so warming is off.
    """
    settings = {"WARM_CACHE": "false", **env}
    return LiveServer(["--store", str(seed_store.root), *args], env={f"KG_{k}": str(v) for k, v in settings.items()},
                      log=tmp_path / "server.log")


def query_running(workers: list[int], since: dict[int, float]) -> list[int]:
    """Wait until a query runs in one of `workers` (it uses CPU), and return the busy ones."""
    return wait_until(lambda: busy_workers(workers, since, 0.2), 60, "a worker running the runaway query")


def runaway_holding_a_worker(server: LiveServer) -> threading.Thread:
    """Send RUNAWAY to /sparql in a thread and return once a worker runs it. Issue 11: the worker must be running
    it before the next request is sent; a fixed pause here lost the race on a loaded machine (200 instead of 503)."""
    workers = children(server.process.pid)
    since = cpu_readings(workers)
    thread = threading.Thread(target=requests.get, args=(server.url + "/sparql",),
                              kwargs={"params": {"query": RUNAWAY}, "timeout": 60})
    thread.start()
    query_running(workers, since)
    return thread


def cpu_readings(pids: list[int]) -> dict[int, float]:
    """CPU seconds per process now, to compare with later."""
    return {pid: cpu_seconds([pid]) for pid in pids}


def test_a_runaway_query_is_stopped_within_the_limit_while_others_are_served(seed_store, tmp_path):
    server = start(seed_store, tmp_path, ["--timeout", "2", "--workers", "2"])
    try:
        outcome = {}

        def runaway():
            started = time.monotonic()
            response = requests.get(server.url + "/sparql", params={"query": RUNAWAY}, timeout=60)
            outcome.update(status=response.status_code, body=response.json(), seconds=time.monotonic() - started,
                           retry=response.headers.get("Retry-After"))

        workers = children(server.process.pid)
        since = cpu_readings(workers)
        thread = threading.Thread(target=runaway)
        thread.start()
        query_running(workers, since)
        answered_meanwhile = 0
        while thread.is_alive():
            response = requests.get(server.url + "/sparql", params={"query": QUICK}, timeout=60)
            assert response.status_code == 200 and response.json()["boolean"] is True
            answered_meanwhile += thread.is_alive()
            time.sleep(0.1)  # pacing, not waiting: leave the cores to the server
        thread.join()
        assert outcome["status"] == 503 and "2 s" in outcome["body"]["error"] and outcome["retry"]
        # How close to 2 s the runaway is stopped is measured in bench/, not asserted here; the
        # bound only says it was stopped by the limit, not run to its end (it would take hours).
        assert outcome["seconds"] < 2 + 20, outcome
        assert answered_meanwhile >= 1, "quick queries were answered while the runaway ran"
        # The runaway's CPU is freed: its worker is gone (a fresh one replaces it), the rest idle.
        alive = wait_until(lambda: (left := [pid for pid in workers if running(pid)]) and len(left) < len(workers)
                           and left, 30, "the worker that ran the runaway query being killed")
        assert len(alive) == len(workers) - 1, "only the worker that ran the runaway query was killed"
        used = cpu_seconds(alive + [server.process.pid])
        time.sleep(1.0)  # a measurement window: idle processes use (almost) no CPU in it
        assert cpu_seconds(alive + [server.process.pid]) - used < 0.2
    finally:
        server.stop()


def test_a_result_past_the_size_cap_is_422(seed_store, tmp_path):
    server = start(seed_store, tmp_path, MAX_RESULT_BYTES=2000)
    try:
        big = requests.get(server.url + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, timeout=60)
        assert big.status_code == 422 and "2000 bytes" in big.json()["error"]
        small = requests.get(server.url + "/sparql", params={"query": QUICK}, timeout=60)
        assert small.status_code == 200
    finally:
        server.stop()


def test_concurrent_queries_past_the_cap_get_503_with_retry_after(seed_store, tmp_path):
    server = start(seed_store, tmp_path, ["--workers", "1", "--timeout", "4"], QUEUE_TIMEOUT=0.5)
    try:
        thread = runaway_holding_a_worker(server)
        busy = requests.get(server.url + "/sparql", params={"query": QUICK}, timeout=60)
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
        assert "busy" in busy.json()["error"]
        thread.join()
        assert requests.get(server.url + "/sparql", params={"query": QUICK}, timeout=60).status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize("in_server, page_status", [("true", 200), ("false", 503)])
def test_a_named_page_is_answered_while_the_only_worker_runs_away(seed_store, tmp_path, in_server, page_status):
    """A page read by index runs in the server's thread (KG_LOOKUPS_IN_SERVER), so a runaway /sparql query that
    holds every worker does not hold the named-query API up; without the lane the page waits for the worker."""
    # The runaway holds the worker for its 6 s; the page takes milliseconds, so "still running" has room under load.
    server = start(seed_store, tmp_path, ["--workers", "1", "--timeout", "6"], QUEUE_TIMEOUT=0.5,
                   LOOKUPS_IN_SERVER=in_server, CACHE_BYTES=0)
    try:
        thread = runaway_holding_a_worker(server)
        page = requests.get(server.url + "/api/queries/workshops", params={"state": "08"}, timeout=60,
                            headers={"Accept": "application/sparql-results+json"})
        still_running = thread.is_alive()
        assert page.status_code == page_status, page.text[:300]
        if page_status == 200:
            rows = page.json()["results"]["bindings"]
            assert {"Achern", "Bad Schönborn"} <= {row["municipalityLabel"]["value"] for row in rows}
            assert still_running, "the page was answered while the runaway still held the worker"
        thread.join()
    finally:
        server.stop()


def test_query_bodies_past_1_mib_are_413_in_every_form(server):
    padding = "#" * (1024 * 1024 + 1)
    direct = requests.post(server.url + "/sparql", data=padding.encode(), timeout=30,
                           headers={"Content-Type": "application/sparql-query"})
    form = requests.post(server.url + "/sparql", data={"query": padding + "\nASK {}"}, timeout=30)
    assert direct.status_code == form.status_code == 413
    fits = requests.post(server.url + "/sparql", data={"query": " " * 900_000 + "ASK {}"}, timeout=30)
    assert fits.status_code == 200, "a form query under the cap is not cut by Flask's form-field limit"


def test_rate_limiting_per_client_with_retry_after(seed_store, tmp_path):
    server = start(seed_store, tmp_path, RATE_LIMIT=1, RATE_BURST=3, RATE_LIMIT_EXEMPT="", TRUSTED_PROXY="127.0.0.1")
    try:
        alice = {"X-Forwarded-For": "203.0.113.7"}
        statuses = [requests.get(server.url + "/health", headers=alice, timeout=30).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = requests.get(server.url + "/health", headers=alice, timeout=30)
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert "203.0.113.7" in limited.json()["error"]
        other = requests.get(server.url + "/health", headers={"X-Forwarded-For": "198.51.100.1"}, timeout=30)
        assert other.status_code == 200, "each client has its own bucket"
        # The bucket refills with time itself: waiting as long as Retry-After says is the contract.
        time.sleep(int(limited.headers["Retry-After"]))
        assert requests.get(server.url + "/health", headers=alice, timeout=30).status_code == 200
        metrics = requests.get(server.url + "/metrics", headers={"X-Forwarded-For": "192.0.2.9"}, timeout=30).text
        assert "kommunalgraph_rate_limited_requests_total 2.0" in metrics
    finally:
        server.stop()


def test_loopback_is_exempt_and_untrusted_forwarding_headers_are_ignored(seed_store, tmp_path):
    server = start(seed_store, tmp_path, RATE_LIMIT=1, RATE_BURST=1)
    try:
        spoofed = {"X-Forwarded-For": "203.0.113.7"}
        assert {requests.get(server.url + "/health", headers=spoofed, timeout=30).status_code
                for _ in range(5)} == {200}
    finally:
        server.stop()


def test_token_bucket_refills_at_the_rate():
    now = [0.0]
    buckets = TokenBuckets(rate=2, burst=2, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(2)] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(0.5)
    now[0] = 0.5
    assert buckets.take("a") == 0.0 and buckets.take("b") == 0.0


def test_stopping_the_server_stops_a_running_query(seed_store, tmp_path):
    """No worker outlives its server, not even one deep in a runaway query."""
    server = start(seed_store, tmp_path, ["--timeout", "600"])
    workers = children(server.process.pid)
    since = cpu_readings(workers)

    def runaway():
        try:
            requests.get(server.url + "/sparql", params={"query": RUNAWAY}, timeout=60)
        except requests.RequestException:
            pass  # the server goes away under it (a reset, or a connection closed mid-answer)

    thread = threading.Thread(target=runaway, daemon=True)
    thread.start()
    # Issue 11: stop the server only once a worker is deep in the query, not after a fixed pause.
    query_running(workers, since)
    server.stop()
    wait_until(lambda: not any(running(pid) for pid in workers), 30, "every worker gone after the server stopped")
    thread.join(60)
