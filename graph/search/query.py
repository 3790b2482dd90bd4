"""Searching one index file: checked parameters in, ranked hits and facet counts out (issue 14)."""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import ParameterError, StoreError
from graph.search.analysis import key, match_expression
from graph.search.documents import KINDS

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
_WEIGHTS = "10.0, 4.0, 1.0, 0.5"   # bm25 weights of the columns label, names, body, parts
_LOOKUP_LIMIT = 3000


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
        """Ranked hits of one page and the facet counts of all hits."""
        expression = match_expression(request.text)
        if expression is None:
            return SearchResult(0)
        db = self._connection()
        where, params = "fts MATCH ?", [expression]
        for facet, value in request.filters:
            # A lookup per hit in the (doc, facet, value) index: the planner keeps the MATCH as the driver.
            where += " AND EXISTS (SELECT 1 FROM facets f WHERE f.doc = fts.rowid AND f.facet = ? AND f.value = ?)"
            params += [facet, value]
        db.execute("DROP TABLE IF EXISTS temp.hits")
        db.execute(f"CREATE TEMP TABLE hits AS SELECT fts.rowid AS doc, bm25(fts, {_WEIGHTS}) AS score "
                   f"FROM fts WHERE {where}", params)
        try:
            total = db.execute("SELECT COUNT(*) FROM temp.hits").fetchone()[0]
            wanted = key(request.text)
            rows = db.execute(
                "SELECT d.iri, d.kind, d.label, d.detail, h.score, "
                "CASE WHEN d.key = ? THEN 0 WHEN d.key LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END AS boost "
                "FROM temp.hits h JOIN docs d ON d.id = h.doc ORDER BY boost, h.score, d.label LIMIT ? OFFSET ?",
                (wanted, _like_prefix(wanted), request.limit, request.offset)).fetchall()
            # Few hits: look up each hit's facets (CROSS JOIN keeps that order); many: one pass over the
            # facet index beats that many lookups (measured with bench/search.py at 1 m triples).
            join = "CROSS JOIN" if total <= _LOOKUP_LIMIT else "JOIN"
            counts = db.execute(
                "SELECT c.facet, c.value, COALESCE(l.label, c.value), c.n FROM ("
                f"SELECT f.facet, f.value, COUNT(*) AS n FROM temp.hits h {join} facets f ON f.doc = h.doc "
                "GROUP BY f.facet, f.value) c LEFT JOIN facet_labels l ON l.facet = c.facet AND l.value = c.value "
                "ORDER BY c.facet, c.n DESC, c.value").fetchall()
        finally:
            db.execute("DROP TABLE IF EXISTS temp.hits")
        hits = [{"iri": iri, "type": kind, "label": label, "detail": detail, "score": round(-score, 3)}
                for iri, kind, label, detail, score, _ in rows]
        facets: dict[str, list[dict]] = {f: [] for f in FACETS}
        for facet, value, label, count in counts:
            facets[facet].append({"value": value, "label": label, "count": count})
        return SearchResult(total, hits, facets)

    def candidates(self, text: str, limit: int = 100) -> list[str]:
        """IRIs of the best hits for any word of `text`, for the reconciliation service to score."""
        expression = match_expression(text, any_word=True)
        if expression is None:
            return []
        rows = self._connection().execute(
            f"SELECT d.iri FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? "
            f"ORDER BY bm25(fts, {_WEIGHTS}) LIMIT ?", (expression, limit)).fetchall()
        return [iri for (iri,) in rows]

    def version(self) -> str:
        """The store version this index belongs to."""
        return self._connection().execute("SELECT value FROM meta WHERE name = 'version'").fetchone()[0]


def _like_prefix(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text) + "%"
