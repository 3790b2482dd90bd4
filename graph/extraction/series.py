"""A counted series: 'Acht Projektwerkstätten sind geplant:' over a list of eight themes, or 'Acht Workshops an
acht Tagen' over a list of the eight member towns, is as many events as the count says.

The guidelines count each workshop of a series as an event. When the page names the count and lists exactly
that many items, each item is one event: a place item is where that event was held, any other item is its
theme. Without days on the lines (schedule.py handles dated lines) the events share the series' year.

A count without a list ('Für November sind zwei öffentliche Workshops angesetzt', a headline 'drei
Zukunftskonferenzen') also names that many events, when it speaks of the events themselves: in a heading, or
with a time in its sentence. Elsewhere a count is mostly parts of one event ('folgen drei Workshops, in denen
alle Gäste mitarbeiten'), and 'acht weitere Workshops' or 'der neun Workshops' are not reported one by one.
Ordinals count too: a page that speaks of 'dem ersten Workshop' and 'dem zweiten Workshop' reports two.
"""

from __future__ import annotations

import dataclasses
import re

from graph.extraction import details
from graph.extraction.dates import DateMention
from graph.extraction.place_choice import disambiguate
from graph.extraction.places import PlaceFinder
from graph.extraction.schedule import owner
from graph.text.documents import Block, Document

NUMBERS = {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
           "zehn": 10, "elf": 11, "zwölf": 12}
# The count, at most one word between ('Acht Smart-City-Workshops', 'fünf thematische Werkstätten'), and a plural
# event noun, also as the head of a compound ('Projektwerkstätten', 'Workshop-Abende').
COUNTED = re.compile(r"\b(?P<count>(?i:" + "|".join(NUMBERS) + r")|\d{1,2})\s+(?:[a-zäöüß][\w-]*\s+)?"
                     r"(?P<noun>[\w-]*(?:[Ww]orkshops|[Ww]erkstätten|[Aa]bende|[Tt]reffen|[Ff]oren|[Kk]onferenzen|"
                     r"[Tt]agungen|[Ss]eminare|[Ww]ebinare|[Ll]abore|[Dd]ialoge|[Rr]unden|[Vv]eranstaltungen))\b")
# A time in the count's sentence: a month, a season, a date, 'bisher', 'Reihe' (the count is of held or
# scheduled events, not of a programme's parts).
WHEN = re.compile(r"\b(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
                  r"Dezember|Frühjahr|Frühling|Sommer|Herbst|Winter|bisher|Reihe|\d{1,2}\.\s*\d{1,2}\.)")
# 'acht weitere Workshops', 'der neun Workshops', 'der erste von drei Workshops': the others are not reported.
NOT_ONE_BY_ONE = re.compile(r"\b(?:weitere[n]?|der|letzten|ersten|(?:erste|zweite|dritte|vierte|letzte)[nrs]?\s+von)"
                            r"\s+$", re.IGNORECASE)
PROGRAMME = re.compile(r"\bProgramm(?:punkte?|e)?\b")
LIST_WITHIN = 4        # blocks between the count and its list ('Die Abende im Überblick:' may come between)
# An ordinal before an event noun, at most one word between ('zweiten Workshop', 'ersten öffentlichen Werkstatt');
# the noun ends in the event's head, so a 'zweiten Veranstaltungstag' is a day of one event.
_HEADS = r"workshop|werkstatt|werkstätten|treffen|forum|foren|konferenz|tagung|seminar|webinar|sitzung|abend|dialog|" \
         r"veranstaltung|barcamp|digitaltag|kongress"
EVENT_HEAD_WORD = re.compile(rf"(?i:{_HEADS})")
ORDINAL = re.compile(r"\b(?P<ord>(?i:erst|zweit|dritt|viert|fünft|sechst|nächst|kommend))(?:e|en|er|es|em)\s+"
                     rf"(?:[\w-]+\s+)?(?P<noun>[\w-]*(?i:{_HEADS})(?:e|en|es|n|s)?)\b")
NUMBERING = re.compile(r"^\s*(?:\d{1,2}[.)]|[-–•*])\s*")


@dataclasses.dataclass
class Series:
    """A count of events on the page and the list items that name them."""

    start: int
    end: int
    items: list[Block]


def find(doc: Document) -> list[Series]:
    """Each counted series whose list has exactly as many items as the count."""
    blocks = [b for b in doc.blocks if not b.furniture]
    found = []
    for index, block in enumerate(blocks):
        match = COUNTED.search(doc.text(block))
        if match is None:
            continue
        count = _number(match)
        items = _first_list(blocks[index + 1:index + 1 + LIST_WITHIN + count])
        if 2 <= count == len(items):
            found.append(Series(block.start + match.start(), block.start + match.end(), items))
    return found


@dataclasses.dataclass
class Count:
    """A count of events on the page that no list spells out; `sentence` is its sentence's span."""

    count: int
    start: int
    sentence: tuple[int, int]


def counts(doc: Document) -> list[Count]:
    """Counts of events in a heading, or in a sentence that says when they are (see the module's docstring)."""
    found = []
    for block in doc.blocks:
        if block.furniture or block.kind == "item":
            continue
        text = doc.text(block)
        for match in COUNTED.finditer(text):
            count = _number(match)
            if count < 2 or re.search("(?i)runden|abende", match.group("noun")) and block.kind != "heading":
                continue  # 'in zwei Gruppenrunden': parts of the evening
            if NOT_ONE_BY_ONE.search(text[:match.start()]) or re.search(r"(?i)\bweitere", match.group(0)) \
                    or match.group("count").startswith("0"):  # '04 Regionalworkshops' numbers a slide
                continue
            begin = max(text.rfind(". ", 0, match.start()) + 1, text.rfind("\n", 0, match.start()) + 1, 0)
            stop = min(i for i in (text.find(". ", match.end()), len(text)) if i >= 0)
            if PROGRAMME.search(text[begin:match.start()]):
                continue  # 'Das Programm umfasst sieben Videokonferenzen': the parts of one event's programme
            if block.kind == "heading" or WHEN.search(text[begin:stop]):
                found.append(Count(count, block.start + match.start(), (block.start + begin, block.start + stop)))
    return found


def ordinals(doc: Document) -> list[Count]:
    """Events of one kind told apart by their ordinals ('beim ersten Workshop im Mai … der zweite Workshop'): as
    many events as distinct ordinals of the kind, one more for a 'nächste(r)' one with a day in its sentence. A
    lone ordinal ('Sechstes Vernetzungstreffen') names one event; the others of the series are not reported."""
    kinds: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for block in doc.blocks:
        if block.furniture:
            continue
        text = doc.text(block)
        for match in ORDINAL.finditer(text):
            word = match.group("ord").casefold()
            if word in ("nächst", "kommend"):
                sentence = re.split(r"(?<=[.!?])\s", text[match.start():])[0]
                if not re.search(r"\b\d{1,2}\.\s*(?:\d{1,2}\.|[A-ZÄÖÜ][a-zä]+)", sentence):
                    continue  # 'beim nächsten Treffen' without a day is a wish, not an event
            kind = _head(match.group("noun"))
            kinds.setdefault(kind, set()).add(word)
            first.setdefault(kind, block.start + match.start())
    return [Count(len(words), first[kind], (0, 0)) for kind, words in kinds.items() if len(words) >= 2]


def _head(noun: str) -> str:
    """The event noun a compound ends in ('Smart-City-Workshop' -> 'workshop')."""
    heads = [m for m in re.finditer(EVENT_HEAD_WORD, noun)]
    return (heads[-1].group(0) if heads else noun).casefold()


def _number(match: re.Match) -> int:
    """The count of a COUNTED match, written as a word or in digits."""
    return NUMBERS.get(match.group("count").casefold()) or int(match.group("count"))


def _first_list(blocks: list[Block]) -> list[Block]:
    """The first run of list items among `blocks`, if it begins within LIST_WITHIN blocks."""
    run: list[Block] = []
    for position, block in enumerate(blocks):
        if block.kind == "item":
            run.append(block)
        elif run:
            break
        elif position >= LIST_WITHIN:
            break
    return run


def expand(doc: Document, drafts: list, places: PlaceFinder, states: set[str]) -> list:
    """The drafts with each counted series' event replaced by one event per list item, unless the page's
    events already outnumber the series."""
    out = list(drafts)
    for series in find(doc):
        if len(out) >= len(series.items) or not out:
            continue
        base = owner(out, series.start)
        copies = [_item_event(doc, base, item, series, places, states) for item in series.items]
        if any(copy.place is None for copy in copies):
            continue  # a page without a place of its own lists themes: its events would have none
        position = out.index(base)
        out[position:position + 1] = copies
    return _fill_counted(doc, out)


def _fill_counted(doc: Document, drafts: list) -> list:
    """The drafts with copies of the counted events' event, up to the largest count the page names."""
    found = counts(doc) + ordinals(doc)
    if not drafts or not found:
        return drafts
    largest = max(found, key=lambda c: c.count)
    if len(drafts) >= largest.count:
        return drafts
    base = owner(drafts, largest.start)
    low, high = largest.sentence
    # The day stays where the count's sentence gives it ('Beide Ideenwerkstätten laufen am Dienstag, 30. Januar');
    # other events of the series get no day rather than a wrong one.
    date = base.date if base.date is not None and low <= base.date.start < high else None
    copies = [dataclasses.replace(base, date=date, speakers=[], date_voted=False,
                                  title=f"{base.title} ({number}/{largest.count})")
              for number in range(2, largest.count - len(drafts) + 2)]
    position = drafts.index(base)
    return drafts[:position + 1] + copies + drafts[position + 1:]


def _item_event(doc: Document, base, item: Block, series: Series, places: PlaceFinder, states: set[str]):
    """A copy of `base` for one list item: held at the item's place, or on the item's theme."""
    text = doc.text(item)
    lead = NUMBERING.match(text)
    offset = lead.end() if lead else 0
    name = text[offset:].strip(" .;")
    start = item.start + offset
    place_mentions = [m for m in places.mentions(name, start, heading=False) if m.start == start]
    date = base.date
    # The base's own day belongs to the item its sentence names ('Den Anfang macht die Projektwerkstatt
    # „Teilorte“ am Dienstag, 26. April'); the other items share only the year.
    if date is not None and date.precision > 4 and not _names_item(doc, date, name):
        date = DateMention(series.start, series.end, date.value[:4], date.role)
    changes = {"date": date, "speakers": [], "date_voted": False}
    if place_mentions:
        mention = place_mentions[0]
        candidates = disambiguate(mention.candidates, states, set())
        place = candidates[0]
        changes.update(place=place, place_mention=mention, ambiguous=candidates if len(candidates) > 1 else [],
                       state=places.g.states.get(place.state_key), state_span=None, members=[],
                       district=details.district(doc.clean, place),
                       title=f"{base.type} in {place.name}", title_span=(mention.start, mention.end),
                       # the towns its own item names ('Perlesreut und Fürsteneck (gemeinsam)'), not the whole list's
                       participants=[f for f in base.participants if item.start <= f.start < item.end])
    else:
        changes.update(title=f"{base.type} „{name}“", title_span=(start, start + len(name)))
    return dataclasses.replace(base, **changes)


def _names_item(doc: Document, date: DateMention, name: str) -> bool:
    """True when the sentence around `date` names the item."""
    before = re.split(r"[.!?]\s|\n", doc.clean[:date.start])[-1]
    after = re.split(r"[.!?]\s|\n", doc.clean[date.end:])[0]
    return name.casefold() in (before + after).casefold()
