"""A private Virtuoso holding a large store, loaded with Virtuoso's bulk loader (issue 13, item 4).

    .venv/bin/python bench/virtuoso_scale.py --store S --work W [--loaders 1] [--buffers 900000]

`kommunalgraph push` sends INSERT DATA requests of 500 triples, which is fine for the seed store
but would take hours at 10 M. This writes the current store version as N-Quads the way push
sends it (the default graph as the named graph DEFAULT_GRAPH, blank nodes as skolem IRIs) into
W/load/, starts Virtuoso with its database in W/db/, and bulk-loads the files (ld_dir,
rdf_loader_run in --loaders parallel sessions, checkpoint). Printed: the export time, the load
wall time, Virtuoso's peak RSS (VmHWM) and the quads per graph kind it then holds.

bench/cold.py --virtuoso W and bench/remote_writes.py --virtuoso W use the loaded database through
`start(W)`, which starts Virtuoso on it with the same settings.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.build.pages import PAGE_PREDICATES  # noqa: E402
from graph.store.remote import skolem  # noqa: E402
from graph.store.versions import VersionedStore  # noqa: E402
from tests.helpers import BASE_IRI, free_port  # noqa: E402
from tests.virtuoso import Virtuoso, available  # noqa: E402

# The graph that holds our default graph, as bench/remote_writes.py and the tests name it.
DEFAULT_GRAPH = BASE_IRI + "graph/default"
# About 8 KB per buffer (Virtuoso's own sizing table puts 680,000 buffers at 8 GB of RAM): up to some
# 7.5 GB, more than the 10 M store needs (its database takes about 0.5 GB on disk, and Virtuoso peaked
# at 4.8 GB RSS loading it), so the whole store fits in Virtuoso's memory; two thirds may be dirty.
BUFFERS = 900_000


def settings(work: Path, buffers: int = BUFFERS) -> dict[str, str]:
    """The virtuoso.ini keys changed from Debian's packaged file for a large store."""
    return {
        "NumberOfBuffers": str(buffers),
        "MaxDirtyBuffers": str(buffers * 2 // 3),
        "MaxQueryMem": "4G",
        # ld_dir reads only from allowed folders.
        "DirsAllowed": f"., /usr/share/virtuoso-opensource-7/vad, {work / 'load'}",
        # The packaged 10,000 rows would cut the longer answers short without an error; the
        # server's own limits (KG_QUERY_TIMEOUT, KG_MAX_RESULT_BYTES) apply as on the embedded store.
        "ResultSetMaxRows": "10000000",
        # The packaged 60 s makes Virtuoso return partial "anytime" answers instead of failing.
        "MaxQueryExecutionTime": "0",
        "MaxQueryCostEstimationTime": "0",
        # Until 2026-12-04 a write on the remote back end derived the whole summary graph again in the
        # store (about 1.9 M quads at 10 M), which Virtuoso's default limit of 50 MB of changed rows per
        # transaction fails with SR325. A write now sends only the quads it changes; the limit stays
        # raised so that the old and the new gate are measured on the same server.
        "TransactionAfterImageLimit": "2000000000",
    }


def start(work: Path, buffers: int = BUFFERS) -> Virtuoso:
    """Virtuoso on the database in work/db (loaded by this script), on free ports of 127.0.0.1."""
    if not available():
        sys.exit("virtuoso-opensource is not installed (apt-get install virtuoso-opensource)")
    return Virtuoso(work / "db", free_port(), free_port(), settings(work, buffers), ready_seconds=600)


def export(store: VersionedStore, folder: Path, parts: int) -> int:
    """Write the store's current version as `parts` N-Quads files, every quad in a named graph; return the count."""
    folder.mkdir(parents=True, exist_ok=True)
    opened = store.open_read()
    written = 0
    files = [open(folder / f"part-{i:02d}.nq", "w", encoding="utf-8") for i in range(parts)]
    try:
        for quad in opened.quads_for_pattern(None, None, None, None):
            if quad.predicate in PAGE_PREDICATES:
                continue   # page numbers stay on the embedded store, as with `kommunalgraph push`
            graph = DEFAULT_GRAPH if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            files[written % parts].write(f"{skolem(quad.subject)} {quad.predicate} {skolem(quad.object)} <{graph}> .\n")
            written += 1
    finally:
        for handle in files:
            handle.close()
    return written


def peak_rss_mb(pid: int) -> float:
    """The high-water mark of a process's resident memory (Linux /proc), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bulk_load(virtuoso: Virtuoso, folder: Path, loaders: int) -> int:
    """Virtuoso's bulk loader over every *.nq in `folder` with `loaders` sessions at once, then a
    checkpoint; return how many files had to be loaded again.

    Parallel loaders can fail a file with "40001 Transaction deadlock" (seen in one of two loads of
    the 10 M store). Such files are loaded once more by a single session: loading quads again is
    harmless, RDF_QUAD holds each quad once.
    """
    virtuoso.sql(f"ld_dir('{folder}', '*.nq', '{DEFAULT_GRAPH}');")
    _run_loaders(virtuoso, loaders)
    failed = _failed_files(virtuoso)
    if failed:
        virtuoso.sql("UPDATE DB.DBA.load_list SET ll_state = 0, ll_error = NULL WHERE ll_error IS NOT NULL;")
        _run_loaders(virtuoso, 1)
        if _failed_files(virtuoso):
            raise RuntimeError(f"the bulk loader failed twice: {virtuoso.sql(_ERRORS)}")
    virtuoso.sql("checkpoint;", timeout=3600)
    return failed


_ERRORS = "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;"


def _run_loaders(virtuoso: Virtuoso, sessions: int) -> None:
    command = ["isql-vt", f"127.0.0.1:{virtuoso.sql_port}", "dba", "dba", "exec=rdf_loader_run();"]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(sessions)]
    for session in running:
        output = session.communicate()[0].decode(errors="replace")
        if session.returncode != 0:
            raise RuntimeError(f"rdf_loader_run failed: {output}")


def _failed_files(virtuoso: Virtuoso) -> int:
    """How many files of the load list have an error."""
    answer = virtuoso.sql("SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
    return int(re.search(r"_{10,}\s+(\d+)", answer).group(1))  # the value under isql's line of underscores


def counts(virtuoso: Virtuoso) -> str:
    """Quads in the default-graph stand-in, the summary graph and all graphs, as isql prints them."""
    return virtuoso.sql(
        f"SPARQL SELECT (COUNT(*) AS ?all) (SUM(IF(?g = <{DEFAULT_GRAPH}>, 1, 0)) AS ?default) "
        f"(SUM(IF(?g = <{BASE_IRI}graph/summary>, 1, 0)) AS ?summary) "
        "WHERE { GRAPH ?g { ?s ?p ?o } };", timeout=3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True)
    parser.add_argument("--work", required=True, type=Path, help="new folder for the N-Quads and the database")
    # One session: two were not faster on the two shared cores here (240 s against 199 s for the 10 M
    # store) and one of two such loads lost a file to a deadlock (see bulk_load).
    parser.add_argument("--loaders", type=int, default=1, help="rdf_loader_run sessions at once")
    parser.add_argument("--buffers", type=int, default=BUFFERS)
    args = parser.parse_args()
    work = args.work.resolve()
    if (work / "db").exists():
        sys.exit(f"{work / 'db'} exists: this loads into a new database")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    started = time.perf_counter()
    quads = export(VersionedStore(args.store), work / "load", parts=4 * args.loaders)
    exported = time.perf_counter() - started
    print(f"exported {quads:,} quads in {exported:.0f} s", flush=True)
    started = time.perf_counter()
    virtuoso = start(work, args.buffers)
    try:
        up = time.perf_counter() - started
        again = bulk_load(virtuoso, work / "load", args.loaders)
        loaded = time.perf_counter() - started
        peak = peak_rss_mb(virtuoso.process.pid)
        print(f"virtuoso up in {up:.0f} s; bulk load with checkpoint {loaded:.0f} s wall (from start); "
              f"peak RSS {peak:,.0f} MB; files loaded again after an error: {again}", flush=True)
        print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
        print(counts(virtuoso), flush=True)
    finally:
        virtuoso.stop(timeout=600)


if __name__ == "__main__":
    main()
