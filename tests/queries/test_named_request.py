"""A named-query request is one job for a query worker (issue 13): bind, plan and run in one round trip.

These pools send every request to a worker (lookups_in_server=False); what runs in the server's own thread
instead is tested in test_server_lane.py."""

from __future__ import annotations

import json

import pytest

from graph.errors import ParameterError
from graph.settings import current
from graph.sparql.named_queries import load_named_queries
from graph.sparql.named_request import NamedRequest, default_requests
from graph.sparql.paging import Page
from graph.store.cache import CachedEngine
from graph.store.engine import run_query
from graph.store.pool import PoolSettings, QueryPool
from graph.store.versions import VersionedStore
from graph.store.workers import Worker

QUERIES = load_named_queries(current().queries_dir)


@pytest.fixture
def pool(seed_store):
    engine = QueryPool(VersionedStore(seed_store.root), PoolSettings(workers=1, lookups_in_server=False))
    yield engine
    engine.close()


@pytest.fixture
def round_trips(monkeypatch) -> list:
    """The messages the server's side sends to query workers."""
    sent = []
    ask = Worker.ask

    def counted(worker, message, timeout):
        sent.append(message)
        return ask(worker, message, timeout)

    monkeypatch.setattr(Worker, "ask", counted)
    return sent


def by_state(label: str, page: int = 1) -> NamedRequest:
    return NamedRequest(QUERIES["workshops"], (("state", label),), Page(number=page))


def labels(body: bytes) -> list[str]:
    return [row["municipalityLabel"]["value"] for row in json.loads(body)["results"]["bindings"]]


def test_a_request_with_a_label_and_a_page_is_one_round_trip(pool, round_trips):
    """The label's lookup, the list's last page and the query: before, three round trips."""
    answered = pool.run_job(by_state("Baden-Württemberg"))
    assert len(round_trips) == 1
    assert sorted(labels(answered.body)) == ["Achern", "Bad Schönborn"]
    assert (answered.planned.number, answered.planned.last) == (1, 1)


def test_the_worker_answers_what_the_request_answers_in_process(pool, seed_store):
    opened = seed_store.open_read()
    for request in [by_state("08"), by_state("Mecklenburg-Vorpommern"), *default_requests(QUERIES)]:
        here = request.run(lambda query: run_query(opened, query), str(seed_store.current_path()))
        there = pool.run_job(request)
        assert (there.body, there.planned) == (here.body, here.planned), request.query.name


def test_a_label_nothing_has_is_the_parameter_error_from_the_worker(pool):
    with pytest.raises(ParameterError, match="no FederalState named 'Atlantis'") as caught:
        pool.run_job(by_state("Atlantis"))
    assert caught.value.parameter == "state"


def test_the_pool_caps_a_jobs_result_like_a_querys(seed_store):
    from graph.errors import ResultTooLarge

    small = QueryPool(VersionedStore(seed_store.root), PoolSettings(workers=1, max_bytes=100, lookups_in_server=False))
    try:
        with pytest.raises(ResultTooLarge):
            small.run_job(NamedRequest(QUERIES["workshops"], (), Page(number=1)))
    finally:
        small.close()


def test_a_cached_answer_runs_nothing_and_a_new_argument_runs_once(pool, round_trips):
    cached = CachedEngine(pool, pool.store.current, 10 ** 6)
    first = cached.run_job(by_state("08"))
    again = cached.run_job(by_state("08"))
    assert again is first and len(round_trips) == 1
    assert cached.etag(by_state("08")) == cached.etag(by_state("08")) != cached.etag(by_state("08", page=2))
    cached.run_job(by_state("13"))
    assert len(round_trips) == 2
