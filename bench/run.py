"""Benchmarks at national scale (issue 6), printed as one Markdown table per part.

    python bench/run.py [--sizes 1m,10m] [--work DIR] [--runs 5] [--rdflib-max 1m]
    python bench/run.py --store STORE --sizes 1m [--runs 5]    # an existing store: queries and load only

For each size: generate the synthetic dataset (kommunalgraph generate), build it (records →
SHACL → store), then on that store: every named query raw in-process (pyoxigraph, the limit),
over HTTP from our server (cold: Cache-Control: no-cache; cached: ETag cache warm) and from
rdflib-endpoint (the Python peer, same default graph, only up to --rdflib-max: it holds the
graph in Python objects), bounded concurrent load with wrk, and incremental SHACL validation
of 20 new workshops. Needs `pip install -e '.[bench]'` and wrk (apt-get install wrk).

Each case is asked as a client asks it: a list without `page` answers its first page (graph/sparql/paging.py),
so raw pyoxigraph runs the text the server runs for it (graph/sparql/named_pages.py), and rdflib-endpoint,
which holds the default graph only (no summary graph), runs the same question over the full graph
(queries/plain/) cut to the same number of rows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests
from rdflib import RDF

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import LiveServer, free_port  # noqa: E402
from graph.settings import current  # noqa: E402
from graph.build.record_check import count_events  # noqa: E402
from graph.mapping.mapper import EVENT_CLASSES  # noqa: E402
from graph.sparql.binding import bind_in_text  # noqa: E402
from graph.store.durable import copy_version  # noqa: E402
from graph.store.engine import QueryRequest, run_query  # noqa: E402
from graph.sparql.named_pages import plan  # noqa: E402
from graph.sparql.named_queries import NamedQuery, bind, load_named_queries  # noqa: E402
from graph.sparql.paging import page_of  # noqa: E402
from graph.store.versions import VersionedStore  # noqa: E402
from graph.sparql import results  # noqa: E402

BIN = Path(sys.executable).parent
SESSION = requests.Session()
WORKSHOPS = {"tiny": 200, "1m": 9_000, "10m": 90_000}  # about 113 default-graph triples per workshop
CASES = [("workshops", {"state": "Bayern", "year": "2020"}), ("workshops", {"state": "Saarland"}),
         ("workshops", {"year": "2024"}), ("speakers", {"topic": "LoRaWAN"}), ("speakers", {"topic": "Digitalisierung"}),
         ("topics", {}), ("municipalities", {"state": "Bremen"}), ("municipalities", {"state": "Hessen"})]


def median_ms(fn, runs: int) -> float:
    """Median wall time of `fn()` in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def table(title: str, header: list[str], rows: list[list]) -> str:
    """A Markdown table."""
    lines = [f"\n### {title}\n", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def generate(work: Path, size: str) -> Path:
    data = work / f"data-{size}"
    if not (data / "records").is_dir():
        subprocess.run([BIN / "kommunalgraph", "generate", "--out", str(data), "--seed", "1",
                        "--workshops", str(WORKSHOPS[size])], check=True)
    return data


def build(data: Path, store: Path) -> dict:
    shutil.rmtree(store, ignore_errors=True)
    peak = store.parent / f"{store.name}.maxrss"
    started = time.perf_counter()
    # GNU time: the largest resident set of the build or any of its worker processes.
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(peak), BIN / "kommunalgraph", "build", "--json",
                             "--records", str(data / "records"), "--reference", str(data / "reference"),
                             "--store", str(store)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed: {result.stderr[-2000:]}")
    out = json.loads(result.stdout)
    out["wall"] = seconds
    out["peak_mb"] = int(peak.read_text().split()[-1]) / 1024
    return out


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def served_text(query: NamedQuery, arguments: dict, execute) -> tuple[str, tuple]:
    """The text the server runs for a request without page parameters, and its substitutions."""
    page, arguments = page_of(arguments, paged=query.pages is not None)
    substitutions = bind(query, arguments, execute)
    return plan(query, substitutions, page, execute).text, substitutions


def peer_text(query: NamedQuery, arguments: dict, execute) -> str:
    """The same question over the full graph (queries/plain/), cut to the rows the server answers."""
    plain = load_named_queries(current().queries_dir / "plain")[query.name]
    page, arguments = page_of(arguments, paged=query.pages is not None)
    return bind_in_text(page.as_rows().apply(plain.text), bind(plain, arguments, execute))


def named_queries(store: VersionedStore, ours: LiveServer, peer_url: str | None, runs: int) -> list[list]:
    queries = load_named_queries(current().queries_dir)
    opened = store.open_read()
    execute = lambda request: run_query(opened, request)  # noqa: E731
    rows = []
    for name, arguments in CASES:
        text, substitutions = served_text(queries[name], arguments, execute)
        request = QueryRequest(text, substitutions=substitutions, max_bytes=None)
        count = len(results.bindings(execute(request).body))
        raw = median_ms(lambda: execute(request), runs)
        url = f"{ours.url}/api/queries/{name}"
        # One keep-alive connection, as wrk and real clients use; cold: Cache-Control: no-cache.
        cold = median_ms(lambda: SESSION.get(url, params=arguments, headers={"Cache-Control": "no-cache"},
                                             timeout=600).raise_for_status(), runs)
        cached = median_ms(lambda: SESSION.get(url, params=arguments, timeout=600).raise_for_status(), runs)
        peer = "–"
        if peer_url:
            text = peer_text(queries[name], arguments, execute)
            try:
                peer_ms = median_ms(lambda: SESSION.post(peer_url, data={"query": text}, timeout=1800,
                                                          headers={"Accept": "application/sparql-results+json"}
                                                          ).raise_for_status(), max(1, runs // 2))
                peer = f"{peer_ms:.0f} ({peer_ms / cold:.0f}×)"
            except requests.RequestException as exc:
                peer = f"failed: {type(exc).__name__}"
        label = f"{name}?{'&'.join(f'{k}={v}' for k, v in arguments.items())}" if arguments else name
        rows.append([label, count, f"{raw:.1f}", f"{cold:.1f} ({cold / raw:.2f}×)", f"{cached:.1f}", peer])
    return rows


def load_test(url: str, paths: list[str], cache: bool, seconds: int = 15, connections: int = 8) -> tuple:
    """Requests per second, p50 and p95 latency in ms from wrk over `paths`, round robin."""
    script = Path("/tmp/kg-bench-wrk.lua")
    header = "" if cache else 'wrk.headers["Cache-Control"] = "no-cache"\n'
    script.write_text(header + "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\nlocal i = 0\n"
                      "request = function() i = i % #paths + 1; return wrk.format(nil, paths[i]) end\n"
                      "done = function(s, l, r) io.write(string.format('JSON {\"rps\": %f, \"p50\": %f, \"p95\": %f, "
                      "\"errors\": %d}\\n', s.requests / (s.duration / 1e6), l:percentile(50) / 1000, "
                      "l:percentile(95) / 1000, s.errors.status + s.errors.timeout)) end\n")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "120s", "-s", str(script),
                          url], capture_output=True, text=True).stdout
    data = json.loads(out.split("JSON ", 1)[1])
    return data["rps"], data["p50"], data["p95"], data["errors"]


def incremental(store: VersionedStore, work: Path, data: Path) -> list:
    """Validate 20 new workshops (their report graph and its closure added to a copy of the store)."""
    import pyoxigraph as ox

    from graph.build.pipeline import Sources, check
    from graph.checks.reasoning import closure, rules_from, to_ntriples
    from graph.checks.shacl import load_shapes, validate_focus

    new = work / "new-20"
    shutil.rmtree(new, ignore_errors=True)
    subprocess.run([BIN / "kommunalgraph", "generate", "--out", str(new), "--seed", "99", "--workshops", "20",
                    "--gazetteer", str(data / "reference" / "gazetteer.csv")], check=True,
                   capture_output=True)
    checked = check(Sources(records=new / "records", reference=new / "reference"), current().base_iri,
                    owl=False, workers=1)
    report = checked.reports[0].graph
    copy = work / "store-copy"
    shutil.rmtree(copy, ignore_errors=True)
    copy_version(store.current_path(), copy)   # with the log of a gated write (graph/store/durable.py)
    writable = ox.Store(str(copy))
    writable.load(report.serialize(format="nt", encoding="utf-8") + to_ntriples(closure(report, rules_from(checked.ontology))),
                  format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    focus = sorted({str(s) for s in report.subjects()})
    events = sorted({str(s) for cls in EVENT_CLASSES.values() for s in report.subjects(RDF.type, cls)})
    shapes = load_shapes(current().shapes_dir)
    outcome = validate_focus(writable, focus, shapes)
    ms_events = median_ms(lambda: validate_focus(writable, events, shapes), 5)
    ms_all = median_ms(lambda: validate_focus(writable, focus, shapes), 5)
    writable = None  # closes the copy before it is removed
    shutil.rmtree(copy, ignore_errors=True)
    return [len(events), f"{ms_events:.0f}", len(focus), f"{ms_all:.0f}", outcome.conforms]


def shacl_engines(data: Path, files: int = 10) -> list:
    """CPU per workshop of pyshacl and of shifty on the same report graphs (one process)."""
    from graph.build.pipeline import Sources, check
    from graph.checks.ontology import load_ontology
    from graph.checks.shacl_fast import FastVerdict
    from graph.checks.shacl import load_shapes, validate

    sample = data.parent / f"{data.name}-shacl-sample"
    shutil.rmtree(sample, ignore_errors=True)
    (sample / "records").mkdir(parents=True)
    for path in sorted((data / "records").glob("*.yaml"))[:files]:
        shutil.copy(path, sample / "records" / path.name)
    reports = check(Sources(records=sample / "records", reference=data / "reference"), current().base_iri,
                    owl=False, workers=1).reports
    shapes, ontology = load_shapes(current().shapes_dir), load_ontology(current().ontology_dir)
    fast = FastVerdict(shapes, ontology)
    texts = [r.graph.serialize(format="nt", encoding="utf-8") for r in reports]
    events = sum(count_events(r.graph) for r in reports)
    started = time.process_time()
    slow = [validate(r.graph, shapes, ontology).conforms for r in reports]
    pyshacl_ms = (time.process_time() - started) * 1000 / events
    started = time.process_time()
    quick = [fast.conforms(text) for text in texts]
    shifty_ms = (time.process_time() - started) * 1000 / events
    shutil.rmtree(sample, ignore_errors=True)
    return [len(reports), events, f"{pyshacl_ms:.2f}", f"{shifty_ms:.2f}", f"{pyshacl_ms / shifty_ms:.1f}×",
            slow == quick]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1m,10m")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rdflib-max", default="1m", help="largest size to load into rdflib-endpoint")
    parser.add_argument("--store", type=Path, help="an existing store of the one size in --sizes: no generate, "
                                                   "build, SHACL or incremental parts")
    args = parser.parse_args()
    if args.store and "," in args.sizes:
        parser.error("--store takes one size (the store's, as its label)")
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = args.sizes.split(",")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    print(f"# Kommunalgraph bench\n\nMachine: {platform.platform()}, {os.cpu_count()} cores ({cpu}), "
          f"{int(memory) // 1024 ** 2} GiB, Python {platform.python_version()}; load average at start "
          f"{load_average()}. Times in ms (medians of {args.runs}) unless noted.", flush=True)
    builds, loads, increments = [], [], []
    for size in sizes:
        if args.store:
            data, store_dir = None, args.store
            builds.append([size, "", "an existing store"])
        else:
            data, store_dir = generate(args.work, size), args.work / f"store-{size}"
            builds.append(build_part(data, store_dir, size))
        store = VersionedStore(store_dir)
        ours = LiveServer(["--store", str(store_dir), "--workers", "2"],
                          env={"KG_MAX_RESULT_BYTES": str(512 * 1024 * 1024), "KG_QUERY_TIMEOUT": "1800",
                               "KG_QUEUE_TIMEOUT": "1800"})
        _wait_warm(ours)
        peer, peer_url = None, None
        if sizes.index(size) <= sizes.index(args.rdflib_max) if args.rdflib_max in sizes else False:
            dump = args.work / f"default-{size}.nt"
            store.open_read().dump(str(dump), format=__import__("pyoxigraph").RdfFormat.N_TRIPLES,
                                   from_graph=__import__("pyoxigraph").DefaultGraph())
            port = free_port()
            peer = subprocess.Popen([BIN / "rdflib-endpoint", "serve", str(dump), "--host", "127.0.0.1", "--port",
                                     str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            peer_url = f"http://127.0.0.1:{port}/"
            started = time.perf_counter()
            while True:
                try:
                    requests.get(peer_url, params={"query": "ASK {}"}, timeout=5)
                    break
                except requests.RequestException:
                    if peer.poll() is not None or time.perf_counter() - started > 1800:
                        peer_url = None
                        break
                    time.sleep(2)
            print(f"\nrdflib-endpoint loaded the {size} default graph in {time.perf_counter() - started:.0f} s.",
                  flush=True)
        try:
            rows = named_queries(store, ours, peer_url, args.runs)
            print(table(f"Named queries at {size} ({builds[-1][2]}{'' if args.store else ' triples'})",
                        ["query", "rows", "raw pyoxigraph", "our HTTP, cold (÷ raw)", "our HTTP, cached",
                         "rdflib-endpoint (÷ our cold)"], rows), flush=True)
            paths = [f"/api/queries/{n}?" + "&".join(f"{k}={v}" for k, v in a.items()) for n, a in CASES]
            for label, url, cache in (("ours, cached", ours.url, True), ("ours, cold", ours.url, False)):
                loads.append([size, label, *_fmt(load_test(url, paths, cache))])
            if peer_url:
                queries = load_named_queries(current().queries_dir)
                opened = store.open_read()
                execute = lambda request: run_query(opened, request)  # noqa: E731
                peer_paths = ["/?query=" + requests.utils.quote(peer_text(queries[n], a, execute)) for n, a in CASES]
                loads.append([size, "rdflib-endpoint", *_fmt(load_test(peer_url.rstrip("/"), peer_paths, True,
                                                                       seconds=60))])
            print(table("Concurrent load (wrk, 8 connections, named-query mix)", ["size", "server", "req/s",
                        "p50 ms", "p95 ms", "errors"], [r for r in loads if r[0] == size]), flush=True)
            if data is not None:
                increments.append([size, *incremental(store, args.work, data)])
                print(table("Incremental validation of 20 new workshops (validate_focus, median of 5)",
                            ["size", "workshops", "ms", "all new nodes", "ms", "conforms"], increments[-1:]), flush=True)
        finally:
            ours.stop()
            if peer:
                peer.terminate()
                peer.wait()


def build_part(data: Path, store_dir: Path, size: str) -> list:
    """The SHACL engines and the bulk build of one size, printed; the build's table row."""
    print(table("SHACL engines on the same report graphs (CPU ms per workshop, one process)",
                ["size", "reports", "workshops", "pyshacl", "shifty", "ratio", "same verdicts"],
                [[size, *shacl_engines(data)]]), flush=True)
    before = load_average()
    result = build(data, store_dir)
    published = result["wall"] - result["seconds"].get("dumps", 0)
    row = [size, result["events"], result["default_triples"], result["quads"], f"{result['wall']:.0f}",
           f"{published:.0f}", " ".join(f"{k} {v:.0f}" for k, v in result["seconds"].items()),
           f"{result['default_triples'] / published:.0f}", f"{result['peak_mb']:.0f}", f"{before} → {load_average()}"]
    print(table("Bulk build (records → SHACL → store)", ["size", "workshops", "default triples", "quads",
                "wall s", "published after s", "phases s", "triples/s to publish", "peak RSS MB (largest process)",
                "load average before → after"], [row]), flush=True)
    return row


def _wait_warm(server: LiveServer) -> None:
    """Wait until the server has warmed its cache (the parameterless named queries), so the
    measurements below do not compete with it."""
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        if SESSION.get(server.url + "/api/queries/topics", timeout=3600).headers.get("X-Cache") == "hit":
            break
        time.sleep(5)
    print(f"\nServer warm after {time.monotonic() - deadline + 3600:.0f} s.", flush=True)


def _fmt(values: tuple) -> list:
    rps, p50, p95, errors = values
    return [f"{rps:.3g}", f"{p50:.1f}", f"{p95:.1f}", errors]


if __name__ == "__main__":
    main()
