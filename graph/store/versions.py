"""The on-disk store: immutable pyoxigraph versions and an atomically switched CURRENT pointer.

Layout of a store directory:

    CURRENT            name of the version readers use (replaced atomically with os.replace)
    versions/<name>/   one pyoxigraph (RocksDB) database per version, never changed once published
    versions/.tmp-*    a version being written, or prepared for the next write; removed if the writer dies
    lock               held by the one writer at a time
    uploads/<pid>-*    request bodies on their way to the write worker (graph/store/uploads.py)

A writer builds a new version beside the old one (from scratch, or from a copy of the current
one with its table files hard-linked, graph/store/durable.py) and only then switches CURRENT. A crash at any moment leaves
either the old or the new version current, never a mix; readers keep the version they
opened until they look at CURRENT again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from graph.errors import KommunalgraphError, StoreError
from graph.store import releases
from graph.store.durable import copy_version, explain, fsync_dir, fsync_tree, inodes, log_bytes
from graph.store.prepared import PreparedVersion
from graph.store.version_handles import WritableVersion, open_version

KEEP_VERSIONS = 3
# A version whose write-ahead log is larger than this is flushed into table files before it is published.
# A smaller one is published with its log, synced: a write's flush (a table file and a sync for each of
# Oxigraph's column families) took 25-35 ms of a 20-workshop write at 10 M, and the copy that the next
# write starts from replays the log instead (graph/store/prepared.py, after the answer). Readers replay
# it when they open the version, which costs little for a log this small.
FLUSH_FROM_BYTES = 16 * 1024 * 1024


class VersionedStore:
    """A store directory holding published versions of the dataset."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.versions = self.root / "versions"
        self._pointer = self.root / "CURRENT"
        # The next version, started ahead of the write that takes it (`prepare`).
        self._prepared: PreparedVersion | None = None

    # -- reading ---------------------------------------------------------------------------

    def current(self) -> str | None:
        """Name of the current version, or None if nothing has been published yet."""
        try:
            name = self._pointer.read_text("ascii").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read the store pointer {self._pointer}: {exc.strerror}") from None
        return name or None

    def current_path(self) -> Path:
        """Directory of the current version.

        :raises StoreError: if the store has no published version.
        """
        name = self.current()
        if name is None:
            raise StoreError(f"no data in the store {self.root}: run `kommunalgraph build` first")
        path = self.versions / name
        if not path.is_dir():
            raise StoreError(f"the store {self.root} points to a missing version {name}")
        return path

    def open_read(self) -> ox.Store:
        """The current version, opened read-only.

        :raises StoreError: if there is none or it cannot be opened.
        """
        return open_version(self.current_path())

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, *, from_current: bool = False, cause: dict | None = None,
               record: bool = True, prune: bool = True, keep_log: bool = False) -> Iterator["WritableVersion"]:
        """Yield a writable new version; publish it if the block succeeds, discard it if not.

        With `from_current`, the new version starts as a copy of the current one (hard links,
        so it is cheap); otherwise it starts empty. Each published version becomes a release
        (graph/store/releases.py) with its diff from the previous one and `cause` (what made it:
        {"kind": "build" | "write" | "restore" | …, and details}); `record=False` is for throwaway
        stores (a query over files) that keep no history. `prune=False` leaves the removal of old versions
        to a later `prune()` (the write worker's, after it has answered). `keep_log=True` (a gated write)
        publishes a version whose write-ahead log is small with that log instead of flushing it
        (FLUSH_FROM_BYTES); a build's version is always flushed, so its files stand on their own.

        :raises StoreError: if the directory is not writable or the disk is full.
        """
        with self._lock():
            prepared = self._take_prepared(from_current)
            name = prepared.name if prepared else self._next_name()
            tmp = self.versions / f".tmp-{name}"
            self._remove_stale(keep=tmp)
            handle = WritableVersion()
            staged = None
            try:
                # The current version, opened once (tens of ms at national scale) for the copy, the block
                # (handle.previous) and the release; the lock keeps it current until the switch.
                previous = self.current()
                handle.name, handle.previous_name = name, previous
                if prepared:
                    handle.previous, handle._store = prepared.hand_over()
                else:
                    handle.previous = open_version(self.current_path()) if previous else None
                    if from_current and handle.previous is not None:
                        copy_version(self.versions / previous, tmp)
                    handle._store = ox.Store(str(tmp))
                yield handle
                if not keep_log or log_bytes(tmp) > FLUSH_FROM_BYTES:
                    handle._store.flush()
                with handle.feeding_sink():
                    if record:
                        sink = handle.lines_sink
                        staged = releases.stage(self.root, name, handle.previous, previous, handle._store, cause,
                                                handle.known_change, sink.take if sink else None)
                if handle.before_switch is not None:
                    handle.before_switch()
                handle._close()
                fsync_tree(tmp, already_durable=inodes(self.versions / previous) if previous else set())
                os.rename(tmp, self.versions / name)
                self._switch(name)
                if staged is not None:
                    releases.publish(self.root, staged, name)
                staged = None
            except KommunalgraphError:
                raise  # some domain errors are OSErrors too (PermissionError); they are not disk faults
            except OSError as exc:
                raise StoreError(explain(exc, self.root)) from None
            finally:
                handle._close()
                if staged is not None:
                    releases.discard(staged)
                if tmp.exists():
                    shutil.rmtree(tmp, ignore_errors=True)
            if prune:
                self._prune()

    def prepare(self) -> None:
        """Start the next copy-on-write version now, for the next `writer(from_current=True)` to take
        (graph/store/prepared.py). A failure here only loses the head start; the write reports its own."""
        with self._lock():
            current = self.current()
            if self._prepared is not None and self._prepared.usable(current):
                return
            self.discard_prepared()
            if current is None:
                return
            name = self._next_name()
            try:
                self._prepared = PreparedVersion.make(self.versions / current, current, name,
                                                      self.versions / f".tmp-{name}")
            except (OSError, StoreError):
                self._prepared = None

    def discard_prepared(self) -> None:
        """Close and remove the version `prepare` started, if any (before the process ends)."""
        if self._prepared is not None:
            self._prepared.discard()
            self._prepared = None

    def _take_prepared(self, from_current: bool) -> PreparedVersion | None:
        """The prepared version for a writer to take, if one is usable; any other is discarded."""
        prepared, self._prepared = self._prepared, None
        if prepared is not None and not (from_current and prepared.usable(self.current())):
            prepared.discard()
            return None
        return prepared

    def prune(self) -> None:
        """Remove the versions older than the newest KEEP_VERSIONS (what a writer with `prune=False` left)."""
        with self._lock():
            self._prune()

    def _switch(self, name: str) -> None:
        staged = self.root / "CURRENT.tmp"
        with open(staged, "w", encoding="ascii") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staged, self._pointer)
        fsync_dir(self.root)

    def _next_name(self) -> str:
        # Time-ordered names keep versions sortable and unique across restarts.
        name = f"v{time.time_ns():020d}"
        while (self.versions / name).exists():
            name = f"v{time.time_ns():020d}"
        return name

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        try:
            self.versions.mkdir(parents=True, exist_ok=True)
            handle = open(self.root / "lock", "a+")
        except OSError as exc:
            raise StoreError(explain(exc, self.root)) from None
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _remove_stale(self, keep: Path | None = None) -> None:
        for path in self.versions.glob(".tmp-*"):
            if path != keep:
                shutil.rmtree(path, ignore_errors=True)

    def _prune(self) -> None:
        """Keep the newest versions; readers of an older one reopen CURRENT within a request."""
        current = self.current()
        names = sorted(p.name for p in self.versions.iterdir() if p.is_dir() and not p.name.startswith("."))
        for name in names[:-KEEP_VERSIONS]:
            if name != current:
                shutil.rmtree(self.versions / name, ignore_errors=True)

    def drop_older(self) -> list[str]:
        """Remove every version but the current one; return their names.

        For the erasure of a person (graph/build/erasure.py): older versions still hold them, and a
        restore must not bring them back. Readers of an older version reopen CURRENT within a request.
        """
        with self._lock():
            current = self.current()
            dropped = sorted(p.name for p in self.versions.iterdir()
                             if p.is_dir() and not p.name.startswith(".") and p.name != current)
            for name in dropped:
                shutil.rmtree(self.versions / name, ignore_errors=True)
        return dropped

    # -- backup ----------------------------------------------------------------------------

    def backup(self, target: Path) -> Path:
        """Copy the current version to `target` (a new directory) as a standalone store.

        :raises StoreError: if there is nothing to back up or `target` exists.
        """
        target = Path(target)
        if target.exists():
            raise StoreError(f"backup target {target} already exists")
        source = self.current_path()
        try:
            (target / "versions").mkdir(parents=True)
            copy_version(source, target / "versions" / "v-backup")
            # Durable like a published version: the first write to a restored copy links these files
            # and does not sync them again (see _fsync_tree).
            fsync_tree(target / "versions" / "v-backup")
            (target / "CURRENT").write_text("v-backup\n", encoding="ascii")
        except OSError as exc:
            shutil.rmtree(target, ignore_errors=True)
            raise StoreError(explain(exc, target)) from None
        return target

    def restore(self, source: Path) -> None:
        """Publish the current version of the backup at `source` as a new version of this store.

        :raises StoreError: if `source` is not a store backup.
        """
        backup = VersionedStore(source)
        origin = open_version(backup.current_path())
        with self.writer(cause={"kind": "restore", "source": backup.root.name}) as store:
            store.bulk_extend(origin.quads_for_pattern(None, None, None, None))
