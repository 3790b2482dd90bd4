"""Issue 15 at scale: what releases cost, and GovData's checks on the catalogue of a large build.

Generates the synthetic national dataset (kommunalgraph generate --seed 1), builds it twice
(the second build's release is a diff of two full versions), makes one gated write, then
measures: build phases (store, dumps, quality), the release files, `kommunalgraph diff`, the
first feed page, and GovData's validation (2.0 spec + Konventionen, 3.0) of the served
catalogue, with the shapes in ../shared/dcat-ap-shapes.

    .venv/bin/python bench/releases.py --workshops 9000 --work WORK
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def run(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "kommunalgraph"), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=9000)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--shapes", type=Path, default=ROOT.parent / "shared" / "dcat-ap-shapes")
    args = parser.parse_args()
    from graph.publish import govdata
    from graph.store.releases import list_releases, patch_path, states_path
    from graph.store.versions import VersionedStore
    from graph.writes.gate import WriteGate
    from rdflib import Graph
    from server.app import create_app

    data, store_dir = args.work / f"data-{args.workshops}", args.work / f"store-{args.workshops}"
    if not (data / "records").is_dir():
        run("generate", "--out", str(data), "--seed", "1", "--workshops", str(args.workshops))
    rows = []
    for n in (1, 2):
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        seconds, done = run("build", "--json", "--records", str(data / "records"), "--reference",
                            str(data / "reference"), "--store", str(store_dir))
        out = json.loads(done.stdout)
        phases = {k: round(v, 1) for k, v in out.get("seconds", {}).items()}
        rows.append(f"| build {n} | {seconds:.0f} | {out.get('quads')} | {phases} | {load} |")
    store = VersionedStore(store_dir)
    gate = WriteGate(store)
    started = time.perf_counter()
    gate.update("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> INSERT DATA { GRAPH "
                "<https://w3id.org/kommunalgraph/graph/report/bench> { <https://w3id.org/kommunalgraph/id/topic/bench> "
                "rdfs:label \"Bench\"@de } }", "bench")
    rows.append(f"| gated write (1 triple) | {time.perf_counter() - started:.1f} | | | |")
    releases = list_releases(store_dir)
    sizes = [(r.seq, r.members, r.added, r.removed, patch_path(store_dir, r).stat().st_size // 1024,
              states_path(store_dir, r).stat().st_size // 1024) for r in releases]
    diff_s, _ = run("diff", "1", str(releases[-1].seq), "--store", str(store_dir))
    app = create_app({"STORE": str(store_dir), "QUERY_WORKERS": 1, "TESTING": True,
                      "DATASET_CONTRIBUTOR_ID": "http://dcat-ap.de/def/contributors/openDataBund"})
    client = app.test_client()
    started = time.perf_counter()
    page = client.get("/feed/pages/1", headers={"Accept": "application/trig"})
    page_s = time.perf_counter() - started
    vocabulary = Graph().parse(ROOT / "tests" / "data" / "govdata-vocabulary.ttl")
    checks = []
    for profile, query in (("v20_de_spec_implr", ""), ("v30_de_spec", "?profile=3.0")):
        catalogue = Graph().parse(data=client.get("/catalog.ttl" + query).data, format="turtle")
        found = govdata.check(catalogue, args.shapes, profile, vocabulary)
        checks.append(f"| {profile} | {len(catalogue)} | {sum(f.severity == 'Violation' for f in found)} | "
                      f"{sum(f.severity == 'Warning' for f in found)} |")
    app.extensions["kommunalgraph"].close()
    print(f"\n### Releases at {args.workshops} workshops\n")
    print("| step | seconds | quads | phases s | load before |\n|---|---|---|---|---|")
    print("\n".join(rows))
    print("\n| release | members | added | removed | patch KiB | states KiB |\n|---|---|---|---|---|---|")
    print("\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in sizes))
    print(f"\n`kommunalgraph diff 1 {releases[-1].seq}`: {diff_s:.1f} s; first feed page ({page.status_code}, "
          f"{len(page.data) // 1024} KiB): {page_s:.2f} s")
    print("\n| GovData profile | catalogue triples | violations | warnings |\n|---|---|---|---|")
    print("\n".join(checks))


if __name__ == "__main__":
    main()
