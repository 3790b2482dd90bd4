"""What the trained tagger adds to the rules: votes for the event's place and date, and speakers the rules missed.

The rules stay in charge of what they know well (gazetteer look-ups, decoys, German name orders); the tagger,
trained on real reports, says which of several places and dates the event is for and which names are speakers.
"""

from __future__ import annotations

import re

from graph.extraction import orgs
from graph.extraction.names import is_first_name
from graph.extraction.people import NOT_A_NAME, Speaker
from graph.extraction.talks import clause_at, opens_only
from graph.text.sentences import Sentence
from graph.extraction.tagger import Entity

PLACE_VOTE = 3.0   # as much as a heading mention of the place: the tagger read the whole sentence
DATE_VOTE = 3


def overlaps(entities: list[Entity], label: str, start: int, end: int) -> bool:
    """True when a tagged entity of `label` overlaps [start, end)."""
    return any(e.label == label and e.start < end and start < e.end for e in entities)


def place_vote(entities: list[Entity], mention) -> float:
    """Extra score for a place mention the tagger marks as the event's place (decoys keep their penalty)."""
    if mention.score > -5 and overlaps(entities, "LOC_EVENT", mention.start, mention.end):
        return PLACE_VOTE
    return 0.0


def date_vote(entities: list[Entity], date) -> int:
    """Extra score for a date mention the tagger marks as the event's date."""
    return DATE_VOTE if overlaps(entities, "DATE_EVENT", date.start, date.end) else 0


def looks_like_name(text: str) -> bool:
    """Two or three capitalised words whose first is a German first name: 'Judith Gerlach', not 'Simbachs Bürgermeister'."""
    words = [w for w in text.split() if w not in ("von", "van", "de", "zu", "der")]  # 'Hans-Georg von Arnim'
    return (2 <= len(words) <= 3 and all(re.fullmatch(r"[A-ZÄÖÜ][\w'-]+", w) for w in words)
            and is_first_name(words[0]) and not any(w in NOT_A_NAME for w in words)
            and not orgs.ORG_HEAD.search(text) and not orgs.ROLE_WORD.fullmatch(words[-1]))


def _introduced(speaker: Speaker) -> bool:
    """A name the text itself introduces as a person: 'Herr Zelt', or 'Jule Litzau (CoWorkLand eG)' with the
    organisation the rules read beside it (names that are not German first names, such as 'Jule' or 'Vilim')."""
    if speaker.honorific and re.match(r"(Herr|Frau)\b", speaker.honorific) and " " not in speaker.name:
        return True
    words = speaker.name.split()
    return (len(words) in (2, 3) and speaker.organisation is not None and not orgs.ORG_HEAD.search(speaker.name)
            and not any(w in NOT_A_NAME for w in words))


def check_rule_speakers(speakers: list[Speaker], entities: list[Entity]) -> list[Speaker]:
    """Drop rule speakers that are neither name-shaped (first name + surname) nor tagged PER; note the tagger's votes."""
    kept = [s for s in speakers if looks_like_name(s.name) or overlaps(entities, "PER", *s.span) or _introduced(s)]
    for speaker in kept:
        fill_parts(speaker, entities, [s.span for s in kept if s is not speaker])
        note_votes(speaker, entities, by_rules=True)
    return kept


# Characters between a name and the tagged organisation or role after it: one apposition, not the next clause.
# Before the name only what touches it counts ('Staatssekretär Name'), not a list's earlier item.
NEAR = 80


def fill_parts(speaker: Speaker, entities: list[Entity], others: list[tuple[int, int]]) -> None:
    """The organisation and role the rules did not read beside a name, from the tagger's nearest ORG and ROLE in
    the same sentence, when no other person (`others`: the other speakers' spans) stands between them, inside
    the span or right beside it ('…, sowie Projektmanagerin Eva Lenz'): that one's part is not this one's."""
    sentence = speaker.sentence
    if sentence is None:
        return
    inside = _in_sentence(entities, sentence)
    people = [(e.start, e.end) for e in inside if e.label == "PER" and _gap(e, speaker.span) > 0] + others
    for label, key in (("ORG", "organisation"), ("ROLE", "role")):
        if getattr(speaker, key):
            continue
        near = [e for e in inside if e.label == label and _fits(label, e.text)
                and (0 < _gap(e, speaker.span) <= NEAR if e.start > speaker.span[0] else 0 < _gap(e, speaker.span) <= 1)
                and not any(_between(p, e, speaker.span) or _gap(e, p) <= 1 for p in people)]
        nearest = min(near, default=None, key=lambda e: _gap(e, speaker.span))
        if nearest is not None:
            _set_part(speaker, key, nearest)
            speaker.tagged_parts.add(key)   # the tagger's alone: its confidence is a tagged speaker's


def _in_sentence(entities: list[Entity], sentence: Sentence) -> list[Entity]:
    return [e for e in entities if sentence.start <= e.start and e.end <= sentence.end + 1]


def _set_part(speaker: Speaker, key: str, entity: Entity) -> None:
    """A speaker's organisation (in the nominative) or role from a tagged span."""
    setattr(speaker, key, orgs.nominative(entity.text) if key == "organisation" else entity.text)
    speaker.spans[key] = (entity.start, entity.end)


def _fits(label: str, text: str) -> bool:
    """A tagged span that reads as what its label says: an organisation that is no role ('Bayerische
    Staatsministerin für Digitales' is one), a role with a role word in it ('Ohm-Hochschule' is none)."""
    role = bool(orgs.ROLE_WORD.match(text) or orgs.ROLE_ABBREVIATIONS.match(text))
    return role if label == "ROLE" else not role


def _gap(entity: Entity, span: tuple[int, int]) -> int:
    """Characters between an entity and a span; 0 when they touch or overlap ('Name, Org' is 2 apart)."""
    return max(entity.start - span[1], span[0] - entity.end, 0)


def _between(person: tuple[int, int], entity: Entity, span: tuple[int, int]) -> bool:
    low, high = min(entity.end, span[1]), max(entity.start, span[0])
    return low <= person[0] and person[1] <= high


def note_votes(speaker: Speaker, entities: list[Entity], by_rules: bool) -> None:
    """Which of the speaker's parts the tagger agrees with (read by the confidence of each fact)."""
    labels = {"name": "PER", "organisation": "ORG", "role": "ROLE"}
    speaker.votes = {key: key in speaker.spans and overlaps(entities, label, *speaker.spans[key])
                     for key, label in labels.items()}
    speaker.votes["rules"] = by_rules


def tagged_speakers(sentences: list[Sentence], entities: list[Entity], known: list[Speaker]) -> list[Speaker]:
    """Speakers the tagger found (PER with a German first name) that the rules did not, with ORG and ROLE nearby."""
    found = []
    names = {s.name for s in known}
    for sentence in sentences:
        inside = _in_sentence(entities, sentence)
        for entity in (e for e in inside if e.label == "PER"):
            name = re.sub(r"^(?:Herrn?|Frau|Dr\.|Prof\.)\s+", "", entity.text).strip(" ,.")
            if name in names or not looks_like_name(name) or any(name.split()[-1] in n for n in names):
                continue
            # who only greets, opens or moderates is no speaker, whoever found the name (as for the rules)
            if opens_only(clause_at(sentence.text, entity.start - sentence.start)):
                continue
            speaker = Speaker(name, (entity.start, entity.end), sentence=sentence)
            speaker.spans["name"] = speaker.span
            for label, key in (("ORG", "organisation"), ("ROLE", "role")):
                nearest = min((e for e in inside if e.label == label), default=None,
                              key=lambda e: abs(e.start - entity.start))
                if nearest is not None:
                    _set_part(speaker, key, nearest)
            note_votes(speaker, entities, by_rules=False)
            names.add(name)
            found.append(speaker)
    return found
