"""How fast the published web answers: each page and document, cold (first request of a store
version) and warm (median of the next ones), and the time to write the dumps.

    .venv/bin/python bench/pages.py [--store var/store] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import time

from rich.console import Console
from rich.table import Table

from graph.publish.dumps import write_dumps
from graph.store.versions import VersionedStore
from server.app import create_app

PATHS = [
    ("landing page", "/", "text/html"),
    ("Bad Schönborn: 303", "/kommunalgraph/id/municipality/08215100", "text/html"),
    ("Bad Schönborn: page", "/kommunalgraph/page/municipality/08215100", "text/html"),
    ("Bad Schönborn: Turtle", "/kommunalgraph/data/municipality/08215100.ttl", "text/turtle"),
    ("state Baden-Württemberg: page", "/kommunalgraph/page/state/08", "text/html"),
    ("topic scheme: page", "/kommunalgraph/page/topics", "text/html"),
    ("ontology: page", "/kommunalgraph/ontology", "text/html"),
    ("catalogue: RDF/XML", "/catalog.rdf", "application/rdf+xml"),
    ("VoID", "/.well-known/void", "text/turtle"),
    ("OpenAPI", "/api/openapi.json", "application/json"),
    ("editor", "/sparql", "text/html"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    table = Table(title=f"Published web over {args.store} (ms)")
    for column in ("what", "status", "cold", "warm median", "warm max"):
        table.add_column(column, justify="right" if column != "what" else "left")
    app = create_app({"STORE": args.store, "QUERY_WORKERS": 2})
    client = app.test_client()
    try:
        for name, path, accept in PATHS:
            timings = []
            for _ in range(args.repeat + 1):
                started = time.perf_counter()
                response = client.get(path, headers={"Accept": accept})
                timings.append((time.perf_counter() - started) * 1000)
            table.add_row(name, str(response.status_code), f"{timings[0]:.1f}",
                          f"{statistics.median(timings[1:]):.1f}", f"{max(timings[1:]):.1f}")
    finally:
        app.extensions["kommunalgraph"].close()
    started = time.perf_counter()
    write_dumps(VersionedStore(args.store))
    table.add_row("write the 4 dumps", "", f"{(time.perf_counter() - started) * 1000:.1f}", "", "")
    Console().print(table)


if __name__ == "__main__":
    main()
