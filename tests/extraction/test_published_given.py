"""A publication date the steward gives (`extract --published`), when the text does not say when it appeared.

The texts are made up; the forms are those of the development texts whose page date came from the address or
the page header (h2o-otz-01, hn-digitalewoche-os-01, tb-schwaebische-01): days without a year, and events of
the month the page came out in.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.extraction.page_dates import given_publication

INVITATION = ("Bürgerlab Smart City\n\nDie Stadt Osnabrück lädt am Dienstag, 25. Juni, zu einem Workshop über "
              "die Stadt der Zukunft ein. Die Teilnahme ist kostenlos.\n")
REPORT = ("Digitalwerkstatt in Balgheim\n\nIn Balgheim trafen sich am 20. Oktober rund dreißig Bürgerinnen und "
          "Bürger zu einer Digitalwerkstatt. Gestern wurden die Ergebnisse vorgestellt.\n")
GESTERN = ("Digitalwerkstatt in Balgheim\n\nIn Balgheim trafen sich gestern rund dreißig Bürgerinnen und Bürger "
           "zu einer Digitalwerkstatt.\n")
EARLIER = ("Digitalwerkstatt in Balgheim\n\nIn Balgheim fand am 12. Mai eine Digitalwerkstatt statt. "
           "Die Gemeinde will das Format fortsetzen.\n")


@pytest.mark.parametrize("value, first, last", [
    ("2019-06-03", dt.date(2019, 6, 3), dt.date(2019, 6, 3)),
    ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
    ("2020-12", dt.date(2020, 12, 1), dt.date(2020, 12, 31)),
    (" 2018 ", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
])
def test_a_date_month_or_year_is_a_period(value, first, last):
    given = given_publication(value)
    assert (given.first, given.last, given.value) == (first, last, value.strip())
    assert given.day == (first if first == last else None)


@pytest.mark.parametrize("value, message", [
    ("gestern", "is no date"), ("2020-13", "is no date"), ("2021-02-30", "is no date"), ("03.06.2019", "is no date"),
    ("20190603", "is no date"), ("", "is no date"), ("1980-01-01", "cannot be"), ("2999-01", "cannot be"),
])
def test_anything_else_is_refused_with_the_forms_it_takes(value, message):
    with pytest.raises(ValueError, match=message) as refused:
        given_publication(value)
    assert "YYYY-MM-DD" in str(refused.value) or "future" in str(refused.value)


@pytest.mark.parametrize("event, side", [("2020-09-30", "held"), ("2020-09", "held"), ("2020-10-20", None),
                                         ("2020-10", None), ("2020", None), ("2020-11-01", "planned")])
def test_an_event_wholly_before_or_after_the_month_is_held_or_planned(event, side):
    assert given_publication("2020-10").places(event) == side


def extract(extractor, tmp_path, text: str, published: str | None) -> dict:
    path = tmp_path / "bericht.txt"
    path.write_text(text, "utf-8")
    return extractor.extract(path, published=published)


def test_a_day_without_a_year_takes_the_given_year(extractor, tmp_path):
    given = extract(extractor, tmp_path, INVITATION, "2019-06-03")
    assert given["report"]["date"] == "2019-06-03"
    assert [(e["date"], e["status"]) for e in given["events"]] == [("2019-06-25", "planned")]
    alone = extract(extractor, tmp_path, INVITATION, None)
    assert "date" not in alone["report"] and alone["events"][0]["date"] != "2019-06-25"


def test_a_month_dates_days_but_resolves_no_gestern(extractor, tmp_path):
    record = extract(extractor, tmp_path, REPORT, "2020-10")
    assert record["report"]["date"] == "2020-10"
    assert [e.get("date") for e in record["events"]] == ["2020-10-20"]
    assert record["events"][0]["status"] == "held"   # the text's past tense decides within the month
    yesterday = extract(extractor, tmp_path, GESTERN, "2020-10")["events"]
    assert [len(e.get("date", "")) < 10 for e in yesterday] == [True], "'gestern' in a month is no day"
    assert [e["date"] for e in extract(extractor, tmp_path, GESTERN, "2020-10-21")["events"]] == ["2020-10-20"]


def test_an_event_before_the_month_is_held_and_one_after_it_planned(extractor, tmp_path):
    assert [e["status"] for e in extract(extractor, tmp_path, EARLIER, "2020-06")["events"]] == ["held"]
    assert [e["status"] for e in extract(extractor, tmp_path, EARLIER, "2020-04")["events"]] == ["planned"]


def test_the_pages_own_date_line_still_dates_no_event(extractor, tmp_path):
    text = "Stand: 02.11.2020\n\n" + EARLIER
    record = extract(extractor, tmp_path, text, "2020-11")
    assert record["report"]["date"] == "2020-11"
    assert [e["date"] for e in record["events"]] == ["2020-05-12"]


@pytest.mark.parametrize("text, days", [
    ("Was braucht die Jugend von heute, was die Gemeinde von morgen?", []),
    ("Bis heute fehlt ein Konzept.", []),
    ("Gesucht sind Antworten auf die Fragen von heute und morgen.", []),
    ("Was gestern und heute galt, prüft die Werkstatt.", []),
    ("Heute trafen sich die Räte zur Werkstatt.", ["2018-09-26"]),
    ("Gestern fand die Werkstatt statt.", ["2018-09-25"]),
])
def test_heute_and_morgen_as_nouns_name_no_day(text, days):
    """Once the steward gives the page's day, 'heute' is resolved; 'die Jugend von heute' must not be."""
    from graph.extraction.dates import find_dates

    assert [d.value for d in find_dates(text, 0, dt.date(2018, 9, 26), 2018)] == days
