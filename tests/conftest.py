"""Shared fixtures: a store built from the seed records, the app over it with its test client and
CLI runner, and real servers on 127.0.0.1 for what needs a process. Plain helpers are in helpers.py."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from graph.build.pipeline import Sources, build
from graph.store.versions import VersionedStore
from server.app import create_app
from tests.helpers import BASE_IRI, KOMMUNALGRAPH, ROOT, LiveServer, free_port


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> VersionedStore:
    """A store built from the project's records, once per test session."""
    store = VersionedStore(tmp_path_factory.mktemp("seed") / "store")
    build(store, Sources(), BASE_IRI)
    return store


@pytest.fixture(scope="session")
def embedded_server(seed_store, tmp_path_factory) -> LiveServer:
    """The real server on 127.0.0.1 over the seed store (the embedded Oxigraph back end)."""
    live = LiveServer(["--store", str(seed_store.root)], log=tmp_path_factory.mktemp("server") / "server.log")
    live.backend = "embedded"
    yield live
    live.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A throwaway Virtuoso on 127.0.0.1 (Debian's virtuoso-opensource), or skip when it is not installed."""
    from tests.virtuoso import throwaway

    with throwaway(tmp_path_factory.mktemp("virtuoso"), free_port(), free_port()) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(seed_store, virtuoso, tmp_path_factory) -> LiveServer:
    """The real server over the remote back end: the seed store pushed into Virtuoso (issue 6)."""
    pushed = subprocess.run([KOMMUNALGRAPH, "push", "--store", str(seed_store.root), "--update-url", virtuoso.url,
                             "--default-graph", BASE_IRI + "graph/default"], capture_output=True, text=True)
    assert pushed.returncode == 0, pushed.stderr
    live = LiveServer([], env={"KG_BACKEND": "remote", "KG_REMOTE_QUERY_URL": virtuoso.url,
                               "KG_REMOTE_DEFAULT_GRAPH": BASE_IRI + "graph/default",
                               "KG_STORE": str(seed_store.root)},
                      log=tmp_path_factory.mktemp("server") / "server.log")
    live.backend = "virtuoso"
    yield live
    live.stop()


@pytest.fixture(scope="session")
def server(request) -> LiveServer:
    """The real server on 127.0.0.1 over the seed store; with KG_TEST_BACKEND=virtuoso, over the
    same data in a throwaway Virtuoso (the remote back end, issue 6)."""
    backend = os.environ.get("KG_TEST_BACKEND", "embedded")
    return request.getfixturevalue(f"{backend}_server")


@pytest.fixture(scope="session", params=["embedded", "virtuoso"])
def any_backend_server(request) -> LiveServer:
    """The real server over each back end in turn: tests of the query protocol and the named
    queries use it (as `server`) so both back ends pass the same tests; Virtuoso skips when absent."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture()
def records_copy(tmp_path) -> Path:
    """A writable copy of the project's records folder."""
    target = tmp_path / "records"
    target.mkdir()
    for path in (ROOT / "data" / "records").glob("*.yaml"):
        (target / path.name).write_text(path.read_text("utf-8"), "utf-8")
    return target


@pytest.fixture()
def store_copy(seed_store, tmp_path) -> VersionedStore:
    """A private copy of the seed store that a test may write to."""
    return VersionedStore(seed_store.backup(tmp_path / "store"))


@pytest.fixture(scope="session")
def app(seed_store):
    """The app over the seed store (read-only, one query worker), shared by the session: tests
    that use it only read. Tests that write or change settings build their own with create_app."""
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True})
    yield app
    app.extensions["kommunalgraph"].close()


@pytest.fixture()
def client(app):
    """Flask's test client for `app`: the HTTP layer without a process or a socket."""
    return app.test_client()


@pytest.fixture()
def runner(app):
    """Flask's CLI runner for `app`."""
    return app.test_cli_runner()


@pytest.fixture()
def make_app():
    """Build apps with settings of their own (`create_app(config)`); their workers stop after the test."""
    made = []

    def make(**config):
        app = create_app({"QUERY_WORKERS": 1, "TESTING": True, **config})
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["kommunalgraph"].close()
