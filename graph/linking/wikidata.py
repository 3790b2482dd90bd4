"""A polite SPARQL client for the Wikidata Query Service (or any endpoint standing in for it).

SPARQLWrapper does the protocol; this module adds what the public service asks of clients:
a descriptive User-Agent, few and batched queries, a timeout per request, and retries with
backoff that honour 429/503 and their Retry-After header.
"""

from __future__ import annotations

import email.utils
import socket
import time
import urllib.error
from dataclasses import dataclass
from typing import Callable

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graph import __version__
from graph.errors import WikidataUnavailable
from graph.terms import string_literal
from graph.sparql import results

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = (f"Kommunalgraph/{__version__} (https://w3id.org/kommunalgraph/; links German municipalities "
              f"to Wikidata) SPARQLWrapper/2.0.0")
RETRY_STATUS = (429, 502, 503, 504)
PREFIXES = """\
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
"""


@dataclass
class ClientSettings:
    """How to talk to the endpoint."""

    endpoint: str = DEFAULT_ENDPOINT
    user_agent: str = USER_AGENT
    timeout: float = 60.0        # seconds per request (WDQS itself stops queries after 60 s)
    retries: int = 4             # further attempts after a 429, 5xx gateway error or timeout
    backoff: float = 2.0         # first wait in seconds without Retry-After; doubles each time
    max_wait: float = 120.0      # longest Retry-After we accept before giving up
    batch_size: int = 50         # values per VALUES block
    pause: float = 1.0           # seconds between two queries, to stay well below rate limits


class WikidataClient:
    """Runs SELECT queries against the endpoint and returns rows of plain strings."""

    def __init__(self, settings: ClientSettings | None = None, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings or ClientSettings()
        self.sleep = sleep
        self.requests = 0
        self.waited: list[float] = []
        self._last = 0.0

    def select(self, query: str, cells: bool = False) -> list[dict]:
        """The bindings of a SELECT query as {variable: value} (with `cells`: the SPARQL JSON
        term objects), retrying transient failures.

        :raises WikidataUnavailable: if the endpoint is unreachable, answers with an error, or
            still refuses after the retries.
        """
        settings = self.settings
        for attempt in range(settings.retries + 1):
            self._keep_pace()
            try:
                rows = self._select_once(PREFIXES + query)
                return rows if cells else [{name: cell["value"] for name, cell in row.items()} for row in rows]
            except urllib.error.HTTPError as exc:
                if exc.code not in RETRY_STATUS or attempt == settings.retries:
                    raise WikidataUnavailable(f"{settings.endpoint} answered HTTP {exc.code} {exc.reason}"
                                              f"{' after retries' if attempt else ''}") from None
                wait = _retry_after(exc.headers.get("Retry-After")) if exc.headers else None
                wait = settings.backoff * 2 ** attempt if wait is None else wait
                if wait > settings.max_wait:
                    raise WikidataUnavailable(f"{settings.endpoint} asks to wait {wait:.0f} s (HTTP {exc.code}); "
                                              f"try again later") from None
            except (TimeoutError, socket.timeout):
                if attempt == settings.retries:
                    raise WikidataUnavailable(f"{settings.endpoint} did not answer within {settings.timeout:g} s "
                                              f"({attempt + 1} attempts)") from None
                wait = settings.backoff * 2 ** attempt
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, (TimeoutError, socket.timeout)) and attempt < settings.retries:
                    wait = settings.backoff * 2 ** attempt
                else:
                    raise WikidataUnavailable(f"cannot reach {settings.endpoint}: {exc.reason}") from None
            except (SPARQLWrapperException, ValueError, OSError) as exc:
                raise WikidataUnavailable(f"{settings.endpoint} failed: {_first_line(exc)}") from None
            self.waited.append(wait)
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _select_once(self, query: str) -> list[dict[str, dict]]:
        self.requests += 1
        wrapper = SPARQLWrapper(self.settings.endpoint, agent=self.settings.user_agent)
        wrapper.setMethod(POST)           # VALUES batches can be longer than a URL may be
        wrapper.setOnlyConneg(True)       # no format=json parameters, the Accept header says it
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(int(max(1, self.settings.timeout)))
        wrapper.setQuery(query)
        response = wrapper.query().response
        media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip()
        body = response.read()
        if media_type not in ("application/sparql-results+json", "application/json"):
            raise ValueError(f"the answer is {media_type or 'untyped'}, not SPARQL JSON results")
        return results.bindings(body)

    def _keep_pace(self) -> None:
        gap = self.settings.pause - (time.monotonic() - self._last)
        if self._last and gap > 0:
            self.sleep(gap)
        self._last = time.monotonic()

    def batches(self, values: list) -> list[list]:
        """`values` cut into VALUES-sized batches."""
        size = max(1, self.settings.batch_size)
        return [values[i:i + size] for i in range(0, len(values), size)]


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date (RFC 9110, 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def literal(text: str, language: str | None = None) -> str:
    """A SPARQL string literal with escapes, for VALUES blocks."""
    return string_literal(text, language)


def qid(iri: str) -> str:
    """'Q64' from 'http://www.wikidata.org/entity/Q64'."""
    return iri.rsplit("/", 1)[-1]
