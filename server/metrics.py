"""Prometheus metrics at /metrics: requests, latencies, query timeouts, rejected writes, rate limiting."""

from __future__ import annotations

import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

bp = Blueprint("metrics", __name__)
_KEY = "kommunalgraph.metrics"

# Why a write was refused, by the error that refused it.
WRITE_REFUSALS = {"WriteRejected": "shapes", "ReadOnlyGraph": "read_only", "SuppressedPerson": "suppressed",
                  "WriteTimeout": "timeout",
                  "QuerySyntaxError": "syntax", "UpdateError": "update", "ReportParseError": "syntax",
                  "UnsupportedRdfFormat": "format", "GraphNotFound": "not_found"}


class Metrics:
    """The app's own registry, so that several apps in one process do not collide."""

    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter("kommunalgraph_http_requests", "HTTP requests by endpoint, method and status",
                                ["endpoint", "method", "status"], registry=self.registry)
        self.latency = Histogram("kommunalgraph_http_request_duration_seconds", "Time to answer a request",
                                 ["endpoint"], registry=self.registry,
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
        self.query_timeouts = Counter("kommunalgraph_query_timeouts", "Queries stopped at the time limit",
                                      registry=self.registry)
        self.rejected_writes = Counter("kommunalgraph_rejected_writes", "Writes refused, by reason",
                                       ["reason"], registry=self.registry)
        self.writes = Counter("kommunalgraph_writes", "Writes committed, by operation", ["operation"],
                              registry=self.registry)
        self.rate_limited = Counter("kommunalgraph_rate_limited_requests", "Requests refused with 429",
                                    registry=self.registry)


def init_app(app: Flask) -> None:
    """Count every request."""
    if not app.config["METRICS_ENABLED"]:
        return
    app.extensions[_KEY] = Metrics()
    app.before_request(_start_clock)
    app.after_request(_count)
    app.register_blueprint(bp)


def _start_clock() -> None:
    g.kg_started = time.perf_counter()


def _count(response):
    metrics: Metrics = current_app.extensions[_KEY]
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    metrics.requests.labels(endpoint, request.method, str(response.status_code)).inc()
    if "kg_started" in g:
        metrics.latency.labels(endpoint).observe(time.perf_counter() - g.kg_started)
    error = g.get("kg_error")
    if error == "QueryTimeout":
        metrics.query_timeouts.inc()
    if response.status_code == 429:
        metrics.rate_limited.inc()
    if g.get("kg_write_attempt"):
        if response.status_code in (401, 403) and error not in WRITE_REFUSALS:
            metrics.rejected_writes.labels("auth").inc()
        elif error in WRITE_REFUSALS:
            metrics.rejected_writes.labels(WRITE_REFUSALS[error]).inc()
        elif response.status_code < 300:
            metrics.writes.labels(request.method if request.blueprint == "graph_store" else "UPDATE").inc()
    return response


@bp.get("/metrics")
def metrics():
    """The metrics in Prometheus' text format."""
    return Response(generate_latest(current_app.extensions[_KEY].registry), content_type=CONTENT_TYPE_LATEST)
