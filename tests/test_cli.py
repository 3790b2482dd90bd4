"""The command line: precise exit codes and messages for broken input, no tracebacks."""

from __future__ import annotations

import json
import signal
import subprocess

import requests

from tests.helpers import KOMMUNALGRAPH, LiveServer, wait_until


def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([KOMMUNALGRAPH, *args], capture_output=True, text=True, timeout=timeout)


def test_query_prints_results_in_each_format(seed_store):
    store = str(seed_store.root)
    csv_out = run("query", "workshops", "--store", store, "-p", "year=2021", "--format", "csv")
    assert csv_out.returncode == 0 and csv_out.stdout.splitlines()[0].startswith("workshop,title,date")
    assert len(csv_out.stdout.splitlines()) == 2
    as_json = json.loads(run("query", "speakers", "--store", store, "--format", "json").stdout)
    assert len(as_json["results"]["bindings"]) == 5
    table = run("query", "municipalities", "--store", store, "-p", "state=Schleswig-Holstein")
    assert table.returncode == 0 and "Flensburg" in table.stdout


def test_query_without_name_lists_the_named_queries():
    result = run("query")
    assert result.returncode == 0 and "workshops (state, year)" in result.stdout


def test_query_errors_exit_2_with_a_message(seed_store, tmp_path):
    store = str(seed_store.root)
    cases = [
        (("query", "nope", "--store", store), "no named query 'nope'"),
        (("query", "workshops", "--store", store, "-p", "year"), "KEY=VALUE"),
        (("query", "workshops", "--store", store, "-p", "year=twenty"), "must be an integer"),
        (("query", "workshops", "--store", store, "-p", "colour=red"), "unknown parameter"),
        (("query", "workshops", "--store", str(tmp_path / "empty")), "kommunalgraph build"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.returncode == 2, args
        assert message in result.stderr.replace("\n", " "), (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_usage_errors_exit_2():
    assert run("query", "workshops", "--format", "pdf").returncode == 2
    assert run("serve", "--port", "70000").returncode == 2
    assert run("frobnicate").returncode == 2


def test_serve_refuses_missing_or_broken_files(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", "utf-8")
    unknown = tmp_path / "data.xyz"
    unknown.write_text("x", "utf-8")
    for path, message in ((tmp_path / "missing.ttl", "no such file"), (broken, "broken.ttl"),
                          (unknown, "unknown RDF format")):
        result = run("serve", "--port", "1", str(path), timeout=60)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_serve_files_instead_of_the_store(tmp_path):
    (tmp_path / "a.ttl").write_text("<http://e/a> <http://e/p> 1 .", "utf-8")
    (tmp_path / "b.nq").write_text("<http://e/b> <http://e/p> \"2\" <http://e/g> .\n", "utf-8")
    (tmp_path / "c.jsonld").write_text('{"@id": "http://e/c", "http://e/p": 3}', "utf-8")
    server = LiveServer([str(tmp_path / "a.ttl"), str(tmp_path / "b.nq"), str(tmp_path / "c.jsonld")])
    try:
        query = "SELECT ?s ?g { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } ORDER BY ?s"
        rows = requests.get(server.url + "/sparql", params={"query": query}, timeout=30).json()["results"]["bindings"]
        assert [(r["s"]["value"], r.get("g", {}).get("value")) for r in rows] == [
            ("http://e/a", None), ("http://e/b", "http://e/g"), ("http://e/c", None)]
    finally:
        server.stop()


def test_a_second_sigterm_during_shutdown_is_ignored(tmp_path):
    (tmp_path / "a.ttl").write_text("<http://e/a> <http://e/p> 1 .", "utf-8")
    server = LiveServer([str(tmp_path / "a.ttl")], log=tmp_path / "server.log")
    try:
        server.process.send_signal(signal.SIGTERM)
        wait_until(lambda: "SIGTERM: shutting down" in server.output() or server.process.poll() is not None,
                   what="the server starting to shut down")
        server.process.send_signal(signal.SIGTERM)   # no-op when it has already exited
        assert server.process.wait(30) == 0
        assert "Traceback" not in server.output()
    finally:
        server.stop()


def test_backup_and_restore_commands(seed_store, tmp_path):
    target = tmp_path / "backup"
    assert run("backup", str(target), "--store", str(seed_store.root)).returncode == 0
    again = run("backup", str(target), "--store", str(seed_store.root))
    assert again.returncode == 2 and "already exists" in again.stderr
    fresh = tmp_path / "fresh"
    assert run("restore", str(target), "--store", str(fresh)).returncode == 0
    table = run("query", "municipalities", "--store", str(fresh), "--format", "csv")
    assert "Heidelberg" in table.stdout
