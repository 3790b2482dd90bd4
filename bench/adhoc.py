"""Ad-hoc query shapes at national scale (issue 13): what users write against /sparql, cold.

    .venv/bin/python bench/adhoc.py --store STORE [--rounds 3] [--http]

Each shape is written the way it is often written first, and the way that is fast on Oxigraph; both run
cold (raw: the store opened afresh per round; --http: also POST /sparql to a fresh `kommunalgraph serve`
per round, result cache off) and the table says whether the two forms give the same rows. The values
(a municipality, its AGS, a state) are drawn from the store, so any built store works.
"""

from __future__ import annotations

import argparse
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
from graph.store.versions import VersionedStore  # noqa: E402
from tests.helpers import LiveServer  # noqa: E402

PREFIXES = """PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>
PREFIX kgs: <https://w3id.org/kommunalgraph/summary#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def shapes(label: str, ags: str, state: str) -> list[tuple[str, str, str]]:
    """(shape, form, query) pairs: for each shape the common form first, then the fast one(s)."""
    summary = f"GRAPH <{SUMMARY_GRAPH}>"
    return [
        ("municipality by label", "FILTER (STR(?l) = …)",
         f'SELECT ?m {{ ?m a kg:Municipality ; rdfs:label ?l FILTER (STR(?l) = "{label}") }}'),
        ("municipality by label", "the literal as a pattern",
         f'SELECT ?m {{ ?m rdfs:label "{label}" ; a kg:Municipality }}'),
        ("municipality by AGS", "FILTER (?ags = …)",
         f'SELECT ?m {{ ?m kg:ags ?ags FILTER (?ags = "{ags}") }}'),
        ("municipality by AGS", "the literal as a pattern", f'SELECT ?m {{ ?m kg:ags "{ags}" }}'),
        ("workshops of a state, titled", "path municipality → district → state",
         f"SELECT ?w ?t {{ ?w a kg:Workshop ; kg:title ?t ; kg:location/kg:inDistrict/kg:inState <{state}> }}"),
        ("workshops of a state, titled", "FILTER on kg:withinArea",
         f"SELECT ?w ?t {{ ?w a kg:Workshop ; kg:title ?t ; kg:withinArea ?a FILTER (?a = <{state}>) }}"),
        ("workshops of a state, titled", "kg:withinArea with the state in the pattern",
         f"SELECT ?w ?t {{ ?w kg:withinArea <{state}> ; a kg:Workshop ; kg:title ?t }}"),
        ("workshops of a state, titled", "the summary graph",
         f"SELECT ?w ?t {{ {summary} {{ ?w kgs:state <{state}> ; kgs:title ?t }} }}"),
        ("workshops per state", "GROUP BY over the default graph",
         "SELECT ?s (COUNT(?w) AS ?n) { ?w a kg:Workshop ; kg:withinArea ?s . ?s a kg:FederalState } GROUP BY ?s"),
        ("workshops per state", "GROUP BY over the summary graph",
         f"SELECT ?s (COUNT(?w) AS ?n) {{ {summary} {{ ?w kgs:state ?s }} }} GROUP BY ?s"),
        ("workshops per topic (with broader)", "property path kg:topic/skos:broader*",
         "SELECT ?t (COUNT(DISTINCT ?w) AS ?n) { ?w a kg:Workshop ; kg:topic/skos:broader* ?t } GROUP BY ?t"),
        ("workshops per topic (with broader)", "the counts the summary holds",
         f"SELECT ?t ?n {{ {summary} {{ ?t kgs:workshops ?n }} }}"),
        ("title contains a word", "FILTER CONTAINS(LCASE(…))",
         'SELECT ?w ?t { ?w a kg:Workshop ; kg:title ?t FILTER (CONTAINS(LCASE(?t), "digital")) }'),
        ("title contains a word", "FILTER REGEX(…, 'i')",
         'SELECT ?w ?t { ?w a kg:Workshop ; kg:title ?t FILTER (REGEX(?t, "digital", "i")) }'),
        ("municipalities of a state", "path kg:inDistrict/kg:inState",
         f"SELECT ?m {{ ?m a kg:Municipality ; kg:inDistrict/kg:inState <{state}> }}"),
        ("municipalities of a state", "kg:inState with the state in the pattern",
         f"SELECT ?m {{ ?m kg:inState <{state}> ; a kg:Municipality }}"),
    ]


def draw(store: VersionedStore) -> tuple[str, str, str]:
    """A municipality's label and AGS, and the state with the most workshops."""
    opened = store.open_read()
    row = next(iter(opened.query(PREFIXES + 'SELECT ?l ?ags { ?m kg:ags ?ags ; rdfs:label ?l } ORDER BY ?ags LIMIT 1')))
    state = next(iter(opened.query(PREFIXES + f"SELECT ?s (COUNT(?w) AS ?n) {{ GRAPH <{SUMMARY_GRAPH}> "
                                              "{ ?w kgs:state ?s } } GROUP BY ?s ORDER BY DESC(?n) LIMIT 1")))
    return row["l"].value, row["ags"].value, state["s"].value


def raw_run(store: VersionedStore, query: str) -> tuple[float, frozenset]:
    """Milliseconds and rows of one cold run on a freshly opened store."""
    opened = store.open_read()
    started = time.perf_counter()
    solutions = opened.query(PREFIXES + query)
    rows = frozenset(tuple(str(value) for value in solution) for solution in solutions)
    return (time.perf_counter() - started) * 1000, rows


def http_ms(session: requests.Session, url: str, query: str) -> float:
    """Milliseconds of one POST /sparql, the whole answer read."""
    started = time.perf_counter()
    response = session.post(f"{url}/sparql", data={"query": PREFIXES + query}, timeout=600,
                            headers={"Accept": "application/sparql-results+json", "Cache-Control": "no-cache"})
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--http", action="store_true", help="also over HTTP from fresh server processes")
    args = parser.parse_args()
    store = VersionedStore(Path(args.store))
    drawn = shapes(*draw(store))
    raw: list[list[float]] = [[] for _ in drawn]
    http: list[list[float]] = [[] for _ in drawn]
    rows: list[frozenset] = [frozenset()] * len(drawn)
    for _ in range(args.rounds):
        for index, (_, _, query) in enumerate(drawn):
            ms, rows[index] = raw_run(store, query)
            raw[index].append(ms)
        if args.http:
            server = LiveServer(["--store", str(store.root)], env={"KG_CACHE_BYTES": "0"})
            try:
                with requests.Session() as session:
                    for index, (_, _, query) in enumerate(drawn):
                        http[index].append(http_ms(session, server.url, query))
            finally:
                server.stop()
    Console(width=170).print(table(drawn, raw, http, rows, args.rounds))


def table(drawn, raw, http, rows, rounds: int) -> Table:
    """One row per form: rows, raw and HTTP medians, the ratio to the shape's first form, same rows as it."""
    out = Table(title=f"Ad-hoc shapes, cold, medians of {rounds} (ms)")
    for name in ("shape", "form", "rows", "raw ms", "HTTP ms", "÷ first form (raw)", "same rows as first form"):
        out.add_column(name, justify="left" if name in ("shape", "form") else "right")
    first: dict[str, int] = {}
    for index, (shape, form, _) in enumerate(drawn):
        base = first.setdefault(shape, index)
        ms = statistics.median(raw[index])
        out.add_row(shape if base == index else "", form, f"{len(rows[index]):,}", f"{ms:.1f}",
                    f"{statistics.median(http[index]):.1f}" if http[index] else "–",
                    "" if base == index else _ratio(statistics.median(raw[base]), ms),
                    "" if base == index else ("yes" if rows[index] == rows[base] else "no"))
    return out


def _ratio(first: float, this: float) -> str:
    this = max(this, 0.01)
    return f"{first / this:.1f}× faster" if first >= this else f"{this / first:.1f}× slower"


if __name__ == "__main__":
    main()
