"""A sentence of an event's section that says another event took place on a day of its own (issue 12)."""

from __future__ import annotations


PROCESS = ("Digitalisierungsfahrplan für Dettelbach übergeben\n\nAuftakt-Workshop im Juni\n\n"
           "Am 5. Juni 2024 fand der Kick-off-Workshop der Stadt Dettelbach statt. {second}\n")


def test_another_day_that_took_place_is_another_event_of_the_same_place(extract_text):
    second = "Darauf baute der Roadmap-Workshop auf, der am 17. September in der Halle in Albertshofen stattfand."
    events = extract_text(PROCESS.format(second=second))["events"]
    assert [(e["municipality"]["name"], e["date"]) for e in events] == [("Dettelbach", "2024-06-05"),
                                                                        ("Dettelbach", "2024-09-17")]


def test_a_deadline_or_the_same_day_is_no_other_event(extract_text):
    for second in ("Anmeldungen zum Workshop nimmt die Stadt bis zum 17. Mai entgegen.",
                   "Der Workshop am 5. Juni fand im Rathaus statt."):
        events = extract_text(PROCESS.format(second=second))["events"]
        assert [e["date"] for e in events] == ["2024-06-05"], second
