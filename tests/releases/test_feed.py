"""Issue 15: the LDES change feed. A harvester follows the TREE relations from the first page
against a real server and rebuilds the current statements; they equal the dump's."""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta, timezone

import pyoxigraph as ox
import pytest
import requests

from graph.publish.dumps import dumps_root
from graph.publish.ldes import layout
from graph.store import releases as log
from graph.store.states import derived
from tests.helpers import LiveServer

TREE = "https://w3id.org/tree#"
LDES = "https://w3id.org/ldes#"
DCT = "http://purl.org/dc/terms/"
TOMBSTONE = ox.NamedNode("https://www.w3.org/ns/activitystreams#Tombstone")
TRIG = {"Accept": "application/trig"}


@pytest.fixture(scope="module")
def feed_server(history, tmp_path_factory):
    store, _ = history
    # Small pages, so the harvester has to follow many relations (and crosses release borders).
    live = LiveServer(["--store", str(store.root)], env={"KG_FEED_PAGE_SIZE": "40"},
                      log=tmp_path_factory.mktemp("feed") / "server.log")
    yield live
    live.stop()


def parsed(data: bytes) -> ox.Store:
    """A page in an in-memory store, to look things up by pattern."""
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.TRIG)
    return store


def fetch(url: str) -> ox.Store:
    response = requests.get(url, headers=TRIG, timeout=60)
    assert response.status_code == 200, response.text
    return parsed(response.content)


def one(dataset: ox.Store, subject, predicate: str):
    found = [q.object for q in dataset.quads_for_pattern(subject, ox.NamedNode(predicate), None, ox.DefaultGraph())]
    assert len(found) <= 1
    return found[0] if found else None


def harvest(base_url: str, get=fetch) -> tuple[dict, int, int]:
    """Replicate the stream as an LDES client does: start at the view, read every page's members,
    keep each resource's newest version; return {resource: statements}, pages and members read.
    `get` reads a page into a store (default: over HTTP)."""
    stream = get(base_url + "/feed")
    feed = ox.NamedNode(base_url + "/feed")
    assert one(stream, feed, LDES + "timestampPath") == ox.NamedNode(DCT + "modified")
    page_url = one(stream, feed, TREE + "view").value
    state, pages, members, last_time = {}, 0, 0, datetime.min.replace(tzinfo=timezone.utc)
    while page_url:
        page = get(page_url)
        pages += 1
        found = [(one(page, q.object, DCT + "modified").value, q.object)
                 for q in page.quads_for_pattern(feed, ox.NamedNode(TREE + "member"), None, ox.DefaultGraph())]
        for time, member in sorted(found, key=lambda pair: (datetime.fromisoformat(pair[0]), pair[1].value)):
            assert datetime.fromisoformat(time) >= last_time, "a later page holds no older member"
            last_time = datetime.fromisoformat(time)
            resource = one(page, member, DCT + "isVersionOf")
            members += 1
            if any(True for _ in page.quads_for_pattern(member, None, TOMBSTONE, ox.DefaultGraph())):
                state.pop(resource, None)
            else:
                state[resource] = {(q.subject, q.predicate, q.object)
                                   for q in page.quads_for_pattern(None, None, None, member)}
        relation = one(page, ox.NamedNode(page_url), TREE + "relation")
        page_url = one(page, relation, TREE + "node").value if relation is not None else None
    return state, pages, members


def test_harvester_rebuilds_the_current_statements(feed_server, history):
    store, _ = history
    state, pages, members = harvest(feed_server.url)
    assert members == sum(r.members for r in log.list_releases(store.root))
    assert pages == layout(store.root, size=40).pages > 5
    harvested = set().union(*state.values())
    with gzip.open(dumps_root(store) / store.current() / "kommunalgraph.nq.gz", "rb") as handle:
        # The asserted statements: not the default graph's nor the derived summary's (issue 13).
        dump = [q for q in ox.parse(handle, format=ox.RdfFormat.N_QUADS) if not derived(q.graph_name)]
    # Statements of resources (IRIs) and of the blank nodes they lead to, whatever graph holds them;
    # blank node labels differ between documents, so both sides are compared canonicalised.
    expected = {(q.subject, q.predicate, q.object) for q in dump}
    assert len(harvested) == len(expected)
    assert canonical(harvested) == canonical(expected)
    removed = ox.NamedNode("https://w3id.org/kommunalgraph/id/workshop/r2")
    assert removed not in state, "the tombstone of release 5 removes r2"


def canonical(triples: set) -> set[str]:
    dataset = ox.Dataset(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def test_page_past_the_end_is_404(feed_server, history):
    store, _ = history
    last = layout(store.root, size=40).pages
    response = requests.get(f"{feed_server.url}/feed/pages/{last + 1}", headers=TRIG, timeout=30)
    assert response.status_code == 404 and "no page" in response.json()["error"]
    assert requests.get(f"{feed_server.url}/feed/pages/0", headers=TRIG, timeout=30).status_code == 404
    assert requests.get(f"{feed_server.url}/feed/pages/x", headers=TRIG, timeout=30).status_code == 404


def test_conditional_requests_and_immutable_pages(feed_server):
    first = requests.get(f"{feed_server.url}/feed/pages/1", headers=TRIG, timeout=30)
    assert "immutable" in first.headers["Cache-Control"]
    again = requests.get(f"{feed_server.url}/feed/pages/1", timeout=30,
                         headers={**TRIG, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = requests.get(f"{feed_server.url}/feed", timeout=30,
                         headers={**TRIG, "If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code in (200, 304)
    stream = requests.get(f"{feed_server.url}/feed", headers=TRIG, timeout=30)
    later = requests.get(f"{feed_server.url}/feed", timeout=30,
                         headers={**TRIG, "If-Modified-Since": stream.headers["Last-Modified"]})
    assert later.status_code == 304


def test_retention_policy_is_stated_and_old_pages_are_gone(history):
    from server.app import create_app

    store, _ = history
    app = create_app({"STORE": str(store.root), "QUERY_WORKERS": 1, "TESTING": True, "FEED_RETENTION_DAYS": 7})
    try:
        client = app.test_client()
        stream = parsed(client.get("/feed", headers=TRIG).data)
        policies = list(stream.quads_for_pattern(None, ox.NamedNode(LDES + "retentionPolicy"), None))
        assert len(policies) == 1
        assert one(stream, policies[0].object, TREE + "value").value == "P7D"
        # Everything is younger than a week: the view still starts at page 1.
        assert one(stream, ox.NamedNode("http://localhost/feed"), TREE + "view").value.endswith("/feed/pages/1")
    finally:
        app.extensions["kommunalgraph"].close()
    plan = layout(store.root, retention_days=7, now=_far_future())
    assert plan.first_kept == plan.pages, "a year later only the newest page is kept"


def _far_future():
    return datetime.now(timezone.utc) + timedelta(days=365)
