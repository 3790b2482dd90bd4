"""A store version as the code holds it: one published version opened read-only, and the handle of a
version being written (graph/store/versions.py opens and publishes them)."""

from __future__ import annotations

import contextlib
import gc
import sys
from pathlib import Path
from typing import Callable, Iterator, Protocol

import pyoxigraph as ox

from graph.errors import StoreError


def open_version(path: Path) -> ox.Store:
    """Open one published version read-only.

    :raises StoreError: if it cannot be opened.
    """
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open store version {path}: {exc}") from None
    except RuntimeError as exc:
        # The engine reports a damaged version (tables gone, manifest left: one being pruned or removed while it
        # is opened) as corruption; for a reader that is the same: this version cannot be read now.
        raise StoreError(f"cannot open store version {path}, it is damaged or being removed: {exc}") from None


class LinesSink(Protocol):
    """Takes each graph's N-Triples lines of a version as its release reads them (graph/store/diff.py)."""

    def take(self, graph: str, lines: list[bytes]) -> None:
        """One graph's lines, sorted (graph IRI, or "" for the default graph, which comes first)."""

    def close(self) -> None:
        """Every graph was taken: finish, or raise what went wrong."""

    def abandon(self) -> None:
        """The version will not be published: stop and leave nothing behind."""


class SinkGroup:
    """Several sinks fed as one (a build's dumps and its search index): each takes every graph; all are
    closed, the first failure raised after; all are abandoned."""

    def __init__(self, *sinks: LinesSink):
        self.sinks = sinks

    def take(self, graph: str, lines: list[bytes]) -> None:
        """One graph's lines, to every sink."""
        for sink in self.sinks:
            sink.take(graph, lines)

    def close(self) -> None:
        """Close every sink; raise the first failure after all were closed."""
        failure = None
        for sink in self.sinks:
            try:
                sink.close()
            except BaseException as exc:   # noqa: BLE001 - every sink is closed; the first failure is raised
                failure = failure or exc
        if failure is not None:
            raise failure

    def abandon(self) -> None:
        """Abandon every sink."""
        for sink in self.sinks:
            sink.abandon()


class WritableVersion:
    """A version being written; usable only inside `VersionedStore.writer()`.

    A writer that knows what it changed sets `known_change` (graph/store/diff.py): its release is
    then written from that, not by comparing every graph of the two versions.
    """

    _store: ox.Store | None = None
    known_change = None
    # The name this version is published under, and the current version's when it was started.
    name: str | None = None
    previous_name: str | None = None
    # The version this one was started from, read-only (None for a store's first version); closed with it.
    previous: ox.Store | None = None
    # Takes every graph's lines as the release reads them, and is closed once the release is staged, before the
    # switch (a build's dumps, graph/publish/dumps.py): the version is published with what it wrote or not at all.
    lines_sink: "LinesSink | None" = None
    # Called after the release is staged and before the switch; raising discards the version (a build's HermiT
    # verdict, which the release need not wait for: graph/build/store_version.py).
    before_switch: Callable[[], None] | None = None

    @contextlib.contextmanager
    def feeding_sink(self) -> Iterator[None]:
        """Around the staging of the release: close the sink after it, or abandon it if anything failed."""
        sink = self.lines_sink
        try:
            yield
        except BaseException:
            if sink is not None:
                sink.abandon()
            raise
        if sink is not None:
            sink.close()

    def __getattr__(self, name):
        if self._store is None:
            raise StoreError("this store version is closed")
        return getattr(self._store, name)

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, quad) -> bool:
        return quad in self._store

    def __iter__(self):
        return iter(self._store)

    def _close(self) -> None:
        # pyoxigraph closes RocksDB when the object is freed; make that happen before the
        # directory is renamed, and make any later use fail loudly.
        self.previous = None
        if self._store is None:
            return
        store, self._store = self._store, None
        # Usually this handle holds the only reference, and dropping it closes the store at once. Otherwise
        # something still refers to it, perhaps from a reference cycle: a full collection finds those, but it
        # walks every object of the process (50-180 ms in a write worker holding the shapes and ontology).
        referenced_elsewhere = sys.getrefcount(store) > 2   # `store` here, and getrefcount's own argument
        del store
        if referenced_elsewhere:
            gc.collect()
