"""Pages of a named query's rows: `limit` and `offset`, which every named query takes.

At national scale the full list of workshops is larger than a result may be (KG_MAX_RESULT_BYTES),
and a portal shows it page by page anyway. The page is the query's own ORDER BY cut with SPARQL's
LIMIT and OFFSET, so pages of one store version neither overlap nor leave rows out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from graph.errors import ParameterError

RESERVED = ("limit", "offset")
MAX_LIMIT = 10_000
MAX_OFFSET = 100_000_000


@dataclass(frozen=True)
class Page:
    """Which rows to return: at most `limit` (None: all), after skipping `offset`."""

    limit: int | None = None
    offset: int = 0

    def apply(self, text: str) -> str:
        """The query text cut to this page (its solution modifiers come last in a SPARQL query)."""
        if self.limit is not None:
            text += f"\nLIMIT {self.limit}"
        if self.offset:
            text += f"\nOFFSET {self.offset}"
        return text


def page_of(arguments: Mapping[str, str]) -> tuple[Page, dict[str, str]]:
    """The page the request asks for, and its other arguments (the query's own parameters).

    :raises ParameterError: if limit or offset is not a whole number in range.
    """
    rest = {k: v for k, v in arguments.items() if k not in RESERVED}
    limit = _number(arguments, "limit", 1, MAX_LIMIT)
    offset = _number(arguments, "offset", 0, MAX_OFFSET)
    return Page(limit, offset or 0), rest


def _number(arguments: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    value = arguments.get(name)
    if value is None or value == "":
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise ParameterError(f"parameter {name!r} must be a whole number from {low} to {high}, not {value[:40]!r}",
                             name)
    return int(value)
