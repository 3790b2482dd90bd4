"""How German reports introduce speakers, and the forms that name people who did not give a talk (issue 3).

People, organisations and sentences are invented; the forms are taken from real reports.
"""

from __future__ import annotations

import pytest

OPENING = "Am 3. Mai 2022 fand in Kehl ein Workshop statt. "


def speakers_of(extractor, tmp_path, text: str) -> list[dict]:
    """The speakers of the first drafted event of `text`."""
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    event = extractor.extract(path)["events"][0]
    return [s for t in event.get("talks", []) for s in t["speakers"]]


@pytest.mark.parametrize("sentence, names", [
    ("Unter den Gästen waren Ministerin Anna Roth und Uwe Kranz, die mitdiskutierten.", []),
    ("Auch Oberbürgermeister Uwe Kranz war zu Gast und sprach mit den Jugendlichen.", []),
    ("Als Gast hielt Anna Roth einen Vortrag über Open Data.", ["Anna Roth"]),
])
def test_a_guest_list_names_who_came_not_who_spoke(extractor, tmp_path, sentence, names):
    assert [s["name"] for s in speakers_of(extractor, tmp_path, OPENING + sentence + "\n")] == names


@pytest.mark.parametrize("sentence, names", [
    # what a person tells the reporter: inverted after the quoted clause, 'wie X erklärt', a colon, a 'dass' clause
    ("Das Projekt läuft drei Jahre, erläutert Stadtmarketingleiter Uwe Kranz.", []),
    ("Es geht um offene Daten, wie Anna Roth, Leiterin der Stabsstelle, erklärt.", []),
    ("Staatssekretär Uwe Kranz erklärt dazu: „Das ist erst der Anfang.“", []),
    ("Anna Roth, Vorsitzende der Genossenschaft, berichtet, dass es erste Ideen gebe.", []),
    ("Staatssekretär Uwe Kranz hatte vorab erklärt, die Transformation sei in vollem Gange.", []),
    # what a speaker said at the event (past tense), or what the talk was about (an object, an indirect question)
    ("Landrat Uwe Kranz erklärte, Corona habe die Lage verschärft.", ["Uwe Kranz"]),
    ("Wie weit die Strategie gediehen ist, berichtete Anna Roth, Leiterin der Stabsstelle.", ["Anna Roth"]),
    ("Anna Roth erläutert die Eckpunkte der Strategie.", ["Anna Roth"]),
    ("Die App, erläutert von Anna Roth aus Kehl, fand großen Anklang.", ["Anna Roth"]),
    ("Im Mittelpunkt steht die Sicherheit, sagt Referentin Anna Roth.", ["Anna Roth"]),
])
def test_a_person_quoted_by_the_reporter_gave_no_talk(extractor, tmp_path, sentence, names):
    assert [s["name"] for s in speakers_of(extractor, tmp_path, OPENING + sentence + "\n")] == names


@pytest.mark.parametrize("sentence, names", [
    ("Anna Roth von Komm.ONE berichtete über die Werkstatt.", ["Anna Roth"]),    # 'von' before a dotted name
    ("Dazu sprechen Niedersachsens Regionalministerin Anna Roth und Uwe Kranz.", ["Anna Roth", "Uwe Kranz"]),
    ("Dazu sprechen Kehls Bürgermeister und Uwe Kranz, der Bürgermeister der Gemeinde Willstätt Anna Roth, "
     "sowie Projektmanagerin Eva Lenz.", ["Uwe Kranz", "Anna Roth", "Eva Lenz"]),   # no title or place in a name
])
def test_where_a_name_starts_and_ends(extractor, tmp_path, sentence, names):
    assert [s["name"] for s in speakers_of(extractor, tmp_path, OPENING + sentence + "\n")] == names


def test_a_conjunction_starts_no_role_in_an_apposition(extractor, tmp_path):
    speakers = speakers_of(extractor, tmp_path, OPENING + "Es sprachen Uwe Kranz, sowie Projektmanagerin Eva Lenz.\n")
    assert [(s["name"], s.get("role")) for s in speakers] == [("Uwe Kranz", None), ("Eva Lenz", "Projektmanagerin")]


@pytest.mark.parametrize("sentence, role, organisation", [
    ("Es sprach Bürgermeister und Verbandsvorsitzender Uwe Kranz über das Projekt.",
     "Bürgermeister und Verbandsvorsitzender", None),
    ("Zum Einstieg gab Prof. Dr. Uwe Kranz, der wissenschaftliche Leiter des Technologie Campus Kehl, einen Überblick.",
     "wissenschaftliche Leiter", "Technologie Campus Kehl"),
    ("Anna Roth, die neue Koordinatorin für Digitalisierung, stellte das Projekt vor.",
     "Koordinatorin für Digitalisierung", None),
])
def test_roles_joined_by_und_and_with_an_adjective(extractor, tmp_path, sentence, role, organisation):
    speakers = speakers_of(extractor, tmp_path, OPENING + sentence + "\n")
    assert [(s.get("role"), s.get("organisation")) for s in speakers] == [(role, organisation)]


@pytest.mark.parametrize("sentence, organisations", [
    ("Aus dem Projektteam des Technologie Campus Kehl stellten Anna Roth und Uwe Kranz das Projekt vor.",
     ["Technologie Campus Kehl", "Technologie Campus Kehl"]),
    ("Für den Zweckverband Allianz „Oberes Kinzigtal“ sprechen Anna Roth und Projektmanagerin Eva Lenz.",
     ["Zweckverband Allianz „Oberes Kinzigtal“"] * 2),
    ("Für das IKZ-Team zeigte Uwe Kranz Möglichkeiten auf.", ["IKZ-Team"]),
    ("Anna Roth, Geschäftsführerin der Agentur „Webwerk“, zeigte Beispiele.", ["Webwerk"]),
])
def test_an_organisation_in_front_of_the_verb_or_named_in_quotes(extractor, tmp_path, sentence, organisations):
    speakers = speakers_of(extractor, tmp_path, OPENING + sentence + "\n")
    assert [s.get("organisation") for s in speakers] == organisations


@pytest.mark.parametrize("sentence, names", [
    ("Nach den Grußworten von Amtsleiter Uwe Kranz und Bürgermeister Eva Lenz erläuterte Dr. Anna Roth die Ziele.",
     ["Anna Roth"]),
    ("Das machten Landrat Uwe Kranz (Vorsitzender) in seiner Begrüßung und Anna Roth in ihrer Einführung deutlich.",
     ["Anna Roth"]),
    ("Uwe Kranz, Fachbereichsleiter, hieß alle willkommen und stellte das Programm vor.", []),
])
def test_a_greeting_names_its_speaker_and_no_talk(extractor, tmp_path, sentence, names):
    assert [s["name"] for s in speakers_of(extractor, tmp_path, OPENING + sentence + "\n")] == names


@pytest.mark.parametrize("sentence", [
    "Am Vormittag leitete Anna Roth (FH Potsdam) einen Workshop zur Datennutzung.",
    "Anna Roth (FH Potsdam) schilderte, woran sie gearbeitet hat.",
])
def test_leading_a_workshop_and_describing_ones_work_are_talks(extractor, tmp_path, sentence):
    assert [s["name"] for s in speakers_of(extractor, tmp_path, OPENING + sentence + "\n")] == ["Anna Roth"]


def speaker_facts(extractor, tmp_path, text: str, suffix: str = ".txt") -> list[tuple]:
    """(name, role, organisation) of every speaker of every drafted event."""
    path = tmp_path / f"report{suffix}"
    path.write_text(text, "utf-8")
    return [(s["name"], s.get("role"), s.get("organisation")) for e in extractor.extract(path)["events"]
            for t in e.get("talks", []) for s in t["speakers"]]


PAIR = [("Tarek Brandl", None, "Hochschule Hof"), ("Mira Lenz", None, "Stadt Selb")]


@pytest.mark.parametrize("programme, suffix", [
    # a table in Markdown, in HTML, and as pipe-separated lines of plain text: one row per talk
    ("| Zeit | Programmpunkt | Referent |\n|---|---|---|\n| 10:00 | Keynote KI | Tarek Brandl, Hochschule Hof |\n"
     "| 11:00 | Praxisbericht | Mira Lenz, Stadt Selb |\n", ".md"),
    ("<table><tr><th>Zeit</th><th>Thema</th><th>Referent</th></tr><tr><td>10:00</td><td>Keynote KI</td>"
     "<td><p>Tarek Brandl,</p><p>Hochschule Hof</p></td></tr><tr><td>11:00</td><td>Praxisbericht</td>"
     "<td>Mira Lenz, Stadt Selb</td></tr></table>\n", ".html"),
    ("Tarek Brandl | Hochschule Hof | KI in der Verwaltung\nMira Lenz | Stadt Selb | Digitale Bürgerdienste\n", ".txt"),
    # a programme's lines that open with their time, the speaker in brackets
    ("Programm\n\n10:00 Uhr: Keynote „KI in der Verwaltung“ (Tarek Brandl, Hochschule Hof)\n"
     "11:00 Uhr: Praxisbericht (Mira Lenz, Stadt Selb)\n", ".txt"),
    # speaker cards: a name on its own line under a heading of speakers, the employer on the next
    ("Referentinnen und Referenten\n\nTarek Brandl\nHochschule Hof\n\nMira Lenz\nStadt Selb\n", ".txt"),
])
def test_a_programme_names_its_speakers_in_rows_lines_and_cards(extractor, tmp_path, programme, suffix):
    opening = "Digitalkonferenz in Bayreuth\n\nAm 12. März 2023 fand in Bayreuth die Digitalkonferenz statt.\n\n"
    if suffix == ".html":
        opening = "<h1>Digitalkonferenz in Bayreuth</h1><p>Am 12. März 2023 fand in Bayreuth die Digitalkonferenz statt.</p>"
    assert speaker_facts(extractor, tmp_path, opening + programme, suffix) == PAIR


def test_a_layout_table_keeps_its_paragraphs_apart(extractor, tmp_path):
    from graph.text.documents import load_document
    path = tmp_path / "page.html"
    path.write_text("<table><tr><td><h1>Digitalforum in Selb</h1><p>Am 3. Mai 2023 fand in Selb ein Forum statt.</p>"
                    "</td><td>Menü</td></tr></table>", "utf-8")
    doc = load_document(path)
    assert [(b.kind, doc.text(b)) for b in doc.blocks] == [
        ("heading", "Digitalforum in Selb"), ("paragraph", "Am 3. Mai 2023 fand in Selb ein Forum statt."),
        ("paragraph", "Menü")]


def test_one_line_with_pipes_stays_a_menu(extractor, tmp_path):
    from graph.text.documents import load_document
    path = tmp_path / "page.txt"
    path.write_text("Start | Aktuelles | Presse\n\nAm 3. Mai 2023 fand in Selb ein Forum statt.\n", "utf-8")
    assert [(b.kind, b.furniture) for b in load_document(path).blocks] == [("paragraph", "navigation"),
                                                                          ("paragraph", None)]


@pytest.mark.parametrize("sentence, facts", [
    ("Referiert haben Tarek Brandl und Mira Lenz.", [("Tarek Brandl", None, None), ("Mira Lenz", None, None)]),
    ("Als Referentin war Mira Lenz von der Hochschule Hof zu Gast.", [("Mira Lenz", None, "Hochschule Hof")]),
    ("Vorgestellt wurde das Projekt von Mira Lenz.", [("Mira Lenz", None, None)]),
    ("Gastredner war Tarek Brandl.", [("Tarek Brandl", None, None)]),
    ("Mit Vorträgen dabei: Mira Lenz, Hochschule Hof; Tarek Brandl, Stadt Selb.",
     [("Mira Lenz", None, "Hochschule Hof"), ("Tarek Brandl", None, "Stadt Selb")]),
    ("Bürgermeisterin der Stadt Selb Mira Lenz stellte die Strategie vor.",
     [("Mira Lenz", "Bürgermeisterin der Stadt Selb", "Stadt Selb")]),
    ("Mira Lenz, Professorin an der Hochschule Hof, sprach über Datenschutz.",
     [("Mira Lenz", "Professorin", "Hochschule Hof")]),
    ("Mira Lenz, Leiterin der Geschäftsstelle Smart City, sprach über Daten.",
     [("Mira Lenz", "Leiterin", "Geschäftsstelle Smart City")]),
    ("Zu Wort kamen Tarek Brandl und Mira Lenz.", [("Tarek Brandl", None, None), ("Mira Lenz", None, None)]),
    ("Es folgten Beiträge von Tarek Brandl und Mira Lenz.", [("Tarek Brandl", None, None), ("Mira Lenz", None, None)]),
    ("Referierende waren Tarek Brandl (Stadt Selb) und Mira Lenz (Hochschule Hof).",
     [("Tarek Brandl", None, "Stadt Selb"), ("Mira Lenz", None, "Hochschule Hof")]),
    # the greeter of a phrase of its own is out, the speaker of the clause's verb is in
    ("Nach einem Grußwort von Bürgermeister Uwe Kranz sprach Mira Lenz über offene Daten.", [("Mira Lenz", None, None)]),
    ("Mira K. Lenz von der Hochschule Hof stellte die Studie vor.", [("Mira K. Lenz", None, "Hochschule Hof")]),
    # first names common in other countries are first names here too
    ("Es sprachen Piotr Nowak (Stadt Kehl) und Fatma Yıldız (Hochschule Kehl).",
     [("Piotr Nowak", None, "Stadt Kehl"), ("Fatma Yıldız", None, "Hochschule Kehl")]),
    # the next person of a caption is not this one's role
    ("Es berichteten Landrat Uwe Kranz, Referentin Mira Lenz und Projektleiter Tarek Brandl.",
     [("Uwe Kranz", "Landrat", None), ("Mira Lenz", "Referentin", None), ("Tarek Brandl", "Projektleiter", None)]),
])
def test_more_ways_to_name_a_speaker(extractor, tmp_path, sentence, facts):
    assert speaker_facts(extractor, tmp_path, OPENING + sentence + "\n") == facts


def test_widespread_first_names_but_not_german_words():
    from graph.extraction.names import is_first_name
    assert all(is_first_name(n) for n in ("Mehmet", "Piotr", "Tarek", "Ole", "Anna-Lena"))
    assert not any(is_first_name(w) for w in ("Mai", "Foto", "Bei", "Stein", "Stadt", "The", "Allen"))


@pytest.mark.parametrize("sentence, organisation", [
    ("Einen Vortrag hielt Mira Lenz (Stadtverwaltung Selb, Amt für Digitales).", "Stadtverwaltung Selb"),
    ("Einen Vortrag hielt Mira Lenz – Hochschule Hof.", "Hochschule Hof"),
    ("Einen Vortrag hielt Mira Lenz von der Agentur neuland.digital.", "Agentur neuland.digital"),
    ("Einen Vortrag hielt Mira Lenz von der Firma Datenwerk GmbH & Co. KG.", "Datenwerk GmbH & Co. KG"),
    ("Einen Vortrag hielt Mira Brandl von Microsoft.", "Microsoft"),   # a surname before 'von' ends the name
    ("Einen Vortrag hielt Mira Lenz von den Stadtwerken Selb.", "Stadtwerke Selb"),
])
def test_where_an_organisation_after_the_name_starts_and_ends(extractor, tmp_path, sentence, organisation):
    name = "Mira Brandl" if "Brandl" in sentence else "Mira Lenz"
    assert speaker_facts(extractor, tmp_path, OPENING + sentence + "\n") == [(name, None, organisation)]


@pytest.mark.parametrize("text, expected", [
    # named in full as a guest, then by surname alone in the clause of the talk: role and employer from the first
    ("Als Gäste nahmen Regierungspräsidentin Anna Roth und Uwe Kranz vom Digitalbüro Kehl teil. Roth gab einen "
     "Überblick über die Vorhaben, Kranz vertiefte das Thema in einem Vortrag.",
     [("Anna Roth", "Regierungspräsidentin", None), ("Uwe Kranz", None, "Digitalbüro Kehl")]),
    ("Bürgermeisterin Anna Roth begrüßte die Gäste. Frau Roth stellte danach die Ziele der Strategie vor.",
     [("Anna Roth", "Bürgermeisterin", None)]),
    # a surname alone that is neither a talk nor a new mention
    ("Bürgermeister Uwe Kranz begrüßte die Gäste. Am Ende zeigte sich Kranz zufrieden mit den gewonnenen Einblicken.",
     []),
])
def test_a_surname_alone_refers_to_the_person_named_before(extractor, tmp_path, text, expected):
    found = speakers_of(extractor, tmp_path, OPENING + text + "\n")
    assert [(s["name"], s.get("role"), s.get("organisation")) for s in found] == expected


@pytest.mark.parametrize("sentence, names", [
    # a talk word inside a quotation is what the person said, not what they did
    ("Uwe Kranz, Vorsitzender des Vereins, zieht Bilanz: „Wir haben viel diskutiert und Vorträge gehört.“", []),
    ("Den Anfang machte Anna Roth, Leiterin des Referats für Digitales im Innenministerium.", ["Anna Roth"]),
    # a tool that opens new ways opens no event
    ("Uwe Kranz stellte ein Werkzeug vor, das neue Wege für die Beteiligung der Bürgerinnen und Bürger eröffnet.",
     ["Uwe Kranz"]),
    ("Bürgermeister Uwe Kranz eröffnete den Workshop.", []),
])
def test_what_counts_as_a_talk(extractor, tmp_path, sentence, names):
    assert [s["name"] for s in speakers_of(extractor, tmp_path, OPENING + sentence + "\n")] == names


def test_where_a_speaker_lives_is_not_the_role(extractor, tmp_path):
    speakers = speakers_of(extractor, tmp_path, OPENING + "Danach sprach Dr. Uwe Kranz, Politikwissenschaftler und "
                                                          "Digitalisierungsexperte mit Wohnsitz in Estland, über Tallinn.\n")
    assert [(s["name"], s.get("role")) for s in speakers] == [("Uwe Kranz", "Politikwissenschaftler und Digitalisierungsexperte")]


@pytest.mark.parametrize("sentence, roles", [
    # one person's role in the nominative, and a plural role shared by two names
    ("In ihren Vorträgen stellten unsere Referenten Uwe Kranz und Anna Roth Beispiele vor.",
     [("Uwe Kranz", "Referent"), ("Anna Roth", "Referent")]),
    ("Danach sprach die Referentinnen Anna Roth über Daten.", [("Anna Roth", "Referentin")]),
    ("Die Bürgermeisterin Anna Roth und Uwe Kranz stellten die Strategie vor.",
     [("Anna Roth", "Bürgermeisterin"), ("Uwe Kranz", None)]),
])
def test_a_role_is_one_persons_in_the_nominative(extractor, tmp_path, sentence, roles):
    speakers = speakers_of(extractor, tmp_path, OPENING + sentence + "\n")
    assert [(s["name"], s.get("role")) for s in speakers] == roles


@pytest.mark.parametrize("sentence, organisation", [
    ("Im Anschluss präsentierte Uwe Kranz vom Planungsbüro neuland+ die Ergebnisse.", "Planungsbüro neuland+"),
    ("Im Anschluss präsentierte Uwe Kranz vom beauftragten Planungsbüro Kehl die Ergebnisse.", "Planungsbüro Kehl"),
    ("Im Anschluss präsentierte Uwe Kranz von den zuständigen Stadtwerken Kehl die Ergebnisse.", "Stadtwerke Kehl"),
])
def test_an_organisation_after_an_adjective_or_with_a_lower_case_brand(extractor, tmp_path, sentence, organisation):
    speakers = speakers_of(extractor, tmp_path, OPENING + sentence + "\n")
    assert [(s["name"], s.get("organisation")) for s in speakers] == [("Uwe Kranz", organisation)]


@pytest.mark.parametrize("sentences, found", [
    # the talk's sentence names the speaker only as 'sie', 'er' or 'die Expertin': the one person named before
    ("Anna Roth ist Digitallotsin beim Landkreis Hof. In ihrem Vortrag erklärte sie, wie Anträge online gehen.",
     [("Anna Roth", "Landkreis Hof", "Digitallotsin")]),
    ("Mit dabei war auch Anna Roth. Die Expertin vom Bitkom sprach über Cloud-Dienste.", [("Anna Roth", "Bitkom", None)]),
    ("Digitalisierung sei eine Chance, sagte Staatssekretärin Anna Roth. Das machte sie in Kehl deutlich, wo sie "
     "den Aktionsplan vorstellte.", [("Anna Roth", None, "Staatssekretärin")]),
    # a group, a conversation, two people before, or a thing that 'zeigt'
    ("Mit dabei waren Anna Roth und Uwe Kranz. Gemeinsam sprachen sie über Probleme der Region.", []),
    ("Oberbürgermeister Uwe Kranz war zu Gast. In der Sternwarte sprach er mit den Schülern.", []),
    ("Anna Roth und Uwe Kranz kamen. Er stellte das Projekt vor.", []),
    ("Die Plattform hat Anna Roth angestoßen. Sie zeigt, wie Flächen grün werden.", []),
])
def test_a_talk_told_with_a_pronoun_is_the_person_named_before(extractor, tmp_path, sentences, found):
    got = [(s["name"], s.get("organisation"), s.get("role"))
           for s in speakers_of(extractor, tmp_path, OPENING + sentences + "\n")]
    assert got == found


@pytest.mark.parametrize("sentence, names", [
    ("Im Gespräch sind Uwe Kranz (Stadtverwaltung Kehl) und Eva Lenz (Kreis Ortenau).", ["Uwe Kranz", "Eva Lenz"]),
    ("Im Interview unterstrichen Uwe Kranz, Wirtschaftsförderer der Stadt Kehl, und Eva Lenz die Ziele.",
     ["Uwe Kranz", "Eva Lenz"]),
    ("Danach unterhielten sich das Team und Uwe Kranz, Staatssekretär im Landesministerium, über die Erfolge.",
     ["Uwe Kranz"]),
])
def test_a_conversation_on_stage_is_a_contribution_as_a_panel_is(extractor, tmp_path, sentence, names):
    assert [s["name"] for s in speakers_of(extractor, tmp_path, OPENING + sentence + "\n")] == names


@pytest.mark.parametrize("sentence, organisation", [
    # 'St.' (Sankt) is part of a place's name, not the end of a sentence
    ("Es sprach Anna Roth, Chief Digital Officer der Stadt St. Gallen; danach folgte die Diskussion.", "Stadt St. Gallen"),
    ("Es sprach Anna Roth, Leiterin der Stadtverwaltung St. Ingbert. Danach folgte die Diskussion.",
     "Stadtverwaltung St. Ingbert"),
])
def test_an_organisation_keeps_the_sankt_of_its_place(extractor, tmp_path, sentence, organisation):
    [speaker] = speakers_of(extractor, tmp_path, OPENING + sentence + "\n")
    assert speaker["organisation"] == organisation
