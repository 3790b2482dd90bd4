"""Searching one index file: checked parameters in, ranked hits and facet counts out (issue 14)."""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from graph.errors import ParameterError, StoreError
from graph.search.analysis import key, match_expression
from graph.search.documents import KINDS
from graph.search.facet_counts import FacetTable
from graph.search.ranking import WEIGHTS, rank

MAX_QUERY_CHARS = 200
MAX_LIMIT = 100
FACETS = ("type", "state", "year", "topic")
# What a facet value looks like; anything else is a client error, not an empty result.
_FACET_VALUE = {
    "type": re.compile("^(" + "|".join(KINDS) + ")$"),
    "state": re.compile(r"^(0[1-9]|1[0-6])$"),
    "year": re.compile(r"^(1[89]|2[0-9])[0-9]{2}$"),
    "topic": re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$"),
}


@dataclass(frozen=True)
class SearchRequest:
    """A checked search: the text, facet filters ({facet: value}), and the page wanted."""

    text: str
    filters: tuple[tuple[str, str], ...] = ()
    limit: int = 20
    offset: int = 0


@dataclass
class SearchResult:
    """Hits of one page, the total number of hits, and the facet counts over all hits."""

    total: int
    hits: list[dict] = field(default_factory=list)
    facets: dict[str, list[dict]] = field(default_factory=dict)


def parse_request(args) -> SearchRequest:
    """A SearchRequest from request parameters (a mapping of str to str).

    :raises ParameterError: if `q` is missing, empty or too long, a facet value is malformed,
        or `limit`/`offset` are not small non-negative integers.
    """
    text = (args.get("q") or "").strip()
    if not text:
        raise ParameterError("'q' is required: the words to search for", "q")
    if len(text) > MAX_QUERY_CHARS:
        raise ParameterError(f"'q' has {len(text)} characters; at most {MAX_QUERY_CHARS}", "q")
    if match_expression(text) is None:
        raise ParameterError("'q' has no letters or digits to search for", "q")
    filters = []
    for facet in FACETS:
        value = args.get(facet)
        if value is None or value == "":
            continue
        if not _FACET_VALUE[facet].match(value):
            raise ParameterError(f"'{facet}' is not a valid {facet} value: {value[:40]!r}", facet)
        filters.append((facet, value))
    return SearchRequest(text, tuple(filters), _integer(args, "limit", 20, 1, MAX_LIMIT),
                         _integer(args, "offset", 0, 0, 10_000))


def _integer(args, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ParameterError(f"'{name}' must be an integer from {low} to {high}, not {raw[:20]!r}", name)
    return int(raw)


class SearchIndex:
    """One index file opened read-only; safe to share between threads (one connection each)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._facet_table: FacetTable | None = None
        self._labels: dict[tuple[str, str], str] | None = None
        self._connection()  # fail now, not at the first search, if the file is unusable

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                             check_same_thread=False)
                # Hit lists live in memory, and the file is read through the page cache (mmap).
                connection.executescript("PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 268435456; "
                                         "PRAGMA cache_size = -65536;")
                connection.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the search index {self.path}: {exc}") from None
            self._local.connection = connection
        return connection

    def search(self, request: SearchRequest) -> SearchResult:
        """Ranked hits of one page and the facet counts of all hits.

        The match gives the ids of all hits (FTS5 reads its doclists, nothing else); filters and
        facet counts work on those ids in memory (graph/search/facet_counts.py); only the page is
        ranked in SQL, so the cost of a broad word is one pass over its ids, not a score, a join
        and a group per hit.
        """
        expression = match_expression(request.text)
        if expression is None:
            return SearchResult(0)
        db = self._connection()
        rows = db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expression,)).fetchall()
        docs = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        table = self._facets()
        for facet, value in request.filters:
            docs = table.having(docs, facet, value)
        hits = self._page(db, expression, docs, request) if len(docs) else []
        labels = self._facet_labels()
        facets: dict[str, list[dict]] = {f: [] for f in FACETS}
        for facet, values in table.count(docs).items():
            facets[facet] = [{"value": value, "label": labels.get((facet, value), value), "count": count}
                             for value, count in values]
        return SearchResult(len(docs), hits, facets)

    @staticmethod
    def _page(db: sqlite3.Connection, expression: str, docs: np.ndarray, request: SearchRequest) -> list[dict]:
        """The hits of the requested page, in the order of graph/search/ranking.py."""
        needed = request.offset + request.limit
        ranked = rank(db, expression, key(request.text), docs, request.filters, needed)
        chosen = sorted(ranked)[:needed + 8]   # a few more, so ties at the page's end are ordered by label
        rows = {row[0]: row for row in db.execute(
            f"SELECT id, iri, kind, label, detail FROM docs WHERE id IN ({','.join('?' * len(chosen))})",
            [doc for _, _, doc in chosen])} if chosen else {}
        page = sorted((b, score, rows[doc][3], doc) for b, score, doc in chosen)[request.offset:needed]
        return [{"iri": rows[doc][1], "type": rows[doc][2], "label": rows[doc][3], "detail": rows[doc][4],
                 "score": round(-score, 3)} for _, score, _, doc in page]

    def _facets(self) -> FacetTable:
        """The facet arrays of this index, read once per index."""
        with self._lock:
            if self._facet_table is None:
                self._facet_table = FacetTable.read(self._connection())
            return self._facet_table

    def _facet_labels(self) -> dict[tuple[str, str], str]:
        with self._lock:
            if self._labels is None:
                self._labels = {(f, v): label for f, v, label in
                                self._connection().execute("SELECT facet, value, label FROM facet_labels")}
            return self._labels

    def candidates(self, text: str, limit: int = 100) -> list[str]:
        """IRIs of the best hits for any word of `text`, for the reconciliation service to score."""
        expression = match_expression(text, any_word=True)
        if expression is None:
            return []
        rows = self._connection().execute(
            f"SELECT d.iri FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? "
            f"ORDER BY bm25(fts, {WEIGHTS}) LIMIT ?", (expression, limit)).fetchall()
        return [iri for (iri,) in rows]

    def version(self) -> str:
        """The store version this index belongs to."""
        return self._connection().execute("SELECT value FROM meta WHERE name = 'version'").fetchone()[0]
