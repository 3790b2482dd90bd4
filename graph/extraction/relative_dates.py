"""Dates named from the publication's day ('am vergangenen Samstag', 'im kommenden Jahr', 'in dieser Woche'),
and the calendar words they are written with."""

from __future__ import annotations

import datetime as dt

import dateparser

MONTHS = {"januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "mai": 5, "juni": 6,
          "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
          "jan": 1, "feb": 2, "mär": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "okt": 10,
          "nov": 11, "dez": 12}
WEEKDAYS = {"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
            "sonnabend": 5, "sonntag": 6}


def resolve(kind: str, groups: dict, reference: dt.date | None) -> str | None:
    """The value ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD') of a date named from `reference`, the publication's day."""
    if reference is None:
        return None
    which = (groups.get("which") or "").casefold()
    step = 1 if "nächst" in which or "kommend" in which else -1
    if kind == "relyear":
        return f"{reference.year + step:04d}"
    if kind == "relyearmonth":
        return f"{reference.year + step:04d}-{MONTHS[groups['month'].casefold().rstrip('.')]:02d}"
    if kind == "relnamedmonth":  # the last such month before the publication's, or the next one after it
        month = MONTHS[groups["month"].casefold().rstrip(".")]
        this_year = month > reference.month if step > 0 else month < reference.month
        return f"{reference.year + (0 if this_year else step):04d}-{month:02d}"
    if kind == "relmonth":
        month = reference.month + step
        year = reference.year + (month - 1) // 12
        return f"{year:04d}-{(month - 1) % 12 + 1:02d}"
    if kind == "week":
        return _week(groups, reference, 0 if "dies" in which else step)
    if kind == "weekend":  # its first day, the Saturday: the last one before the publication, or the next one
        days = ((5 - reference.weekday()) % 7 or 7) if step > 0 else -((reference.weekday() - 5) % 7 or 7)
        return (reference + dt.timedelta(days=days)).isoformat()
    if kind == "weekday":
        target = WEEKDAYS[groups["weekday"].casefold()]
        if groups.get("week"):  # 'am Dienstag der vergangenen Woche'
            week = 1 if groups["week"].casefold() in ("kommenden", "nächsten") else -1
            return (reference + dt.timedelta(days=target - reference.weekday(), weeks=week)).isoformat()
        if which in ("kommenden", "nächsten"):
            days = (target - reference.weekday()) % 7 or 7
            return (reference + dt.timedelta(days=days)).isoformat()
        days = (reference.weekday() - target) % 7 or 7
        return (reference - dt.timedelta(days=days)).isoformat()
    base = dt.datetime.combine(reference, dt.time(12))
    parsed = dateparser.parse(groups["rel"], languages=["de"], settings={"RELATIVE_BASE": base})
    return parsed.date().isoformat() if parsed else None


def _week(groups: dict, reference: dt.date, step: int) -> str | None:
    """A week names no day: its month ('in dieser Woche' in a report of Thursday, 18 May: '…-05'), as the
    guidelines date an event 'as precise as the text'. A week across two months is its first or last days' month
    when the text says 'Anfang' or 'Ende', else only its year."""
    monday = reference - dt.timedelta(days=reference.weekday()) + dt.timedelta(weeks=step)
    sunday = monday + dt.timedelta(days=6)
    part = (groups.get("part") or "").casefold()
    if monday.month == sunday.month or part in ("anfang", "beginn"):
        return f"{monday.year:04d}-{monday.month:02d}"
    if part == "ende":
        return f"{sunday.year:04d}-{sunday.month:02d}"
    return f"{monday.year:04d}" if monday.year == sunday.year else None
