"""One worker primitive (graph/store/workers.py) for queries and writes, one way of passing errors.

The workers here are real spawned processes; the handlers below run in them.
"""

from __future__ import annotations

import gc
import os
import time

import pytest

from graph.errors import QuerySyntaxError, WorkerDied, WorkerFault
from graph.store.engine import QueryRequest
from graph.store.pool import PoolSettings, QueryPool
from graph.store.versions import VersionedStore
from graph.store.workers import NoAnswer, Worker, serve


def _answer(message):
    kind, value = message
    if kind == "echo":
        return value
    if kind == "syntax":
        raise QuerySyntaxError(value, 3, 7)
    if kind == "fault":
        raise ValueError(value)
    if kind == "slow":
        time.sleep(value)
        return "late"
    if kind == "die":
        os._exit(3)
    if kind == "frozen":
        return gc.get_freeze_count()
    raise AssertionError(kind)


def _main(connection):
    serve(connection, _answer, "kommunalgraph.test")


@pytest.fixture
def worker():
    started = Worker(_main, (), "kommunalgraph-test", start_timeout=60)
    yield started
    started.stop(2)


def test_answers_and_domain_errors_cross_with_their_attributes(worker):
    assert worker.ask(("echo", {"a": [1, 2]}), 30) == {"a": [1, 2]}
    with pytest.raises(QuerySyntaxError) as raised:
        worker.ask(("syntax", "expected WHERE"), 30)
    assert (str(raised.value), raised.value.line, raised.value.column) == ("expected WHERE", 3, 7)
    assert worker.ask(("echo", "still serving"), 30) == "still serving"


def test_an_unexpected_fault_is_a_worker_fault_and_the_worker_goes_on(worker):
    with pytest.raises(WorkerFault, match="ValueError: boom"):
        worker.ask(("fault", "boom"), 30)
    assert worker.ask(("echo", 1), 30) == 1


def test_a_worker_is_up_with_what_it_has_made_frozen(worker):
    # A full collection would otherwise walk every imported module's objects inside some request (bench/RESULTS.md).
    assert worker.ask(("frozen", None), 30) > 10_000


def test_no_answer_in_time_and_a_dead_worker_are_told_apart(worker):
    with pytest.raises(NoAnswer):
        worker.ask(("slow", 30), 0.2)
    worker.kill(10)
    assert not worker.alive
    other = Worker(_main, (), "kommunalgraph-test", start_timeout=60)
    with pytest.raises(WorkerDied, match="stopped unexpectedly"):
        other.ask(("die", None), 30)
    other.kill(10)


def test_a_query_worker_killed_from_outside_is_reported_and_replaced(seed_store):
    pool = QueryPool(VersionedStore(seed_store.root), PoolSettings(workers=1, timeout=30))
    try:
        request = QueryRequest("ASK { ?s ?p ?o }")
        assert pool.query(request).kind == "boolean"
        victim = pool._idle.queue[0]
        victim.process.kill()
        victim.process.join(10)
        with pytest.raises(WorkerDied, match="query engine stopped unexpectedly"):
            pool.query(request)
        assert pool.query(request).kind == "boolean"   # waits for the replacement (queue timeout)
    finally:
        pool.close()


def test_health_answers_once_every_query_worker_has_started(make_app, seed_store):
    # A worker's start (imports, the store opened) took 0.4 s of a fresh server's first query at 10 M; the
    # server starts them all in the background, and /health, which load balancers and the bench wait for,
    # answers when they are ready.
    from server.backend import get_backend

    app = make_app(STORE=str(seed_store.root), QUERY_WORKERS=2, CACHE_BYTES=0, WARM_CACHE=0)
    assert app.test_client().get("/health").status_code == 200
    with app.app_context():
        pool = get_backend().engine.engine
        workers = list(pool._idle.queue)
    assert len(workers) == 2 and all(worker._ready for worker in workers)


def test_the_worker_that_answered_last_answers_next(seed_store):
    # A request's round trips (label, last page, query) and a client's next request find the disk blocks the
    # last worker read in its cache; warming still starts every worker.
    pool = QueryPool(VersionedStore(seed_store.root), PoolSettings(workers=2, timeout=30))
    asked = []
    real_ask = Worker.ask

    def ask(worker, message, timeout):
        asked.append(worker.process.pid)
        return real_ask(worker, message, timeout)

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Worker, "ask", ask)
            pool.warm()
            assert len(set(asked)) == 2
            asked.clear()
            for _ in range(4):
                pool.query(QueryRequest("ASK { ?s ?p ?o }"))
        assert len(asked) == 4 and len(set(asked)) == 1
    finally:
        pool.close()
