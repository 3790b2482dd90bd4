"""The sandbox itself (graph/store/sandbox.py): what a worker process can and cannot reach."""

from __future__ import annotations

import json

import pytest

from graph.errors import ServiceNotAllowed
from graph.store import sandbox
from graph.store.engine import QueryRequest
from graph.store.pool import PoolSettings, QueryPool
from tests.security.helpers import Listener

pytestmark = pytest.mark.skipif(sandbox.probe(True) is None, reason="this system cannot make a network namespace")


@pytest.fixture(scope="module")
def listener():
    item = Listener()
    yield item
    item.close()


def _pool(store, use_sandbox: bool = True, **options) -> QueryPool:
    return QueryPool(store, PoolSettings(workers=1, timeout=10, queue_timeout=30, sandbox=use_sandbox), **options)


def test_a_query_worker_reaches_nothing_not_even_loopback(seed_store, listener):
    pool = _pool(seed_store, allowed=(listener.url,))
    try:
        assert pool.sandbox_mode() in ("netns", "userns+netns")
        before = listener.drain()
        with pytest.raises(ServiceNotAllowed, match="refused by policy"):
            pool.query(QueryRequest(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
        assert listener.drain() == before
        silent = pool.query(QueryRequest(f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"))
        assert json.loads(silent.body)["results"]["bindings"] in ([], [{}])  # SILENT: the failure is no rows
        assert listener.drain() == before
    finally:
        pool.close()


def test_the_federation_worker_keeps_the_network(seed_store, listener):
    pool = _pool(seed_store, network=True)
    try:
        assert pool.sandbox_mode() == "network"
        before = listener.drain()
        with pytest.raises(Exception):  # the listener hangs up: the engine reports the failed call
            pool.query(QueryRequest(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
        assert listener.wait_for(before + 1) > before
    finally:
        pool.close()


def test_a_worker_without_sandbox_refuses_client_texts_that_mention_service(seed_store):
    pool = _pool(seed_store, use_sandbox=False)  # the `sandbox` setting off (KG_SANDBOX=0)
    try:
        assert pool.sandbox_mode() is None
        text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
        with pytest.raises(ServiceNotAllowed, match="strict mode"):
            pool.query(QueryRequest(text, untrusted=True))
        # A text the server built from checked terms may hold the word inside an IRI.
        built = pool.query(QueryRequest("ASK { GRAPH <http://example.org/service> { ?s ?p ?o } }"))
        assert b"false" in built.body
    finally:
        pool.close()
