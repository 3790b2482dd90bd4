"""A page's web address (`extract --source`) is its report.source and, where the page writes no date, dates it.

The addresses are made up in the forms that 47 of the 348 real corpus addresses take: blogs filed by day
('/2019/06/03/slug'), by month ('/2019/09/slug'), press archives ('/2019-09/slug', '/2016-10-06-slug') and
e-paper ids ('/20180926/123'). The texts are made up too.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.extraction.dates import find_dates
from graph.extraction.page_dates import address_publication

INVITATION = ("Bürgerlab Smart City\n\nDie Stadt Osnabrück lädt am Dienstag, 25. Juni, zu einem Workshop über "
              "die Stadt der Zukunft ein. Die Teilnahme ist kostenlos.\n")
DATED = "Veröffentlicht am 22.10.2020\n\n" + INVITATION


@pytest.mark.parametrize("address, value", [
    ("https://www.osnabrueck.de/2019/06/03/buergerlab-smart-city/", "2019-06-03"),
    ("https://blog.example.de/2019/06/03/buergerlab", "2019-06-03"),
    ("https://www.example.de/2019/09/iuk-tagung/", "2019-09"),
    ("https://www.example.de/presse/archiv/2019-09/austausch_8697/", "2019-09"),
    ("https://www.example.de/presse/7093920/2016-10-06-workshop/", "2016-10-06"),
    ("https://epaper.example.de/zeitung/20180926/282265256355024", "2018-09-26"),
    ("https://www.example.de/2022/09/", None),            # the month's archive: it lists pages of other days
    ("https://www.example.de/2019/11/08/", None),         # the day's archive
    ("https://www.example.de/2019/werkstatt/", None),     # a year alone: series are filed by the event's year
    ("https://www.example.de/2019/13/01/werkstatt", None),
    ("https://www.example.de/2019/02/30/werkstatt", None),
    ("https://www.example.de/2999/01/01/werkstatt", None),
    ("https://www.example.de/news?datum=2019/06/03&id=4", None),   # the query is no address of the page
    ("https://www.example.de/smart-city-2019-06-03/", None),        # a date inside a name, not at its start
])
def test_a_date_the_address_is_filed_under_is_read_to_the_day_or_month(address, value):
    found = address_publication(address)
    assert (found.value if found else None) == value


def write(tmp_path, text: str, suffix: str = ".txt"):
    path = tmp_path / f"bericht{suffix}"
    path.write_text(text, "utf-8")
    return path


def test_the_address_is_the_source_and_dates_a_page_that_writes_no_date(extractor, tmp_path):
    address = "https://www.osnabrueck.de/2019/06/03/buergerlab-smart-city/"
    record = extractor.extract(write(tmp_path, INVITATION), source=address)
    assert record["report"]["source"] == address and record["report"]["date"] == "2019-06-03"
    assert [(e["date"], e["status"]) for e in record["events"]] == [("2019-06-25", "planned")]
    alone = extractor.extract(write(tmp_path, INVITATION))
    assert "source" not in alone["report"] and "date" not in alone["report"]


def test_a_month_in_the_address_dates_like_a_given_month(extractor, tmp_path):
    record = extractor.extract(write(tmp_path, INVITATION), source="https://www.example.de/2019/05/buergerlab/")
    assert record["report"]["date"] == "2019-05"
    assert [(e["date"], e["status"]) for e in record["events"]] == [("2019-06-25", "planned")]


def test_the_pages_date_line_and_the_stewards_date_come_before_the_address(extractor, tmp_path):
    address = "https://www.example.de/2019/06/03/buergerlab/"
    assert extractor.extract(write(tmp_path, DATED), source=address)["report"]["date"] == "2020-10-22"
    given = extractor.extract(write(tmp_path, INVITATION), published="2019-07", source=address)
    assert given["report"]["date"] == "2019-07"
    assert [(e["date"], e["status"]) for e in given["events"]] == [("2019-06-25", "held")]


def test_the_stewards_address_comes_before_the_canonical_link_which_also_dates(extractor, tmp_path):
    page = write(tmp_path, '<html><head><link rel="canonical" href="https://www.example.de/2019/06/03/lab/">'
                 f"</head><body><p>{INVITATION}</p></body></html>", ".html")
    linked = extractor.extract(page)
    assert linked["report"]["source"] == "https://www.example.de/2019/06/03/lab/"
    assert linked["report"]["date"] == "2019-06-03"
    given = extractor.extract(page, source="https://www.osnabrueck.de/aktuelles/lab")
    assert given["report"]["source"] == "https://www.osnabrueck.de/aktuelles/lab" and "date" not in given["report"]


@pytest.mark.parametrize("sentence, days", [
    ("Die Stadt lädt jeden zweiten Samstag zu einem Rundgang ein.", []),
    ("Die Stadt lädt jeden Samstag zu einem Rundgang ein.", []),
    ("Die Stadt lädt am ersten Montag im Monat zum Stammtisch ein.", []),
    ("Die Stadt lud am Samstag zu einem Rundgang ein.", ["2022-08-27"]),
    ("Kommuniziert werde heute vor allem über das Smartphone.", []),
    ("Das sei heute längst Alltag in der Verwaltung.", []),
    ("Heute meistens digital: der Antrag.", []),
    ("Heute trafen sich die Vertreter der Kommunen.", ["2022-09-01"]),
])
def test_a_repeated_weekday_or_the_heute_of_nowadays_names_no_day(sentence, days):
    """Found on a development text (n-studiogera-01) once its page was dated: 'jeden zweiten Samstag' became a
    second meeting on the Saturday before, and 'heute vor allem' (nowadays) dated a forum to the page's day."""
    assert [m.value for m in find_dates(sentence, 0, dt.date(2022, 9, 1), 2022)] == days
