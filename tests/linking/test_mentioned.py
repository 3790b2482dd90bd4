"""One pass over the record files for organisation names and speaker mentions (graph/linking/mentioned.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from graph.linking.mentioned import read_mentioned
from graph.records.record import find_records

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"


def test_worker_processes_read_the_same_names_and_mentions_in_the_same_order_and_skip_broken_files(tmp_path):
    for path in find_records(REPORTS)[:80]:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "a-broken.yaml").write_text("report: [unclosed\n", encoding="utf-8")
    (tmp_path / "b-no-schema.yaml").write_text("report: {title: 3}\nevents: nope\n", encoding="utf-8")
    files = find_records(tmp_path)
    serial, parallel = read_mentioned(files), read_mentioned(files, workers=2)
    assert serial == parallel
    assert len(serial.names) > 50 and len(serial.mentions) > 20
    reports = {report for reports in serial.names.values() for report in reports}
    assert len(reports) == 80   # every readable file names its publisher; the two broken ones are left out
