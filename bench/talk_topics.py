"""speakers?topic= before and after kgs:talkTopic (issue 13): the filter as it was (FILTER EXISTS over the
topics of every talk and of its event) against the served query (the kgs:talkTopic pattern), raw pyoxigraph,
cold (the store opened afresh per run), on the same store version, for the most used topics.

    .venv/bin/python bench/talk_topics.py --store STORE [--repeat 3] [--topics 10]

STORE must be built with this version's summary (it holds kgs:talkTopic); `--derive COPY` first copies STORE's
current version to COPY and derives the summary there (for a store built before the change).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.build.summary import KGS, write_summary  # noqa: E402
from graph.ns import SUMMARY_GRAPH  # noqa: E402
from graph.settings import current  # noqa: E402
from graph.sparql import results  # noqa: E402
from graph.sparql.named_queries import load_named_queries, query_text  # noqa: E402
from graph.store.engine import QueryRequest, run_query  # noqa: E402
from graph.store.versions import VersionedStore  # noqa: E402

SERVED_FILTER = "EXISTS { ?talk kgs:talkTopic ?topic }"
FORMER_FILTER = "EXISTS { { ?talk kgs:topic ?topic } UNION { ?workshop kgs:topic ?topic } }"


def cold(store: VersionedStore, text: str, substitutions: tuple, repeat: int) -> tuple[float, list]:
    times, rows = [], []
    for _ in range(repeat):
        opened = store.open_read()
        started = time.perf_counter()
        body = run_query(opened, QueryRequest(text, substitutions=substitutions)).body
        times.append((time.perf_counter() - started) * 1000)
        rows = sorted(map(json.dumps, results.bindings(body)))
        del opened
    return statistics.median(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True)
    parser.add_argument("--derive", type=Path, help="copy the store here and derive this version's summary first")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--topics", type=int, default=10)
    args = parser.parse_args()
    store = VersionedStore(args.store)
    if args.derive:
        store.backup(args.derive)
        copy = ox.Store(str(args.derive / "versions" / "v-backup"))
        started = time.perf_counter()
        write_summary(copy)
        copy.flush()
        del copy
        Console().print(f"summary derived on the copy in {time.perf_counter() - started:.1f} s")
        store = VersionedStore(args.derive)
    served = load_named_queries(current().queries_dir)["speakers"]
    assert SERVED_FILTER in served.text, "queries/speakers.rq no longer has the filter this bench replaces"
    former = served.text.replace(SERVED_FILTER, FORMER_FILTER)
    lookup = store.open_read()
    topics = [row["t"].value for row in lookup.query(
        f"SELECT ?t {{ GRAPH <{SUMMARY_GRAPH}> {{ ?t <{KGS}workshops> ?n }} }} ORDER BY DESC(?n) ?t LIMIT {args.topics}")]
    table = Table(title=f"speakers?topic= at {args.store}: cold median ms of {args.repeat}")
    for column in ("topic", "rows", "before (FILTER EXISTS)", "served (kgs:talkTopic)", "ratio", "same rows"):
        table.add_column(column, justify="left" if column == "topic" else "right")
    for topic in topics:
        substitutions = (("topic", ("iri", topic)),)
        before_ms, before_rows = cold(store, former, substitutions, args.repeat)
        served_ms, served_rows = cold(store, query_text(served, substitutions), substitutions, args.repeat)
        table.add_row(topic.rsplit("/", 1)[1], str(len(served_rows)), f"{before_ms:.1f}", f"{served_ms:.1f}",
                      f"{before_ms / served_ms:.1f}×", str(before_rows == served_rows))
    Console().print(table)


if __name__ == "__main__":
    main()
