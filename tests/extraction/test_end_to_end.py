"""Extracted drafts go straight through `build`; their facts are queryable with source sentences (issue 3)."""

from __future__ import annotations

import shutil
import subprocess

from ruamel.yaml import YAML

from graph.build.pipeline import Sources, build
from graph.store.engine import QueryRequest, run_query
from graph.sparql.named_queries import bind, get, load_named_queries
from graph.store.versions import VersionedStore
from tests.helpers import BASE_IRI, KOMMUNALGRAPH, ROOT
from tests.extraction.evaluate import CORPUS

TEXTS = [CORPUS / "heldout" / "h02-newsletter-niedersachsen.html", CORPUS / "tuned" / "t12-markdown-regionen.md",
         CORPUS / "tuned" / "t16-ohne-land.txt"]


def provenance(store: VersionedStore, resource: str) -> list[dict]:
    named = get(load_named_queries(ROOT / "queries"), "provenance")
    opened = store.open_read()
    request = QueryRequest(named.text, result_types=("application/sparql-results+json",),
                           substitutions=bind(named, {"resource": resource}, lambda r: run_query(opened, r)))
    import json

    rows = json.loads(run_query(opened, request).body)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def test_extract_build_and_query_sources_over_http(tmp_path, extractor, make_app):
    records = tmp_path / "records"
    done = subprocess.run([KOMMUNALGRAPH, "extract", *map(str, TEXTS), "--out", str(records)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    store = VersionedStore(tmp_path / "store")
    result = build(store, Sources(records=records), BASE_IRI)
    assert result.reports == 3 and result.events >= 4
    rows = provenance(store, f"{BASE_IRI}id/person/rainer-vogel")
    by_field = {row["field"]: row for row in rows}
    assert by_field["organisation"]["value"] == "Stadt Magdeburg"
    assert by_field["role"]["value"] == "Amtsleiter für Organisation"
    sentence = by_field["name"]["sentence"]
    assert sentence.startswith("Den Impulsvortrag hielt Rainer Vogel") and sentence.endswith("Magdeburg.")
    text = TEXTS[2].read_text("utf-8")
    assert text[int(by_field["name"]["start"]):int(by_field["name"]["end"])] == "Rainer Vogel"
    client = make_app(STORE=str(store.root)).test_client()
    answer = client.get("/api/queries/provenance", query_string={"resource": f"{BASE_IRI}id/person/anke-tiedemann"})
    assert answer.status_code == 200
    rows = answer.get_json()["results"]["bindings"]
    organisation = next(r for r in rows if r["field"]["value"] == "organisation")
    assert organisation["value"]["value"] == "Breitbandzentrum Niedersachsen-Bremen"
    assert "Anke Tiedemann vom Breitbandzentrum" in organisation["sentence"]["value"]
    assert "<p>" not in organisation["sentence"]["value"]  # sentences of HTML reports are clean text


def test_missing_report_text_warns_and_keeps_offsets(tmp_path, extractor):
    records = tmp_path / "records"
    subprocess.run([KOMMUNALGRAPH, "extract", str(TEXTS[2]), "--out", str(records)], check=True, capture_output=True,
                   timeout=300)
    moved = tmp_path / "deeper" / "still" / "elsewhere"
    shutil.copytree(records, moved)  # report.text no longer resolves from here
    store = VersionedStore(tmp_path / "store")
    result = build(store, Sources(records=moved), BASE_IRI, owl=False)
    assert any(w.field == "report.text" and "not readable" in w.english for w in result.warnings)
    rows = provenance(store, f"{BASE_IRI}id/person/rainer-vogel")
    assert rows and all("sentence" not in row for row in rows)
    assert {row["field"] for row in rows} >= {"name", "organisation", "role"}


def test_seed_record_evidence_in_the_seed_store(seed_store):
    rows = provenance(seed_store, f"{BASE_IRI}id/person/marcus-ott")
    by_field = {row["field"]: row for row in rows}
    assert by_field["role"]["value"] == "CDO" and by_field["organisation"]["value"] == "Stadt Flensburg"
    assert all(0 < float(row["confidence"]) <= 1 for row in rows)
    shared = ROOT.parent / "shared" / "reports" / "stadt-land-digital-2022-strategiestarterworkshops.txt"
    if shared.exists():
        assert "Dr. Marcus Ott (CDO bei der Stadt Flensburg)" in by_field["role"]["sentence"]
        assert shared.read_text("utf-8")[int(by_field["role"]["start"]):int(by_field["role"]["end"])] == "CDO"
    else:
        assert "sentence" not in by_field["role"]


def test_seed_record_keeps_no_sentences():
    """Third-party sentences are not committed: the seed record holds offsets only."""
    record = YAML(typ="safe").load((ROOT / "data" / "records" /
                                    "stadt-land-digital-2022-strategiestarterworkshops.yaml").read_text("utf-8"))
    entries = [e for ev in record["events"] for e in ev.get("evidence", [])]
    entries += [e for ev in record["events"] for t in ev.get("talks", []) for s in t.get("speakers", [])
                for e in s.get("evidence", [])]
    assert len(entries) > 30 and all("sentence" not in e for e in entries)
