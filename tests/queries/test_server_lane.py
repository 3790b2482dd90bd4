"""Named-query pages read by an index run in the server's own thread; everything else still goes to a worker
(graph/store/server_lane.py, issue 13)."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from graph.errors import ParameterError, StoreError
from graph.ns import SUMMARY_GRAPH
from graph.settings import current
from graph.sparql.named_queries import load_named_queries
from graph.sparql.named_request import NamedRequest
from graph.sparql.paging import Page
from graph.store.engine import QueryRequest, run_query
from graph.store.pool import PoolSettings, QueryPool
from graph.store.server_lane import NotAnIndexLookup, ServerLane
from graph.store.versions import VersionedStore
from graph.store.workers import Worker
from server.app import create_app
from tests.queries.test_named_request import by_state, labels

QUERIES = load_named_queries(current().queries_dir)


@pytest.fixture
def round_trips(monkeypatch) -> list:
    """The messages the server's side sends to query workers."""
    sent = []
    ask = Worker.ask
    monkeypatch.setattr(Worker, "ask", lambda worker, message, timeout: sent.append(message) or ask(worker, message,
                                                                                                     timeout))
    return sent


@pytest.fixture
def pools(seed_store):
    """A pool with the server lane and one without it, on the same store."""
    store = VersionedStore(seed_store.root)
    here, there = (QueryPool(store, PoolSettings(workers=1, lookups_in_server=flag)) for flag in (True, False))
    yield here, there
    here.close()
    there.close()


def test_a_page_by_its_number_runs_in_the_server_and_answers_as_a_worker_does(pools, seed_store, round_trips):
    here, there = pools
    for request in [by_state("Baden-Württemberg"), by_state("08"), NamedRequest(QUERIES["workshops"], (), Page(number=1)),
                    NamedRequest(QUERIES["speakers"], (), Page(number=1))]:
        in_lane = here.run_job(request)
        assert round_trips == [], request
        in_worker = there.run_job(request)
        assert len(round_trips) == 1
        round_trips.clear()
        assert (in_lane.body, in_lane.planned) == (in_worker.body, in_worker.planned)
    assert sorted(labels(here.run_job(by_state("Baden-Württemberg")).body)) == ["Achern", "Bad Schönborn"]


@pytest.mark.parametrize("request_, why", [
    (by_state("baden-württemberg"), "a label in other letter case is compared with every label of the class"),
    (NamedRequest(QUERIES["workshops"], (), Page()), "page=all reads the whole list"),
    (NamedRequest(QUERIES["workshops"], (), Page(limit=5, offset=5)), "limit and offset sort the whole list"),
    (NamedRequest(QUERIES["workshops"], (("state", "08"), ("year", "2022")), Page(number=1)),
     "two `by` parameters have no page numbers: the page is cut with LIMIT and OFFSET"),
])
def test_what_is_not_an_index_lookup_goes_to_a_worker_from_the_start(pools, round_trips, request_, why):
    here, there = pools
    answered = here.run_job(request_)
    assert len(round_trips) == 1, why
    sent = dataclasses.replace(round_trips[0][1], max_bytes=None)   # the pool adds its cap
    assert sent == request_, "the worker gets the whole request, not what the lane left"
    assert answered.body == there.run_job(request_).body


def test_a_label_nothing_has_is_the_same_parameter_error(pools):
    here, _ = pools
    with pytest.raises(ParameterError, match="no FederalState named 'Atlantis'") as caught:
        here.run_job(by_state("Atlantis"))
    assert caught.value.parameter == "state"


def test_the_lane_refuses_unmarked_queries_and_any_text_that_mentions_service(seed_store):
    lane, version = ServerLane(1), str(seed_store.current_path())
    with pytest.raises(NotAnIndexLookup, match="not an index lookup"):
        lane.run(QueryRequest("ASK {}"), version)
    # Marked or not, a text that could call out runs only in a worker without network.
    with pytest.raises(NotAnIndexLookup, match="SERVICE"):
        lane.run(QueryRequest("ASK { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", index_lookup=True), version)
    assert lane.run(QueryRequest("ASK { ?s ?p ?o }", index_lookup=True), version).body.endswith(b"true}")


class _Held:
    """A job that holds its slot of the lane until released."""

    max_bytes = None
    text = ""

    def __init__(self):
        self.inside, self.release = threading.Event(), threading.Event()

    def run(self, execute, version):
        execute(QueryRequest("ASK {}", index_lookup=True))
        self.inside.set()
        assert self.release.wait(30), "the test never released the held job"
        return "done"


def test_a_full_lane_hands_the_request_on_instead_of_waiting(seed_store):
    lane, version = ServerLane(1), str(seed_store.current_path())
    held, outcome = _Held(), []
    thread = threading.Thread(target=lambda: outcome.append(lane.run(held, version)))
    thread.start()
    try:
        assert held.inside.wait(30), "the held job did not start"
        with pytest.raises(NotAnIndexLookup, match="every slot"):
            lane.run(by_state("08"), version)
    finally:
        held.release.set()
        thread.join(30)
    assert outcome == ["done"]
    assert lane.run(by_state("08"), version).planned.number == 1   # the slot is free again


def test_the_lane_answers_from_each_new_version(store_copy, round_trips):
    pool = QueryPool(store_copy, PoolSettings(workers=1))
    try:
        assert "Achern" in labels(pool.run_job(by_state("08")).body)
        with store_copy.writer(from_current=True) as version:
            version.update(f"""PREFIX kgs: <https://w3id.org/kommunalgraph/summary#>
                DELETE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?m kgs:label ?l }} }}
                INSERT {{ GRAPH <{SUMMARY_GRAPH}> {{ ?m kgs:label "Achern (neu)" }} }}
                WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?m kgs:label ?l FILTER (STR(?l) = "Achern") }} }}""")
        renamed = labels(pool.run_job(by_state("08")).body)
        assert "Achern (neu)" in renamed and "Achern" not in renamed
        assert round_trips == []
    finally:
        pool.close()


def test_the_warm_up_survives_a_version_that_vanished(store_copy):
    """A temporary store removed while its server starts: the warm-up is best effort and raises nothing (an
    exception in its thread would reach no caller; CI saw the engine's RuntimeError escape it)."""
    pool = QueryPool(store_copy, PoolSettings(workers=1))
    try:
        # Half removed, as CI met it: the engine then reports corruption (a RuntimeError), not a missing folder.
        for table in store_copy.current_path().glob("*.sst"):
            table.unlink()
        pool.warm()
        # A request on that version fails as it would in a worker: the version cannot be read now, a 503 to a client.
        with pytest.raises(StoreError, match="damaged or being removed"):
            pool.run_job(by_state("08"))
    finally:
        pool.close()


@pytest.mark.parametrize("setting, trips", [(True, 0), (False, 1)])
def test_the_server_setting_decides_where_a_page_runs(seed_store, round_trips, setting, trips):
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True,
                      "LOOKUPS_IN_SERVER": setting, "CACHE_BYTES": 0, "WARM_CACHE": False})
    try:
        response = app.test_client().get("/api/queries/workshops?state=08",
                                         headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200
        assert "Achern" in labels(response.data)
        # The server's start asks each worker a first query too; only named requests count here.
        assert sum(isinstance(request, NamedRequest) for _, request in round_trips) == trips
    finally:
        app.extensions["kommunalgraph"].close()


def test_the_lane_runs_what_the_job_runs_in_process(seed_store):
    """The lane is the job's own run with the store's engine: nothing of the answer differs."""
    opened = seed_store.open_read()
    request = by_state("Mecklenburg-Vorpommern")
    expected = request.run(lambda query: run_query(opened, query), str(seed_store.current_path()))
    got = ServerLane(2).run(request, str(seed_store.current_path()))
    assert (got.body, got.planned) == (expected.body, expected.planned)
