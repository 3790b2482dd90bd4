"""Facet counts and facet filters over any set of hits, in memory (issue 14: search at 10 M triples).

Counting facets in SQL joins every hit with its facet rows and groups them: at 10 M triples a
word in ten thousand documents takes hundreds of milliseconds. Here every document's facet
values are integer codes in two arrays (compressed sparse rows: `starts[doc]` to
`starts[doc + 1]` in `codes`), written into the index file by the build, so counting the facets of
any hit set is one gather and one `numpy.bincount`, and a filter is one comparison.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

import numpy as np

_TABLE = "facet_arrays"


@dataclass(frozen=True)
class FacetTable:
    """The facet values of every document of one index, as integer codes."""

    names: list[tuple[str, str]]   # code → (facet, value)
    starts: np.ndarray             # int64, one more than the highest document id + 1
    codes: np.ndarray              # int32, the codes of document d at starts[d]:starts[d + 1]

    @classmethod
    def read(cls, db: sqlite3.Connection) -> "FacetTable":
        """The table the build wrote into the index; made from the facets table for older index files."""
        try:
            stored = dict(db.execute(f"SELECT name, data FROM {_TABLE}").fetchall())
        except sqlite3.OperationalError:   # an index written before the arrays existed
            return cls.build(db)
        return cls([tuple(pair) for pair in json.loads(stored["names"])],
                   np.frombuffer(stored["starts"], dtype=np.int64), np.frombuffer(stored["codes"], dtype=np.int32))

    @classmethod
    def build(cls, db: sqlite3.Connection) -> "FacetTable":
        """Read every (document, facet, value) row of the facets table into arrays."""
        names = [tuple(row) for row in db.execute("SELECT DISTINCT facet, value FROM facets ORDER BY facet, value")]
        code_of = {pair: code for code, pair in enumerate(names)}
        highest = db.execute("SELECT COALESCE(MAX(doc), 0) FROM facets").fetchone()[0]
        docs, codes = [], []
        for doc, facet, value in db.execute("SELECT doc, facet, value FROM facets ORDER BY doc"):
            docs.append(doc)
            codes.append(code_of[(facet, value)])
        counts = np.bincount(np.asarray(docs, dtype=np.int64), minlength=highest + 1)
        starts = np.zeros(highest + 2, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        return cls(names, starts, np.asarray(codes, dtype=np.int32))

    def write(self, db: sqlite3.Connection) -> None:
        """Store the arrays in the index file (the build calls this once, after loading the facets)."""
        db.execute(f"CREATE TABLE {_TABLE} (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
        db.executemany(f"INSERT INTO {_TABLE} VALUES (?, ?)", [
            ("names", json.dumps(self.names, ensure_ascii=False).encode()),
            ("starts", self.starts.tobytes()), ("codes", self.codes.tobytes())])

    def _gather(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The codes of `docs`, and for each code the position in `docs` of the document it belongs to."""
        docs = docs[docs < len(self.starts) - 1]
        begin, end = self.starts[docs], self.starts[docs + 1]
        lengths = end - begin
        owner = np.repeat(np.arange(len(docs)), lengths)
        # Positions begin..end-1 of every document, made without a Python loop.
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return self.codes[np.repeat(begin, lengths) + offsets], owner

    def having(self, docs: np.ndarray, facet: str, value: str) -> np.ndarray:
        """The documents of `docs` that have `value` for `facet`, in their order."""
        try:
            wanted = self.names.index((facet, value))
        except ValueError:
            return docs[:0]
        codes, owner = self._gather(docs)
        keep = np.zeros(len(docs), dtype=bool)
        keep[owner[codes == wanted]] = True
        return docs[keep]

    def count(self, docs: np.ndarray) -> dict[str, list[tuple[str, int]]]:
        """For each facet, its values among `docs` with how many of them have each, most first."""
        codes, _ = self._gather(docs)
        totals = np.bincount(codes, minlength=len(self.names))
        found: dict[str, list[tuple[str, int]]] = {}
        for code in np.flatnonzero(totals):
            facet, value = self.names[code]
            found.setdefault(facet, []).append((value, int(totals[code])))
        for values in found.values():
            values.sort(key=lambda pair: (-pair[1], pair[0]))
        return found
