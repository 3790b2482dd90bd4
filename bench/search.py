"""Search benchmark (issue 14): index build time and size, and query latency, printed as Markdown.

    python bench/search.py --store STORE [--runs 50] [--http] [--copies N]

STORE is a built store (e.g. from `python bench/run.py`, or `kommunalgraph generate` +
`kommunalgraph build`). The index of its current version is built if it is missing (timed).
Each query runs `--runs` times in-process (SearchIndex.search: the FTS5 match, ranking, one
page of hits and all facet counts); with --http also through `/api/search` of a real server on
127.0.0.1. p50 and p95 in milliseconds; the hits column is the total for that query.

--copies N times an index that holds every document of STORE N times (distinct IRIs, same
text): a stand-in for a graph N times larger where building that store does not fit the machine.
The table says so; it is written to a temporary file, never into the store.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.search.index import build_index_file, index_path, write_index  # noqa: E402
from graph.search.analysis import match_expression  # noqa: E402
from graph.search.query import SearchIndex, parse_request  # noqa: E402
from graph.store.versions import VersionedStore  # noqa: E402
from tests.conftest import LiveServer  # noqa: E402

# (what a user types, facet filters): single names, folded and inflected forms, prefixes while
# typing, a word in almost every document (the worst case for facet counts), a filtered search.
CASES = [
    ("schonborn", {}), ("Schoenborn", {}), ("Digitalagentur", {}), ("Digitalagenturen", {}), ("LoRaWAN", {}),
    ("werkstatt", {}), ("Digitalisierungsstrategie", {}), ("Heidel", {}), ("dig", {}), ("Berg", {}),
    ("Workshop", {}), ("Strategiestarterworkshop", {"state": "09"}), ("Digitale Agenda", {"year": "2021"}),
]


def scored_in_sql(index: SearchIndex, request) -> int:
    """The search as it was before the facet arrays (for the side-by-side column): every hit scored
    into a temporary table, joined with its facet rows and grouped in SQL."""
    db = index._connection()
    where, params = "fts MATCH ?", [match_expression(request.text)]
    for facet, value in request.filters:
        where += " AND EXISTS (SELECT 1 FROM facets f WHERE f.doc = fts.rowid AND f.facet = ? AND f.value = ?)"
        params += [facet, value]
    db.execute("DROP TABLE IF EXISTS temp.hits")
    db.execute(f"CREATE TEMP TABLE hits AS SELECT fts.rowid AS doc, bm25(fts, 10.0, 4.0, 1.0, 0.5) AS score "
               f"FROM fts WHERE {where}", params)
    total = db.execute("SELECT COUNT(*) FROM temp.hits").fetchone()[0]
    db.execute("SELECT d.iri, h.score FROM temp.hits h JOIN docs d ON d.id = h.doc ORDER BY h.score LIMIT 20").fetchall()
    db.execute("SELECT f.facet, f.value, COUNT(*) FROM temp.hits h JOIN facets f ON f.doc = h.doc "
               "GROUP BY f.facet, f.value").fetchall()
    db.execute("DROP TABLE temp.hits")
    return total


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p95 of a list of milliseconds."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--http", action="store_true", help="also measure /api/search of a real server")
    parser.add_argument("--copies", type=int, default=1, help="index every document N times (simulated size)")
    parser.add_argument("--compare", action="store_true",
                        help="also time the search scored and grouped in SQL (before the facet arrays)")
    args = parser.parse_args()
    if args.copies > 1 and args.http:
        parser.error("--copies measures in-process only")
    store = VersionedStore(args.store)
    version = store.current()
    triples = sum(1 for _ in ox.Store.read_only(str(store.versions / version)).quads_for_pattern(
        None, None, None, ox.DefaultGraph()))
    path = index_path(store, version)
    build_seconds = None
    if args.copies > 1:
        path = Path(tempfile.mkdtemp()) / f"{version}-x{args.copies}.sqlite"
        started = time.perf_counter()
        build_index_file(ox.Store.read_only(str(store.versions / version)), path, version, copies=args.copies)
        build_seconds = time.perf_counter() - started
    elif not path.exists():
        started = time.perf_counter()
        write_index(store, version)
        build_seconds = time.perf_counter() - started
    index = SearchIndex(path)
    documents = index._connection().execute("SELECT value FROM meta WHERE name = 'documents'").fetchone()[0]
    size = f"{args.copies} × {triples:,} default-graph triples (SIMULATED: every document {args.copies} times)" \
        if args.copies > 1 else f"{triples:,} default-graph triples"
    print(f"\n### Search index of {version}: {size}, {int(documents):,} documents\n")
    print(f"- index file: {path.stat().st_size / 1e6:.1f} MB; build: "
          f"{f'{build_seconds:.1f} s (this run)' if build_seconds else 'built before this run (by the build)'}")
    server = LiveServer(["--store", str(store.root)], env={"KG_WARM_CACHE": "0", "KG_RATE_LIMIT": "0"}) \
        if args.http else None
    rows = []
    try:
        for text, filters in CASES:
            request = parse_request({"q": text, **filters})
            total = index.search(request).total
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                index.search(request)
                times.append((time.perf_counter() - started) * 1000)
            row = [f"`{text}`" + (f" {filters}" if filters else ""), f"{total:,}", *(f"{v:.1f}" for v in percentiles(times))]
            if args.compare:
                before = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    scored_in_sql(index, request)
                    before.append((time.perf_counter() - started) * 1000)
                old = percentiles(before)[0]
                row += [f"{old:.1f}", f"{old / max(percentiles(times)[0], 0.01):.1f}×"]
            if server:
                session, http = requests.Session(), []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    response = session.get(server.url + "/api/search", params={"q": text, **filters}, timeout=30)
                    http.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                row += [f"{v:.1f}" for v in percentiles(http)]
            rows.append(row)
    finally:
        if server:
            server.stop()
        if args.copies > 1:
            shutil.rmtree(path.parent, ignore_errors=True)
    header = ["query", "hits", "in-process p50 ms", "p95 ms"] + (["SQL-scored p50 ms", "speed-up"] if args.compare
                                                                 else []) + (["HTTP p50 ms", "p95 ms"] if server else [])
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    every = [float(r[2]) for r in rows]
    print(f"\nMedian of the per-query p50s: {statistics.median(every):.1f} ms in-process"
          + (f", {statistics.median(float(r[-2]) for r in rows):.1f} ms over HTTP" if server else ""))


if __name__ == "__main__":
    main()
