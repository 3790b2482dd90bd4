"""Helpers shared by the tests: paths, a real server on 127.0.0.1, waiting on a state with a deadline,
and the write fixtures' data. Fixtures live in conftest.py; tests import plain helpers from here."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, TypeVar

import pytest
import requests

from graph.store.versions import VersionedStore

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BASE_IRI = "https://w3id.org/kommunalgraph/"
KOMMUNALGRAPH = str(Path(sys.executable).parent / "kommunalgraph")
# How often wait_until looks at the state: short enough not to slow a test, long enough not to
# take a core from the process it waits for on a busy two-core machine.
POLL_SECONDS = 0.02

T = TypeVar("T")


class Timeout(AssertionError):
    """A state was not reached before its deadline."""


def wait_until(predicate: Callable[[], T], timeout: float = 30.0, what: str = "the state") -> T:
    """Call `predicate` until it returns something truthy, and return that; fail after `timeout` seconds.

    Tests wait on the state they need (a metric, a log line, a file, a busy worker), never on a
    fixed sleep: a fixed sleep is either too short on a loaded machine or wastes time on an idle one.

    :raises Timeout: if the predicate is still falsy at the deadline.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise Timeout(f"{what} was not reached within {timeout:g} s")
        time.sleep(POLL_SECONDS)


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
        try:
            # The first /health also starts the query workers, which is slow while other servers
            # start on the same two cores.
            wait_until(lambda: self._healthy(ready), timeout=60, what=f"{self.url}{ready} answering 200")
        except (Timeout, RuntimeError):
            self.stop()
            raise RuntimeError(f"server did not come up: {self.output()}") from None

    def _healthy(self, ready: str) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"server exited with {self.process.returncode}: {self.output()}")
        try:
            return requests.get(self.url + ready, timeout=2).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            return False

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


# -- /proc: the state of a server's worker processes (Linux) --------------------------------------

def children(pid: int) -> list[int]:
    """Child processes of `pid`."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.extend(int(p) for p in (task / "children").read_text().split())
        except FileNotFoundError:
            continue  # the thread ended while we read
    return found


def running(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of the processes still alive."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def busy_workers(pids: list[int], since: dict[int, float], seconds: float = 0.1) -> list[int]:
    """The workers among `pids` that used at least `seconds` of CPU since the readings in `since`.

    An idle worker blocks on its pipe and uses no CPU; one that runs a query does. Waiting for
    this is waiting for the query to have reached the worker, whatever the load of the machine.
    """
    return [pid for pid in pids if cpu_seconds([pid]) - since.get(pid, 0.0) >= seconds]


def metric(server: LiveServer, name: str, headers: dict | None = None) -> float:
    """The sum of the samples of metric `name` (all label sets) in the server's /metrics."""
    text = requests.get(server.url + "/metrics", headers=headers or {}, timeout=30).text
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and line[len(name):len(name) + 1] in (" ", "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


# -- writes (issue 6) ---------------------------------------------------------------------------

TOKEN = "alice-token-0123456789"
BOB_TOKEN = "bob-token-9876543210"
WRITE_TOKENS = f"alice:{TOKEN},bob:{BOB_TOKEN}"
KG = "https://w3id.org/kommunalgraph/ontology#"
REPORT_GRAPH = BASE_IRI + "graph/report/stadt-land-digital-2022-strategiestarterworkshops"
REPORT = BASE_IRI + "id/report/stadt-land-digital-2022-strategiestarterworkshops"
MUNICIPALITY = BASE_IRI + "id/municipality/08215100"


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
