"""Rewriting the stored history of releases (graph/store/releases.py): the erasure of a person.

Releases are immutable but for one reason: a person the steward suppresses (DSGVO Art. 17/21)
must leave every stored patch, state file and side file too, not only the current version.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

from graph.store.compression import read_gzip, write_gzip
from graph.store.releases import Release, folder, list_releases, patch_path, read_patch, states_path, write_patch


def rewrite_history(root: Path, make_filter: Callable[[Iterable[bytes]], Callable[[bytes], bytes | None]],
                    texts: Callable[[str], str] = lambda text: text) -> list[Path]:
    """Rewrite every stored patch and state file through a line filter; return the files rewritten.

    The erasure of a suppressed person (graph/mapping/erasure.py): their statements must leave the
    history too, not only the current version. `make_filter` sees every line of the history first
    (to find what belongs to the person) and returns the filter: a line to keep, changed or not,
    or None to drop it. Each release's count of feed members follows its rewritten states, and
    `texts` rewrites the JSON kept beside each release (quality figures, build warnings).
    """
    known = list_releases(root)
    keep = make_filter(line for release in known for line in _history_lines(root, release))
    done = []
    for release in known:
        path = patch_path(root, release)
        added, removed = read_patch(path)
        _replace_gzip(path, lambda out: write_patch(out, release.previous, release.version, _kept(added, keep),
                                                    _kept(removed, keep)))
        done.append(path)
        path = states_path(root, release)
        if path.is_file():
            with read_gzip(path) as handle:
                kept = _kept(handle.read().splitlines(), keep)
            _replace_gzip(path, lambda out: out.write(b"".join(line + b"\n" for line in kept)))
            done.append(path)
            members = len({line.rsplit(b" ", 2)[-2] for line in kept})
            if members != release.members:
                _replace_text(folder(root) / f"{release.version}.json",
                              json.dumps({**release.__dict__, "members": members}, ensure_ascii=False, indent=1))
        for side in folder(root).glob(f"{release.version}.*.json"):
            text = side.read_text("utf-8")
            if texts(text) != text:
                _replace_text(side, texts(text))
                done.append(side)
    return done


def _history_lines(root: Path, release: Release) -> Iterator[bytes]:
    added, removed = read_patch(patch_path(root, release))
    yield from added
    yield from removed
    path = states_path(root, release)
    if path.is_file():
        with read_gzip(path) as handle:
            yield from handle.read().splitlines()


def _kept(lines_: Iterable[bytes], keep: Callable[[bytes], bytes | None]) -> list[bytes]:
    return [line for line in map(keep, lines_) if line is not None]


def _replace_gzip(path: Path, write: Callable) -> None:
    staging = path.with_name(".tmp-" + path.name)
    with write_gzip(staging) as out:
        write(out)
    os.replace(staging, path)


def _replace_text(path: Path, text: str) -> None:
    staging = path.with_name(".tmp-" + path.name)
    staging.write_text(text, "utf-8")
    os.replace(staging, path)
