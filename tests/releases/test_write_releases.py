"""A write's release is written from what the write knows it changed (graph/writes/delta.py
known_change, DRed's touched triples); it must be exactly the release a comparison of every graph
of the two versions gives (graph/store/diff.py), or the change feed and `diff` would lie."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.store import releases, states
from graph.store.versions import open_version
from graph.writes.gate import WriteGate
from tests.helpers import BASE_IRI, KG, REPORT_GRAPH, workshop_update

NEW_GRAPH = BASE_IRI + "graph/report/test"
XSD = "http://www.w3.org/2001/XMLSchema#"
INTERVAL = f"<{BASE_IRI}id/interval/sebastian-warkentin-digitalagentur-heidelberg>"
WRITES = [
    ("update", workshop_update("w4")),
    ("update", f"DROP GRAPH <{NEW_GRAPH}>"),
    ("update", workshop_update("w4")),
    ("update", workshop_update("w5", graph=REPORT_GRAPH)),
    ("update", f"WITH <{NEW_GRAPH}> DELETE {{ ?w <{KG}location> ?m }} INSERT {{ ?w <{KG}location> "
               f"<{BASE_IRI}id/municipality/08221000> }} WHERE {{ ?w <{KG}location> ?m }}"),
    ("update", f'INSERT DATA {{ GRAPH <{REPORT_GRAPH}> {{ {INTERVAL} <{KG}endedBy> "2023-06"^^<{XSD}gYearMonth> }} }}'),
    ("put", f'<{BASE_IRI}id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "eins" .\n'),
    ("put", f'<{BASE_IRI}id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "zwei" ; a <{KG}Note> .\n'),
    ("delete", "http://ex/g"),
    ("update", f"DROP GRAPH <{NEW_GRAPH}>"),
]


def release_files(prefix: str) -> tuple:
    record = json.loads(Path(prefix + ".json").read_text(encoding="utf-8"))
    added, removed = releases.read_patch(prefix + ".rdfp.gz")
    resource_states = {str(k): None if v is None else sorted(map(str, v)) for k, v in states.read(prefix + ".states.nq.gz")}
    return (set(added), set(removed), record["graphs"], record["summary"], record["members"], resource_states)


@pytest.mark.parametrize("step", range(len(WRITES)))
def test_each_write_s_release_equals_the_full_comparison_of_its_two_versions(store_copy, tmp_path, step):
    gate = WriteGate(store_copy)
    for kind, text in WRITES[:step + 1]:
        previous = store_copy.current()
        if kind == "update":
            result = gate.update(text, "alice")
        elif kind == "put":
            upload = tmp_path / "g.ttl"
            upload.write_text(text, encoding="utf-8")
            result = gate.put("http://ex/g", str(upload), "text/turtle", "alice")
        else:
            result = gate.delete(text, "alice")
        assert result.changed, (kind, text)
    written = releases.find(store_copy.root, store_copy.current())
    assert written.previous == previous
    reference = releases.stage(tmp_path / "reference", written.version, open_version(store_copy.versions / previous),
                               previous, open_version(store_copy.current_path()), written.cause)
    mine = release_files(str(releases.folder(store_copy.root) / written.version))
    assert mine == release_files(str(reference))
    assert mine[0] or mine[1], "the write changed something"
