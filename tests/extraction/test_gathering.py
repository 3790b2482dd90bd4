"""A page that names no kind of event but reports a gathering still drafts one; a group kind names the group
of that kind (issue 12: test texts moved to development on 2026-12-06)."""

from __future__ import annotations

import pytest

from graph.extraction.places import PlaceFinder


@pytest.mark.parametrize("text", [
    "Aktionsplan für die Kommunen\n\nSüderbrarup. Die Staatssekretärin stellte am 30. September 2019 in Süderbrarup "
    "den Aktionsplan „Digitale Modellkommunen“ vor.\n",
    "Staffelstab weitergegeben\n\nAm 11. April 2024 übergab der Minister der Verbandsgemeinde Otterbach-Otterberg "
    "den Förderbescheid.\n",
])
def test_a_reported_gathering_without_an_event_noun_is_a_draft(extract_text, text):
    assert len(extract_text(text)["events"]) == 1


def test_each_item_of_a_digest_is_its_own_event_when_people_discussed_with_others(extract_text):
    """A digest of short items, one place each: the item whose people 'discussed with' others is a meeting of its own
    place, not part of the next item's."""
    events = extract_text("Kurz notiert\n\nEschwege: Am 4. Mai 2023 diskutierte die Stadtverwaltung mit Vereinen über "
                          "offene Daten.\n\nZell (Mosel): Die Verbandsgemeinde Zell lud Ende April 2023 zu einem "
                          "digitalen Austausch ein.\n")["events"]
    assert sorted((e["municipality"]["name"], e["date"]) for e in events) == [
        ("Eschwege", "2023-05-04"), ("Zell (Mosel)", "2023-04")]


@pytest.mark.parametrize("day", ["Tag der Innovationskommune", "Tag der offenen Tür"])
def test_a_day_named_after_what_it_shows_is_an_event(extract_text, day):
    text = (f"{day}\n\nDie Stadt Brandis zeigt am {day} am Freitag, dem 21. Oktober 2016, von 14 bis 18 Uhr "
            "ihre neuen digitalen Angebote.\n")
    [event] = extract_text(text)["events"]
    assert (event["municipality"]["name"], event["date"]) == ("Brandis", "2016-10-21")


def test_an_evening_about_a_subject_is_an_event(extract_text):
    text = ("Mitreden beim Entwurf\n\nWer den Entwurf kennenlernen möchte, ist am Dienstag, 13. November 2018, ab 19 Uhr "
            "im Rathaus der Stadt Brandis willkommen. Nach der Umfrage ist der Abend zur Strategie die nächste "
            "Gelegenheit, sich zu beteiligen.\n")
    [event] = extract_text(text)["events"]
    assert (event["municipality"]["name"], event["date"]) == ("Brandis", "2018-11-13")


def test_a_holiday_is_no_event(extract_text):
    text = ("Hinweise\n\nAm Tag der Arbeit, dem 1. Mai 2016, bleibt das Rathaus der Stadt Brandis geschlossen.\n")
    assert extract_text(text)["events"] == []


def test_commentary_without_a_gathering_stays_without_event(extract_text):
    text = ("Digitalisierung braucht Geduld\n\nDie Stadt Süderbrarup will ihre Verwaltung digitaler machen. "
            "Das kostet Geld und Zeit, sagen viele im Ort, und nicht alles wird gleich gelingen.\n")
    assert extract_text(text)["events"] == []


@pytest.mark.parametrize("text, name, state", [
    ("die VG Eisenberg", "Eisenberg (Pfalz)", "07"),            # not Thuringia's Erfüllende Gemeinde Eisenberg
    ("Verbandsgemeinde Schweich", "Schweich an der Römischen Weinstraße", "07"),
    ("Amt Süderbrarup", "Süderbrarup", "01"),
])
def test_a_group_kind_names_the_group_of_that_kind(extractor, text, name, state):
    finder: PlaceFinder = extractor.places
    [mention] = finder.mentions(text, 0, heading=False)
    assert [(p.name, p.state_key) for p in mention.candidates] == [(name, state)]
