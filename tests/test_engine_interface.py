"""One engine interface (issue 11): the embedded pool, the cache and the remote store all answer it."""

from __future__ import annotations

import inspect

import pytest

from graph.store.cache import CachedEngine
from graph.store.engine import QueryRequest
from graph.store.pool import PoolSettings, QueryPool
from graph.store.interface import Engine
from graph.store.remote import RemoteEngine, RemoteSettings
from graph.store.versions import VersionedStore

SELECT = "application/sparql-results+json"


@pytest.fixture
def pool(seed_store):
    engine = QueryPool(VersionedStore(seed_store.root), PoolSettings(workers=1))
    yield engine
    engine.close()


def engines(pool):
    """One engine of each kind; the remote one is only built, never asked (no remote store here)."""
    return [pool, CachedEngine(pool, pool.store.current, 1024 * 1024),
            RemoteEngine(RemoteSettings("http://127.0.0.1:9/sparql"))]


def test_every_engine_is_an_engine_with_the_same_signatures(pool):
    for engine in engines(pool):
        assert isinstance(engine, Engine), type(engine).__name__
        for name in ("query", "run_job", "etag", "cached", "close"):
            expected = list(inspect.signature(getattr(Engine, name)).parameters)[1:]
            assert list(inspect.signature(getattr(engine, name)).parameters) == expected, (type(engine), name)


def test_engines_without_a_cache_answer_none_and_the_cache_answers_after_a_query(pool):
    request = QueryRequest("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", result_types=(SELECT,))
    assert pool.etag(request) is None and pool.cached(request) is None
    cached = CachedEngine(pool, pool.store.current, 1024 * 1024)
    assert cached.etag(request) is not None and cached.cached(request) is None
    first = cached.query(request)
    assert cached.cached(request).body == first.body == pool.query(request, refresh=True).body
