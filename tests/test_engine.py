"""The query engine: Oxigraph in worker processes, with time limits, a concurrency cap and size caps."""

from __future__ import annotations

import json
import threading
import time

import pytest

from graph.store.engine import QueryRequest, run_query
from graph.store.pool import PoolSettings, QueryPool
from graph.errors import EngineBusy, NotAcceptable, QuerySyntaxError, QueryTimeout, ResultTooLarge
from tests.helpers import wait_until

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture()
def pool(seed_store):
    pool = QueryPool(seed_store, PoolSettings(workers=2, timeout=2.0, queue_timeout=0.5))
    yield pool
    pool.close()


def idle_workers(pool: QueryPool) -> int:
    """How many workers wait for a query: the pool's own state, which the tests wait on."""
    return pool._idle.qsize()


def test_syntax_error_carries_line_and_column(seed_store):
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(seed_store.open_read(), QueryRequest("SELECT * WHERE {\n  ?s ?p }"))
    assert caught.value.line == 2 and caught.value.column in (9, 10)


def test_no_acceptable_format_for_the_query_form(seed_store):
    with pytest.raises(NotAcceptable) as caught:
        run_query(seed_store.open_read(), QueryRequest("CONSTRUCT WHERE { ?s ?p ?o }", graph_types=()))
    assert "text/turtle" in caught.value.available


def test_result_size_cap(seed_store):
    with pytest.raises(ResultTooLarge):
        run_query(seed_store.open_read(), QueryRequest("SELECT * { ?s ?p ?o }", max_bytes=1000))


def test_substitutions_bind_values(seed_store):
    request = QueryRequest("SELECT ?s ?ags { ?s <https://w3id.org/kommunalgraph/ontology#ags> ?ags }",
                           substitutions=(("ags", ("literal", "08215100", None, None)),))
    rows = json.loads(run_query(seed_store.open_read(), request).body)["results"]["bindings"]
    assert [r["s"]["value"] for r in rows] == ["https://w3id.org/kommunalgraph/id/municipality/08215100"]


def test_runaway_query_is_stopped_while_others_are_served(pool):
    outcome = {}

    def runaway():
        started = time.monotonic()
        try:
            pool.query(QueryRequest(RUNAWAY))
        except QueryTimeout as exc:
            outcome["error"], outcome["seconds"] = exc, time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    wait_until(lambda: idle_workers(pool) < 2, 30, "the runaway query taking a worker")
    answer = pool.query(QueryRequest("ASK { ?s ?p ?o }"))
    assert json.loads(answer.body)["boolean"] is True
    thread.join(10)
    # Stopped by the 2 s limit, not run to its end (hours); how close to 2 s is measured in bench/.
    assert "2 s" in str(outcome["error"]) and outcome["seconds"] < 2 + 20
    # The killed worker is replaced in the background: wait for the pool to be whole again.
    wait_until(lambda: idle_workers(pool) == 2, 60, "a fresh worker replacing the killed one")
    assert json.loads(pool.query(QueryRequest("ASK { ?s ?p ?o }")).body)["boolean"] is True


def test_busy_pool_refuses_after_the_queue_timeout(pool):
    threads = [threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.query, QueryRequest(RUNAWAY)))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    wait_until(lambda: idle_workers(pool) == 0, 30, "both workers taken by runaway queries")
    with pytest.raises(EngineBusy):
        pool.query(QueryRequest("ASK { ?s ?p ?o }"))
    for thread in threads:
        thread.join(10)


def test_pool_follows_a_new_store_version(tmp_path):
    import pyoxigraph as ox
    from graph.store.versions import VersionedStore
    store = VersionedStore(tmp_path / "store")
    with store.writer() as version:
        version.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal(1)))
    pool = QueryPool(store, PoolSettings(workers=1))
    try:
        count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
        assert json.loads(pool.query(QueryRequest(count)).body)["results"]["bindings"][0]["n"]["value"] == "1"
        with store.writer(from_current=True) as version:
            version.add(ox.Quad(ox.NamedNode("http://e/b"), ox.NamedNode("http://e/p"), ox.Literal(2)))
        assert json.loads(pool.query(QueryRequest(count)).body)["results"]["bindings"][0]["n"]["value"] == "2"
    finally:
        pool.close()
