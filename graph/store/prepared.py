"""The next copy-on-write version, started before the write that needs it.

A write at national scale spent about 40 ms before its first change: opening the current version (10 ms),
linking its files into a new directory (3 ms) and opening that copy for writing (25 ms; RocksDB reads
every file's index, and replays the log of a version published without a flush). None of it depends on
the write, so the write worker does it after it has answered the write before (graph/writes/worker.py,
`WriteGate.tidy`), and the next write takes the copy if the version it was made from is still the current
one.

The copy is an ordinary `.tmp-*` directory of an unpublished version: if the process dies, the next
writer removes it, as it removes a half-written version; if another process publishes first, or removed
it as stale, the copy is discarded and the write starts as it did before.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.store.durable import copy_version


@dataclass
class PreparedVersion:
    """A hard-linked copy of version `base`, open for writing at `path`, to be published as `name`."""

    name: str
    base: str
    path: Path
    previous: ox.Store | None
    store: ox.Store | None

    @classmethod
    def make(cls, source: Path, base: str, name: str, path: Path) -> "PreparedVersion":
        """Open version `base` (at `source`) read-only, copy it to `path` and open the copy for writing."""
        try:
            previous = ox.Store.read_only(str(source))
            copy_version(source, path)
            return cls(name, base, path, previous, ox.Store(str(path)))
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise

    def usable(self, current: str | None) -> bool:
        """Whether a write may start from this copy: its base is still current and nobody removed it."""
        return self.store is not None and self.base == current and self.path.is_dir()

    def hand_over(self) -> tuple[ox.Store, ox.Store]:
        """(the base version, the copy) for a writer, which then holds the only references: it closes the
        copy by dropping them before it renames the directory."""
        handles = (self.previous, self.store)
        self.previous = self.store = None
        return handles

    def discard(self) -> None:
        """Close the copy and remove its directory."""
        # Dropping the handles closes RocksDB before its files go.
        self.previous = self.store = None
        shutil.rmtree(self.path, ignore_errors=True)
