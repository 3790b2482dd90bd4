"""Municipalities and districts that take part in an event beside the one it is for, read from an enumeration.

Reports of every publisher name them the same way: a list of place names in one sentence that says they
took part or belong together ('Vertreterinnen und Vertreter aus Osterhofen, Tiefenbach und Rinchnach',
'die Bürgermeister der Gemeinden A, B und C', 'Mitgliedskommunen A, B und C', 'aus den Landkreisen Göttingen,
Goslar und Northeim'), or a list that begins with the event's own place ('Baden-Baden, Bretten und Ettlingen
planen …'). A list of examples ('Städte wie Ulm, Bamberg und Jena') names no participant."""

from __future__ import annotations

import re

from graph.extraction.places import PlaceFinder
from graph.records.gazetteer import Place, normalise
from graph.text.sentences import Sentence

# One list item: 'Tiefenbach', 'Bad Füssing', 'St. Oswald-Riedlhütte', 'Nordheim a. Main', 'Bad Marienberg
# (Westerwald)', 'Markt Eisenheim', 'der Stadt Dettelbach'. At most two capitalised words, so that the list does
# not swallow the noun after it.
_KIND = r"(?:(?:der|dem|den)\s+)?(?:Stadt|Gemeinde|Markt|Hansestadt|Landkreis|Kreis)\s+"
_NAME = (r"(?:St\.\s|Sankt\s|Bad\s)?[A-ZÄÖÜ][\w-]+(?:\s+(?:a\.|am|an der|im|in der|ob der|bei)\s+[A-ZÄÖÜ][\w.-]+)?"
         r"(?:\s+[A-ZÄÖÜ][\w-]+)?(?:\s+\([A-ZÄÖÜ][^)]{1,25}\))?")
ITEM = rf"(?:{_KIND})?{_NAME}"
ENUMERATION = re.compile(rf"(?<![\w.]){ITEM}(?:\s*,\s*{ITEM})*\s*,?\s+(?:und|sowie|oder)\s+{ITEM}")
SEPARATOR = re.compile(r"\s*,\s*(?:(?:und|sowie|oder)\s+)?|\s+(?:und|sowie|oder)\s+")
# Words of the sentence that say the listed places take part or belong together.
TAKING_PART = re.compile(r"Vertreter|Teilnehm|\bGäste\b|Bürgermeister|Gemeindevertret|Mitglieds(?:kommunen|städte|"
                         r"gemeinden)|[Bb]eteiligt|gehör(?:en|t|te|ten)\b|zusammengeschlossen|Zusammenarbeit|Verbund|"
                         r"Allianz|interkommunal|gemeinsam|zusammen\b|Kommunen|Gemeinden|Städte\b|Landkreisen|Kreisen|"
                         r"dabei waren|trafen sich|kamen\b|nahmen\b")
# A list of examples, or of places compared with: not participants.
EXAMPLES = re.compile(r"Beispiel|Vorbild|z\.\s?B\.|\bwie\s+(?:etwa\s+|in\s+|aus\s+)?$|\bnach\s+$")
DISTRICTS_BEFORE = re.compile(r"(?:Land)?[Kk]reise[n]?\s+$")


def enumerated(sentences: list[Sentence], places: PlaceFinder, place: Place | None, states: set[str]) -> list[tuple]:
    """(name, start, end) of each other place in a participation list of the event's sentences."""
    if place is None:
        return []
    own = {normalise(place.name), *(normalise(n) for n in place.alt_names)}
    found: list[tuple] = []
    for sentence in sentences:
        text = sentence.text
        for match in ENUMERATION.finditer(text):
            before = text[max(0, match.start() - 40):match.start()]
            if EXAMPLES.search(before):
                continue
            # 'Landkreisen' may open the match as part of its first item ('Landkreisen Göttingen, Goslar und …')
            districts = bool(DISTRICTS_BEFORE.search(before + match.group(0).split()[0] + " "))
            items = _items(match, places, states, districts)
            if items is None:
                continue
            names = [normalise(p.name) for p, _, _ in items]
            includes_own = bool(own & set(names))
            if not (includes_own or TAKING_PART.search(text)):
                continue
            for resolved, start, end in items:
                if normalise(resolved.name) not in own:
                    found.append((resolved.name, sentence.start + start, sentence.start + end))
    return found


# 'aus' before a list: people came *from* the listed places ('Bürgermeister aus A, B und C', 'Vertreter aus den
# Gemeinden A, B und C'). A list without it may be the group holding the event ('Beteiligt sind A, B und C').
_FROM = re.compile(r"\baus\s+(?:den\s+)?(?:(?:Städten|Gemeinden|Kommunen|Märkten|Landkreisen|Kreisen)\s+)?$")


def came_from_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """(start, end) in the document of each list of places that people taking part came from."""
    if not TAKING_PART.search(sentence.text):
        return []
    return [(sentence.start + m.start(), sentence.start + m.end()) for m in ENUMERATION.finditer(sentence.text)
            if _FROM.search(sentence.text[max(0, m.start() - 40):m.start()])]


def _items(match: re.Match, places: PlaceFinder, states: set[str], districts: bool) -> list[tuple] | None:
    """The list's items resolved to places of the text's states; None when fewer than two, or fewer than three in
    four of its items, are places: then it lists something else (people, projects, organisations)."""
    text, offset = match.group(0), match.start()
    parts, position = [], 0
    for separator in list(SEPARATOR.finditer(text)) + [None]:
        end = separator.start() if separator else len(text)
        parts.append((text[position:end], offset + position))
        position = separator.end() if separator else end
    resolved = []
    for part, start in parts:
        written = re.match(_KIND, part)
        name = part[written.end():].strip() if written else part.strip()
        district = districts or bool(written and "reis" in written.group(0))
        found = _resolve(name, places, states, "Landkreis" if district else None)
        if found is not None:
            place, written_name = found
            first = start + part.index(written_name)
            resolved.append((place, first, first + len(written_name)))
    if len(resolved) < 2 or len(resolved) * 4 < len(parts) * 3:
        return None
    return resolved


def _resolve(name: str, places: PlaceFinder, states: set[str], kind: str | None) -> tuple[Place, str] | None:
    """The municipality, group or district of the text's states that `name` names, with the words that name it
    (the evidence's span). A list's first item may have
    taken the noun before it ('Mitgliedskommunen Sömmerda', 'Auch Zierow'), its last one the name after it
    ('Weida Rico'): a two-word item that is no place is tried without its first and without its last word."""
    words = name.split()
    variants = [name] if len(words) == 1 or "(" in name else [name, " ".join(words[1:]), words[0]]
    for variant in variants:
        candidates = places.resolve(variant, kind) + places.alternatives(variant, states)
        candidates = [c for c in candidates if c.category in ("municipality", "town", "group", "district")]
        if states:
            candidates = [c for c in candidates if c.state_key in states]
        if candidates:
            return candidates[0], variant
    return None


def without_hosts(drafts: list) -> None:
    """Drop from each draft the participants that are a page event's own place: a page that lists several events
    (a schedule, a series of workshops by town) names them in one list, and each copy of the list's event would
    otherwise count the other towns, whose events are drafted of their own."""
    hosts = {normalise(d.place.name) for d in drafts if d.place is not None}
    for draft in drafts:
        draft.participants = [f for f in draft.participants if normalise(f.value) not in hosts]
