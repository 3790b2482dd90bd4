"""A schedule on the page lists the events of a series: one event per dated line (graph/extraction/schedule.py)."""

from __future__ import annotations

import pytest

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


# Invented text in the form of a district's schedule that leads each line with the town it visits.
BY_TOWN = """# Bürgerdialoge zur Smart-City-Strategie

Das Projektteam des Landkreises Hameln-Pyrmont lädt im Herbst 2022 zu Kommunaldialogen in seine Kommunen ein.

- Aerzen: 21.09., 18 Uhr – Bürgerhaus
- Emmerthal: 27.09., 18 Uhr – Grundschule
- Bad Münder: 14.11., 18:30 Uhr – Konzertsaal
"""

# Invented: a topic line before each dated line, and days with month names that open a plain-text line.
TOPIC_THEN_DAY = """# Workshops zur Smart City Wuppertal

Die Stadt Wuppertal lädt zu einer Workshop-Reihe ein.

- Smarte Umwelt: Wie schützen wir uns besser vor Hochwasser?
  01.06.2022, 17 bis 20 Uhr, Rathaus
- Smartes Leben: Wie leben wir besser im Quartier?
  22.06.2022, 17 bis 20 Uhr, Rathaus
"""

MONTH_LINES = """Impulsabende in Ulm

Die Stadt Ulm beginnt am 16. März 2023 eine Reihe von Impulsabenden zur Smart City.

Die Abende im Überblick
16. März | Sorgende Nachbarschaften
18. April | Wirtschaften der Zukunft

Alle Abende beginnen um 17.30 Uhr.
"""


def test_a_schedule_by_town_is_one_event_per_town(extractor, tmp_path):
    events = _events(extractor, tmp_path, BY_TOWN)
    assert [(e["municipality"]["name"], e.get("date")) for e in events] == [
        ("Aerzen", "2022-09-21"), ("Emmerthal", "2022-09-27"), ("Bad Münder am Deister", "2022-11-14")]


def test_a_topic_line_between_dated_lines_keeps_the_schedule_together(extractor, tmp_path):
    events = _events(extractor, tmp_path, TOPIC_THEN_DAY)
    assert [e.get("date") for e in events] == ["2022-06-01", "2022-06-22"]


def test_a_plain_line_opening_with_a_day_and_month_is_no_numbered_item(extractor, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(MONTH_LINES, "utf-8")
    doc = load_document(path)
    lines = [b for b in doc.blocks if doc.text(b).startswith(("16. März", "18. April"))]
    assert [b.kind for b in lines] == ["paragraph", "paragraph"]
    assert [e.get("date") for e in extractor.extract_document(doc)["events"]] == ["2023-03-16", "2023-04-18"]


# Invented: the page's date on a line that opens like a schedule's line ('Aktuelles – 24.04.2023').
DATED_PAGE = """# Workshops zur Digitalstrategie in Husum

{line}

Die Stadt Husum lädt zu Workshops zu ihrer Digitalstrategie ein.

- 02.05.2023 – Auftaktworkshop im Rathaus
- 11.05.2023 – Workshop Mobilität
"""


@pytest.mark.parametrize("line", ["Aktuelles – 24.04.2023", "Meldung vom 24.04.2023"])
def test_the_pages_own_date_is_no_line_of_its_schedule(extractor, tmp_path, line):
    events = _events(extractor, tmp_path, DATED_PAGE.format(line=line))
    assert [(e.get("date"), e.get("status")) for e in events] == [("2023-05-02", "planned"), ("2023-05-11", "planned")]


# Invented: a table of a series' days; its first row is no line that dates the page.
TABLE = """# Digitalwerkstätten im Landkreis Vorpommern-Greifswald

Der Landkreis lädt zu Digitalwerkstätten ein.

| Datum | Thema | Form |
| --- | --- | --- |
| 24. März 2022 | Mobilität | online |
| 3. Mai 2022 | Bildung | vor Ort |
"""


def test_a_tables_first_row_does_not_date_the_page(extractor, tmp_path):
    path = tmp_path / "report.md"
    path.write_text(TABLE, "utf-8")
    record = extractor.extract_document(load_document(path))
    assert record["report"].get("published") is None
    assert [e.get("date") for e in record["events"]] == ["2022-03-24", "2022-05-03"]
