"""Held or planned on a page that gives no publication date: the event's own sentence decides (issue 12)."""

from __future__ import annotations

import pytest


def _statuses(extract_text, text: str) -> list[tuple[str, str]]:
    return [(e.get("date"), e["status"]) for e in extract_text(text)["events"]]


@pytest.mark.parametrize("sentence, status", [
    # a clock time in the present: a programme's or an invitation's line
    ("Die Stadt Dransfeld stellt die Plattform bei einer Informationsveranstaltung am Dienstag, 15. Februar 2022, "
     "um 18:30 Uhr im Rathaus vor.", "planned"),
    ("Die Informationsveranstaltung im Rathaus Dransfeld am 15. Februar 2022 dauert von 18 bis 20 Uhr.", "planned"),
    # the same clock time told in the past is a report
    ("Die Stadt Dransfeld stellte die Plattform bei einer Informationsveranstaltung am Dienstag, 15. Februar 2022, "
     "um 18:30 Uhr im Rathaus vor.", "held"),
    ("Die Informationsveranstaltung im Rathaus Dransfeld am 15. Februar 2022 fand um 18 Uhr statt.", "held"),
    # no clock time and no cue: nothing says the event lies ahead
    ("Die Stadt Dransfeld stellt die Plattform bei einer Informationsveranstaltung am 15. Februar 2022 vor.",
     "held"),
])
def test_a_clock_time_in_the_present_marks_an_announcement(extract_text, sentence, status):
    text = f"Digitale Dörfer in Dransfeld\n\n{sentence}\n"
    assert _statuses(extract_text, text) == [("2022-02-15", status)]


def test_an_invitation_whose_particle_closes_a_long_clause_is_planned(extract_text):
    """'laden … ein' with a long list of guests between the verb and its particle."""
    text = ("Zukunftswerkstatt Dresden\n\nFür den 24. Oktober 2025 laden wir deshalb gezielt Schülerinnen und Schüler, "
            "Seniorinnen und Senioren, Vereine, Initiativen sowie Politikerinnen und Politiker aus allen Stadtteilen "
            "gemeinsam in die Zukunftswerkstatt im Medienkulturzentrum Dresden ein.\n")
    assert _statuses(extract_text, text) == [("2025-10-24", "planned")]


@pytest.mark.parametrize("verb, status", [("treffen sich", "planned"), ("trafen sich", "held")])
def test_a_meeting_told_in_the_present_under_a_dated_heading_is_planned(extract_text, verb, status):
    text = (f"Digital-Werkstatt am 21.04.2020 in Offenbach an der Queich\n\nAm 21.04.2020 {verb} die Verbandsgemeinden "
            "Offenbach an der Queich und Herxheim zu einer gemeinsamen Digital-Werkstatt.\n")
    assert _statuses(extract_text, text) == [("2020-04-21", status)]


@pytest.mark.parametrize("sentence, status", [
    # a day with its weekday, told in the present: an announcement
    ("Der Digitaltag in Dransfeld geht am Samstag, 9. März 2024, in seine dritte Runde.", "planned"),
    ("Der Digitaltag in Dransfeld öffnet am Samstag, dem 9. März 2024, im Rathaus.", "planned"),
    # the same day told in the past: a report, also in the forms the reporting verbs had missed
    ("Beim Digitaltag in Dransfeld ging es am Samstag, 9. März 2024, um die Bürger-App.", "held"),
    ("Der Digitaltag in Dransfeld, der am Samstag, 9. März 2024, im Rathaus stattfand, zog viele Gäste an.", "held"),
    ("Mit der Bürger-App befasste sich am Samstag, 9. März 2024, der Digitaltag in Dransfeld.", "held"),
    ("Am Samstag, 9. März 2024, wandten sich viele Gäste beim Digitaltag in Dransfeld an die Verwaltung.", "held"),
    # no weekday, no cue: nothing says the day lies ahead
    ("Der Digitaltag in Dransfeld geht am 9. März 2024 in seine dritte Runde.", "held"),
])
def test_a_weekday_before_the_day_in_the_present_marks_an_announcement(extract_text, sentence, status):
    text = f"Digitaltag in Dransfeld\n\n{sentence}\n"
    assert _statuses(extract_text, text) == [("2024-03-09", status)]
