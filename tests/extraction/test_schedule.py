"""A schedule on the page lists the events of a series: one event per dated line (graph/extraction/schedule.py)."""

from __future__ import annotations

from graph.text.documents import load_document

SERIES = """# Husum lädt zu Workshops zur Digitalstrategie ein

Die Stadt Husum lädt am 2. Mai 2023 zu einem Auftaktworkshop zur Digitalstrategie ein. Danach folgen Workshops zu
einzelnen Themen.

- Mobilität – Workshop am 11.05.2023, 18 Uhr
- Dienstag, 16.05.2023: Workshop zur Verwaltung

Alle Workshops finden im Rathaus statt.
"""

NARRATIVE = """# Workshop in Husum

Die Stadt Husum lud am 2. Mai 2023 zu einem Workshop zur Digitalstrategie ein. Am 11. Mai 2023 wurden die
Ergebnisse im Ausschuss vorgestellt, der über die nächsten Schritte beriet und viele Fragen stellte.
"""


def _events(extractor, tmp_path, text):
    path = tmp_path / "report.md"
    path.write_text(text, "utf-8")
    return extractor.extract_document(load_document(path))["events"]


def test_each_dated_line_of_a_schedule_is_an_event(extractor, tmp_path):
    events = _events(extractor, tmp_path, SERIES)
    assert [(e["municipality"]["name"], e.get("date")) for e in events] == [
        ("Husum", "2023-05-02"), ("Husum", "2023-05-11"), ("Husum", "2023-05-16")]
    assert [e["title"] for e in events[1:]] == ["Mobilität", "Workshop zur Verwaltung"]


def test_dated_sentences_of_a_report_are_not_a_schedule(extractor, tmp_path):
    assert [e.get("date") for e in _events(extractor, tmp_path, NARRATIVE)] == ["2023-05-02"]
