"""The HTTP side of bench/cold.py: every case once through a fresh server, and how a case is named."""

from __future__ import annotations

import time

import requests

from tests.helpers import LiveServer
from graph.store.versions import VersionedStore


def http_ms(session, url: str, case, statuses: dict) -> float:
    """One cold HTTP run; its status is counted in `statuses` (a result over KG_MAX_RESULT_BYTES is
    a 422, a query over KG_QUERY_TIMEOUT a 503 and a failing remote store a 502, which users meet
    too, so they are reported, not hidden)."""
    name, arguments = case
    started = time.perf_counter()
    response = session.get(f"{url}/api/queries/{name}", params=arguments, headers={"Cache-Control": "no-cache"},
                           timeout=600)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code not in (200, 422, 502, 503):
        response.raise_for_status()
    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return elapsed


def http_pass(store: VersionedStore, drawn, sink: dict, statuses: dict, env: dict, ready: str = "/health",
              client=requests.Session) -> None:
    """Every case once through a fresh `kommunalgraph serve` on `store` with the result cache off, asked with
    `client` (a session class: requests.Session or LeanSession)."""
    server = LiveServer(["--store", str(store.root)], env={"KG_CACHE_BYTES": "0", **env}, ready=ready)
    try:
        with client() as session:
            for case in drawn:
                sink[case_key(case)].append(http_ms(session, server.url, case, statuses[case_key(case)]))
    finally:
        server.stop()


def case_key(case) -> str:
    name, arguments = case
    return name + ("?" + "&".join(f"{k}={v}" for k, v in arguments.items()) if arguments else "")
