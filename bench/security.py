"""Benchmark of issue 10's costs: the sandbox at worker start, the federation gate, effect-based writes.

Run: .venv/bin/python bench/security.py [--extra N]  (builds the seed records into a temporary store
first; --extra adds N synthetic quads in 100 named graphs and their copy in the default graph, to
see how the per-write comparison grows with the store)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from graph.build.pipeline import Sources, build
from graph.sparql.federation import check_services
from graph.store import sandbox
from graph.store.versions import VersionedStore, open_version
from graph.writes.delta import default_graph_changed, graph_delta, named_graphs
from graph.writes.gate import WriteGate
from timing import timed  # bench/timing.py: the script's own folder is on the path

BASE = "https://w3id.org/kommunalgraph/"
WIKIDATA = "https://query.wikidata.org/sparql"




class _Discard(Exception):
    """Ends a writer block without publishing its version."""


def _grow(store: VersionedStore, extra: int) -> None:
    """Add `extra` synthetic quads in 100 named graphs (and the same triples in the default graph)."""
    with store.writer(from_current=True) as version:
        for start in range(0, extra, 100_000):
            quads = []
            for n in range(start, min(start + 100_000, extra)):
                triple = (ox.NamedNode(f"{BASE}id/bench/{n // 10}"), ox.NamedNode(f"{BASE}bench#p{n % 10}"),
                          ox.Literal(str(n)))
                quads.append(ox.Quad(*triple, ox.NamedNode(f"{BASE}graph/report/bench-{n % 100}")))
                quads.append(ox.Quad(*triple, ox.DefaultGraph()))
            version.extend(quads)


def _disk_effect(store: VersionedStore) -> tuple[float, float, int]:
    """Milliseconds to compare every named graph, and the default graph, of two on-disk versions
    after a one-triple update (best of three), and the number of quads."""
    best_named = best_default = float("inf")
    for _ in range(3):
        try:
            with store.writer(from_current=True) as version:
                version.update(f"INSERT DATA {{ GRAPH <{BASE}graph/report/bench> {{ <urn:a> <urn:p> 1 }} }}")
                old = open_version(store.current_path())
                started = time.perf_counter()
                graph_delta(old, version, named_graphs(old, version))
                best_named = min(best_named, time.perf_counter() - started)
                started = time.perf_counter()
                default_graph_changed(old, version)
                best_default = min(best_default, time.perf_counter() - started)
                size = len(old)
                del old
                raise _Discard()  # the version is thrown away
        except _Discard:
            pass
    return best_named * 1000, best_default * 1000, size


def main() -> None:
    """Print one table row per measured step."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra", type=int, default=0, help="synthetic quads to add to the seed store")
    extra = parser.parse_args().extra
    with tempfile.TemporaryDirectory() as folder:
        store = VersionedStore(Path(folder) / "store")
        build(store, Sources(), BASE, owl=False)
        if extra:
            _grow(store, extra)
        named_ms, default_ms, size = _disk_effect(store)
        gate = WriteGate(store)
        count = [0]

        def write():
            count[0] += 1
            gate.update(f"INSERT DATA {{ GRAPH <{BASE}graph/report/bench> {{ <urn:a> <urn:p> {count[0]} }} }}",
                        "bench")

        rows = [
            ("sandbox probe (fork + unshare)", timed(lambda: sandbox.probe(True), 20)),
            ("federation gate, query without SERVICE", timed(lambda: check_services("SELECT * { ?s ?p ?o }",
                                                                                    [WIKIDATA]), 2000)),
            ("federation gate, allowed SERVICE (rdflib parse)", timed(lambda: check_services(
                f"SELECT * {{ ?m ?p ?i . SERVICE <{WIKIDATA}> {{ ?i ?q ?v }} }}", [WIKIDATA]), 50)),
            (f"on disk: compare every named graph after a one-triple update ({size} quads)", named_ms),
            ("on disk: compare the default graph", default_ms),
            ("a whole one-triple update through the gate (in-process)", timed(write, 3)),
        ]
    table = Table("step", "ms per call", title="issue 10: costs of the policy (in-process)")
    for step, ms in rows:
        table.add_row(step, f"{ms:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
