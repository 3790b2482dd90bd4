"""The search index of a store version: one SQLite file with an FTS5 table (issue 14).

    <store>/search/<version>.sqlite

Written by the build and by every gated write right after the version is published (and by
the server if a version has none yet), so an index always belongs to exactly one version and
is never stale. A file appears at once (written beside, then renamed); files of versions the
store no longer keeps are removed.

Ranking: FTS5's bm25 over four columns weighted label 10, other names 4, text 1, compound
parts 0.5, after a label boost: a label equal to the query first, then labels that start
with it.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from graph.errors import StoreError
from graph.search.analysis import analyse, key, parts
from graph.search.documents import Document, read_documents
from graph.search.facet_counts import FacetTable
from graph.store.versions import VersionedStore, open_version

log = logging.getLogger("kommunalgraph.search")
SCHEMA_VERSION = "1"
SYNC_DOCUMENTS = 50_000
_VERSION = re.compile(r"^v[0-9A-Za-z_-]{1,40}$")

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE docs (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL,
                   key TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE facets (doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE facet_labels (facet TEXT NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL,
                           PRIMARY KEY (facet, value));
CREATE VIRTUAL TABLE fts USING fts5(label, names, body, parts, content='', prefix='2 4',
                                    tokenize='unicode61 remove_diacritics 0');
"""
_AFTER_LOAD = """
CREATE INDEX docs_iri ON docs (iri);
CREATE INDEX docs_key ON docs (key);
CREATE INDEX facets_value ON facets (facet, value, doc);
CREATE INDEX facets_doc ON facets (doc, facet, value);
INSERT INTO fts (fts) VALUES ('optimize');
"""


def index_root(store: VersionedStore) -> Path:
    """The folder holding one index file per version."""
    return store.root / "search"


def index_path(store: VersionedStore, version: str) -> Path:
    """Where the index of `version` lives.

    :raises StoreError: if `version` is not a version name.
    """
    if not _VERSION.match(version):
        raise StoreError(f"not a store version name: {version!r}")
    return index_root(store) / f"{version}.sqlite"


def write_index(store: VersionedStore, version: str | None = None) -> Path:
    """Build the index of `version` (default: the current one) unless it exists; return its path.

    :raises StoreError: if the version cannot be read or the file not written.
    """
    version = version or store.current()
    if version is None:
        raise StoreError(f"no data in the store {store.root}: run `kommunalgraph build` first")
    target = index_path(store, version)
    if target.exists():
        return target
    source = open_version(store.versions / version)
    staged = _staging_file(target)
    try:
        build_index_file(source, staged, version)
    except BaseException as exc:
        staged.unlink(missing_ok=True)
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise StoreError(f"cannot write the search index {target}: {exc}") from None
        raise
    finally:
        del source
    return _place(store, staged, target)


def _staging_file(target: Path) -> Path:
    """A new empty file beside `target` to write its index into (a dead writer's is pruned after an hour)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".tmp-{target.stem}-", suffix=".sqlite", dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise StoreError(f"cannot write the search index {target}: {exc}") from None
    return Path(tmp)


def _place(store: VersionedStore, staged: Path, target: Path) -> Path:
    """Give a finished index file its version's name and remove the indexes of pruned versions."""
    try:
        os.chmod(staged, 0o644)  # readable like the store versions beside it
        os.replace(staged, target)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise StoreError(f"cannot write the search index {target}: {exc}") from None
    prune_indexes(store)
    return target


class IndexBeside:
    """A build's search index, written in a thread from the version being written while its release is staged
    (a LinesSink, graph/store/version_handles.py, that takes no lines): by the switch the file is ready, and
    `place()` gives it the version's name right after it."""

    def __init__(self, store: VersionedStore, version: str, source: ox.Store):
        self._store, self._version = store, version
        self.seconds = 0.0
        self.staged = _staging_file(index_path(store, version))
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-search-index")
        self._written = self._pool.submit(self._write, source)

    def _write(self, source: ox.Store) -> None:
        started = time.perf_counter()
        build_index_file(source, self.staged, self._version)
        self.seconds = time.perf_counter() - started

    def take(self, graph: str, lines: list[bytes]) -> None:
        """The index reads the version itself, not the release's lines."""

    def close(self) -> None:
        """Wait for the file (before the version's store is closed); raise StoreError if it failed."""
        try:
            self._written.result()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot write the search index {self.staged}: {exc}") from None
        finally:
            self._pool.shutdown()

    def abandon(self) -> None:
        """Wait for the thread (it reads the version being discarded) and remove its file."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.staged.unlink(missing_ok=True)

    def place(self) -> Path:
        """Give the finished file the version's name (after the switch)."""
        return _place(self._store, self.staged, index_path(self._store, self._version))


def index_in_write(store: VersionedStore, previous: str | None) -> bool:
    """Whether a gated write should build the new version's index itself: yes unless the previous
    version's index holds more than SYNC_DOCUMENTS documents. A full build takes about 0.5 ms per
    document (18 s for the 37,399 of a 1 m-triple graph, bench/RESULTS.md), which on a national graph
    would outlast the write's time limit; there the server builds it at the first search."""
    path = index_path(store, previous) if previous else None
    if path is None or not path.exists():
        # No index to go by (a copied or restored store): count type statements, at most SYNC_DOCUMENTS
        # of them (a document has one or more), so a national graph is not indexed in a write.
        limit = SYNC_DOCUMENTS
        try:
            opened = store.open_read()
        except StoreError:
            return True   # nothing to count (a remote store's log folder): write_index says why it cannot
        rows = opened.query(f"SELECT (COUNT(*) AS ?n) {{ SELECT * {{ ?s a ?type }} LIMIT {limit + 1} }}")
        return int(next(iter(rows))["n"].value) <= limit
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
            row = connection.execute("SELECT value FROM meta WHERE name = 'documents'").fetchone()
    except sqlite3.Error:
        return True
    return row is None or int(row[0]) <= SYNC_DOCUMENTS


def build_index_file(source: ox.Store, path: Path, version: str, copies: int = 1) -> int:
    """Write the index of the resources in `source` to a new SQLite file; return the number of documents.

    `copies` > 1 indexes every document that many times under distinct IRIs: only for
    bench/search.py, to time an index of a graph that many times larger.
    """
    docs, facet_labels = read_documents(source)
    if copies > 1:
        docs = {f"{iri}#copy{i}" if i else iri: doc for i in range(copies) for iri, doc in docs.items()}
    connection = sqlite3.connect(path)
    try:
        connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        connection.executemany("INSERT INTO meta VALUES (?, ?)",
                               [("version", version), ("schema", SCHEMA_VERSION), ("documents", str(len(docs)))])
        for rowid, (iri, doc) in enumerate(docs.items(), 1):
            _insert(connection, rowid, doc, iri)
        connection.executemany("INSERT INTO facet_labels VALUES (?, ?, ?)",
                               [(facet, value, label) for facet, values in facet_labels.items()
                                for value, label in values.items()])
        connection.executescript(_AFTER_LOAD)
        FacetTable.build(connection).write(connection)   # facet counts in memory (graph/search/facet_counts.py)
        connection.commit()
    finally:
        connection.close()
    return len(docs)


def _insert(connection: sqlite3.Connection, rowid: int, doc: Document, iri: str) -> None:
    detail = (doc.texts[0] if doc.texts else "")[:300]
    connection.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                       (rowid, iri, doc.kind, doc.label, key(doc.label), detail))
    facets = [("type", doc.kind)] + [("state", s) for s in doc.states] + \
        [("year", str(y)) for y in doc.years] + [("topic", t) for t in doc.topics]
    connection.executemany("INSERT INTO facets VALUES (?, ?, ?)", [(rowid, f, v) for f, v in facets])
    labels, names, texts = " ".join(doc.labels), " ".join(doc.names), " ".join(doc.texts)
    connection.execute("INSERT INTO fts (rowid, label, names, body, parts) VALUES (?, ?, ?, ?, ?)",
                       (rowid, analyse(labels), analyse(names), analyse(texts), parts(f"{labels} {names}")))


def prune_indexes(store: VersionedStore) -> None:
    """Remove the indexes of versions the store no longer keeps, and leftovers of dead writers."""
    kept = {p.name for p in store.versions.iterdir() if p.is_dir()} if store.versions.exists() else set()
    for path in index_root(store).glob("*.sqlite"):
        name = path.name[:-len(".sqlite")]
        try:
            if name.startswith(".tmp-"):
                # Another process may be writing it now; an hour-old one belongs to a dead writer.
                if time.time() - path.stat().st_mtime > 3600:
                    path.unlink()
            elif name not in kept:
                path.unlink()
        except OSError as exc:
            log.warning("could not remove the old search index %s: %s", path, exc)
