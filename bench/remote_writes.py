"""Writes through the SHACL gate on both back ends, side by side on the same data: the embedded
store (copy-on-write version) and a throwaway Virtuoso holding the same store (pushed).

    .venv/bin/python bench/remote_writes.py [--store var/store] [--repeat 5] [--embedded-only]

Needs Debian's virtuoso-opensource (not with --embedded-only). Each row inserts N new workshops in one SPARQL Update and
removes them again (both timed); medians of --repeat runs, milliseconds, and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.store.remote import RemoteEngine, RemoteSettings, push  # noqa: E402
from graph.writes.remote_gate import RemoteWriteGate  # noqa: E402
from graph.store.versions import VersionedStore  # noqa: E402
from graph.writes.gate import WriteGate  # noqa: E402
from tests.helpers import BASE_IRI, KG, MUNICIPALITY, REPORT, free_port  # noqa: E402
from tests.virtuoso import Virtuoso, available  # noqa: E402

GRAPH = BASE_IRI + "graph/report/bench"
DEFAULT = BASE_IRI + "graph/default"


def insert(count: int, municipality: str = MUNICIPALITY, report: str = REPORT) -> str:
    """One INSERT DATA adding `count` conforming workshops (in a municipality and report the store has)."""
    body = "\n".join(
        f'<{BASE_IRI}id/workshop/b{i}> a kg:Workshop ; rdfs:label "Werkstatt {i}"@de ; schema:name "Werkstatt {i}"@de ; '
        f'kg:title "Werkstatt {i}"@de ; kg:status kg:Held ; kg:location <{municipality}> ; kg:reportedIn <{report}> .'
        for i in range(count))
    return (f"PREFIX kg: <{KG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            f"PREFIX schema: <https://schema.org/> INSERT DATA {{ GRAPH <{GRAPH}> {{ {body} }} }}")


def timed(gate, text: str) -> float:
    started = time.perf_counter()
    result = gate.update(text, "bench")
    assert result.changed, "the write changed nothing"
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--embedded-only", action="store_true", help="time the embedded store alone (no Virtuoso)")
    parser.add_argument("--graph-store-only", action="store_true",
                        help="with --embedded-only: PUT and DELETE only (SPARQL Updates compare every graph: minutes at 10 M)")
    args = parser.parse_args()
    if args.embedded_only:
        return embedded_only(VersionedStore(args.store), args.repeat, not args.graph_store_only)
    if not available():
        sys.exit("virtuoso-opensource is not installed (apt-get install virtuoso-opensource)")
    source = VersionedStore(args.store)
    with tempfile.TemporaryDirectory(prefix="kg-bench-writes-") as work:
        work = Path(work)
        virtuoso = Virtuoso(work / "virtuoso", free_port(), free_port())
        try:
            engine = RemoteEngine(RemoteSettings(virtuoso.url, virtuoso.url, default_graph=DEFAULT))
            push(source.open_read(), engine, DEFAULT)
            gates = {"embedded": WriteGate(VersionedStore(source.backup(work / "store"))),
                     "remote (Virtuoso)": RemoteWriteGate(engine, work / "log")}
            table = Table(title=f"Gated writes over {args.store}: median ms of {args.repeat}")
            for column in ("write", "embedded", "remote (Virtuoso)", "remote / embedded"):
                table.add_column(column, justify="left" if column == "write" else "right")
            remove = f"DROP GRAPH <{GRAPH}>"
            for count in (1, 20):
                times = {name: ([], []) for name in gates}
                for _ in range(args.repeat):
                    for name, gate in gates.items():
                        times[name][0].append(timed(gate, insert(count)))
                        times[name][1].append(timed(gate, remove))
                for index, label in enumerate((f"insert {count} workshop(s)", f"drop those {count}")):
                    local = statistics.median(times["embedded"][index])
                    remote = statistics.median(times["remote (Virtuoso)"][index])
                    table.add_row(label, f"{local:.0f}", f"{remote:.0f}", f"{remote / local:.2f}×")
            Console().print(table)
        finally:
            virtuoso.stop()


def embedded_only(source: VersionedStore, repeat: int, updates: bool = True) -> None:
    """The embedded gate alone, with the time of each step of the write (WriteResult.seconds): the
    workshops PUT as one graph and the graph deleted (Graph Store Protocol, which names its graph),
    and the same as one SPARQL Update (INSERT DATA, DROP GRAPH), which makes the gate compare every graph."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-writes-") as work:
        work = Path(work)
        gate = WriteGate(VersionedStore(source.backup(work / "store")))
        # The seed's municipality and report, or on other data (the generated national one) the first of each.
        opened = source.open_read()
        found = [next(iter(opened.query(f"SELECT ?x {{ ?x a <{KG}{cls}> }} ORDER BY ?x LIMIT 1")))["x"].value
                 for cls in ("Municipality", "Report")]
        municipality, report = (MUNICIPALITY, REPORT) if opened.query(f"ASK {{ <{REPORT}> ?p ?o }}") else found
        del opened
        table = Table(title=f"Gated writes on the embedded store: median ms of {repeat}")
        for column in ("write", "total", "steps (median ms)"):
            table.add_column(column, justify="left" if column != "total" else "right")
        for count in (1, 20):
            upload = work / "workshops.ttl"
            data = insert(count, municipality, report).split("{ GRAPH", 1)[1].split("{", 1)[1].rsplit("} }", 1)[0]
            upload.write_text("PREFIX kg: <" + KG + "> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                              "PREFIX schema: <https://schema.org/>\n" + data, encoding="utf-8")
            writes = {f"PUT {count} workshop(s)": lambda: gate.put(GRAPH, str(upload), "text/turtle", "bench"),
                      f"DELETE that graph ({count})": lambda: gate.delete(GRAPH, "bench"),
                      f"INSERT DATA {count} workshop(s)": lambda: gate.update(insert(count, municipality, report), "bench"),
                      f"DROP GRAPH ({count})": lambda: gate.update(f"DROP GRAPH <{GRAPH}>", "bench")}
            if not updates:
                writes = dict(list(writes.items())[:2])
            runs: dict[str, list] = {label: [] for label in writes}
            for _ in range(repeat):   # each pair starts from the store as it was
                for label, write in writes.items():
                    started = time.perf_counter()
                    result = write()
                    runs[label].append(((time.perf_counter() - started) * 1000, result.seconds))
            for label, timings in runs.items():
                steps = {step: statistics.median(s[step] for _, s in timings) * 1000
                         for step in timings[0][1] if step != "total"}
                table.add_row(label, f"{statistics.median(t for t, _ in timings):.0f}",
                              " ".join(f"{step} {ms:.0f}" for step, ms in steps.items()))
        Console().print(table)


if __name__ == "__main__":
    main()
