"""Pages of a named query's rows: `limit` and `offset`, or `page`, which every named query takes.

At national scale the full list of workshops is larger than a result may be (KG_MAX_RESULT_BYTES),
and a portal shows it page by page anyway. `limit` and `offset` cut the query's own ORDER BY with
SPARQL's LIMIT and OFFSET, so pages of one store version neither overlap nor leave rows out; the sort
still reads every row first. `page` (1, 2, …) reads a page the build numbered into the summary graph
(graph/build/pages.py) where the query declares them, an index lookup; elsewhere it is PAGE_SIZE rows
cut with LIMIT and OFFSET.

A query that declares page numbers (a list: workshops, speakers, municipalities) answers page 1 when the
request names none of the three, because its whole list is tens of thousands of rows at national scale:
seconds to sort and more than a result may be. `page=all` asks for the whole list anyway. Queries
without page numbers (counts, topics) answer all their rows unless asked for a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from graph.build.pages import PAGE_SIZE
from graph.errors import ParameterError

RESERVED = ("limit", "offset", "page")
MAX_LIMIT = 10_000
MAX_OFFSET = 100_000_000
MAX_PAGE = 1_000_000
ALL = "all"   # page=all: every row, as before lists were paged by default


@dataclass(frozen=True)
class Page:
    """Which rows to return: at most `limit` (None: all), after skipping `offset`; or page `number`."""

    limit: int | None = None
    offset: int = 0
    number: int | None = None

    def as_rows(self) -> "Page":
        """Page `number` as PAGE_SIZE rows cut from the ordered result (where no page numbers are derived)."""
        if self.number is None:
            return self
        return Page(PAGE_SIZE, (self.number - 1) * PAGE_SIZE)

    def apply(self, text: str) -> str:
        """The query text cut to this page (its solution modifiers come last in a SPARQL query)."""
        if self.limit is not None:
            text += f"\nLIMIT {self.limit}"
        if self.offset:
            text += f"\nOFFSET {self.offset}"
        return text


def page_of(arguments: Mapping[str, str], paged: bool = False) -> tuple[Page, dict[str, str]]:
    """The page the request asks for, and its other arguments (the query's own parameters). `paged`: the
    query is a list with page numbers, whose default is page 1.

    :raises ParameterError: if limit, offset or page is not a whole number in range (or page not 'all').
    """
    rest = {k: v for k, v in arguments.items() if k not in RESERVED}
    limit = _number(arguments, "limit", 1, MAX_LIMIT)
    offset = _number(arguments, "offset", 0, MAX_OFFSET)
    everything = arguments.get("page") == ALL
    number = None if everything else _number(arguments, "page", 1, MAX_PAGE)
    asked = number is not None or everything
    if asked and (limit is not None or offset is not None):
        raise ParameterError("ask for a page either with 'page' or with 'limit' and 'offset', not both", "page")
    if paged and not asked and limit is None and offset is None:
        number = 1
    return Page(limit, offset or 0, number), rest


def _number(arguments: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    value = arguments.get(name)
    if value is None or value == "":
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        also = f" or {ALL!r}" if name == "page" else ""
        raise ParameterError(f"parameter {name!r} must be a whole number from {low} to {high}{also}, "
                             f"not {value[:40]!r}", name)
    return int(value)
