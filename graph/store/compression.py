"""Gzip files written with ISA-L (isal.igzip): the same gzip format every reader takes, made several
times faster than with zlib. At 1 M triples zlib at level 6 took 4.3 s for the 485 MB of a whole-
dataset dump, igzip at level 2 0.4 s, for files about a third larger (bench/RESULTS.md); a national
build compresses several gigabytes (dumps, release patches, states), so the build time wins."""

from __future__ import annotations

from pathlib import Path
from itertools import islice
from typing import BinaryIO, Iterable

from isal import igzip

LEVEL = 2  # igzip's default; level 3 was five times slower for less than one per cent fewer bytes


class _NamelessGzip(igzip.IGzipFile):
    """A gzip file whose header names no file (as `gzip -n` writes it) and which closes the file it writes to.

    Given a path, gzip puts the name it opens into the header, and files are written under a staging name
    (`.tmp-<version>.rdfp.gz`) that `gunzip -N` would bring back. Given a file object and an empty name,
    the header names nothing, but gzip leaves that file open: closing it is this class's part.
    """

    def __init__(self, path: Path | str):
        self._target = open(path, "wb")
        try:
            super().__init__(filename="", mode="wb", compresslevel=LEVEL, fileobj=self._target, mtime=0)
        except BaseException:
            self._target.close()
            raise

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._target.close()


def write_gzip(path: Path | str) -> BinaryIO:
    """A gzip file to write; its header holds no name and mtime 0, so a rebuilt file is the same bytes."""
    return _NamelessGzip(path)


def read_gzip(path: Path | str) -> BinaryIO:
    """A gzip file to read (igzip decompresses faster too; any gzip file is read)."""
    return igzip.open(str(path), "rb")


def write_lines(out: BinaryIO, lines: Iterable[bytes], prefix: bytes = b"") -> None:
    """Write `lines` (without their line ends), each after `prefix`."""
    separator = b"\n" + prefix
    remaining = iter(lines)
    # One join and one write per block of lines: a write call per line cost more than the compression, and
    # joining with the separator leaves no Python work per line (tens of millions of lines in a national build).
    while block := list(islice(remaining, 50_000)):
        out.write(prefix + separator.join(block) + b"\n")
