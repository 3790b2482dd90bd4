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


def test_the_next_meeting_in_a_month_of_its_own_is_a_planned_event(extract_text):
    text = ("Netzwerktreffen in Husum\n\nAm 12. März 2023 trafen sich in Husum Vertreter von zehn Gemeinden zum "
            "Netzwerktreffen Digitalisierung. Sie tauschten sich über Breitband aus. Beim nächsten Treffen im Mai "
            "sollen Klima und Nachhaltigkeit im Mittelpunkt stehen.\n")
    events = extract_text(text)["events"]
    assert [(e["municipality"]["name"], e["date"], e["status"]) for e in events] == [
        ("Husum", "2023-03-12", "held"), ("Husum", "2023-05", "planned")]
