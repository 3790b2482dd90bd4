"""The order of one page of search hits (issue 14: search at 10 M triples).

Labels equal to the query come first (boost 0), then labels that start with it (boost 1), then the
rest (boost 2); within each, by bm25 and then by label. bm25 comes from FTS5's ranked stream
(`ORDER BY score LIMIT n`), which scores every hit whatever n is: the first window (the page and a
little more) settles most pages; otherwise the whole stream is read once. Asking FTS5 for the
score of given rowids is no way out: it runs the whole match once per rowid (1–10 ms each at 10 M
triples), so that is done only for a few boosted hits deep in the stream, when it is cheaper.

Which hits are boosted comes from an index range on the label key: complete up to _BOOST_LIMIT
labels; beyond that (a short prefix while typing) the stream's hits are looked up by key.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

WEIGHTS = "10.0, 4.0, 1.0, 0.5"   # bm25 weights of the columns label, names, body, parts
_BOOST_LIMIT = 5000
# Measured at 10 M triples (bench/search.py): bm25 of one hit in the stream, and of one hit by rowid.
_MS_PER_HIT, _MS_PER_ROWID = 0.0025, 5.0
_WINDOW_EXTRA = 32
_LOOKUP_CHUNK = 500


@dataclass
class Boosts:
    """The boosted hits known from the label key index, and whether those are all of them."""

    wanted: str
    known: dict[int, int]
    complete: bool

    @classmethod
    def find(cls, db: sqlite3.Connection, wanted: str, docs: np.ndarray) -> "Boosts":
        """The hits among `docs` whose label key equals `wanted` or starts with it."""
        if not wanted:
            return cls(wanted, {}, True)
        found = dict(db.execute("SELECT id, CASE WHEN key = ? THEN 0 ELSE 1 END FROM docs WHERE key >= ? AND key < ? "
                                "ORDER BY key LIMIT ?", (wanted, wanted, wanted + "\U0010ffff", _BOOST_LIMIT + 1)))
        complete = len(found) <= _BOOST_LIMIT
        ids = np.fromiter(found, dtype=np.int64, count=len(found))
        return cls(wanted, {doc: found[doc] for doc in ids[np.isin(ids, docs)].tolist()}, complete)

    @property
    def exact(self) -> int:
        """How many labels equal the query."""
        return sum(1 for level in self.known.values() if level == 0)

    @property
    def prefix(self) -> float:
        """How many prefix labels there are (infinite when more than the index range gave)."""
        return len(self.known) - self.exact if self.complete else float("inf")

    def levels(self, db: sqlite3.Connection, docs: list[int]) -> dict[int, int]:
        """The boost of each of `docs` (2 for the rest)."""
        levels = {doc: self.known.get(doc, 2) for doc in docs}
        if not self.complete:
            unknown = [doc for doc in docs if doc not in self.known]
            for at in range(0, len(unknown), _LOOKUP_CHUNK):
                chunk = unknown[at:at + _LOOKUP_CHUNK]
                for doc, label_key in db.execute(
                        f"SELECT id, key FROM docs WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                    levels[doc] = 0 if label_key == self.wanted else 1 if label_key.startswith(self.wanted) else 2
        return levels


def rank(db: sqlite3.Connection, expression: str, wanted: str, docs: np.ndarray, filters, needed: int) -> list[tuple]:
    """(boost, score, doc) of at least the `needed` first hits among `docs` (the hits left by `filters`)."""
    boosts = Boosts.find(db, wanted, docs)
    where, params = "fts MATCH ?", [expression]
    for facet, value in filters:
        where += " AND EXISTS (SELECT 1 FROM facets f WHERE f.doc = fts.rowid AND f.facet = ? AND f.value = ?)"
        params += [facet, value]
    stream = f"SELECT rowid, bm25(fts, {WEIGHTS}) AS score FROM fts WHERE {where} ORDER BY score LIMIT ?"
    limit = needed + _WINDOW_EXTRA
    while True:
        rows = db.execute(stream, (*params, limit)).fetchall()
        if limit < 0 and not boosts.complete:
            rows = _enough_prefix(db, rows, boosts, needed)
        levels = boosts.levels(db, [doc for doc, _ in rows])
        ranked = [(levels[doc], score, doc) for doc, score in rows]
        missing = _unsettled(ranked, boosts, needed)
        if limit < 0 or len(rows) < limit or missing == set():
            return ranked
        if missing is not None and len(missing) * _MS_PER_ROWID < len(docs) * _MS_PER_HIT:
            one = f"SELECT rowid, bm25(fts, {WEIGHTS}) FROM fts WHERE fts MATCH ? AND rowid = ?"
            for doc in sorted(missing):
                ranked += [(boosts.known[doc], score, doc) for _, score in db.execute(one, (expression, doc))]
            return ranked
        limit = -1


def _enough_prefix(db, rows: list[tuple], boosts: Boosts, needed: int) -> list[tuple]:
    """The head of the whole stream that holds `needed` boosted hits (looking keys up chunk by chunk)."""
    found = 0
    for at in range(0, len(rows), _LOOKUP_CHUNK):
        levels = boosts.levels(db, [doc for doc, _ in rows[at:at + _LOOKUP_CHUNK]])
        found += sum(1 for level in levels.values() if level < 2)
        if found >= needed:
            cut = at + _LOOKUP_CHUNK   # and the exact labels further on, which come first whatever their score
            return rows[:cut] + [row for row in rows[cut:] if boosts.known.get(row[0]) == 0]
    return rows


def _unsettled(ranked: list[tuple], boosts: Boosts, needed: int) -> set[int] | None:
    """What the part of the stream read so far (`ranked`) leaves open for a page of `needed` hits: the
    boosted hits that belong on the page but were not seen (an empty set: the page is certain), or
    None when more of the stream is needed."""
    seen = {doc for _, _, doc in ranked}
    count = [sum(1 for b, _, _ in ranked if b == level) for level in (0, 1, 2)]
    exact, prefix = boosts.exact, boosts.prefix
    if exact > needed:
        return set() if count[0] >= needed else None
    missing = {doc for doc, level in boosts.known.items() if level == 0 and doc not in seen}
    wanted_prefix = needed - exact
    if wanted_prefix > 0:
        if prefix <= wanted_prefix:
            missing |= {doc for doc, level in boosts.known.items() if level == 1 and doc not in seen}
        elif count[1] < wanted_prefix:
            return None
    if exact + prefix < needed and count[2] < needed - exact - prefix:
        return None
    return missing
