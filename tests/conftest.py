"""Shared fixtures: a store built from the seed records and a real server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from graph.build.pipeline import Sources, build
from graph.store.versions import VersionedStore

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BASE_IRI = "https://w3id.org/kommunalgraph/"
KOMMUNALGRAPH = str(Path(sys.executable).parent / "kommunalgraph")


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when that folder is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not available on this machine")
    return path


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A `kommunalgraph serve` process, started as a user starts it."""

    def __init__(self, args: list[str], env: dict | None = None, log: Path | None = None, ready: str = "/health"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        handle = open(log, "wb") if log else subprocess.DEVNULL
        self.process = subprocess.Popen([KOMMUNALGRAPH, "serve", "--port", str(self.port), *args],
                                        stdout=handle, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(env or {})})
        if log:
            handle.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.output()}")
            try:
                if requests.get(self.url + ready, timeout=2).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                # Not up yet; the first /health also starts the query workers, which is slow
                # while other servers start on the same two cores.
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not come up: {self.output()}")

    def output(self) -> str:
        """What the server printed (when started with a log file)."""
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""

    def stop(self) -> None:
        """Stop the server and its workers."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


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


# -- writes (issue 6) ---------------------------------------------------------------------------

TOKEN = "alice-token-0123456789"
BOB_TOKEN = "bob-token-9876543210"
WRITE_TOKENS = f"alice:{TOKEN},bob:{BOB_TOKEN}"
KG = "https://w3id.org/kommunalgraph/ontology#"
REPORT_GRAPH = BASE_IRI + "graph/report/stadt-land-digital-2022-strategiestarterworkshops"
REPORT = BASE_IRI + "id/report/stadt-land-digital-2022-strategiestarterworkshops"
MUNICIPALITY = BASE_IRI + "id/municipality/08215100"


@pytest.fixture()
def store_copy(seed_store, tmp_path) -> VersionedStore:
    """A private copy of the seed store that a test may write to."""
    return VersionedStore(seed_store.backup(tmp_path / "store"))


def workshop_update(key: str, graph: str = BASE_IRI + "graph/report/test", place: str | None = MUNICIPALITY) -> str:
    """An INSERT DATA adding one workshop that conforms to the shapes (without a place if `place` is None)."""
    location = f"kg:location <{place}> ;" if place else ""
    return f"""PREFIX kg: <{KG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <https://schema.org/>
INSERT DATA {{ GRAPH <{graph}> {{
  <{BASE_IRI}id/workshop/{key}> a kg:Workshop ; rdfs:label "Werkstatt {key}"@de ; schema:name "Werkstatt {key}"@de ;
    kg:title "Werkstatt {key}"@de ; kg:status kg:Held ; {location} kg:reportedIn <{REPORT}> .
}} }}"""


def writer_server(store: VersionedStore, tmp_path: Path, **env) -> LiveServer:
    """A real server over `store` with writes enabled for alice and bob."""
    settings = {"KG_WRITE_TOKENS": WRITE_TOKENS, "KG_QUERY_WORKERS": "1"}
    settings.update({f"KG_{k}": str(v) for k, v in env.items()})
    return LiveServer(["--store", str(store.root)], env=settings, log=tmp_path / "server.log")
