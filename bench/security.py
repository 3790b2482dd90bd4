"""Benchmark of issue 10's costs: the sandbox at worker start, the federation gate, effect-based writes.

Run: .venv/bin/python bench/security.py  (builds the seed records into a temporary store first)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from graph import sandbox
from graph.build import Sources, build
from graph.delta import default_graph_changed, graph_delta, named_graphs
from graph.federation import check_services
from graph.store import VersionedStore, open_version
from graph.writes import WriteGate

BASE = "https://w3id.org/kommunalgraph/"
WIKIDATA = "https://query.wikidata.org/sparql"


def timed(function, repeat: int) -> float:
    """Milliseconds per call, best of three rounds of `repeat` calls."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeat):
            function()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best * 1000


def main() -> None:
    """Print one table row per measured step."""
    with tempfile.TemporaryDirectory() as folder:
        store = VersionedStore(Path(folder) / "store")
        build(store, Sources(), BASE, owl=False)
        current = open_version(store.current_path())
        copy = ox.Store()
        copy.extend(current)
        copy.update(f"INSERT DATA {{ GRAPH <{BASE}graph/report/bench> {{ <urn:a> <urn:p> 1 }} }}")
        gate = WriteGate(store)
        count = [0]

        def write():
            count[0] += 1
            gate.update(f"INSERT DATA {{ GRAPH <{BASE}graph/report/bench> {{ <urn:a> <urn:p> {count[0]} }} }}",
                        "bench")

        rows = [
            ("sandbox probe (fork + unshare)", timed(sandbox.probe, 20)),
            ("federation gate, query without SERVICE", timed(lambda: check_services("SELECT * { ?s ?p ?o }",
                                                                                    [WIKIDATA]), 2000)),
            ("federation gate, allowed SERVICE (rdflib parse)", timed(lambda: check_services(
                f"SELECT * {{ ?m ?p ?i . SERVICE <{WIKIDATA}> {{ ?i ?q ?v }} }}", [WIKIDATA]), 50)),
            (f"effect: compare every named graph ({len(current)} quads)",
             timed(lambda: graph_delta(current, copy, named_graphs(current, copy)), 5)),
            ("effect: compare the default graph", timed(lambda: default_graph_changed(current, copy), 5)),
            ("a whole one-triple update through the gate (in-process)", timed(write, 3)),
        ]
        del current
    table = Table("step", "ms per call", title="issue 10: costs of the policy (in-process)")
    for step, ms in rows:
        table.add_row(step, f"{ms:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
