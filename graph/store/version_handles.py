"""A store version as the code holds it: one published version opened read-only, and the handle of a
version being written (graph/store/versions.py opens and publishes them)."""

from __future__ import annotations

import contextlib
import gc
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterator

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
    # Work on the finished version that runs beside the writing of its release (`alongside`).
    _beside: tuple[Callable[[ox.Store], None], ...] = ()

    def alongside(self, work: Callable[[ox.Store], None]) -> None:
        """Run `work(store)` on this version once the writer's block is done, in a thread beside the writing of
        its release and before the switch (a build's dumps: reading and compressing release the GIL, and the
        two take turns on the cores). An error in `work` discards the version like an error in the block."""
        self._beside = (*self._beside, work)

    @contextlib.contextmanager
    def beside(self) -> Iterator[None]:
        """Run the `alongside` work during the block; wait for all of it (never closing the store under it)
        and raise its first error."""
        if not self._beside:
            yield
            return
        with ThreadPoolExecutor(len(self._beside)) as pool:
            running = [pool.submit(work, self._store) for work in self._beside]
            yield
            for future in running:
                future.result()

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
