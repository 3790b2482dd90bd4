"""Rules added for real-world reports (issue 12): event kinds, state-wide meetings, merged drafts, short place
names, speakers in programme lists, organisations in the forms press offices write them."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.extraction import orgs
from graph.extraction.dates import DateMention
from graph.extraction.sections import TRIGGER, event_type
from graph.extraction.merging import _same_time
from graph.extraction.scope import page_state, statewide
from graph.extraction.tense import announces
from graph.text.sentences import Sentence


def _sentence(text: str) -> Sentence:
    return Sentence(0, len(text), text, None, [])


def test_compound_event_nouns_trigger_and_name_the_kind():
    for text, kind in [("Die Digital-Werkstatt in Daun war gut besucht.", "Werkstatt"),
                       ("Zum Vernetzungstreffen kamen 40 Gäste.", "Vernetzungstreffen"),
                       ("Das dritte Digitalforum des Kreises fand statt.", "Forum"),
                       ("Der erste DigiDay im Landratsamt.", "Digitaltag"),
                       ("Zwei Informationsveranstaltungen folgten.", "Informationsveranstaltung")]:
        assert TRIGGER.search(text), text
        assert event_type([_sentence(text)]) == kind
    assert not TRIGGER.search("Wir treffen uns am Montag.")   # the verb is no event
    assert not TRIGGER.search("Die Regeln betreffen alle Kommunen.")
    assert TRIGGER.search("Die Informationsreise führte nach Berlin.")
    assert not TRIGGER.search("Die Landkreise und Kreise im Land.")   # districts, not journeys
    assert TRIGGER.search("Am 26.11.2020 trafen wir uns online.") and TRIGGER.search("Unser Online-Meeting zur OZG.")


def test_a_plain_event_noun_yields_to_a_telling_one():
    for text, kind in [("Die Veranstaltung war als Barcamp angelegt.", "Barcamp"),
                       ("Die Veranstaltung in Daun.", "Veranstaltung"),
                       ("Die Zukunftswerkstätten in Daun.", "Zukunftswerkstatt"),   # a format of its own
                       ("Die Werkstattgespräche in Daun.", "Werkstatt"),
                       ("Das BarCamp #MucGov in München.", "Barcamp"),
                       ("Die Smart-City-Themenabende in Leipzig.", "Themenabend"),
                       ("Die Fachkonferenzen des Landes.", "Konferenz"),
                       ("Auftakt ist am 7. Dezember der Workshop.", "Workshop")]:
        assert event_type([_sentence(text)]) == kind, text


def test_a_state_wide_meeting_is_for_the_state():
    states = {"Bayern": "BY", "Sachsen-Anhalt": "ST", "09": "BY"}.get
    found = statewide("Zum dritten Mal trafen sich Kommunen aus Sachsen-Anhalt zu einem Workshop.", 10, states)
    assert found is not None and found.candidates == ["ST"] and found.text == "Sachsen-Anhalt"
    assert found.start == 10 + len("Zum dritten Mal trafen sich Kommunen aus ")
    assert statewide("Der Bayerische Städtetag tagt im Juli in Augsburg.", 0, states).candidates == ["BY"]
    assert statewide("Die Gemeinde Rinchnach lud zum Workshop ein.", 0, states) is None


def test_dates_of_one_event_agree_and_two_undated_drafts_stay_apart():
    day, year, other = (DateMention(0, 1, v) for v in ("2025-12-11", "2025", "2025-11-02"))
    assert _same_time(day, year) and _same_time(day, None)
    assert not _same_time(day, other) and not _same_time(None, None)


def test_organisations_as_press_offices_write_them():
    assert orgs.split_role("TU Wien")[1][0] == "TU Wien"
    assert orgs.split_role("urbanista")[1][0] == "urbanista"
    role, organisation = orgs.split_role("Bereichsleiter Zentrale Dienste bei den Stadtwerken Ludwigsburg")
    assert role[0] == "Bereichsleiter Zentrale Dienste" and organisation[0] == "Stadtwerke Ludwigsburg"
    role, organisation = orgs.split_role("CEO Initiative D21 e.V.")
    assert role[0] == "CEO" and organisation[0] == "Initiative D21 e.V."
    assert orgs.nominative("Deutschen Landkreistag") == "Deutscher Landkreistag"


def test_short_place_names_resolve_within_the_texts_state(extractor):
    places = extractor.places
    assert [p.name for p in places.alternatives("Bingen", {"07"})] == ["Bingen am Rhein"]
    assert places.alternatives("Bingen", {"08"}) == []


def test_speakers_of_a_programme_list_and_a_following_section(extractor, tmp_path):
    path = tmp_path / "programm.md"
    path.write_text("# Digitalforum in Daun\n\nAm 5. März 2024 fand in Daun das Digitalforum statt.\n\n"
                    "## Programm\n\n- Prof. Dr. Helmut Krcmar, TU München\n"
                    "- Carolin Stimmelmayr (Staatsministerium für Digitales): Rechtsrahmen\n", "utf-8")
    record = extractor.extract(path)
    assert len(record["events"]) == 1
    speakers = {s["name"]: s for t in record["events"][0].get("talks", []) for s in t["speakers"]}
    assert set(speakers) == {"Helmut Krcmar", "Carolin Stimmelmayr"}
    assert speakers["Helmut Krcmar"].get("organisation") == "TU München"
    assert speakers["Carolin Stimmelmayr"].get("organisation") == "Staatsministerium für Digitales"
    assert record["report"].get("date") is None or dt.date.fromisoformat(record["report"]["date"])


def test_a_page_that_names_an_event_but_no_accepted_place_still_reports_it(extractor, tmp_path):
    """Issue 12: 'no event found' on a page that reports an event; the place falls back to the page's."""
    path = tmp_path / "treffen.txt"
    path.write_text("1. Treffen „Informieren & Vernetzen“\n\nAm 17. Juli 2024 ist unser erstes Treffen über die "
                    "Bühne gegangen. Saskia Hoog aus Evessen gab Anstöße.\n\nGern setzen wir den Austausch beim "
                    "nächsten Treffen fort.\n", "utf-8")
    events = extractor.extract(path)["events"]
    assert len(events) == 1 and events[0]["municipality"]["name"] == "Evessen"
    path.write_text("Ein Kommentar zur Lage in Evessen.\n\nDie Digitalisierung kommt voran.\n", "utf-8")
    assert extractor.extract(path)["events"] == []   # no event noun: still no event


def test_a_page_that_names_an_event_but_no_place_at_all_drafts_it_for_the_steward_to_place(extractor, tmp_path):
    """Issue 12: a lab's own page names its workshop, its day and its speaker but no town; 'no event found'
    lost all of that. The draft has no place, claims none, and its review list asks for one."""
    from tests.extraction.scoring import facts

    path = tmp_path / "labor.txt"
    path.write_text("Unser Digitallabor\n\nAm 12. Mai 2023 fand im Begegnungshaus der erste Workshop unseres "
                    "Digitallabors statt. Projektleiterin Katrin Albers zeigte den Lasercutter.\n", "utf-8")
    record = extractor.extract(path)
    assert len(record["events"]) == 1
    event = record["events"][0]
    assert "municipality" not in event and event["date"] == "2023-05-12"
    assert any("municipality: kein Ort gefunden / no place found" in item for item in record["review"])
    assert not any("no event found" in item for item in record["review"])
    assert facts(record["events"], None)["municipality"] == set()   # no place claimed: a miss, not a wrong place


def test_a_section_without_an_event_of_its_own_gives_its_topics_to_the_event_above(extractor, tmp_path):
    """Issue 12: 'Ablauf' or 'Themen' under the report belong to its event."""
    path = tmp_path / "werkstatt.md"
    path.write_text("# Zukunftswerkstatt in Daun\n\nAm 5. März 2024 fand in Daun die Zukunftswerkstatt statt.\n\n"
                    "## Ergebnisse\n\nDie Gruppen sammelten Ideen zum Breitbandausbau und zur Cybersicherheit.\n",
                    "utf-8")
    events = extractor.extract(path)["events"]
    assert len(events) == 1
    assert {"Breitbandausbau", "IT-Sicherheit"} <= set(events[0].get("topics", []))


def test_a_state_wide_event_and_its_venue_town_of_the_same_kind_are_one_event():
    """Issue 12: 'Viertes Thüringer Netzwerktreffen' and, further down, 'in diesen Treffen' at the host town."""
    from types import SimpleNamespace as Draft

    from graph.extraction.merging import merge
    from graph.records.gazetteer import Place

    state, town = Place("state", "16", "Thüringen"), Place("town", "16052000", "Gera", state_key="16")
    other = Place("town", "09162000", "München", state_key="09")

    def draft(place, kind, date=None):
        return Draft(place=place, type=kind, date=date, speakers=[], topics=[], organisers=[], participants=[],
                     working_groups=[], outcomes=[], district=None, status="held", status_span=None)

    day = DateMention(0, 1, "2022-08-30")
    merged = merge([draft(state, "Netzwerktreffen", day), draft(town, "Treffen")])
    assert len(merged) == 1 and merged[0].place is state and merged[0].date is day
    assert len(merge([draft(state, "Netzwerktreffen", day), draft(other, "Treffen")])) == 2   # another state
    assert len(merge([draft(state, "Netzwerktreffen", day), draft(town, "Workshop")])) == 2   # another kind
    later = DateMention(0, 1, "2022-10-01")
    assert len(merge([draft(state, "Netzwerktreffen", day), draft(town, "Treffen", later)])) == 2   # another day


def test_ordinals_of_one_kind_tell_events_apart(tmp_path):
    """Issue 12: 'der zweite Workshop … beim ersten Workshop' reports two workshops; 'Sechstes Vernetzungstreffen'
    one, and the 'ersten' and 'zweiten Veranstaltungstag' are days of one event."""
    from graph.extraction.series import ordinals
    from graph.text.documents import load_document

    def counted(text):
        path = tmp_path / "seite.txt"
        path.write_text(text, "utf-8")
        return [c.count for c in ordinals(load_document(path))]

    assert counted("Der zweite Smart-City-Workshop fand statt.\n\nBeim ersten Workshop im Mai ging es um Daten.\n") \
        == [2]
    assert counted("Sechstes Vernetzungstreffen in Lörrach.\n\nDas sechste Vernetzungstreffen war gut besucht.\n") == []
    assert counted("Am ersten Veranstaltungstag sprach sie, am zweiten Veranstaltungstag er.\n") == []
    assert counted("Der erste Workshop war gut. Beim nächsten Treffen geht es weiter.\n") == []


def test_a_states_adjective_on_its_municipalities_or_a_landes_compound_makes_a_meeting_state_wide():
    states = {"Saarland": "SL", "10": "SL", "06": "HE"}.get
    found = statewide("Rund 50 Saarländische Bürgermeister sind nach Berlin gereist.", 0, states)
    assert found is not None and found.candidates == ["SL"]
    # 'Landeskongress' names no state: it stands for the one the page is about, and for none without it.
    assert statewide("Am 8. September fand der Landeskongress in Wiesbaden statt.", 0, states, "HE").candidates == ["HE"]
    assert statewide("Am 8. September fand der Landeskongress in Wiesbaden statt.", 0, states) is None
    assert statewide("Die Stadtwerke Saarbrücken luden zum Workshop ein.", 0, states) is None


def test_the_state_a_page_is_about_may_be_named_by_its_adjective_alone():
    states = {"06": "HE", "09": "BY"}.get
    assert page_state("Die Hessische Digitalministerin begrüßte die Gäste.", set(), states) == "HE"
    assert page_state("Hessische und bayerische Gäste kamen.", set(), states) is None   # two states: none
    assert page_state("Die Hessische Ministerin sprach in Bayern.", {"09"}, states) == "BY"   # the name decides


def test_a_lead_that_gathers_a_whole_states_municipalities_is_for_the_state(extractor, tmp_path):
    path = tmp_path / "reise.txt"
    path.write_text("Bürgermeister informieren sich über Startups\n\nRund 50 Bürgermeister und weitere Vertreter der "
                    "saarländischen Kommunalpolitik sind am 23. Januar 2020 nach Berlin gereist. Dort stellten sich "
                    "in Berlin zehn Startups vor.\n", "utf-8")
    events = extractor.extract(path)["events"]
    assert [(e["municipality"]["name"], e["state"]) for e in events] == [("Saarland", "Saarland")]


def test_a_bare_year_dates_an_event_only_where_its_sentence_names_one(extractor, tmp_path):
    """'2019 hat sich die Gemeinde beworben' is when the town applied, not when its workshop was."""
    path = tmp_path / "bewerbung.txt"
    path.write_text("Ideen für Borsdorf gesucht\n\n2019 hat sich die Gemeinde Borsdorf beim Bundesprogramm beworben. "
                    "Seither wurde an ersten Vorhaben gearbeitet. Jetzt lädt die Gemeinde zu einem Workshop in Borsdorf "
                    "ein.\n", "utf-8")
    assert [e.get("date") for e in extractor.extract(path)["events"]] == [None]
    path.write_text("Ideen für Borsdorf gesucht\n\nJahr: 2019\n\nDie Gemeinde lud zu einem Workshop in Borsdorf ein.\n",
                    "utf-8")   # a fact box's year
    assert [e.get("date") for e in extractor.extract(path)["events"]] == ["2019"]


def test_a_year_the_page_looks_ahead_to_dates_no_day():
    """Issue 12: 'Wie verbringen wir unsere Freizeit im Jahr 2030?' dated a Bürgerlab's 'Dienstag, 25. Juni' in
    2030 (a Tuesday then too). A target or asked-about year is no context year; an undated day asks the steward."""
    from graph.extraction.extractor import _context_year

    assert _context_year("Wie leben wir im Jahr 2030? Das Bürgerlab ist am Dienstag, 25. Juni.") is None
    assert _context_year("Die Strategie bis 2030 wurde 2019 beschlossen; der Workshop ist am 3. Mai.") == 2019
    assert _context_year("Unter dem Motto Vision 2030 lud die Stadt 2021 zum Workshop am 3. Mai.") == 2021
    assert _context_year("Im Jahr 2019 fand der Workshop am 3. Mai statt.") == 2019


def test_the_calibration_samples_a_draft_without_a_place(extractor, tmp_path):
    """`make model` calibrates on cross-validated drafts; one without a place once stopped it (StopIteration),
    and the build went on with raw scores."""
    from tests.extraction.curves import fact_confidences

    path = tmp_path / "labor.txt"
    path.write_text("Unser Digitallabor\n\nAm 12. Mai 2023 fand im Begegnungshaus der erste Workshop unseres "
                    "Digitallabors statt.\n", "utf-8")
    events = extractor.extract(path)["events"]
    assert "municipality" not in events[0]
    samples = fact_confidences(events)
    assert ("date", ("", "2023-05-12")) in {(name, fact) for name, fact, _ in samples}
    assert not any(name == "municipality" for name, _, _ in samples)


def test_the_calibration_samples_participants_and_the_district_as_the_scorer_keys_them(extractor, tmp_path):
    """Participants and the named district are calibrated like every other field: their samples must carry the
    scorer's keys, or every fact would count as wrong and the map would push them all to the review list."""
    from tests.extraction.curves import fact_confidences
    from tests.extraction.scoring import facts

    path = tmp_path / "westerburg.txt"
    path.write_text("Schulung in Westerburg\n\nAm 3. Mai 2023 kamen in Westerburg Vertreterinnen und Vertreter aus "
                    "Rennerod, Hachenburg und Montabaur zusammen. Eingeladen hatte der Westerwaldkreis.\n", "utf-8")
    events = extractor.extract(path)["events"]
    sampled = {(name, fact) for name, fact, _ in fact_confidences(events)}
    scored = facts(events, extractor.events.topics.index)
    for field_name in ("participants", "district"):
        assert scored[field_name], field_name
        assert {(field_name, fact) for fact in scored[field_name]} <= sampled


@pytest.mark.parametrize("text, kind", [
    ("Digitale Verwaltung zum Anfassen\n\nIm Ratssaal von Ahlen hielt Dr. Jana Beispiel am 3. Mai 2023 einen Vortrag "
     "über die digitale Akte. Rund 60 Zuhörer stellten danach Fragen.\n", "Vortrag"),
    ("Sommerfest mit Digitalmeile\n\nBeim Sommerfest in Ahlen am 3. Juli 2023 zeigte die Verwaltung ihre "
     "Online-Dienste.\n", "Sommerfest"),
    ("Neues Angebot\n\nDie Volkshochschule Ahlen bietet ab dem 3. Juli 2023 Fortbildungen zur E-Akte an.\n", "Fortbildung"),
    ("Start frei\n\nAm 3. Juli 2023 begann in Ahlen die Digitalakademie für Beschäftigte der Verwaltung.\n",
     "Digitalakademie"),
    ("Neu im Rathaus\n\nDer Digitaltreff in Ahlen öffnet am 3. Juli 2023 zum ersten Mal; Ehrenamtliche helfen "
     "bei Fragen zum Smartphone.\n", "Digitaltreff"),
    ("Rückblick\n\nZum Online-Event der Stadt Ahlen über ihre Smart-City-Strategie schalteten sich am 3. Juli 2023 "
     "rund 80 Gäste zu.\n", "Online-Event"),
])
def test_a_page_reporting_a_talk_a_fete_or_a_course_is_a_draft_not_no_event_found(extractor, tmp_path, text, kind):
    """Issue 12: no text that reports an event may get 'no event found'; these name no workshop-like noun."""
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    events = extractor.extract(path)["events"]
    assert [(e["type"], e["municipality"]["name"]) for e in events] == [(kind, "Ahlen")]


def test_a_booked_out_invitation_announces():
    text = ("Der Verein lädt zum Barcamp. Alle Plätze sind vergeben; Interessierte können sich auf die Warteliste "
            "setzen lassen.")
    assert announces(text)
    assert not announces("Das Barcamp fand im März statt. Es kamen 40 Gäste; die Warteliste war lang.")


def test_a_dateline_town_the_text_goes_on_about_is_the_events_place(extractor, tmp_path):
    """In a local paper 'Ort. Die Gemeinde …' is the municipality itself, not a press office's seat; a section
    heading naming the district does not outweigh it."""
    path = tmp_path / "report.txt"
    path.write_text("Kreis Kaiserslautern\n\nNächster Bürgerworkshop läuft online\n\nKottweiler-Schwanden. Die Gemeinde "
                    "setzt ihre Bürgerworkshops fort: Der zweite Termin ist am Dienstag, 8. Februar 2022.\n", "utf-8")
    assert extractor.extract(path)["events"][0]["municipality"]["name"] == "Kottweiler-Schwanden"
    path.write_text("Nächster Bürgerworkshop\n\nMainz. Das Ministerium lädt zum Workshop nach Kottweiler-Schwanden ein, "
                    "am Dienstag, 8. Februar 2022.\n", "utf-8")
    assert extractor.extract(path)["events"][0]["municipality"]["name"] == "Kottweiler-Schwanden"
