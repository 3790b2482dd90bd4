"""Regions that no list holds: LEADER and ILE regions and other alliances of municipalities.

The annotation guidelines record an event held *for* such a region under the region's name (kind Region):
'ILE Mainschleife Plus', 'LEADER-Region Moselfranken', 'Smart Region Oldenburger Münsterland'. The
municipality list knows none of them, so before this the venue town always won. What makes a region
recognisable does not depend on the publisher: German administrations name these bodies by the programme
or form in front of the name (ILE, LEADER, LAG, Metropolregion), or as a '…Region' compound. A Regionalverband is
a planning body: it runs projects for towns as often as for its region, so it names no event's place here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from graph.extraction.event_place import Located
from graph.extraction.places import Mention, PlaceFinder
from graph.records.gazetteer import Place, normalise
from graph.text.sentences import Sentence, common_noun

_FORMS = (r"ILE-Region(?:en)?|ILE|Integrierten?\s+Ländlichen?\s+Entwicklung|LEADER-Region(?:en)?|LEADER\s+Region|LAG|"
          r"Lokalen?\s+Aktionsgruppe|Smart\s+Region|Modellregion|Metropolregion|Zukunftsregion|Region")
# The form, an optional expansion in brackets ('ILE (Integrierte Ländliche Entwicklung) MainLand Allianz'), the name.
# A second capitalised word belongs to the name after an adjective in -er ('Oldenburger Münsterland') or as
# 'Plus' and 'Allianz' ('Mainschleife Plus', 'MainLand Allianz').
TYPED = re.compile(rf"\b(?P<form>{_FORMS})(?:\s*\([^)]{{2,60}}\))?\s+(?P<name>[A-ZÄÖÜ][\w-]*?(?P<adjective>er)?"
                   r"(?:(?(adjective)\s+[A-ZÄÖÜ][\w-]+|\s+(?:[Pp]lus|Allianz)))?)(?![\w-])"
                   # not a product's name ('Smart Region Lab Eutin'), not the registered association ('ILE X e.V.')
                   r"(?!\s+[A-ZÄÖÜ]|\s+e\.\s?V\.)")
PROGRAMMES = re.compile(r"ILE|Integrierte|LEADER|LAG|Lokale")
COMPOUND = re.compile(r"\b(?P<name>[A-ZÄÖÜ][a-zäöü]{2,}Region)\b")   # 'VoglerRegion'
# A region scores like a state-wide cue: named by its form in a heading or an event sentence, it is whom the
# event is for, whatever town hosts it.
SCORE = 20


def region(text: str, offset: int, places: PlaceFinder, page_state: Place | None) -> Mention | None:
    """The region an event sentence or heading names by its form, as a mention with a place of its own, or
    None. A name the lists know (a district, 'Region Hannover'; a town, 'Region Trier') is left to them."""
    for pattern in (TYPED, COMPOUND):
        for match in pattern.finditer(text):
            name = match.group("name")
            # After ILE, LEADER or LAG a name follows; after 'Region' or 'Smart Region' a common noun is none
            # ('Region Zukunft', 'Smart Region Dialog').
            plain = pattern is TYPED and not PROGRAMMES.match(match.group("form"))
            if places.resolve(name) or places.resolve(match.group(0)) or places.alternatives(name, set(places.g.states)) \
                    or (plain and " " not in name and common_noun(name)):
                continue
            start = offset + match.start("name")
            place = Place("region", normalise(name).replace(" ", "-"), name, kind="Region",
                          state_key=page_state.key if page_state is not None else None)
            return Mention(start, start + len(name), name, [place], SCORE, "Region", state=page_state)
    return None


def page_region(text: str, places: PlaceFinder, page_state: Place | None) -> Mention | None:
    """The region a page is about: one it names by its form at least twice ('Das teilt die ILE-Region
    Mainschleife Plus mit … Zur ILE-Region Mainschleife Plus gehören sieben Kommunen'); None otherwise.
    An event whose own sentences name no region is still that region's (its towns are members or venues)."""
    seen: dict[str, list[Mention]] = {}
    start = 0
    while (found := region(text[start:], start, places, page_state)) is not None:
        seen.setdefault(normalise(found.text), []).append(found)
        start = found.end
    named = [mentions for mentions in seen.values() if len(mentions) >= 2]
    return named[0][0] if len(named) == 1 else None


def for_section(event_sentences: list[Sentence], headings: list[Sentence], located: list[Located], places: PlaceFinder,
                page_state: Place | None, page: Mention | None, district: Mention | None = None) -> Located | None:
    """An ILE or LEADER region's or a district's meeting is theirs, its town only the venue: the region the
    section's heading or event sentences name, else `page`, the region the page is about, else `district`, the
    district a page with a district cue is about (scope.page_district) when the section's town lies in it.
    Only where the section names a town too: a region alone (a page's introduction to workshops in each of its
    towns) makes no event of its own."""
    placed = [item.mention for item in located if item.mention.score > 0]
    if not placed:
        return None
    for sentence in event_sentences:
        named = region(sentence.text, sentence.start, places, page_state)
        if named is not None:
            return Located(named, sentence, sentence in headings, -1, 0)
    if not event_sentences:
        return None
    if page is None and district is not None and any(
            c.category in ("municipality", "town", "group") and c.district_key == district.candidates[0].key
            for m in placed for c in m.candidates):
        page = district
    # a copy: each section adds the tagger's vote to its own mention's score
    return Located(replace(page), event_sentences[0], False, -1, 0) if page is not None else None


def majority_state(mentions: list[Mention], places: PlaceFinder) -> Place | None:
    """The state of three in four of the places named, for a region no list holds (its towns lie in it; a
    surname that is also a village elsewhere does not count against it), or None."""
    keys = Counter(next(iter(k)) for k in ({p.state_key for p in m.candidates} for m in mentions)
                   if len(k) == 1 and None not in k)
    if not keys:
        return None
    key, count = keys.most_common(1)[0]
    return places.g.states.get(key) if count >= 0.75 * sum(keys.values()) else None
