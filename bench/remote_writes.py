"""Writes through the SHACL gate on both back ends, side by side on the same data: the embedded
store (copy-on-write version) and a throwaway Virtuoso holding the same store (pushed).

    .venv/bin/python bench/remote_writes.py [--store var/store] [--repeat 5] [--embedded-only]
    .venv/bin/python bench/remote_writes.py --store S --virtuoso WORK [--graph-store-only]
    .venv/bin/python bench/remote_writes.py --store S --http [--pause 0.5]

Needs Debian's virtuoso-opensource (not with --embedded-only). Each row inserts N new workshops
(PUT of a graph, or one SPARQL Update) and removes them again (both timed); medians of --repeat
runs, milliseconds, and their ratio. With --virtuoso WORK the Virtuoso is the one that
bench/virtuoso_scale.py loaded from the same store version (a large store cannot be pushed in
reasonable time); the embedded side writes to a copy of --store.

With --http, end to end: a real `kommunalgraph serve` on a copy of --store, each PUT and DELETE sent
over HTTP as a client sends it; the client waits --pause seconds after each answer (the write worker
tidies after answering, graph/writes/gate.py `tidy`; --pause 0 sends the next write at once, so it
waits for that). The gate's own total (the answer's `seconds`) stands beside the client's time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyoxigraph as ox  # noqa: E402

from graph.build.summary import write_summary  # noqa: E402
from graph.ns import SUMMARY_GRAPH  # noqa: E402
from graph.store.remote import RemoteEngine, RemoteSettings, push, skolem  # noqa: E402
from graph.writes.remote_gate import RemoteWriteGate  # noqa: E402
from graph.store.versions import VersionedStore  # noqa: E402
from graph.writes.gate import WriteGate  # noqa: E402
from tests.helpers import BASE_IRI, KG, MUNICIPALITY, REPORT, TOKEN, LiveServer, free_port, writer_server  # noqa: E402
from tests.virtuoso import Virtuoso, available  # noqa: E402
# bench/virtuoso_scale.py: the script's own folder is on the path.
from virtuoso_scale import DEFAULT_GRAPH, start  # noqa: E402

GRAPH = BASE_IRI + "graph/report/bench"
DEFAULT = DEFAULT_GRAPH


# Workshops as a mapped report gives them, with a date; undated ones conform too, but the shapes warn
# ("Veranstaltung ohne Datum"), so the gate has pyshacl explain (--undated measures that path).
DATED = True


def insert(count: int, municipality: str = MUNICIPALITY, report: str = REPORT) -> str:
    """One INSERT DATA adding `count` conforming workshops (in a municipality and report the store has)."""
    body = "\n".join(
        f'<{BASE_IRI}id/workshop/b{i}> a kg:Workshop ; rdfs:label "Werkstatt {i}"@de ; schema:name "Werkstatt {i}"@de ; '
        f'kg:title "Werkstatt {i}"@de ; kg:status kg:Held ; kg:location <{municipality}> ; kg:reportedIn <{report}>'
        + (f' ; kg:date "2024-05-{1 + i % 28:02d}"^^xsd:date ; kg:year 2024 .' if DATED else " .")
        for i in range(count))
    return (f"PREFIX kg: <{KG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            f"PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
            f"PREFIX schema: <https://schema.org/> INSERT DATA {{ GRAPH <{GRAPH}> {{ {body} }} }}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--embedded-only", action="store_true", help="time the embedded store alone (no Virtuoso)")
    parser.add_argument("--graph-store-only", action="store_true",
                        help="PUT and DELETE only (SPARQL Updates compare every graph on the embedded store: minutes at 10 M)")
    parser.add_argument("--virtuoso", type=Path, help="work folder of bench/virtuoso_scale.py instead of a pushed copy")
    parser.add_argument("--counts", default="1,20", help="numbers of workshops per write, comma-separated")
    parser.add_argument("--remote-timeout", type=float, default=30.0,
                        help="seconds a request to Virtuoso may take (the server's KG_QUERY_TIMEOUT, 30 by default)")
    parser.add_argument("--undated", action="store_true",
                        help="workshops without a date: the shapes warn, and pyshacl explains each write")
    parser.add_argument("--http", action="store_true", help="end to end over HTTP through a real server (embedded store)")
    parser.add_argument("--pause", type=float, default=0.5, help="with --http: seconds the client waits after each answer")
    args = parser.parse_args()
    global DATED
    DATED = not args.undated
    if args.http:
        return over_http(VersionedStore(args.store), args.repeat, args.pause, [int(n) for n in args.counts.split(",")])
    if args.embedded_only:
        return embedded_only(VersionedStore(args.store), args.repeat, not args.graph_store_only)
    if not available():
        sys.exit("virtuoso-opensource is not installed (apt-get install virtuoso-opensource)")
    source = VersionedStore(args.store)
    with tempfile.TemporaryDirectory(prefix="kg-bench-writes-") as work:
        work = Path(work)
        virtuoso = start(args.virtuoso) if args.virtuoso else Virtuoso(work / "virtuoso", free_port(), free_port())
        try:
            engine = RemoteEngine(RemoteSettings(virtuoso.url, virtuoso.url, timeout=args.remote_timeout,
                                                 default_graph=DEFAULT))
            if not args.virtuoso:
                push(source.open_read(), engine, DEFAULT)
            gates = {"embedded": WriteGate(VersionedStore(source.backup(work / "store"))),
                     "remote (Virtuoso)": RemoteWriteGate(engine, work / "log")}
            table = Table(title=f"Gated writes over {args.store}: median ms of {args.repeat}")
            for column in ("write", "embedded", "remote (Virtuoso)", "remote / embedded", "embedded steps",
                           "remote steps"):
                table.add_column(column, justify="right" if column in ("embedded", "remote (Virtuoso)") else "left")
            municipality, report = targets(source)
            before = remote_counts(engine)
            for count in (int(n) for n in args.counts.split(",")):
                runs = {name: timed_writes(gate, count, municipality, report, work, args.repeat,
                                           not args.graph_store_only) for name, gate in gates.items()}
                for label in runs["embedded"]:
                    local, remote = (runs[name][label] for name in gates)
                    table.add_row(label, f"{local[0]:.0f}", f"{remote[0]:.0f}", f"{remote[0] / local[0]:.2f}×",
                                  local[1], remote[1])
            Console(width=200).print(table)
            # Every pair of writes should leave the remote store as it was (issue 13: at 10 M it did not).
            after = remote_counts(engine)
            Console().print(f"remote quads before → after the writes: {before} → {after}"
                            + ("" if before == after else "  DIFFERENT"))
            Console().print(f"remote summary graph after the writes: {summary_check(engine, gates['embedded'].store)}")
        finally:
            virtuoso.stop(timeout=600)


def remote_counts(engine: RemoteEngine) -> dict[str, int]:
    """Quads in the remote store's stand-in for our default graph and in its summary graph."""
    counts = {}
    for name, graph in (("default", DEFAULT), ("summary", SUMMARY_GRAPH)):
        solution = engine.solutions(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]
        counts[name] = int(solution["n"].value)
    return counts


def summary_check(engine: RemoteEngine, store: VersionedStore) -> str:
    """The remote summary graph against a full derivation (the build's) from the default graph of the
    embedded side, which the same writes left as the remote store's stand-in for it."""
    local = ox.Store()
    local.extend(store.open_read().quads_for_pattern(None, None, None, ox.DefaultGraph()))
    write_summary(local, pages=False)   # a remote store keeps no page numbers
    derived = {(skolem(q.subject), str(q.predicate), skolem(q.object))
               for q in local.quads_for_pattern(None, None, None, ox.NamedNode(SUMMARY_GRAPH))}
    rows = engine.solutions(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?s ?p ?o }} }}")
    remote = {(str(r["s"]), str(r["p"]), str(r["o"])) for r in rows}
    if remote == derived:
        return f"{len(remote):,} quads, the same as a full derivation"
    return (f"{len(remote):,} quads, a full derivation {len(derived):,}: {len(remote - derived):,} not derived, "
            f"{len(derived - remote):,} missing, e.g. {sorted(remote ^ derived)[:2]}")


def targets(source: VersionedStore) -> tuple[str, str]:
    """The seed's municipality and report, or on other data (the generated national one) the first of each."""
    opened = source.open_read()
    if opened.query(f"ASK {{ <{REPORT}> ?p ?o }}"):
        return MUNICIPALITY, REPORT
    municipality, report = (next(iter(opened.query(f"SELECT ?x {{ ?x a <{KG}{cls}> }} ORDER BY ?x LIMIT 1")))["x"].value
                            for cls in ("Municipality", "Report"))
    return municipality, report


def timed_writes(gate, count: int, municipality: str, report: str, work: Path, repeat: int,
                 updates: bool) -> dict[str, tuple[float, str]]:
    """{write: (median total ms, median ms per step)} of `count` workshops written and removed `repeat`
    times: PUT and DELETE of their graph, then (with `updates`) INSERT DATA and DROP GRAPH; each
    pair leaves the store as it was."""
    upload = work / "workshops.ttl"
    upload.write_text(turtle(count, municipality, report), encoding="utf-8")
    writes = {f"PUT {count} workshop(s)": lambda: gate.put(GRAPH, str(upload), "text/turtle", "bench"),
              f"DELETE that graph ({count})": lambda: gate.delete(GRAPH, "bench"),
              f"INSERT DATA {count} workshop(s)": lambda: gate.update(insert(count, municipality, report), "bench"),
              f"DROP GRAPH ({count})": lambda: gate.update(f"DROP GRAPH <{GRAPH}>", "bench")}
    if not updates:
        writes = dict(list(writes.items())[:2])
    runs: dict[str, list] = {label: [] for label in writes}
    # As in the server's write worker: old versions are removed after the answer, before the next write.
    gate.defer_pruning = True
    for _ in range(repeat):
        for label, write in writes.items():
            started = time.perf_counter()
            result = write()
            runs[label].append(((time.perf_counter() - started) * 1000, result.seconds))
            gate.tidy()
    out = {}
    for label, timings in runs.items():
        steps = {step: statistics.median(s.get(step, 0) for _, s in timings) * 1000
                 for step in timings[0][1] if step != "total"}
        out[label] = (statistics.median(t for t, _ in timings), " ".join(f"{step} {ms:.0f}" for step, ms in steps.items()))
    return out


def embedded_only(source: VersionedStore, repeat: int, updates: bool = True) -> None:
    """The embedded gate alone, with the time of each step of the write (WriteResult.seconds): the
    workshops PUT as one graph and the graph deleted (Graph Store Protocol, which names its graph),
    and the same as one SPARQL Update (INSERT DATA, DROP GRAPH), which makes the gate compare every graph."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-writes-") as work:
        work = Path(work)
        gate = WriteGate(VersionedStore(source.backup(work / "store")))
        municipality, report = targets(source)
        table = Table(title=f"Gated writes on the embedded store: median ms of {repeat}")
        for column in ("write", "total", "steps (median ms)"):
            table.add_column(column, justify="left" if column != "total" else "right")
        for count in (1, 20):
            for label, (total, steps) in timed_writes(gate, count, municipality, report, work, repeat, updates).items():
                table.add_row(label, f"{total:.0f}", steps)
        Console().print(table)


def over_http(source: VersionedStore, repeat: int, pause: float, counts: list[int]) -> None:
    """PUT and DELETE of `count` workshops over HTTP on a real server over a copy of `source`."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-writes-") as work:
        work = Path(work)
        store = VersionedStore(source.backup(work / "store"))
        municipality, report = targets(source)
        server: LiveServer = writer_server(store, work)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        table = Table(title=f"Gated writes over HTTP ({source.root}), pause {pause} s: median ms of {repeat}")
        for column in ("write", "client (HTTP)", "gate total", "HTTP − gate", "gate steps (median ms)"):
            table.add_column(column, justify="left" if column == "write" else "right")
        try:
            with requests.Session() as session:
                for count in counts:
                    body = turtle(count, municipality, report).encode()
                    runs: dict[str, list[tuple[float, dict]]] = {f"PUT {count}": [], f"DELETE ({count})": []}
                    for _ in range(repeat):
                        for label, send in ((f"PUT {count}", lambda: session.put(
                                f"{server.url}/store", params={"graph": GRAPH}, data=body, timeout=600,
                                headers={**headers, "Content-Type": "text/turtle"})),
                                            (f"DELETE ({count})", lambda: session.delete(
                                f"{server.url}/store", params={"graph": GRAPH}, headers=headers, timeout=600))):
                            started = time.perf_counter()
                            response = send()
                            took = (time.perf_counter() - started) * 1000
                            response.raise_for_status()
                            runs[label].append((took, json.loads(response.content)["seconds"]))
                            time.sleep(pause)   # a client's pace, not a wait for a state (see the docstring)
                    for label, timings in runs.items():
                        client = statistics.median(t for t, _ in timings)
                        gate = statistics.median(g["total"] for _, g in timings) * 1000
                        steps = " ".join(f"{step} {statistics.median(g.get(step, 0) for _, g in timings) * 1000:.0f}"
                                         for step in timings[0][1] if step != "total")
                        table.add_row(label, f"{client:.0f}", f"{gate:.0f}", f"{client - gate:.0f}", steps)
        finally:
            server.stop()
        Console().print(table)


def turtle(count: int, municipality: str, report: str) -> str:
    """The Turtle of `count` workshops as `insert` writes them."""
    data = insert(count, municipality, report).split("{ GRAPH", 1)[1].split("{", 1)[1].rsplit("} }", 1)[0]
    return ("PREFIX kg: <" + KG + "> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX schema: <https://schema.org/>\n" + data)


if __name__ == "__main__":
    main()
