"""Dates of records as typed literals, at the precision the record gives them."""

from __future__ import annotations

from rdflib import XSD, Literal

# A record dates to the year, the month or the day, as far as its report says; the datatype keeps
# that precision rather than inventing a first of January (graph/build/roles.py compares at it).
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def date_literal(value: str) -> Literal:
    """'2022', '2022-05' or '2022-05-11' as xsd:gYear, xsd:gYearMonth or xsd:date."""
    return Literal(value, datatype=DATE_TYPES[len(value)])
