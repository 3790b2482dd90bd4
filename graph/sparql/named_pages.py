"""Which rows a named-query request gets, and where its neighbouring pages are (issue 13).

A page of a list that the build numbered (graph/build/pages.py) is read by its page literal, an index
lookup; the list's last page is one more than its boundaries. Anything else is the query cut with LIMIT
and OFFSET (graph/sparql/paging.py), whose last page is unknown without sorting the whole list.

A list's last page is read the first time a page of it is asked for and kept per store version: a version
never changes, and a gated write makes a new one. Without a version (a remote store) it is read per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from graph.build.pages import BOUNDARY, PAGE, context, list_node, literal
from graph.ns import SUMMARY_GRAPH
from graph.sparql import results
from graph.sparql.binding import write_terms
from graph.sparql.named_queries import NamedQuery, query_text
from graph.sparql.paging import Page
from graph.store.engine import QueryRequest
from graph.store.interface import Execute


@dataclass(frozen=True)
class Planned:
    """The text to run for a request, its page number (None: not a page) and the list's last page (None:
    unknown, the page is cut with LIMIT and OFFSET)."""

    text: str
    number: int | None = None
    last: int | None = None

    def neighbours(self) -> dict[str, int]:
        """The pages to link to (RFC 8288 relations): first, prev, next and last where they exist.
        Without a known last page `next` is always given; an empty page then ends the list."""
        if self.number is None:
            return {}
        links = {"first": 1}
        if self.number > 1:
            links["prev"] = min(self.number - 1, self.last) if self.last else self.number - 1
        if self.last is None or self.number < self.last:
            links["next"] = self.number + 1
        if self.last is not None:
            links["last"] = self.last
        return links


def page_list(query: NamedQuery, substitutions: tuple) -> tuple[str, str] | None:
    """(query name, context) of the numbered list these parameters choose, or None when the query has no
    page numbers for it (none declared, or more than one of its `by` parameters given)."""
    if query.pages is None:
        return None
    chosen = [(name, term) for name, term in substitutions if name in query.pages["by"]]
    if len(chosen) > 1:
        return None
    name, term = chosen[0] if chosen else (None, (None, None))
    return query.name, context(name, term[1])


# One lookup per list: whether the summary holds page numbers at all, and how many boundaries the list has
# (an index lookup; reading every list's boundaries at once took 60 ms at 10 M, in a cold server's first request).
_LAST_PAGE = f"""SELECT ?any (COUNT(?boundary) AS ?boundaries) WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{
  {{ SELECT ?any WHERE {{ ?any <{PAGE.value}> [] }} LIMIT 1 }}
  OPTIONAL {{ ?list <{BOUNDARY.value}> ?boundary }} }} }} GROUP BY ?any"""
_KEPT = 20_000   # lists remembered (all versions together); a national store has about 1,500
_last_pages: OrderedDict[tuple[str, str], int | None] = OrderedDict()
_last_pages_lock = threading.Lock()


def last_page(execute: Execute, version: str | None, query_name: str, list_context: str) -> int | None:
    """The last page of a numbered list (1 for a list with one page, or none), or None when the store holds no
    page numbers; read once per store version and list, or on every call when `version` is None."""
    node = list_node(query_name, list_context).value
    with _last_pages_lock:
        if version is not None and (version, node) in _last_pages:
            return _last_pages[(version, node)]
    request = QueryRequest(write_terms(_LAST_PAGE, (("list", ("iri", node)),)), index_lookup=True)
    rows = results.bindings(execute(request).body)
    last = int(rows[0]["boundaries"]["value"]) + 1 if rows else None
    if version is not None:
        with _last_pages_lock:
            _last_pages[(version, node)] = last
            while len(_last_pages) > _KEPT:
                _last_pages.popitem(last=False)
    return last


def forget_last_pages() -> None:
    """Forget every list's last page (bench/cold.py: raw runs start each round as cold as a fresh server)."""
    with _last_pages_lock:
        _last_pages.clear()


def plan(query: NamedQuery, substitutions: tuple, page: Page, execute: Execute,
         version: str | None = None) -> Planned:
    """The text the server runs for `page`: the summary page's rows by index where the store holds page
    numbers for this list, else the query cut with LIMIT and OFFSET. `version` names the store version that
    `execute` reads, unique across stores (its directory; None: unversioned, a remote store)."""
    numbered = page_list(query, substitutions) if page.number is not None else None
    if numbered is not None:
        last = last_page(execute, version, *numbered)
        if last is not None:   # a store built before page numbers, or a remote one, has none
            return Planned(query_text(query, substitutions, literal(*numbered, page.number)), page.number, last)
    return Planned(page.as_rows().apply(query_text(query, substitutions)), page.number)

