"""A store with a history: two builds and three gated writes (issue 15), shared by the release tests."""

from __future__ import annotations

import shutil

import pytest

from graph.build.pipeline import Sources, build
from graph.publish.dumps import dumps_root, write_dumps
from graph.store.versions import VersionedStore
from graph.writes.gate import WriteGate
from tests.helpers import BASE_IRI, workshop_update


@pytest.fixture(scope="session")
def history(tmp_path_factory):
    """Two builds and three gated writes on a new store (add r1, add r2, rename r1 and remove r2);
    the first build's N-Quads dump kept aside."""
    root = tmp_path_factory.mktemp("releases") / "store"
    store = VersionedStore(root)
    build(store, Sources(), BASE_IRI)
    first = tmp_path_factory.mktemp("first") / "kommunalgraph.nq.gz"
    shutil.copy(dumps_root(store) / store.current() / "kommunalgraph.nq.gz", first)
    build(store, Sources(), BASE_IRI)
    gate = WriteGate(store)
    gate.update(workshop_update("r1"), "alice")
    gate.update(workshop_update("r2"), "bob")
    label = f"<{BASE_IRI}id/workshop/r1> <http://www.w3.org/2000/01/rdf-schema#label>"
    gate.update(f"DELETE DATA {{ GRAPH <{BASE_IRI}graph/report/test> {{ {label} \"Werkstatt r1\"@de }} }} ; "
                f"INSERT DATA {{ GRAPH <{BASE_IRI}graph/report/test> {{ {label} \"Werkstatt Eins\"@de }} }} ; "
                f"DELETE WHERE {{ GRAPH <{BASE_IRI}graph/report/test> {{ <{BASE_IRI}id/workshop/r2> ?p ?o }} }}", "alice")
    write_dumps(store)
    return store, first


@pytest.fixture(scope="session")
def client(history):
    from server.app import create_app

    store, _ = history
    app = create_app({"STORE": str(store.root), "QUERY_WORKERS": 1, "TESTING": True})
    yield app.test_client()
    app.extensions["kommunalgraph"].close()


