"""Making a new store version durable, and saying in plain words why the disk refused it."""

from __future__ import annotations

import errno
import os
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
