"""Copy a store and derive this version's summary graph on the copy, page numbers included (issue 13).

    .venv/bin/python bench/derive_summary.py --store STORE --copy COPY

For a store built before a change to the summary (graph/build/summary.py, graph/build/pages.py): the
copy's current version gets the summary the build now writes, and bench/cold.py can then run on COPY.
Printed: the seconds of the copy, of the summary's rules and of the page numbers, and the page triples.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.build.pages import PAGE, derive_pages  # noqa: E402
from graph.build.summary import summary_updates  # noqa: E402
from graph.ns import SUMMARY_GRAPH  # noqa: E402
from graph.store.versions import VersionedStore  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--copy", type=Path, required=True, help="a folder that does not exist yet")
    args = parser.parse_args()
    if args.copy.exists():
        parser.error(f"{args.copy} exists; give a new folder")
    started = time.perf_counter()
    VersionedStore(args.store).backup(args.copy)
    copied = time.perf_counter() - started
    store = ox.Store(str(args.copy / "versions" / "v-backup"))
    started = time.perf_counter()
    store.update(f"DROP SILENT GRAPH <{SUMMARY_GRAPH}>")
    for update in summary_updates():
        store.update(update)
    rules = time.perf_counter() - started
    started = time.perf_counter()
    derive_pages(store)
    pages = time.perf_counter() - started
    count = sum(1 for _ in store.quads_for_pattern(None, PAGE, None, ox.NamedNode(SUMMARY_GRAPH)))
    store.flush()
    table = Table(title=f"Summary derived on a copy of {args.store}")
    for column in ("copy s", "rules s", "page numbers s", "page triples"):
        table.add_column(column, justify="right")
    table.add_row(f"{copied:.1f}", f"{rules:.1f}", f"{pages:.1f}", f"{count:,}")
    Console().print(table)


if __name__ == "__main__":
    main()
