"""Run the W3C SPARQL 1.1 query tests in-process on pyoxigraph and over HTTP on `kommunalgraph serve`.

Script mode prints the pass rates per folder, then the update and protocol tests' counts next to
them (tests/conformance/w3c_update.py): `python -m tests.conformance.w3c_sparql`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import requests

from tests.helpers import Timeout, wait_until

from .compare import accepted, expected_answer, is_ordered, mismatch, read_answer
from .manifest import SKIPPED, Case, Skip, read_suite, write_dataset

# The three ways SPARQL 1.1 Protocol 2.1 allows a query to be sent; the tests take turns.
METHODS = ("GET", "POST form", "POST direct")
# The status for a well-formed request the server's policy refuses (not 400, which means malformed).
POLICY_REFUSAL = 403
# The suite lives beside the repository, in ../shared (see its README.md).
SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "w3c-sparql11"


@dataclass
class Report:
    """Which tests passed on each path, and why the others failed or were skipped."""

    cases: list[Case]
    skips: list[Skip]
    in_process: dict[str, str | None] = field(default_factory=dict)   # test id -> failure, None if passed
    http: dict[str, str | None] = field(default_factory=dict)
    seconds: float = 0.0

    @staticmethod
    def passed(results: dict[str, str | None]) -> set[str]:
        """Ids of the tests that passed."""
        return {test for test, failure in results.items() if failure is None}

    def lost_over_http(self) -> list[str]:
        """Tests pyoxigraph passes in-process that fail over HTTP."""
        return sorted(self.passed(self.in_process) - self.passed(self.http))

    def table(self) -> str:
        """Pass rates per folder and in total, for both paths."""
        lines = [f"{'folder':<20}{'tests':>6}{'in-process':>17}{'HTTP':>17}"]
        groups = {f: {c.id for c in self.cases if c.folder == f} for f in sorted({c.folder for c in self.cases})}
        groups["total"] = {c.id for c in self.cases}
        for folder, ids in groups.items():
            cells = [_rate(len(self.passed(results) & ids), len(ids)) for results in (self.in_process, self.http)]
            lines.append(f"{folder:<20}{len(ids):>6}{cells[0]:>17}{cells[1]:>17}")
        return "\n".join(lines)

    def text(self) -> str:
        """The whole report: table, skipped categories, failures and what HTTP loses."""
        parts = [f"W3C SPARQL 1.1 query tests ({self.seconds:.1f} s)", self.table(), "", "Skipped:"]
        by_category = Counter(skip.category for skip in self.skips)
        for category, count in sorted(by_category.items()):
            names = ", ".join(s.id for s in self.skips if s.category == category)
            parts.append(f"  {count:>3} {category}: {SKIPPED[category]}\n        {names}")
        for label, results in (("in-process", self.in_process), ("HTTP", self.http)):
            failed = sorted(set(results) - self.passed(results))
            parts.append(f"Failed {label} ({len(failed)}): {', '.join(failed)}")
        lost = self.lost_over_http()
        parts.append(f"Lost over HTTP ({len(lost)}):" + "".join(f"\n  {t}: {self.http[t]}" for t in lost))
        gained = sorted(self.passed(self.http) - self.passed(self.in_process))
        parts.append(f"Passed over HTTP only ({len(gained)}): {', '.join(gained)}")
        return "\n".join(parts)


def _rate(passed: int, total: int) -> str:
    return f"{passed} ({100 * passed / total:.1f}%)" if total else "-"


def check_in_process(store: ox.Store, case: Case) -> str | None:
    """Run one test on pyoxigraph directly; None if it passed, else why not."""
    dataset = case.dataset()
    options = {}
    if dataset is not None:
        options = {"default_graph": [ox.NamedNode(g) for g in dataset[0]],
                   "named_graphs": [ox.NamedNode(g) for g in dataset[1]]}
    results_type, graph_type = accepted(case.result_path)
    if case.kind != "evaluation":
        # A syntax test is sent without BASE; in-process its base is the file's own URL.
        options["base_iri"] = case.query_url
    try:
        result = store.query(case.query(), **options)
        if case.kind == "negative syntax":
            return "parsed, but must be rejected"
        if case.kind == "positive syntax":
            # Parsed and planned is what a syntax test asks; running it could call a SERVICE.
            del result
            return None
        # Serialising runs the query to the end, as the server must before it can answer 200.
        if isinstance(result, ox.QueryTriples):
            media_type, body = graph_type, result.serialize(format=ox.RdfFormat.from_media_type(graph_type))
        else:
            media_type = results_type
            body = result.serialize(format=ox.QueryResultsFormat.from_media_type(results_type))
    except SyntaxError as exc:
        return None if case.kind == "negative syntax" else f"syntax error: {exc}"
    except (OSError, RuntimeError) as exc:
        # RuntimeError: pyoxigraph parsed the query but cannot plan it (an unknown extension function).
        return "parsed, but must be rejected" if case.kind == "negative syntax" else f"evaluation error: {exc}"
    return None if case.kind == "positive syntax" else _compare(case, media_type, body)


def check_http(session: requests.Session, endpoint: str, case: Case, method: str = "POST form") -> str | None:
    """Run one test through the SPARQL protocol with `method` (see METHODS); None if it passed."""
    params = []
    dataset = case.dataset()
    if dataset is not None:
        params = [("default-graph-uri", g) for g in dataset[0]] + [("named-graph-uri", g) for g in dataset[1]]
    results_type, graph_type = accepted(case.result_path)
    headers = {"Accept": f"{results_type}, {graph_type};q=0.9"}
    query = case.query()
    if method == "GET":
        response = session.get(endpoint, params=[("query", query)] + params, headers=headers, timeout=60)
    elif method == "POST form":
        response = session.post(endpoint, data=[("query", query)] + params, headers=headers, timeout=60)
    else:
        headers["Content-Type"] = "application/sparql-query; charset=utf-8"
        response = session.post(endpoint, params=params, data=query.encode("utf-8"), headers=headers, timeout=60)
    wanted = 400 if case.kind == "negative syntax" else 200
    # A query the server's policy refuses (403, such as SERVICE to a host not allow-listed) did
    # parse: for a syntax test that is a pass, as 400 would not be (issue 11).
    refused_by_policy = case.kind == "positive syntax" and response.status_code == POLICY_REFUSAL
    if response.status_code != wanted and not refused_by_policy:
        return f"{method}: HTTP {response.status_code}, not {wanted}: {response.text[:200]}"
    if case.kind != "evaluation":
        return None
    return _compare(case, response.headers.get("Content-Type", ""), response.content)


def _compare(case: Case, media_type: str, body: bytes) -> str | None:
    try:
        actual = read_answer(media_type, body, case.query_url)
    except (SyntaxError, ValueError) as exc:
        return f"unreadable {media_type} answer: {exc}"
    expected = expected_answer(case.result_path, case.result_url)
    return mismatch(expected, actual, is_ordered(case.query_path.read_text(encoding="utf-8")))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(data: Path | None, log: Path, timeout: float = 60.0, args: tuple[str, ...] = (),
            env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `kommunalgraph serve` on `data` (or as `args` say) as a user would, and yield its SPARQL
    endpoint URL."""
    port = free_port()
    command = [str(Path(sysconfig.get_path("scripts")) / "kommunalgraph"), "serve", "--port", str(port), *args]
    if data is not None:
        command.append(str(data))
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    try:
        _wait_until_healthy(process, f"http://127.0.0.1:{port}/health", log, timeout)
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        # SIGINT, not SIGTERM: the server then stops its workers and removes its temporary store.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(process: subprocess.Popen, url: str, log: Path, timeout: float) -> None:
    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"kommunalgraph serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            return requests.get(url, timeout=5).ok
        except (requests.ConnectionError, requests.Timeout):
            return False  # not listening yet, or its first query waits for a worker process to start

    try:
        wait_until(healthy, timeout, f"{url} answering")
    except Timeout:
        raise RuntimeError(f"kommunalgraph serve did not answer {url} within {timeout:g} s") from None


def run(suite: Path, workdir: Path) -> Report:
    """Run every query test of `suite` both ways; files go to `workdir`."""
    started = time.perf_counter()
    cases, skips = read_suite(suite)
    report = Report(cases, skips)
    data = write_dataset(suite, [c for c in cases if c.kind == "evaluation"], workdir / "w3c-sparql11.nq")
    store = ox.Store()
    store.load(path=data, format=ox.RdfFormat.N_QUADS)
    for case in cases:
        report.in_process[case.id] = check_in_process(store, case)
    with serving(data, workdir / "serve.log") as endpoint, requests.Session() as session:
        for index, case in enumerate(cases):
            report.http[case.id] = check_http(session, endpoint, case, METHODS[index % len(METHODS)])
    report.seconds = time.perf_counter() - started
    return report


def main() -> int:
    """Print the report; exit 2 if the suite is missing, 1 if HTTP loses a test."""
    if not SUITE.is_dir():
        sys.stderr.write(f"W3C SPARQL 1.1 suite not found at {SUITE}\n")
        return 2
    from .w3c_update import run_updates

    with tempfile.TemporaryDirectory(prefix="w3c-sparql11-") as workdir:
        report = run(SUITE, Path(workdir))
        updates = run_updates(SUITE, Path(workdir))
    sys.stdout.write(report.text() + "\n\n" + updates.failures() + "\n\n"
                     + report.table() + "\n" + updates.table() + "\n")
    return 1 if report.lost_over_http() else 0


if __name__ == "__main__":
    sys.exit(main())
