"""Copying a store version, making a new one durable, and saying in plain words why the disk refused."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path


def inodes(path: Path) -> set[tuple[int, int]]:
    """(device, inode) of each file in a published version's directory."""
    return {(st.st_dev, st.st_ino) for st in (child.stat() for child in path.iterdir() if child.is_file())}


def fsync_tree(path: Path, already_durable: set[tuple[int, int]] = frozenset()) -> None:
    """Sync a new version's files and directory. A copy-on-write version hard-links most of its
    files from the previous version, which was synced when it was published; syncing those inodes
    again costs a device flush each (about a hundred files, 100-300 ms at 10 M) and makes nothing
    more durable, so only the files it wrote itself are synced."""
    for child in path.iterdir():
        if child.is_file():
            st = child.stat()
            if (st.st_dev, st.st_ino) in already_durable:
                continue
            with open(child, "rb") as handle:
                os.fsync(handle.fileno())
    fsync_dir(path)


def fsync_dir(path: Path) -> None:
    """Sync a directory's entries (a rename or a new file in it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def explain(exc: OSError, where: Path) -> str:
    """The user's message for a disk error while writing the store at `where`."""
    if exc.errno == errno.ENOSPC:
        return f"the disk holding {where} is full; the previous store version is kept"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"the store directory {where} is not writable; the previous store version is kept"
    return f"store error in {where}: {exc.strerror or exc}; the previous store version is kept"


def copy_version(source: Path, target: Path) -> None:
    """Copy the closed version at `source` to the new directory `target`, to be opened for writing.

    RocksDB never changes a table file (.sst) once written, so those are hard-linked; everything
    else is copied: the MANIFEST, which the copy's writer appends to, and the write-ahead log of a
    version published without a flush (VersionedStore.writer), which the copy replays when opened.
    Oxigraph's own `backup` of a version opened read-only would leave that log's data out.
    """
    target.mkdir()
    for child in source.iterdir():
        # RocksDB makes its own LOCK; its LOG files are diagnostics of the version they are in.
        if not child.is_file() or child.name == "LOCK" or child.name.startswith("LOG"):
            continue
        if child.suffix == ".sst":
            os.link(child, target / child.name)
        else:
            shutil.copyfile(child, target / child.name)


def log_bytes(path: Path) -> int:
    """The size of the write-ahead logs (*.log) in the version directory `path`."""
    return sum(child.stat().st_size for child in path.glob("*.log"))
