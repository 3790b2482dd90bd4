"""A speaker's organisation and role from the tagger when the rules read none beside the name
(graph/extraction/combine.py, fill_parts). The tagged spans are given here, so these tests check the binding,
not the model. Names and organisations are invented."""

from __future__ import annotations

import re

from graph.extraction.combine import fill_parts
from graph.extraction.speaker_details import Speaker
from graph.extraction.tagger import Entity
from graph.text.sentences import Sentence


def _entity(text: str, part: str, label: str) -> Entity:
    start = text.index(part)
    return Entity(start, start + len(part), label, part)


def _speaker(text: str, name: str, **parts) -> Speaker:
    start = text.index(name)
    speaker = Speaker(name, (start, start + len(name)), sentence=Sentence(0, len(text), text, None), **parts)
    speaker.spans["name"] = speaker.span
    return speaker


def _filled(text: str, name: str, tagged: list[tuple[str, str]], others: tuple[str, ...] = (), **parts) -> Speaker:
    speaker = _speaker(text, name, **parts)
    entities = [_entity(text, part, label) for part, label in tagged]
    spans = [(m.start(), m.end()) for other in others for m in re.finditer(re.escape(other), text)]
    fill_parts(speaker, entities, spans)
    return speaker


def test_an_apposition_after_the_name_gives_organisation_and_role():
    text = "Es sprach Jana Kolbe, Leiterin des Kompetenzzentrums Ländliche Räume, über Funknetze."
    speaker = _filled(text, "Jana Kolbe", [("Leiterin", "ROLE"), ("Kompetenzzentrums Ländliche Räume", "ORG")])
    assert (speaker.role, speaker.organisation) == ("Leiterin", "Kompetenzzentrum Ländliche Räume")
    assert speaker.spans["organisation"] == (text.index("Kompetenz"), text.index(", über"))


def test_what_the_rules_read_is_kept():
    text = "Es sprach Jana Kolbe vom Zweckverband Nord, Referentin beim Kompetenzzentrum Süd."
    speaker = _filled(text, "Jana Kolbe", [("Kompetenzzentrum Süd", "ORG")], organisation="Zweckverband Nord")
    assert speaker.organisation == "Zweckverband Nord"


def test_another_person_between_keeps_that_ones_organisation_away():
    text = "Es sprachen Jana Kolbe und Timo Brack vom Kompetenzzentrum Süd."
    tagged = [("Timo Brack", "PER"), ("Kompetenzzentrum Süd", "ORG")]
    assert _filled(text, "Jana Kolbe", tagged).organisation is None
    # the same when the other name is a speaker the rules found but the tagger did not mark
    assert _filled(text, "Jana Kolbe", [("Kompetenzzentrum Süd", "ORG")], others=("Timo Brack",)).organisation is None
    assert _filled(text, "Timo Brack", tagged).organisation == "Kompetenzzentrum Süd"


def test_a_role_before_the_name_counts_only_when_it_touches_it():
    text = "Staatssekretär Paul Wenz aus dem Landesministerium und Jana Kolbe stellten das Projekt vor."
    tagged = [("Staatssekretär", "ROLE"), ("Paul Wenz", "PER")]
    assert _filled(text, "Paul Wenz", tagged).role == "Staatssekretär"
    assert _filled(text, "Jana Kolbe", tagged).role is None


def test_a_far_organisation_is_the_next_clause_s():
    text = ("Jana Kolbe erklärte in ihrem Beitrag ausführlich, wie die Kommunen der Region ihre Daten teilen "
            "können, und verwies auf das Kompetenzzentrum Süd.")
    assert _filled(text, "Jana Kolbe", [("Kompetenzzentrum Süd", "ORG")]).organisation is None


def test_a_span_that_reads_as_the_other_label_is_left():
    text = "Es sprach Jana Kolbe, Bayerische Staatsministerin für Digitales, und später die Ohm-Hochschule."
    tagged = [("Bayerische Staatsministerin für Digitales", "ORG"), ("Ohm-Hochschule", "ROLE")]
    speaker = _filled(text, "Jana Kolbe", tagged)
    assert (speaker.organisation, speaker.role) == (None, None)


def test_the_name_itself_is_no_organisation():
    text = "Jana Kolbe sprach über Funknetze."
    assert _filled(text, "Jana Kolbe", [("Jana Kolbe", "ORG")]).organisation is None


def test_a_part_only_the_tagger_read_is_less_sure_than_one_the_rules_read_too():
    from graph.extraction.combine import note_votes
    from graph.extraction.confidence import raw_speaker
    text = "Es sprach Jana Kolbe, Leiterin des Kompetenzzentrums Ländliche Räume, über Funknetze."
    tagged = [("Leiterin", "ROLE"), ("Kompetenzzentrums Ländliche Räume", "ORG")]
    by_tagger = _filled(text, "Jana Kolbe", tagged)
    by_rules = _filled(text, "Jana Kolbe", tagged, role="Leiterin")
    by_rules.spans["role"] = by_tagger.spans["role"]
    for speaker in (by_tagger, by_rules):
        note_votes(speaker, [_entity(text, part, label) for part, label in tagged], by_rules=True)
    assert by_tagger.tagged_parts == {"organisation", "role"} and by_rules.tagged_parts == {"organisation"}
    assert raw_speaker(by_tagger, "role") < raw_speaker(by_rules, "role")


def test_a_role_right_before_the_next_name_is_that_name_s():
    text = "Es sprachen Uwe Kranz, sowie Projektmanagerin Eva Lenz."
    assert _filled(text, "Uwe Kranz", [("Projektmanagerin", "ROLE"), ("Eva Lenz", "PER")]).role is None
