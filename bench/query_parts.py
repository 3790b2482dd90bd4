"""Where a cold `workshops` query spends its time: the count of its patterns, one join at a time,
on raw pyoxigraph over a store version (no server, no cache); then each parameterised named
query with and without its parameters' patterns (queries/*.rq headers), same rows checked.

    .venv/bin/python bench/query_parts.py --store /tmp/national-store [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from rich.console import Console
from rich.table import Table

from graph.settings import current
from graph.store.engine import QueryRequest, run_query
from graph.sparql.named_queries import bind, load_named_queries, query_text
from graph.store.versions import VersionedStore
from graph.sparql import results

PREFIXES = ("PREFIX kg: <https://w3id.org/kommunalgraph/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
PARTS = [
    ("workshops by type", "?w a kg:Workshop"),
    ("+ title", "?w a kg:Workshop ; kg:title ?t"),
    ("+ title, location", "?w a kg:Workshop ; kg:title ?t ; kg:location ?m"),
    ("+ title, location, its label", "?w a kg:Workshop ; kg:title ?t ; kg:location ?m . ?m rdfs:label ?ml"),
    ("type + OPTIONAL year", "?w a kg:Workshop OPTIONAL { ?w kg:year ?y }"),
    ("type + OPTIONAL date", "?w a kg:Workshop OPTIONAL { ?w kg:date ?d }"),
    ("type + OPTIONAL state with label",
     "?w a kg:Workshop OPTIONAL { ?w kg:withinArea ?s . ?s a kg:FederalState ; rdfs:label ?sl }"),
    ("year given as a pattern (index lookup)", "?w a kg:Workshop ; kg:year 2024"),
]
NAMED = [("workshops", {"year": "2024"}), ("workshops", {"state": "Saarland"}),
         ("workshops", {"state": "Bayern", "year": "2020"}), ("speakers", {"topic": "LoRaWAN"}),
         ("municipalities", {"state": "Hessen"})]


def median_ms(run, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def patterns_table(store, repeat: int) -> Table:
    """Each named query with and without the patterns of its given parameters."""
    queries = load_named_queries(current().queries_dir)
    execute = lambda request: run_query(store, request)  # noqa: E731 - raw pyoxigraph, in-process
    table = Table(title=f"Named queries with and without parameter patterns: median ms of {repeat}")
    for column in ("query", "rows", "without", "with", "ratio", "same rows"):
        table.add_column(column, justify="left" if column == "query" else "right")
    for name, arguments in NAMED:
        query = queries[name]
        substitutions = bind(query, arguments, execute)
        texts = (query.text, query_text(query, substitutions))
        (plain_ms, plain), (hinted_ms, hinted) = (
            median_ms(lambda: execute(QueryRequest(text, substitutions=substitutions)).body, repeat) for text in texts)
        rows = results.bindings(plain)
        same = sorted(map(json.dumps, rows)) == sorted(map(json.dumps, results.bindings(hinted)))
        label = name + "?" + "&".join(f"{k}={v}" for k, v in arguments.items())
        table.add_row(label, str(len(rows)), f"{plain_ms:.0f}", f"{hinted_ms:.0f}", f"{plain_ms / hinted_ms:.1f}×",
                      str(same))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    store = VersionedStore(args.store).open_read()
    table = Table(title=f"Patterns of the workshops query over {args.store}: median ms of {args.repeat}")
    for column in ("pattern", "rows", "ms"):
        table.add_column(column, justify="left" if column == "pattern" else "right")
    for label, body in PARTS:
        query = PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}"
        times, rows = [], None
        for _ in range(args.repeat):
            started = time.perf_counter()
            rows = next(iter(store.query(query)))["n"].value
            times.append((time.perf_counter() - started) * 1000)
        table.add_row(label, rows, f"{statistics.median(times):.0f}")
    Console().print(table)
    Console().print(patterns_table(store, args.repeat))


if __name__ == "__main__":
    main()
