"""Every named query, every parameter value, cold (issue 13): over HTTP from a fresh server process
with the result cache off, beside raw pyoxigraph on the same store version.

    .venv/bin/python bench/cold.py --store STORE [--rounds 3] [--topics 10] [--pages] [--virtuoso WORK]
                                   [--client requests|lean]

The parameter values are the ones the store holds: all federal states, every year with a workshop,
the most used topics (--topics). Each round starts a new `kommunalgraph serve` (KG_CACHE_BYTES=0)
and asks every case once with Cache-Control: no-cache. Raw pyoxigraph is a fresh process per round too,
which opens the store once and runs every case in the same order as the whole job a query worker does
for it (parameter lookups, page plan, query). Until 2026-12-06 raw ran in the bench's own long-running
process, on the store reopened per case, without the lookups: that column is still printed ("as before").
Printed: per query, the p50 over rounds of the slowest and the median case, how many cases
exceed the issue's target, and the HTTP ÷ raw ratio where raw takes at least 10 ms. Each case is asked as
a client asks it: a list (workshops, speakers, municipalities) without `page` answers its first page;
--pages adds later pages and the whole lists (`page=all`), grouped apart.

With --virtuoso WORK (a database loaded by bench/virtuoso_scale.py from the same store version) the
server runs on the remote back end against that Virtuoso, and raw is the same query text sent
straight to Virtuoso's /sparql. Each round also asks every case of a fresh embedded server (while
Virtuoso is down), so the two back ends are compared within one run. Before the rounds it checks
that Virtuoso answers each case's whole list (page=all) with as many rows as the embedded store (a page
is a different cut on each back end: see same_data). Virtuoso is restarted before the raw pass and before
the server pass of every round, so its own buffers are cold each time; the operating system's page
cache is not dropped, for either back end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import statistics
import sys
import time
from pathlib import Path

import requests
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.ns import SUMMARY_GRAPH  # noqa: E402
from graph.settings import current  # noqa: E402
from graph.sparql.named_pages import forget_last_pages, plan  # noqa: E402
from graph.sparql.named_queries import bind, load_named_queries  # noqa: E402
from graph.sparql.named_request import NamedRequest  # noqa: E402
from graph.sparql.paging import page_of  # noqa: E402
from graph.store.engine import QueryRequest, run_query  # noqa: E402
from graph.store.versions import VersionedStore, open_version  # noqa: E402
# bench/virtuoso_scale.py: the script's own folder is on the path.
from lean_client import LeanSession  # noqa: E402
from cold_http import case_key, http_pass  # noqa: E402
from cold_remote import remote_round, same_data  # noqa: E402

CLIENTS = {"requests": requests.Session, "lean": LeanSession}

YEARS = f"""PREFIX kgs: <https://w3id.org/kommunalgraph/summary#>
SELECT DISTINCT ?value WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?workshop kgs:year ?value }} }}"""


def column(opened, query: str, name: str) -> list[str]:
    """The values of one variable of a SELECT on the store."""
    body = run_query(opened, QueryRequest(query, max_bytes=None)).body
    return [row[name]["value"] for row in json.loads(body)["results"]["bindings"] if name in row]


def cases(store: VersionedStore, topics: int, pages: bool = False) -> list[tuple[str, dict]]:
    """(query, arguments) for every parameter value the bench draws."""
    opened = store.open_read()
    # State keys ("08"), which the parameter takes like names: one per state, whatever its labels.
    state_keys = sorted(set(column(opened, "PREFIX kg: <https://w3id.org/kommunalgraph/ontology#> "
                                            "SELECT DISTINCT ?key { ?s a kg:FederalState ; kg:stateKey ?key }", "key")))
    years = sorted(set(column(opened, YEARS, "value")))
    topic_labels = column(opened, "PREFIX kg: <https://w3id.org/kommunalgraph/ontology#> "
                                  "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                                  "SELECT ?label (COUNT(*) AS ?n) { ?w kg:topic ?t . ?t skos:prefLabel ?label "
                                  "FILTER(LANG(?label) = 'de') } GROUP BY ?label ORDER BY DESC(?n) ?label LIMIT "
                                  f"{topics}", "label")
    out = [("workshops", {}), ("speakers", {}), ("topics", {}), ("municipalities", {})]
    out += [("workshops", {"state": s}) for s in state_keys] + [("workshops", {"year": y}) for y in years]
    out += [("municipalities", {"state": s}) for s in state_keys]
    out += [("speakers", {"topic": t}) for t in topic_labels]
    if pages:  # a middle page of the workshops, page 2 of the other lists, and the whole lists (page=all)
        middle = max(1, len(column(opened, ALL_PAGES, "p")) // 2)
        out += [("workshops", {"page": str(middle)}), ("speakers", {"page": "2"}), ("municipalities", {"page": "2"})]
        out += [(name, {"page": "all"}) for name in ("workshops", "speakers", "municipalities")]
    return out


ALL_PAGES = f"""SELECT DISTINCT ?p WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ [] <https://w3id.org/kommunalgraph/summary#page> ?p }}
FILTER (STRSTARTS(?p, "workshops all ")) }}"""


def raw_round(root: str, drawn: list) -> dict[str, float]:
    """One cold raw round in a fresh process, as a fresh server's query worker meets it: the store opened
    once, then every case in the server pass's order, each timed as the whole job the worker does for it
    (the parameters' lookups, the page's plan and the query: graph/sparql/named_request.py). The HTTP ÷ raw
    ratio is taken against these times: both sides then start from a new process and a closed store."""
    store = VersionedStore(Path(root))
    queries = load_named_queries(current().queries_dir)
    version = str(store.current_path())
    opened = open_version(Path(version))
    execute = lambda request: run_query(opened, request)  # noqa: E731
    times = {}
    for case in drawn:
        name, arguments = case
        page, arguments = page_of(arguments, paged=queries[name].pages is not None)
        job = NamedRequest(queries[name], tuple(sorted(arguments.items())), page)
        started = time.perf_counter()
        job.run(execute, version)
        times[case_key(case)] = (time.perf_counter() - started) * 1000
    return times


def raw_in_fresh_process(store: VersionedStore, drawn: list) -> dict[str, float]:
    """raw_round in a newly spawned process (so nothing this bench has run is warm in it)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(raw_round, (str(store.root), drawn))


def raw_ms(store: VersionedStore, queries, case) -> float:
    """One raw run as the bench measured it before 2026-12-06 (the "bench process" column): in this long-running
    process, on a store opened afresh for the case, the parameters' lookups not timed."""
    name, arguments = case
    opened = store.open_read()
    page, arguments = page_of(arguments, paged=queries[name].pages is not None)
    execute = lambda request: run_query(opened, request)  # noqa: E731
    substitutions = bind(queries[name], arguments, execute)
    started = time.perf_counter()
    # The text the server runs: the query with the patterns of the parameters given (named_queries.query_text),
    # for a page the page's pattern or LIMIT and OFFSET (named_pages.plan; a list's last page, which the server
    # reads once per version, list and process, is read here once per round and list, and timed).
    text = plan(queries[name], substitutions, page, execute, str(store.current_path())).text
    run_query(opened, QueryRequest(text, substitutions=substitutions, max_bytes=None))
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--topics", type=int, default=10)
    parser.add_argument("--target-ms", type=float, default=30.0, help="the issue's p50 target (30 at 1 M, 100 at 10 M)")
    parser.add_argument("--virtuoso", type=Path, help="work folder of bench/virtuoso_scale.py: the remote back end")
    parser.add_argument("--pages", action="store_true",
                        help="also a middle page of the workshops, page 2 of the speakers and municipalities, and "
                             "the three whole lists (page=all)")
    parser.add_argument("--client", choices=sorted(CLIENTS), default="requests",
                        help="the HTTP client of the server pass: requests (as before 2026-12-06) or lean, a kept-alive "
                             "http.client connection that adds next to nothing of its own (bench/lean_client.py)")
    parser.add_argument("--only", help="only the cases whose key (e.g. 'workshops?state=08&page=1') matches this "
                                       "regular expression")
    parser.add_argument("--cases-json", type=Path, help="also write every case's raw and HTTP times (ms) to this file, "
                                                        "to find which parameter value a row's largest ratio comes from")
    args = parser.parse_args()
    if args.pages and args.virtuoso:
        parser.error("--pages measures the embedded store's page numbers; a remote store has none")
    store = VersionedStore(Path(args.store))
    queries = load_named_queries(current().queries_dir)
    drawn = [c for c in cases(store, args.topics, args.pages) if not args.only or re.search(args.only, case_key(c))]
    raw: dict = {case_key(c): [] for c in drawn}
    in_bench: dict = {case_key(c): [] for c in drawn}   # the raw runs as measured before 2026-12-06 (raw_ms)
    http: dict = {case_key(c): [] for c in drawn}
    statuses: dict = {case_key(c): {} for c in drawn}
    # --virtuoso only: the embedded server's times in the same rounds, and per case whether Virtuoso
    # answers the whole list with as many rows as the embedded store.
    embedded: dict | None = {case_key(c): [] for c in drawn} if args.virtuoso else None
    lookup: dict | None = {case_key(c): [] for c in drawn} if args.virtuoso else None
    same_rows: dict | None = same_data(store, queries, drawn, args.virtuoso) if args.virtuoso else None
    for _ in range(args.rounds):
        if args.virtuoso:
            remote_round(store, queries, drawn, args.virtuoso, raw, http, statuses, embedded, lookup,
                         CLIENTS[args.client])
            continue
        forget_last_pages()
        for case in drawn:
            in_bench[case_key(case)].append(raw_ms(store, queries, case))
        for key, ms in raw_in_fresh_process(store, drawn).items():
            raw[key].append(ms)
        http_pass(store, drawn, http, statuses, {}, client=CLIENTS[args.client])
    Console(width=260).print(summary_table(drawn, raw, http, statuses, args, embedded, lookup, same_rows,
                                           None if args.virtuoso else in_bench))
    if args.cases_json:
        args.cases_json.write_text(json.dumps({key: {"raw": raw[key], "http": http[key]} for key in raw}, indent=1))


def summary_table(drawn, raw, http, statuses, args, embedded: dict | None = None, lookup: dict | None = None,
                  same_rows: dict | None = None, in_bench: dict | None = None) -> Table:
    """One row per named query and parameter: cases, p50s, how many over target, HTTP ÷ raw; with
    --virtuoso also the parameters' lookup on Virtuoso, the embedded server's p50s of the same rounds,
    the ratio of the two servers, the rows of the whole lists, and in how many cases Virtuoso answered
    as many rows of the whole list as the embedded store."""
    where = "on Virtuoso (raw: its /sparql directly)" if args.virtuoso else "embedded (raw: pyoxigraph)"
    table = Table(title=f"Cold named queries {where}: p50 over {args.rounds} fresh server processes, cache off, "
                        f"client {args.client}, ms")
    columns = ["query", "cases", "raw p50 median", "raw p50 max", "HTTP p50 median", "HTTP p50 max",
               f"cases > {args.target_ms:g} ms", "HTTP ÷ raw (raw ≥ 10 ms), max", "HTTP answers"]
    if in_bench is not None:
        columns += ["raw as before: bench process, p50 median", "HTTP ÷ raw as before (≥ 10 ms), max"]
    if embedded is not None:
        columns += ["raw lookup p50 median", "embedded HTTP p50 median", "embedded HTTP p50 max",
                    "HTTP ÷ embedded HTTP, median (min–max)", "whole-list rows, median (min–max)",
                    "whole list as embedded"]
    for column in columns:
        table.add_column(column, justify="left" if column == "query" else "right")
    groups: dict = {}
    for name, arguments in drawn:
        names = ",".join(k + ("=all" if v == "all" else "") for k, v in arguments.items())
        groups.setdefault(f"{name}?{names}" if arguments else name, []).append(case_key((name, arguments)))
    for group, keys in groups.items():
        raw_p50 = [statistics.median(raw[k]) for k in keys]
        http_p50 = [statistics.median(http[k]) for k in keys]
        ratios = [h / r for h, r in zip(http_p50, raw_p50) if r >= 10]
        row = [group, str(len(keys)), f"{statistics.median(raw_p50):.1f}", f"{max(raw_p50):.1f}",
               f"{statistics.median(http_p50):.1f}", f"{max(http_p50):.1f}",
               str(sum(h > args.target_ms for h in http_p50)), f"{max(ratios):.2f}×" if ratios else "–",
               " ".join(f"{code}×{n}" for code, n in sorted(_total(statuses[k] for k in keys).items()))]
        if in_bench is not None:
            before_p50 = [statistics.median(in_bench[k]) for k in keys]
            before = [h / r for h, r in zip(http_p50, before_p50) if r >= 10]
            row += [f"{statistics.median(before_p50):.1f}", f"{max(before):.2f}×" if before else "–"]
        if embedded is not None:
            local_p50 = [statistics.median(embedded[k]) for k in keys]
            versus = [h / e for h, e in zip(http_p50, local_p50)]
            rows = [same_rows[k] for k in keys if same_rows[k] is not False]
            row += [f"{statistics.median(statistics.median(lookup[k]) for k in keys):.1f}",
                    f"{statistics.median(local_p50):.1f}", f"{max(local_p50):.1f}",
                    f"{statistics.median(versus):.2f}× ({min(versus):.2f}–{max(versus):.2f})",
                    f"{statistics.median(rows):.0f} ({min(rows)}–{max(rows)})" if rows else "–",
                    f"{len(rows)}/{len(keys)}"]
        table.add_row(*row)
    return table


def _total(counts) -> dict:
    total: dict = {}
    for count in counts:
        for code, n in count.items():
            total[code] = total.get(code, 0) + n
    return total


if __name__ == "__main__":
    main()
