"""The server's share of a named-query request, measured so that a noisy machine cancels out (issue 13).

bench/cold.py starts fresh servers and a fresh raw process per round; on this 2-core VM its runs differ from
each other by more than a millisecond per case, so a change worth one millisecond does not show there. This
script keeps two servers on the same store up at once (A and B: other settings, or other code) and asks them
in turn, A then B, B then A, with the same job timed raw in this process after each pair. Whatever the machine
does meanwhile hits all three alike; the table gives each side's median and its share beyond raw.

    python bench/overhead.py --store S10M --rounds 60 --b-env KG_LOOKUPS_IN_SERVER=false
    python bench/overhead.py --store S1M --a-code /tmp/older-checkout      # A runs that checkout's graph/ and server/
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from graph.settings import current  # noqa: E402
from graph.sparql.named_queries import load_named_queries  # noqa: E402
from graph.sparql.named_request import NamedRequest  # noqa: E402
from graph.sparql.paging import page_of  # noqa: E402
from graph.store.engine import run_query  # noqa: E402
from graph.store.versions import VersionedStore, open_version  # noqa: E402
from lean_client import LeanSession  # noqa: E402
from tests.helpers import LiveServer  # noqa: E402

CASES = [("workshops", {}), ("speakers", {}), ("workshops", {"state": "Bayern"}), ("workshops", {"year": "2020"}),
         ("speakers", {"topic": "LoRaWAN"}), ("municipalities", {"state": "Hessen"})]
ACCEPT = {"Accept": "application/sparql-results+json", "Cache-Control": "no-cache"}


def side(code: Path | None, pairs: list[str]) -> dict[str, str]:
    """A server's environment: KEY=VALUE pairs, and PYTHONPATH for other code."""
    env = {"KG_CACHE_BYTES": "0"}
    for pair in pairs:
        key, _, value = pair.partition("=")
        env[key] = value
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=60)
    for name in ("a", "b"):
        parser.add_argument(f"--{name}-env", action="append", default=[], metavar="KEY=VALUE")
        parser.add_argument(f"--{name}-code", type=Path, help="a checkout whose graph/ and server/ this side runs")
    args = parser.parse_args()
    store = VersionedStore(args.store)
    queries = load_named_queries(current().queries_dir)
    version = str(store.current_path())
    opened = open_version(Path(version))
    servers = {"A": LiveServer(["--store", str(args.store)], env=side(args.a_code, args.a_env)),
               "B": LiveServer(["--store", str(args.store)], env=side(args.b_code, args.b_env))}
    sessions = {name: LeanSession() for name in servers}
    times: dict[str, dict[str, list[float]]] = {}
    try:
        for turn in range(args.rounds):
            for name, arguments in CASES:
                key = name + "".join(f"?{k}={v}" for k, v in arguments.items())
                sink = times.setdefault(key, {"raw": [], "A": [], "B": []})
                for label in ("A", "B") if turn % 2 == 0 else ("B", "A"):
                    started = time.perf_counter()
                    answer = sessions[label].get(f"{servers[label].url}/api/queries/{name}", arguments, ACCEPT)
                    sink[label].append((time.perf_counter() - started) * 1000)
                    answer.raise_for_status()
                page, rest = page_of(arguments, paged=queries[name].pages is not None)
                job = NamedRequest(queries[name], tuple(sorted(rest.items())), page)
                started = time.perf_counter()
                job.run(lambda request: run_query(opened, request), version)
                sink["raw"].append((time.perf_counter() - started) * 1000)
    finally:
        for server in servers.values():
            server.stop()
    table = Table(title=f"Named queries, A and B asked in turn, {args.rounds} rounds: medians, ms "
                        f"(A: {' '.join(args.a_env) or 'defaults'}{' + ' + str(args.a_code) if args.a_code else ''}; "
                        f"B: {' '.join(args.b_env) or 'defaults'}{' + ' + str(args.b_code) if args.b_code else ''})")
    for column in ("case", "raw", "A", "B", "A − raw", "B − raw", "A ÷ raw", "B ÷ raw"):
        table.add_column(column, justify="left" if column == "case" else "right")
    for key, sink in times.items():
        raw, a, b = (statistics.median(sink[label]) for label in ("raw", "A", "B"))
        table.add_row(key, f"{raw:.2f}", f"{a:.2f}", f"{b:.2f}", f"{a - raw:.2f}", f"{b - raw:.2f}", f"{a / raw:.2f}",
                      f"{b / raw:.2f}")
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
