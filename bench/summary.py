"""Named queries on the summary graph against the plain queries over the full graph (issue 13):
raw pyoxigraph over one store version, no server and no cache. Cold: each run opens the store
afresh (the open is not timed). Rows are checked to be the same. With --derive, also the time
`write_summary` takes on a copy of the version (what every gated write pays).

    .venv/bin/python bench/summary.py --store /tmp/seed-store [--repeat 3] [--derive]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from graph.build.summary import SUMMARY_GRAPH, write_summary
from graph.errors import ParameterError
from graph.settings import current
from graph.sparql import results
from graph.sparql.named_queries import bind, load_named_queries, query_text
from graph.store.engine import QueryRequest, run_query
from graph.store.versions import VersionedStore

CASES = [("workshops", {}), ("workshops", {"year": "2022"}), ("workshops", {"state": "Baden-Württemberg"}),
         ("workshops", {"state": "Bayern", "year": "2020"}), ("speakers", {}), ("speakers", {"topic": "LoRaWAN"}),
         ("topics", {}), ("municipalities", {}), ("municipalities", {"state": "Hessen"})]


def cold_ms(store: VersionedStore, query, substitutions: tuple, repeat: int) -> tuple[float, bytes]:
    """Median ms of `repeat` runs, each on a freshly opened store."""
    times, body = [], b""
    for _ in range(repeat):
        opened = store.open_read()
        started = time.perf_counter()
        body = run_query(opened, QueryRequest(query_text(query, substitutions), substitutions=substitutions)).body
        times.append((time.perf_counter() - started) * 1000)
        del opened
    return statistics.median(times), body


def queries_table(store: VersionedStore, repeat: int) -> Table:
    """Each case: rows, plain ms, summary ms, their ratio, whether the rows are the same."""
    served = load_named_queries(current().queries_dir)
    plain = load_named_queries(current().queries_dir / "plain")
    lookup = store.open_read()
    table = Table(title=f"Named queries, plain vs summary: cold median ms of {repeat}")
    for column in ("query", "rows", "plain", "summary", "ratio", "same rows"):
        table.add_column(column, justify="left" if column == "query" else "right")
    for name, arguments in CASES:
        label = name + ("?" + "&".join(f"{k}={v}" for k, v in arguments.items()) if arguments else "")
        try:
            substitutions = bind(served[name], arguments, lambda request: run_query(lookup, request))
        except ParameterError as exc:
            table.add_row(label, "-", "-", "-", "-", f"skipped: {exc}")
            continue
        plain_ms, plain_body = cold_ms(store, plain[name], substitutions, repeat)
        summary_ms, summary_body = cold_ms(store, served[name], substitutions, repeat)
        rows = results.bindings(plain_body)
        same = sorted(map(json.dumps, rows)) == sorted(map(json.dumps, results.bindings(summary_body)))
        table.add_row(label, str(len(rows)), f"{plain_ms:.1f}", f"{summary_ms:.1f}",
                      f"{plain_ms / summary_ms:.1f}×" if summary_ms else "-", str(same))
    return table


def derive_ms(store: VersionedStore, repeat: int) -> tuple[float, int]:
    """Median ms of write_summary on a copy of the current version, and the summary's size."""
    times, size = [], 0
    with tempfile.TemporaryDirectory() as folder:
        copy = ox.Store(str(Path(folder) / "copy"))
        copy.extend(store.open_read())
        for _ in range(repeat):
            started = time.perf_counter()
            write_summary(copy)
            times.append((time.perf_counter() - started) * 1000)
        size = sum(1 for _ in copy.quads_for_pattern(None, None, None, ox.NamedNode(SUMMARY_GRAPH)))
        del copy
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--derive", action="store_true", help="also time write_summary on a copy")
    args = parser.parse_args()
    store = VersionedStore(Path(args.store))
    console = Console(width=110)
    if not store.open_read().contains_named_graph(ox.NamedNode(SUMMARY_GRAPH)):
        console.print(f"{args.store} has no summary graph: build it again with this version of kommunalgraph")
        sys.exit(2)
    console.print(queries_table(store, args.repeat))
    if args.derive:
        ms, size = derive_ms(store, args.repeat)
        console.print(f"write_summary: {ms:.1f} ms median of {args.repeat}, {size} summary triples")


if __name__ == "__main__":
    main()
