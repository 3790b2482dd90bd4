"""When a page was written: its publication line or dateline, else the year its weekday-named days fit.

A day without its year ('am 24. Januar') takes the year of the page it stands on (dates.yearless_day), so the
page's own date comes first: furniture ('Stand:', 'Veröffentlicht am', bylines), a dateline or a line that
only dates the page; a page that writes no year at all is dated by the weekdays of its days.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from graph.extraction.dates import (BYLINE, DATELINE_START, MONTH_NAME, MONTHS, WEEKDAY_BEFORE,
                                    WEEKDAYS, DateMention, find_dates)


# A press release's place with its day in brackets, the page's date: 'Baden-Baden (30.09.2019). In der vergangenen Woche …'.
PAREN_DATELINE_START = re.compile(r"^[A-ZÄÖÜ][\w./-]*(?:\s(?:am|an|im|in|ob|der|[A-ZÄÖÜ][\w./-]*)){0,4}\s\((?=[\d.\s]+\))")
# A day written with its weekday and without a year: 'Mittwoch, 19. November', 'Dienstag, den 8.2.'.
WEEKDAY_DAY = re.compile(r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r"),?\s*(?:den\s+)?(?P<day>\d{1,2})\.\s*(?:"
                         + MONTH_NAME + r"(?!\w)|(?P<number>\d{1,2})\.)(?!\.?\s*(?:19|20)\d{2}\b)(?!\d)", re.I)
# A day of the year falls on the same weekday again within eleven years, so a weekday narrows the year to one
# in eleven; announcements look at most a year ahead.
WEEKDAY_YEARS_BACK = 11
AHEAD = dt.timedelta(days=366)


def weekday_year(text: str, today: dt.date) -> int | None:
    """The year of a page that writes no year at all but names days with their weekdays (an invitation's
    'am Mittwoch, 19. November, von 17 bis 20 Uhr'; issue 12: eleven of the 224 development texts): the
    year in which most of those days fall on their weekday, the latest of those not more than a year after
    `today`. A steward drafts a report soon after it appears, so the latest fitting year is the likely one;
    an archive page from longer ago gets a wrong year, which its date's review entry lets the steward fix."""
    days = []
    for match in WEEKDAY_DAY.finditer(text):
        month = MONTHS[match.group("month").casefold().rstrip(".")] if match.group("month") else int(match.group("number"))
        days.append((WEEKDAYS[match.group("weekday").casefold()], int(match.group("day")), month))
    best: tuple[int, int] | None = None
    for year in range(today.year + 1, today.year - WEEKDAY_YEARS_BACK - 1, -1):
        fits = sum(1 for weekday, day, month in days if _falls_on(year, month, day, weekday, today + AHEAD))
        if fits and (best is None or fits > best[0]):
            best = (fits, year)
    return best[1] if best else None


def _falls_on(year: int, month: int, day: int, weekday: int, latest: dt.date) -> bool:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return False
    return date <= latest and date.weekday() == weekday


# A line of its own that dates the page rather than an event: '18.05.2017, 07:00 Uhr – Von Kristian Blasel',
# 'Aktuelles – 24.11.2022', 'Meldung vom 12.07.2023', '30.11.2022 · Ringelai', or a paragraph that opens with
# the day as a dateline ('[25.07.2019] Auf der …', '03.07.25 – In der Gemeinde …'). Press offices, blogs and
# newspapers write the day this way whatever their house style; a line that names an event ('BarCamp
# Wittenberge am 30. November 2019') dates the event instead.
META_LINE_MAX = 90
META_BEFORE = re.compile(r"(?:^|[–|·;,]|\b(?:Meldung|Artikel|Pressemitteilung|Beitrag|Nachricht|Terminaktualisierung)"
                         r"\s+vom)\W*$", re.I)
# An event's own line names its hours or venue ('Mittwoch, 16. Januar 2019, 18.00 Uhr', '4. März 2025 in
# Senftenberg', 'Wann? …'); a byline with hours ('18.05.2017, 07:00 Uhr – Von Kristian Blasel') still dates the page.
EVENT_DETAIL = re.compile(r"\bUhr\b|\bWann\b|\bin\s+[A-ZÄÖÜ]")
OPENING_DAY = re.compile(r"^\[?\s*(?P<date>\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}))\s*[\]:–|·-]")


def publication(texts: list[tuple], context_year: int | None, event_noun: re.Pattern | None = None
                ) -> DateMention | None:
    """The date mention that says when the page was published, from (text, furniture reason[, clean offset]) of
    the page's first blocks and its furniture; its role is 'publication', so it dates no event."""
    for text, reason, *start in texts:
        offset = start[0] if start else 0
        dateline = DATELINE_START.match(text) or PAREN_DATELINE_START.match(text)
        if dateline and WEEKDAY_BEFORE.search(dateline.group(0)):
            dateline = None  # 'Der Workshop findet am Sonnabend, 9. September …' dates the event
        if reason in ("published", "credit") or dateline:
            skip = dateline.end() if dateline and reason is None else 0
            for mention in find_dates(text[skip:skip + 60] if reason is None else text, 0, None, context_year):
                if mention.precision == 10 and (reason or mention.start == 0):
                    return _as_publication(mention, offset + skip)
        elif reason is None:
            mention = _meta_line(text, context_year, event_noun)
            if mention is not None:
                return _as_publication(mention, offset)
    return None


def _meta_line(text: str, context_year: int | None, event_noun: re.Pattern | None) -> DateMention | None:
    """The day of a line that only dates the page (see META_LINE_MAX), or None."""
    if len(re.findall(r"[·|]", text)) > 1:
        return None   # a table's row ('24. März 2022 | Mobilität | online'): its first cell dates an event
    opening = OPENING_DAY.match(text)
    cued = re.search(r"\b(?:Meldung|Artikel|Pressemitteilung|Beitrag|Nachricht|Terminaktualisierung)\s+vom\b", text)
    short = len(text) <= META_LINE_MAX and (cued or not (event_noun and event_noun.search(text))) and (
        BYLINE.search(text) or not EVENT_DETAIL.search(text))
    if not (opening or short):
        return None
    for mention in find_dates(text, 0, None, context_year):
        written = mention.precision == 10 and re.search(r"(19|20)?\d{2}\b", text[mention.start:mention.end][-4:])
        # A weekday names an event's day ('Samstag, 23. September 2023, Rathaus Gotha'), unless a byline follows.
        weekday = WEEKDAY_BEFORE.search(text[:mention.start]) and not BYLINE.search(text)
        if written and not mention.relative and (opening and mention.start == opening.start("date")
                                                 or short and not weekday and META_BEFORE.search(text[:mention.start])):
            return mention
    return None


@dataclass(frozen=True)
class GivenPublication:
    """A publication date the steward knows from outside the text (the page's header, its address, a search
    record): its first and last possible day and the value as precise as given."""

    first: dt.date
    last: dt.date
    value: str

    @property
    def day(self) -> dt.date | None:
        """The day, when it is known to the day: only then are 'gestern' or 'nächste Woche' resolved."""
        return self.first if self.first == self.last else None

    def places(self, event_value: str) -> str | None:
        """'held' or 'planned' for an event date ('YYYY[-MM[-DD]]') that lies wholly before or after the
        publication's period; None when the two overlap and the text's own cues must decide."""
        start, end = _period(event_value)
        if end < self.first:
            return "held"
        if start > self.last:
            return "planned"
        return None


def given_publication(value: str) -> GivenPublication:
    """A publication date written 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'.

    :raises ValueError: with a message for the steward, if the value is no such date or lies in the future.
    """
    try:
        first, last = _period(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is no date: write YYYY-MM-DD, YYYY-MM or YYYY") from None
    if first.year < 1990 or first > dt.date.today():
        raise ValueError(f"{value!r} cannot be a report's publication date (before 1990 or in the future)")
    return GivenPublication(first, last, value.strip())


# A publication date in a page's address, as blogs, CMS and press archives file their pages: '/2019/06/03/',
# '/2019/06/slug', '/2016-10-06-slug', '/pressearchiv/2019-09/slug', '/20180926/123'. Each starts a path segment
# and is followed by the page's own name: an address that ends with the date ('/2022/09/') is the archive of that
# month, listing pages of other days. A year alone ('/2019/') is not read: event series are filed by year, too.
ADDRESS_DATES = (re.compile(r"/((?:19|20)\d{2})/([01]\d)(?:/([0-3]\d))?(?=/|$)"),
                 re.compile(r"/((?:19|20)\d{2})-([01]\d)(?:-([0-3]\d))?(?=[/_.-]|$)"),
                 re.compile(r"/((?:19|20)\d{2})([01]\d)([0-3]\d)(?=/|$)"))


def address_publication(address: str | None) -> GivenPublication | None:
    """The publication date a page's address writes, to the day or the month; None when it writes none, or
    one that cannot be a publication date (an impossible day, one in the future)."""
    if not address:
        return None
    path = urlsplit(address).path
    found = [m for pattern in ADDRESS_DATES for m in pattern.finditer(path)]
    for match in sorted(found, key=lambda m: m.start()):
        if not path[match.end():].strip("/"):
            continue
        value = "-".join(part for part in match.groups() if part)
        try:
            return given_publication(value)
        except ValueError:
            continue
    return None


def _period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day of 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; ValueError for anything else."""
    match = re.fullmatch(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?", value)
    if match is None:
        raise ValueError(value)
    year = int(match.group("year"))
    if match.group("day"):
        day = dt.date(year, int(match.group("month")), int(match.group("day")))
        return day, day
    first_month, last_month = (int(match.group("month")),) * 2 if match.group("month") else (1, 12)
    first = dt.date(year, first_month, 1)
    return first, dt.date(year + last_month // 12, last_month % 12 + 1, 1) - dt.timedelta(days=1)


def _as_publication(mention: DateMention, offset: int) -> DateMention:
    return DateMention(mention.start + offset, mention.end + offset, mention.value, "publication")
