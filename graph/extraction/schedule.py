"""A schedule on the page ('24.08. – Smartes Gesundheitswesen', '- Dienstag, 11. Januar: Online-Workshop …') lists
the events of a series: one event per dated line, at the place of the event the schedule belongs to.

The guidelines count a page listing six workshops of a series as six events. Sections split at headings and
event nouns cannot see that: the dated lines usually name neither a place nor (always) an event noun, so
without this step the whole series is one event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Callable

from graph.extraction import details
from graph.extraction.dates import DateMention, find_dates, yearless_day
from graph.text.documents import Block, Document

LINE_MAX = 200        # a schedule line is short; a paragraph that starts with a date is a report
ITEM_MAX = 400        # a list item may carry its topic as a question before the day and the venue after it
DATE_WITHIN = 25      # the date opens the line ('Dienstag, 11. Januar: …', '24.08. – …')
# 'Aerzen: 21.09., 18 Uhr – Domänenburg': a schedule by town leads with the town.
_LEAD = r"(?P<lead>[A-ZÄÖÜ][\w. -]{1,40}):\s+"
_DAY_MONTH = re.compile(r"^\s*(?:" + _LEAD + r"|[A-ZÄÖÜ][a-z]+,?\s+)?(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?!\d)")
_WEEKDAY = re.compile(r"\b(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag|Mo|Di|Mi|Do|Fr|Sa|So)\b\.?")
_SEPARATOR = re.compile(r"^[\s:–—-]*(?:\d{1,2}(?:[.:]\d{2})?\s*(?:Uhr|bis|–|-)[^:–]*?)?[\s:–—-]*")


def _line_date(doc: Document, block: Block, published: dt.date | None, context_year: int | None,
               page: int | None = None):
    """The day a schedule line opens with, or None; `page` is where the page's publication date stands (a line
    'Aktuelles – 24.04.2023' dates the page, not an event of the schedule)."""
    text = doc.text(block)
    if block.furniture or block.kind == "heading" or len(text) > (ITEM_MAX if block.kind == "item" else LINE_MAX):
        return None
    dates = [d for d in find_dates(text, block.start, published, context_year) if d.role == "event" and d.start != page]
    # A list item may name its day anywhere ('Mobilität – 1. Workshop am 23.02.2022'); a paragraph must open with it.
    if dates and dates[0].precision == 10 and (block.kind == "item" or dates[0].start - block.start <= DATE_WITHIN):
        return dates[0]
    short = _DAY_MONTH.match(text)  # '24.08. – …': a schedule leaves out the year the page names
    if short and not dates and block.start + short.start("day") != page:
        day = yearless_day(int(short.group("day")), int(short.group("month")), text[:short.start("day")],
                           published, context_year)
        if day is not None:
            return DateMention(block.start + short.start("day"), block.start + short.end(), day)
    return None


def runs(doc: Document, published: dt.date | None, context_year: int | None,
         page: int | None = None) -> list[list[tuple[Block, object]]]:
    """Runs of two or more content blocks that each open with a different day; one short undated block between
    two of them (the entry's topic on a line of its own) does not end the run."""
    out, current, gap = [], [], 0
    for block in (b for b in doc.blocks if not b.furniture):
        date = _line_date(doc, block, published, context_year, page)
        if date is not None and all(date.value != d.value for _, d in current):
            current.append((block, date))
            gap = 0
            continue
        if date is None and current and gap == 0 and block.kind != "heading" and len(doc.text(block)) <= LINE_MAX:
            gap = 1
            continue
        gap = 0
        if len(current) >= 2:
            out.append(current)
        current = [(block, date)] if date is not None else []
    if len(current) >= 2:
        out.append(current)
    return out


def expand(doc: Document, drafts: list, published: dt.date | None, context_year: int | None,
           place_of: Callable | None = None, page: int | None = None) -> list:
    """The drafts plus one event per line of each schedule; a draft whose date is one of the lines is replaced.

    `place_of(name, start, base)` gives (place, mention) for a line that leads with a town ('Aerzen: 21.09.'),
    or None: a district's dialogues held town by town are each for their town. `page` is the start of the
    page's publication date, which no line of a schedule is.
    """
    if not drafts:
        return drafts
    out = list(drafts)
    for run in runs(doc, published, context_year, page):
        # A line that already is an event of its own ('In Bautzen fand am 17. März 2022 ein Workshop statt'
        # in a list of short reports) stays that event.
        run = [(block, date) for block, date in run if not _drafted(drafts, block, date)]
        if not run:
            continue
        base = owner(drafts, run[0][0].start)
        days = {date.value for _, date in run}
        known = {d.date.value for d in out if d.date is not None and d.place == base.place}
        if base.date is not None and base.date.value in days and base in out:
            out.remove(base)
            known.discard(base.date.value)
        # A series event without a day ('im Herbst 2022') is told by its lines, as are the undated paragraphs on it.
        if base.date is None or (base.date.precision < 10 and all(day.startswith(base.date.value) for day in days)):
            out = [d for d in out if d is not base and (d.date is not None or d.place != base.place)]
        for block, date in run:
            if date.value in known:
                continue
            event = _line_event(doc, base, block, date, published)
            lead = _DAY_MONTH.match(doc.text(block)) if place_of is not None else None
            found = place_of(lead.group("lead"), block.start + lead.start("lead"), base) \
                if lead and lead.group("lead") else None
            if found is not None:
                event = dataclasses.replace(event, place=found[0], place_mention=found[1], ambiguous=[],
                                            state=base.state, place_voted=False,
                                            district=details.district(doc.clean, found[0]),
                                            title=f"{base.type} in {found[0].name}", title_span=None)
            out.append(event)
    return out


def _drafted(drafts: list, block: Block, date) -> bool:
    """True when a draft of that day has its place mention on the line."""
    return any(d.date is not None and d.date.value == date.value and d.place_mention is not None
               and block.start <= d.place_mention.start < block.end for d in drafts)


def owner(drafts: list, start: int):
    """The event a schedule or a counted series belongs to: the last one drafted before it, else the first."""
    before = [d for d in drafts if d.place_mention is not None and d.place_mention.start < start]
    return before[-1] if before else drafts[0]


def _line_event(doc: Document, base, block: Block, date, published: dt.date | None):
    """A copy of `base` for one schedule line: its day, its status, the rest of the line as its title."""
    text = doc.text(block)
    before, rest = text[:date.start - block.start], text[date.end - block.start:]
    if re.search(r"\w{3}", _WEEKDAY.sub("", before)) and not _DAY_MONTH.match(text):  # 'Mobilität – 1. Workshop am 23.02.2022'
        title = re.split(r"\s+[–—-]\s+|:\s", before)[0].strip(" ,.–-") or base.title
    else:  # 'Dienstag, 11. Januar: Online-Workshop zur „Quartiersentwicklung“'
        title = _SEPARATOR.sub("", rest, count=1).strip(" .")
        if not title[:1].isalpha():  # '01.06.2022, 17 bis 20 Uhr, codeks, …': the line names only time and venue
            title = base.title
    future = published is not None and date.value > published.isoformat()
    status = "planned" if future or (published is None and base.status == "planned") else "held"
    found = text.find(title) if title != base.title else -1
    span = (block.start + found, block.start + found + len(title)) if found >= 0 else base.title_span
    return dataclasses.replace(base, date=date, status=status, status_span=(date.start, date.end), title=title,
                               title_span=span, speakers=[], date_voted=False)


def each_listed_day(drafts: list) -> list:
    """A draft dated by a list of days ('am 7., 9. und 14. Juni') is one event per day."""
    out = []
    for draft in drafts:
        out.append(draft)
        for value in draft.date.also if draft.date is not None else ():
            day = dataclasses.replace(draft.date, value=value, also=())
            out.append(dataclasses.replace(draft, date=day, speakers=[], date_voted=False))
        if draft.date is not None and draft.date.also:
            draft.date = dataclasses.replace(draft.date, also=())
    return out
