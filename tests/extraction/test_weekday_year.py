"""A page that writes no year: its weekday-named days date it (page_dates.weekday_year, issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.extraction.page_dates import weekday_year

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("text, year", [
    ("am Mittwoch, 19. November, von 17 bis 20 Uhr", 2025),          # also 2014: the latest year wins
    ("Dienstag, den 8.2., im Bürgerhaus", 2022),                       # a numeric day
    ("am Dienstag, 2. März, im Rathaus", 2027),                        # an announcement up to a year ahead
    # two days agree on 2022 only; each alone would also fit another year
    ("Anmeldung bis Montag, 9. Mai; ausgelost wird bis Freitag, 13. Mai.", 2022),
    ("Dienstag, 25. Juni, und Mittwoch, 26. Juni", 2024),
])
def test_the_year_in_which_the_days_fall_on_their_weekdays(text, year):
    assert weekday_year(text, TODAY) == year


def test_most_days_decide_when_one_disagrees():
    # 24 June 2025 is a Tuesday and so is 1 July 2025; 'Montag, 24. Juni' fits 2024 alone
    assert weekday_year("Dienstag, 24. Juni; Dienstag, 1. Juli; Montag, 24. Juni", TODAY) == 2025


@pytest.mark.parametrize("text", [
    "am 19. November, von 17 bis 20 Uhr",         # no weekday
    "am Mittwoch, 19. November 2025",             # the year is written: not a yearless day
    "am Mittwoch, 19. Nov. 2025",
    "Montag, 31. Februar",                        # no such day
    "Dienstag, 40.13.",                           # no such month
    "am Mittwoch um 18 Uhr",                      # a weekday without a day
])
def test_no_year_without_a_yearless_day_that_exists(text):
    assert weekday_year(text, TODAY) is None


def test_the_year_bounds_by_today():
    # 19 November is a Wednesday in 2025 and in 2014: before 2025, the page is of 2014
    assert weekday_year("Mittwoch, 19. November", dt.date(2024, 6, 1)) == 2014


def test_a_page_without_any_year_is_dated_by_its_weekdays(extract_text):
    record = extract_text("Stadt lädt zur Bürgerwerkstatt\n\nDie Stadt Hagen lädt alle Interessierten "
                          "zur Bürgerwerkstatt ein: am Mittwoch, 19. November, von 17 bis 20 Uhr. "
                          "Anmeldung bis Montag, 10. November.\n")
    assert [e.get("date") for e in record["events"]] == ["2025-11-19"]


def test_a_written_year_wins_over_the_weekdays(extract_text):
    # 'Mittwoch, 19. November' fits 2025, but the page says 2014
    record = extract_text("Bürgerwerkstatt in Hagen\n\nDie Stadt Hagen lädt für Mittwoch, 19. November, "
                          "zur Bürgerwerkstatt ein. Die Anmeldung läuft bis zum 10. November 2014.\n")
    assert [e.get("date") for e in record["events"]] == ["2014-11-19"]
