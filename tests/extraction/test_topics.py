"""Topics of an event: which words of the scheme name a concept and which only look like they do."""

from __future__ import annotations

import pytest


def _topics(extractor, tmp_path, text: str) -> list:
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    [event] = extractor.extract(path)["events"]
    return event.get("topics", [])


def test_funding_in_general_is_no_funding_programme(extractor, tmp_path):
    """'Förderung' is any support ('die Förderung läuft bis 2027'); Fördermittel are the grants themselves."""
    text = "Am 3. Mai 2022 fand in Kehl ein Workshop statt. Die Förderung läuft bis 2027.\n"
    assert "Fördermittel" not in _topics(extractor, tmp_path, text)
    granted = "Am 3. Mai 2022 fand in Kehl ein Workshop über Fördermittel statt.\n"
    assert "Fördermittel" in _topics(extractor, tmp_path, granted)


def test_regional_development_is_no_regional_cooperation(extractor, tmp_path):
    text = "Am 3. Mai 2022 fand in Kehl ein Workshop statt. Es ging um Tourismus und Regionalentwicklung.\n"
    assert "Regionale Zusammenarbeit" not in _topics(extractor, tmp_path, text)


def test_the_administrations_digitalisation_in_the_genitive_is_digital_administration(extractor, tmp_path):
    text = "Am 3. Mai 2022 fand in Kehl ein Workshop statt. Es ging um die Digitalisierung der Verwaltung.\n"
    assert "Digitale Verwaltung" in _topics(extractor, tmp_path, text)


def test_a_participle_of_a_verb_with_other_senses_names_no_topic(extractor, tmp_path):
    """'geführt' and 'beteiligt' mostly mean 'guided' and 'involved'; 'qualifiziert' still names Qualifizierung."""
    text = ("Am 3. Mai 2022 fand in Kehl ein Workshop statt. Bürgermeisterin Anna Roth hat durch den Abend geführt. "
            "An dem Projekt sind drei Firmen beteiligt.\n")
    topics = _topics(extractor, tmp_path, text)
    assert "Führung" not in topics and "Bürgerbeteiligung" not in topics
    trained = "Am 3. Mai 2022 fand in Kehl ein Workshop statt. Dort werden Beschäftigte für neue Aufgaben qualifiziert.\n"
    assert "Qualifizierung" in _topics(extractor, tmp_path, trained)


def test_a_smart_city_strategy_is_a_digital_strategy_and_about_smart_city(extractor, tmp_path):
    """A compound label names its first part's concept too (the longest label alone would hide Smart City)."""
    text = "Am 3. Mai 2022 fand in Kehl ein Workshop zur Smart-City-Strategie statt.\n"
    assert {"Digitalisierungsstrategie", "Smart City"} <= set(_topics(extractor, tmp_path, text))


# A sentence after the event's, and the concept it names: municipalities that work together, citizens who took
# part (perfect and passive), an administration that works digitally, training courses and digital competence.
NAMED_BY_A_SENTENCE = [
    ("Interkommunale Zusammenarbeit", "Seit zwei Jahren firmiert die Zusammenarbeit der Städte und Gemeinden unter einem Namen."),
    ("Interkommunale Zusammenarbeit", "Die Kommunen wollen bei der IT enger zusammenarbeiten."),
    ("Bürgerbeteiligung", "An den Workshops haben 60 Bürgerinnen und Bürger mitgewirkt."),
    ("Bürgerbeteiligung", "Bürgerschaft und Wirtschaft wurden in die Entwicklung einbezogen."),
    ("Digitale Verwaltung", "Die Verwaltung soll selbst digitaler arbeiten."),
    ("Digitale Verwaltung", "Die Stadt bietet 53 Verwaltungsleistungen online an."),
    ("Digitale Verwaltung", "Es ging um digitale Abläufe in der Verwaltung."),
    ("Qualifizierung", "Die Einrichtungen wünschen sich Schulungen zu sozialen Medien."),
    ("Qualifizierung", "Im Forum soll es um digitale Kompetenz gehen."),
]


@pytest.mark.parametrize("concept, sentence", NAMED_BY_A_SENTENCE)
def test_a_sentence_that_describes_a_concept_names_it(extractor, tmp_path, concept, sentence):
    text = f"Am 3. Mai 2022 fand in Kehl ein Workshop statt. {sentence}\n"
    assert concept in _topics(extractor, tmp_path, text), sentence


def test_cooperation_within_a_team_is_no_inter_municipal_cooperation(extractor, tmp_path):
    alone = "Am 3. Mai 2022 fand in Kehl ein Workshop statt. Die Zusammenarbeit im Team war gut.\n"
    assert "Interkommunale Zusammenarbeit" not in _topics(extractor, tmp_path, alone)


def test_a_heading_that_describes_citizen_participation_names_it(extractor, tmp_path):
    text = "Bürgerinnen und Bürger sollen mitreden\n\nAm 3. Mai 2022 fand in Kehl ein Workshop statt.\n"
    assert "Bürgerbeteiligung" in _topics(extractor, tmp_path, text)


def test_a_town_hall_alone_is_no_digital_administration(extractor, tmp_path):
    town_hall = "Am 3. Mai 2022 fand in Kehl ein Workshop statt. Die Stadtverwaltung lud zur Digitalisierung ein.\n"
    assert "Digitale Verwaltung" not in _topics(extractor, tmp_path, town_hall)


def test_the_german_smart_town_and_region_are_smart_city(extractor, tmp_path):
    text = "Am 3. Mai 2022 fand in Kehl ein Workshop statt. Es ging um die smarte Stadt von morgen.\n"
    assert "Smart City" in _topics(extractor, tmp_path, text)
