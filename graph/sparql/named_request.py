"""A named-query request as one job: bind the parameters, plan the page, run the query (issue 13).

Binding looks parameter labels up in the store and planning may read a list's last page, so a request
made of separate queries is two or three round trips to a query worker, each a hand-over between
processes. Sent whole, the worker does all of it next to the store in one round trip (the embedded pool,
graph/store/pool.py); an engine without workers runs it in-process with its own `query`. A cache keys
the answer by the request itself, so a hit needs no lookup at all (graph/store/cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
from graph.sparql.named_pages import Planned, plan
from graph.sparql.named_queries import NamedQuery, bind
from graph.sparql.paging import Page
from graph.store.engine import QueryRequest, QueryResult
from graph.store.interface import Execute


@dataclass(frozen=True)
class NamedAnswer:
    """The result of a named-query request and the page it answered (for the Link header)."""

    result: QueryResult
    planned: Planned

    @property
    def body(self) -> bytes:
        """The serialised result (what a cache counts)."""
        return self.result.body


@dataclass(frozen=True)
class NamedRequest:
    """A named query with the client's arguments (the query's own parameters, as given), its page and the
    formats it accepts; `max_bytes` caps the result as QueryRequest's does."""

    query: NamedQuery
    arguments: tuple[tuple[str, str], ...]
    page: Page
    result_types: tuple[str, ...] = ("application/sparql-results+json",)
    graph_types: tuple[str, ...] = ("text/turtle",)
    max_bytes: int | None = None

    def run(self, execute: Execute, version: str | None) -> NamedAnswer:
        """Bind, plan and run with `execute` on store version `version` (None: unversioned, a remote store).

        :raises ParameterError: for an unknown, missing or malformed parameter, or a label nothing has.
        """
        substitutions = bind(self.query, dict(self.arguments), execute)
        planned = plan(self.query, substitutions, self.page, execute, version)
        # A page read by its number is an index lookup; one cut with LIMIT and OFFSET sorts the whole list.
        result = execute(QueryRequest(planned.text, result_types=self.result_types, graph_types=self.graph_types,
                                      substitutions=substitutions, max_bytes=self.max_bytes,
                                      index_lookup=planned.last is not None))
        return NamedAnswer(result, planned)

    @property
    def text(self) -> str:
        """The query's text (a cache refuses volatile functions in it, as in any query)."""
        return self.query.text

    def shape(self) -> tuple:
        """What shapes the answer on one store version (a cache's key): the answer is a function of these."""
        # Only the first accepted format of each kind shapes an answer (graph/store/engine.py).
        return ("named", self.query.name, self.query.text, self.arguments, self.page, self.result_types[:1],
                self.graph_types[:1], self.max_bytes)


def default_requests(queries: dict[str, NamedQuery]) -> list[NamedRequest]:
    """Each named query with its default parameters (a list's first page), as a client that accepts anything
    asks for it (what the server warms into its cache, issue 6); queries that need a parameter are left out."""
    requests = []
    for query in queries.values():
        if any(p.required and not p.default for p in query.parameters.values()):
            continue
        page = Page(number=1) if query.pages is not None else Page()
        requests.append(NamedRequest(query, (), page, tuple(RESULT_FORMATS)[:1], tuple(GRAPH_FORMATS)[:1]))
    return requests

