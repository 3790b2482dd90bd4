"""Benchmark of issue 5's request-time work: the SERVICE check, the entity index, reconciliation.

Run: .venv/bin/python bench/linking.py  (builds the seed records into a temporary store first)
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.table import Table

from graph.linking import reconcile as rc
from graph.build.pipeline import Sources, build
from graph.store.engine import run_query
from graph.linking.entity_index import build_index
from graph.sparql.federation import check_services
from graph.store.versions import VersionedStore
from timing import timed  # bench/timing.py: the script's own folder is on the path

BASE = "https://w3id.org/kommunalgraph/"
WIKIDATA = "https://query.wikidata.org/sparql"


def main() -> None:
    """Print one table row per measured step."""
    with tempfile.TemporaryDirectory() as folder:
        store = VersionedStore(Path(folder) / "store")
        build(store, Sources(), BASE, owl=False)
        opened = store.open_read()
        execute = partial(run_query, opened)
        index = build_index(execute, BASE)
        names = ["Heidelberg", "Stadt Achern", "Neubrandenburg", "Bad Schoenborn", "Flensburg"] * 10
        batch = rc.parse_batch({f"q{i}": {"query": n, "type": "Municipality"} for i, n in enumerate(names)}, 50)
        rows = [
            ("SERVICE check, query without SERVICE", timed(lambda: check_services("SELECT * { ?s ?p ?o }", [WIKIDATA]), 2000)),
            ("SERVICE check, allowed SERVICE (rdflib parse)", timed(lambda: check_services(
                f"SELECT * {{ ?m ?p ?i . SERVICE <{WIKIDATA}> {{ ?i ?q ?v }} }}", [WIKIDATA]), 50)),
            (f"entity index of the seed store ({len(index.entities)} entities)", timed(lambda: build_index(execute, BASE), 20)),
            ("reconcile a batch of 50 queries", timed(lambda: [rc.reconcile(index, q) for q in batch.values()], 5)),
        ]
        del opened
    table = Table("step", "ms per call", title="issue 5: request-time costs (in-process)")
    for step, ms in rows:
        table.add_row(step, f"{ms:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
