"""German date expressions: absolute, partial, ranges and relative ones, with what each date is for."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from graph.extraction.relative_dates import MONTHS, WEEKDAYS, resolve

MONTH_NAME = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# Which one of a named month or year, counted from the publication date.
_WHICH = r"(?P<which>vergangenen|letzten|vorigen|kommenden|nächsten)"
NAMED_PERIODS = ("relyear", "relyearmonth", "relnamedmonth")
RELATIVE_KINDS = ("weekday", "relative", "relmonth", "week", "weekend") + NAMED_PERIODS
PATTERNS = [
    # 'am 7., 9. und 14. Juni': three days, each an event of a series (a range names one event's days)
    ("list", re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.\s*,\s*(?P<rest>(?:\d{1,2}\.\s*,\s*)*\d{1,2}\.\s*(?:und|sowie)\s*"
                        r"\d{1,2}\.)\s*" + MONTH_NAME + r"(?:\s+" + _YEAR + r")?", re.I)),
    # 'am 18. und am 25. August', 'am 7., am 9. und am 14. Juni': each day with its own 'am' is an event of its own
    ("list", re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.\s*(?P<rest>(?:,\s*am\s+\d{1,2}\.\s*)*(?:,\s*)?(?:und|sowie)\s+am\s+"
                        r"\d{1,2}\.)\s*" + MONTH_NAME + r"(?:\s+" + _YEAR + r")?", re.I)),
    ("range", re.compile(r"(?:vom\s+)?(?P<day>\d{1,2})\.\s*(?:bis(?:\s+zum)?|–|-|und|/)\s*(?P<endday>\d{1,2})\.\s*" + MONTH_NAME
                         + r"(?:\s+" + _YEAR + r")?", re.I)),
    ("range", re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.\s*[–/-]\s*(?P<endday>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})")),
    # 'vom 05.09. bis 05.10.2022': the year stands once, at the end
    ("range", re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.\s*(?:bis(?:\s+zum)?|–|-)\s*"
                         r"(?P<endday>\d{1,2})\.(?P<endmonth>\d{1,2})\.(?P<year>\d{4})")),
    ("numeric", re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})(?![\d])")),
    ("day", re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.\s*" + MONTH_NAME + r"(?:\s+" + _YEAR + r")?", re.I)),
    # A day written in figures without its year ('am 18.6.', 'Samstag, 4.3.', '(29.3.)'): only after a word that
    # introduces a day, so a section number ('2.3. Ziele') or a version stays out.
    ("shortday", re.compile(r"(?:(?<=\b[Aa]m )|(?<=\b[Vv]om )|(?<=\b[Bb]is )|(?<=\b[Aa]b )|(?<=\bden )|(?<=\bzum )|"
                            r"(?<=\()|(?<=, ))(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?![\d.])")),
    # A month or a year named from the publication's point of view: 'Anfang August des vergangenen Jahres',
    # 'die Zukunftswerkstatt im vergangenen September', 'sollen im kommenden Jahr in Workshops …'.
    ("relyearmonth", re.compile(r"\b(?:(?:Anfang|Mitte|Ende)\s+)?" + MONTH_NAME + r"\s+des\s+" + _WHICH + r"\s+Jahres\b", re.I)),
    ("relnamedmonth", re.compile(r"\b" + _WHICH + r"\s+" + MONTH_NAME + r"(?![\w])", re.I)),
    ("relyear", re.compile(r"\b" + _WHICH + r"\s+Jahr(?:es)?(?![\w])", re.I)),
    ("part", re.compile(r"\b(?P<part>Anfang|Mitte|Ende)\s+" + MONTH_NAME + r"(?:\s+" + _YEAR + r")?", re.I)),
    ("month", re.compile(r"\b" + MONTH_NAME + r"\s+" + _YEAR, re.I)),
    # A month without its year takes the page's ('Beim nächsten Treffen im Mai'). Until session 43 the month's name
    # was matched in lower case only, so this never matched; 'bis Mai', 'seit Mai' and 'ab Mai' stay out (a deadline
    # or a background, which the roles below read before the match, not inside it).
    ("month", re.compile(r"\b(?:im|Im)\s+(?i:" + MONTH_NAME + r")(?![\w])")),
    ("year", re.compile(r"(?<![\d.,])" + _YEAR + r"(?![\d.,]\d)")),
    # 'jeden (zweiten) Samstag', 'am ersten Montag im Monat' repeat: they name no day.
    ("weekday", re.compile(r"\b(?:am\s+)?(?P<which>vergangenen|letzten|kommenden|nächsten)?\s*"
                           r"(?<!\bjeden\s)(?<!\bjedem\s)(?<!\bersten\s)(?<!\bzweiten\s)(?<!\bdritten\s)(?<!\bvierten\s)"
                           r"(?P<weekday>"
                           + "|".join(WEEKDAYS) + r")\b(?!\s*,?\s*\d)(?:\s+der\s+(?P<week>vergangenen|letzten|vorigen|"
                           r"kommenden|nächsten)\s+Woche\b)?", re.I)),
    # A week or weekend named from the publication's day: 'in dieser Woche', 'zu Beginn der vergangenen Woche',
    # 'am vergangenen Wochenende' (relative_dates.py).
    ("week", re.compile(r"\b(?:(?P<part>Anfang|Ende|Beginn)\s+)?(?P<which>dieser|(?:der\s+)?(?:vergangenen|"
                        r"letzten|vorigen|kommenden|nächsten)|vergangene|letzte|vorige|kommende|nächste)\s+Woche\b", re.I)),
    ("weekend", re.compile(r"\b(?:am|übers|über das)\s+(?:(?P<which>vergangenen|letzten|vorigen|kommenden|nächsten)\s+)?"
                           r"Wochenende\b", re.I)),
    # 'die Jugend von heute', 'die Stadt von morgen', 'bis heute' name no day; nor does the 'heute' of nowadays
    # ('kommuniziert werde heute vor allem digital', 'heute längst', 'heute zunehmend').
    # Nor do 'heute und morgen', 'gestern und heute' ('die Herausforderungen von heute und morgen').
    ("relative", re.compile(r"(?<!\bvon\s)(?<!\bbis\s)(?<!\bheute\sund\s)(?<!\bgestern\sund\s)"
                            r"\b(?P<rel>vorgestern|gestern|heute|morgen|übermorgen"
                            r"|vor\s+\w+\s+(?:Tagen|Wochen))\b(?!\s+(?:vor\s+allem|meist(?:ens)?|oft|häufig|überwiegend"
                            r"|längst|kaum|zunehmend|immer\s+mehr|selbstverständlich|und\s+(?:morgen|heute))\b)", re.I)),
    ("relmonth", re.compile(r"\b(?P<which>nächsten|kommenden|vergangenen|letzten|im nächsten|im vergangenen)\s+Monat",
                            re.I)),
]
# A year that a chronicle's entry opens with or a fact box names ('2016 – Auf einer Klausur …', 'Jahr: 2021').
YEAR_LABEL = re.compile(r"^\W*(?:19|20)\d{2}\W*\s[–—-]|\b(?:Jahr|Zeitraum)\W?:\W*(?:19|20)\d{2}")
DEADLINE = re.compile(r"(bis\s+(zum|spätestens)?|spätestens|Anmeldeschluss|Anmeldung|Frist|Einsendeschluss)"
                      r"[\w\s:,]{0,25}$", re.I)
BACKGROUND = re.compile(r"\b(seit|bis|ab)\s+(dem\s+|Jahr\s+)?$", re.I)
DATELINE = re.compile(r"^(?!(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)\b)"
                      r"[A-ZÄÖÜ][\w .()/-]{1,40},\s*(?:den\s+)?$")
DATELINE_START = re.compile(DATELINE.pattern.rstrip("$"))
# The page's own dates, and those of its later additions ('UPDATE – 10.09.20:', 'Nachtrag vom 3. Mai', 'aktualisiert
# am'): none of them is an event's day.
PUBLICATION = re.compile(r"(Stand|Veröffentlicht|veröffentlicht|Erschienen|Datum|UPDATE|Update|Nachtrag|[Aa]ktualisiert"
                         r"|Aktualisierung)\W{0,3}\s*(am|vom|:|–|-)?\s*$")

# After a dated line's opening date: its author, publisher or press office ('18. Mai 2018 · Ein Beitrag von …',
# '23.6.2022 | Pressestelle', '12. Oktober 2016 von Klaus Kohnen'). Not 'am 5. Mai von 10 bis 16 Uhr'.
BYLINE = re.compile(r"\b[Vv]on\s+[A-ZÄÖÜ][a-zäöüß]+\s+[A-ZÄÖÜ]")   # a credit: 'von Kristian Blasel'
BYLINE_AFTER = re.compile(r"\s*(?:[·|]|" + BYLINE.pattern + ")")
BYLINE_LENGTH = 80


def _byline(text: str, match: re.Match) -> bool:
    """True for a date with its year that opens a short line of one credit: the page's date, not an event's.
    A programme's line has no year ('16. März | Sorgende Nachbarschaften'), a table's row more cells."""
    rest = text[match.end():]
    return (not text[:match.start()].strip() and len(text.strip()) <= BYLINE_LENGTH
            and bool(re.search(r"\d{4}|\.\d{2}$", match.group(0))) and bool(BYLINE_AFTER.match(rest))
            and len(re.findall(r"[·|]", rest)) <= 1)


@dataclass
class DateMention:
    """A date in the text: clean offsets, value (YYYY, YYYY-MM, YYYY-MM-DD) and role."""

    start: int
    end: int
    value: str
    role: str = "event"          # event, deadline, background, publication, horizon, period
    relative: bool = False
    also: tuple[str, ...] = ()   # the other days of a list ('am 7., 9. und 14. Juni')

    @property
    def precision(self) -> int:
        """4 for a year, 7 for a month, 10 for a day."""
        return len(self.value)


def find_dates(text: str, offset: int, reference: dt.date | None, context_year: int | None) -> list[DateMention]:
    """Date mentions of `text` (clean offsets shifted by `offset`), relative ones resolved against `reference`."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            value = _value(kind, match, reference, context_year, text[max(0, match.start() - 24):match.start()])
            if value is None:
                continue
            taken.append((match.start(), match.end()))
            before = text[max(0, match.start() - 40):match.start()]
            role = "event"
            if kind == "year" and _horizon(int(value), text[match.end():match.end() + 1], reference, context_year):
                role = "horizon"
            elif DEADLINE.search(before):
                role = "deadline"
            elif BACKGROUND.search(before) and kind in ("year", "month") + NAMED_PERIODS:
                role = "background"
            elif (PUBLICATION.search(before) or (DATELINE.match(before) and not WEEKDAY_BEFORE.search(before))
                  or _byline(text, match)):
                role = "publication"
            elif kind == "range" and _longer_than_an_event(value, match):
                role = "period"
            also = tuple(f"{value[:8]}{int(day):02d}" for day in re.findall(r"\d{1,2}", match.group("rest"))
                         if _is_day(value[:8], int(day))) if kind == "list" and len(value) == 10 else ()
            found.append(DateMention(offset + match.start(), offset + match.end(), value, role,
                                     kind in RELATIVE_KINDS, also))
    return _join_listed_days(sorted(found, key=lambda d: d.start), text, offset)


# Between the days of a list written out in full: 'am 5.12.2023, am 12.12.2023 und am 16.01.2024'.
LISTED_DAY_GAP = re.compile(r"\s*(?:,\s*|\s(?:und|sowie)\s+)(?:(?:und|sowie)\s+)?am\s+$", re.I)


def _join_listed_days(found: list[DateMention], text: str, offset: int) -> list[DateMention]:
    """Days written out one by one, each with its own 'am', are a list like 'am 7., 9. und 14. Juni': the first
    mention keeps the others as `also` (one event per day, schedule.each_listed_day)."""
    out: list[DateMention] = []
    previous_end = None   # where the list's last day ends: the next day's gap is read from there
    for mention in found:
        last = out[-1] if out else None
        if (last is not None and last.role == mention.role == "event" and last.precision == mention.precision == 10
                and not last.relative and not mention.relative and mention.value != last.value
                and LISTED_DAY_GAP.fullmatch(text[previous_end - offset:mention.start - offset])):
            out[-1] = dataclasses.replace(last, also=last.also + (mention.value,) + mention.also)
        else:
            out.append(mention)
        previous_end = mention.end
    return out


# A workshop, conference or Digitaltag lasts a few days; 'vom 05.09. bis 05.10.2022' is a time to take part
# online or to hand in proposals, not an event's days.
EVENT_DAYS_MAX = 14


def _longer_than_an_event(value: str, match: re.Match) -> bool:
    """Whether the range `match` (its first day `value`) spans more days than an event lasts."""
    if len(value) != 10:
        return False
    first = dt.date.fromisoformat(value)
    end_month = int(match.group("endmonth")) if match.groupdict().get("endmonth") else first.month
    try:
        last = dt.date(first.year + (end_month < first.month), end_month, int(match.group("endday")))
    except ValueError:
        return False
    return (last - first).days > EVENT_DAYS_MAX


def _is_day(year_month: str, day: int) -> bool:
    try:
        dt.date(int(year_month[:4]), int(year_month[5:7]), day)
    except ValueError:
        return False
    return True


def _horizon(year: int, after: str, reference: dt.date | None, context_year: int | None) -> bool:
    """A bare year that names a goal, not a day of work: 'ViWo 2030+', 'Zukunftswerkstatt Dresden 2030' on a
    page of 2017 (more than a year after the publication or the page's year)."""
    now = reference.year if reference else context_year
    return after == "+" or (now is not None and year > now + 1)


def _value(kind: str, match: re.Match, reference: dt.date | None, context_year: int | None,
           before: str = "") -> str | None:
    groups = match.groupdict()
    if kind in NAMED_PERIODS and reference is None and context_year is not None:
        # Without a publication date, a named month or year counts from the middle of the page's year, as a
        # day without its year does (yearless_day).
        return resolve(kind, groups, dt.date(context_year, 7, 1))
    if kind in RELATIVE_KINDS:
        return resolve(kind, groups, reference)
    year = groups.get("year")
    if year and len(year) == 2:
        year = "20" + year
    if year:
        year = int(year)
    elif kind in ("day", "range", "list", "shortday") and (reference or context_year):
        month_text = groups["month"]
        month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.casefold().rstrip("."))
        return yearless_day(int(groups["day"]), month, before, reference, context_year)
    else:
        year = reference.year if reference else context_year
    if year is None or not 1990 <= year <= 2099:
        return None
    if kind == "year":
        return f"{year:04d}"
    month_text = groups["month"]
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.casefold().rstrip("."))
    if not month or not 1 <= month <= 12:
        return None
    if kind in ("month", "part") or not groups.get("day"):
        return f"{year:04d}-{month:02d}"
    if groups.get("endmonth") and int(groups["endmonth"]) < month:
        year -= 1   # 'vom 28.12. bis 3.1.2024': the year written is the last day's
    try:
        return dt.date(year, month, int(groups["day"])).isoformat()
    except ValueError:
        return None


YEAR_HOLDS_DAYS = 270
# A weekday, also with its time of day ('Samstagnachmittag, 25. Juni'): the day of an event, not a dateline.
WEEKDAY_BEFORE = re.compile(r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")"
                            r"(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?,?\s*(?:den\s+)?$", re.I)


def yearless_day(day_of_month: int, month: int | None, before: str, reference: dt.date | None,
                 context_year: int | None) -> str | None:
    """A day and month without a year: the year that puts it nearest the publication date (an
    announcement of 12 December names 'am 24. Januar' of the next year) and that agrees with a weekday
    written before it ('Dienstag, 30. Januar'), which decides the year on its own when only one fits."""
    if month is None or (reference is None and context_year is None):
        return None
    anchor = reference or dt.date(context_year, 7, 1)
    weekday = WEEKDAY_BEFORE.search(before)
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            day = dt.date(year, month, day_of_month)
        except ValueError:
            continue
        fits = weekday is None or day.weekday() == WEEKDAYS[weekday.group("weekday").casefold()]
        # The publication year holds unless the day would lie more than nine months from the publication;
        # without a publication date only the context year counts, unless a weekday says otherwise.
        distance = abs((day - anchor).days)
        if reference is None:
            near = abs(year - anchor.year)
        else:
            near = 0 if year == anchor.year and distance <= YEAR_HOLDS_DAYS else distance
        candidates.append((not fits, near, day))
    return min(candidates)[2].isoformat() if candidates else None
