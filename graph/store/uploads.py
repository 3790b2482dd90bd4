"""Uploads on their way to the write worker, spooled in the store's own `uploads/` folder.

A body is copied to disk before the writer reads it (it may be larger than memory). The file's name starts
with the pid of the server process that spooled it, so that a server starting on the same store can tell
the leftovers of a killed server (their process is gone) from another live server's upload in flight.
The folder lies beside `versions/` on the same disk, so a full disk shows as a full store, not as /tmp.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from graph.errors import StoreError
from graph.store.durable import explain

CHUNK = 1024 * 1024


def folder(root: Path | str) -> Path:
    """The uploads folder of the store at `root`."""
    return Path(root) / "uploads"


def spool(stream: BinaryIO, root: Path | str) -> Path:
    """Copy `stream` to a new file in the store's uploads folder, in chunks; the caller removes it.

    :raises StoreError: if the folder cannot be made or written (a full disk, no permission).
    """
    target = folder(root)
    try:
        target.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(prefix=f"{os.getpid()}-", suffix=".upload", dir=target, delete=False)
    except OSError as exc:
        raise StoreError(explain(exc, target)) from None
    try:
        with handle:
            shutil.copyfileobj(stream, handle, CHUNK)
    except BaseException as exc:
        os.unlink(handle.name)
        if isinstance(exc, OSError):
            raise StoreError(explain(exc, target)) from None
        raise
    return Path(handle.name)


def remove_orphans(root: Path | str) -> list[str]:
    """Remove the uploads of server processes that no longer run (killed mid-request); return their names."""
    removed = []
    try:
        paths = list(folder(root).iterdir())
    except FileNotFoundError:
        return removed
    for path in paths:
        pid = path.name.split("-", 1)[0]
        if pid.isdigit() and _running(int(pid)):
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path.name)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True   # someone else's process: not ours to judge
    return True
