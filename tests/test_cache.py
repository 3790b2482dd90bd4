"""Issue 6: results cached per store version, with ETag and 304 on If-None-Match."""

from __future__ import annotations

import requests

from graph.build.pipeline import Sources, build
from graph.store.cache import CachedEngine
from graph.store.engine import QueryRequest, run_query
from graph.store.versions import VersionedStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_named_query_has_an_etag_and_304_when_unchanged(server):
    first = requests.get(server.url + "/api/queries/workshops", params={"year": "2022"}, timeout=30)
    assert first.status_code == 200 and first.headers["ETag"]
    again = requests.get(server.url + "/api/queries/workshops", params={"year": "2022"},
                         headers={"If-None-Match": first.headers["ETag"]}, timeout=30)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = requests.get(server.url + "/api/queries/workshops", params={"year": "2021"}, timeout=30)
    assert other.headers["ETag"] != first.headers["ETag"]
    assert other.json()["results"]["bindings"] != first.json()["results"]["bindings"]


def test_etag_depends_on_format_and_the_cached_answer_is_the_same(server):
    json_answer = requests.get(server.url + "/sparql", params={"query": COUNT}, timeout=30)
    csv_answer = requests.get(server.url + "/sparql", params={"query": COUNT, "format": "csv"}, timeout=30)
    assert json_answer.headers["ETag"] != csv_answer.headers["ETag"]
    cached = requests.get(server.url + "/sparql", params={"query": COUNT}, timeout=30)
    fresh = requests.get(server.url + "/sparql", params={"query": COUNT}, headers={"Cache-Control": "no-cache"},
                         timeout=30)
    assert cached.content == fresh.content == json_answer.content


def test_volatile_queries_are_not_cached(server):
    query = "SELECT (NOW() AS ?t) (STRUUID() AS ?u) WHERE {}"
    one = requests.get(server.url + "/sparql", params={"query": query}, timeout=30)
    two = requests.get(server.url + "/sparql", params={"query": query}, timeout=30)
    assert "ETag" not in one.headers and one.json() != two.json()


def test_errors_are_not_cached_and_have_no_etag(server):
    response = requests.get(server.url + "/sparql", params={"query": "SELECT * WHERE {"}, timeout=30)
    assert response.status_code == 400 and "ETag" not in response.headers


def test_a_new_store_version_changes_the_etag(tmp_path, records_copy, make_app):
    store = VersionedStore(tmp_path / "store")
    build(store, Sources(records=records_copy), "https://w3id.org/kommunalgraph/", owl=False)
    client = make_app(STORE=str(store.root)).test_client()
    before = client.get("/sparql", query_string={"query": COUNT})
    seed = next(records_copy.glob("*.yaml"))
    seed.write_text(seed.read_text("utf-8").replace("Digitaler Regionenworkshop in Neubrandenburg",
                                                     "Regionenworkshop Neubrandenburg"), "utf-8")
    build(store, Sources(records=records_copy), "https://w3id.org/kommunalgraph/", owl=False)
    after = client.get("/sparql", query_string={"query": COUNT}, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]


def test_cache_stays_within_its_byte_budget(seed_store):
    opened = seed_store.open_read()

    class InProcess:
        def query(self, request):
            return run_query(opened, request)

        def close(self):
            pass

    engine = CachedEngine(InProcess(), seed_store.current, max_bytes=4000)
    for limit in range(1, 40):
        engine.query(QueryRequest(f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {limit}"))
    assert engine._size <= 4000 and 0 < len(engine._entries) < 39
    small = QueryRequest("ASK { ?s ?p ?o }")
    assert engine.query(small).body == engine.query(small).body and engine.hits == 1


def test_answers_say_whether_they_came_from_the_cache(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }"
    first = requests.get(server.url + "/sparql", params={"query": query}, timeout=30)
    again = requests.get(server.url + "/sparql", params={"query": query}, headers={"Accept": "*/*"}, timeout=30)
    fresh = requests.get(server.url + "/sparql", params={"query": query}, headers={"Cache-Control": "no-cache"},
                         timeout=30)
    assert [first.headers["X-Cache"], again.headers["X-Cache"], fresh.headers["X-Cache"]] == ["miss", "hit", "miss"]
    assert first.content == again.content == fresh.content


def test_named_queries_are_warmed_for_each_new_version(tmp_path, records_copy):
    from graph.settings import current
    from graph.sparql.named_request import default_requests
    from graph.sparql.named_queries import load_named_queries

    store = VersionedStore(tmp_path / "store")
    build(store, Sources(records=records_copy), "https://w3id.org/kommunalgraph/", owl=False)

    class Current:
        """Runs each query on the version that is current at that moment."""

        def query(self, request):
            return run_query(store.open_read(), request)

        def run_job(self, job):
            return job.run(self.query, None)

        def close(self):
            pass

    queries = load_named_queries(current().queries_dir)
    engine = CachedEngine(Current(), store.current, max_bytes=10 ** 7, warm=lambda: default_requests(queries))
    engine.start_warming()
    assert engine.wait_warm(60)
    warmed = default_requests(queries)
    assert len(warmed) == len(queries) and all(engine.cached(r) is not None for r in warmed)
    workshops = next(r for r in warmed if r.query.name == "workshops")
    assert b"Regionenworkshop Neubrandenburg\"" not in engine.cached(workshops).body
    old_etag = engine.etag(workshops)

    seed = next(records_copy.glob("*.yaml"))
    seed.write_text(seed.read_text("utf-8").replace("Digitaler Regionenworkshop in Neubrandenburg",
                                                     "Regionenworkshop Neubrandenburg"), "utf-8")
    build(store, Sources(records=records_copy), "https://w3id.org/kommunalgraph/", owl=False)
    assert engine.etag(workshops) != old_etag, "answers of the old version are never served for the new one"
    assert engine.wait_warm(60)
    assert b"Regionenworkshop Neubrandenburg\"" in engine.cached(workshops).body
    assert all(engine.cached(r) is not None for r in default_requests(queries))
