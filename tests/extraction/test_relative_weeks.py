"""A week or weekend named from the publication's day (graph/extraction/relative_dates.py), and a press release's
dateline with its day in brackets."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.extraction.dates import find_dates

THURSDAY = dt.date(2022, 11, 10)     # a week within November
WEDNESDAY = dt.date(2022, 11, 30)    # a week from 28 November to 4 December


@pytest.mark.parametrize(("text", "published", "value"), [
    ("eine Fachtagung, die in dieser Woche in Siegen stattfand", THURSDAY, "2022-11"),
    ("Zu Beginn dieser Woche trafen sich die Kommunen", WEDNESDAY, "2022-11"),
    ("Ende dieser Woche treffen sich die Kommunen", WEDNESDAY, "2022-12"),
    ("In dieser Woche treffen sich die Kommunen", WEDNESDAY, "2022"),       # across two months: only the year
    ("in der vergangenen Woche haben sie gesprochen", dt.date(2020, 12, 2), "2020-11"),
    ("nächste Woche geht es weiter", THURSDAY, "2022-11"),
    ("Am vergangenen Wochenende konnten Interessierte", dt.date(2021, 6, 20), "2021-06-19"),   # a Sunday
    ("die am Wochenende eröffnet wurde", dt.date(2023, 3, 8), "2023-03-04"),
    ("am kommenden Wochenende", dt.date(2023, 3, 8), "2023-03-11"),
    ("Am Dienstag der vergangenen Woche", dt.date(2022, 11, 24), "2022-11-15"),   # not the last Tuesday
    ("am Montag der kommenden Woche", dt.date(2022, 11, 24), "2022-11-28"),
])
def test_a_week_is_its_month_and_a_weekend_its_saturday(text, published, value):
    assert [(d.value, d.relative) for d in find_dates(text, 0, published, None)] == [(value, True)]


def test_a_week_without_the_publications_day_names_no_date():
    assert find_dates("in dieser Woche fand der Workshop statt", 0, None, 2022) == []


REPORT = """Austausch zur Digitalisierung in Freiburg

Baden-Baden (30.09.2019). In der vergangenen Woche war das Netzwerk der Kreisstädte im Freiburger Rathaus zu Gast
beim Workshop zur Digitalisierung. Die Städte tauschten sich über ihre Projekte aus. Heute stehen die Ergebnisse
im Netz.
"""


def test_a_bracketed_dateline_dates_the_page_and_the_week_the_event(extract_text):
    record = extract_text(REPORT)
    assert record["report"]["date"] == "2019-09-30"
    # the week's month; 'Heute' in a sentence about no event does not make it the publication's day
    assert [e.get("date") for e in record["events"]] == ["2019-09"]
