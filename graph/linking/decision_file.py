"""A steward's decision file on possible duplicates (data/links/persons.yaml, organisations.yaml).

Both files are lists of entries that name a pair and carry `decision: open | same | different`.
They are kept across runs: a run adds the candidates it has not listed yet, as `open`, and leaves
every listed entry and its comments as they are (ruamel.yaml round trip); the file is replaced in
one rename. What names a pair differs (mentions of speakers, names of organisations): the caller
checks that with `valid_pair`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Callable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import YAMLError

from graph.errors import Problem, RecordError

DECISIONS = ("open", "same", "different")


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    return yaml


def read_entries(path: Path, field: str, valid_pair: Callable[[object], bool], describe: tuple[str, str]) -> CommentedSeq:
    """The entries of the decision file at `path` (none if it does not exist).

    `field` is the key that names the pair, `valid_pair` says whether its value is well-formed, and
    `describe` says in German and English what it must be.
    :raises RecordError: if it is not valid YAML, not a list, or an entry is malformed.
    """
    if not path.exists():
        return CommentedSeq()
    try:
        entries = _yaml().load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        first = str(exc).splitlines()[0]
        raise RecordError([Problem(f"{path.name} nicht lesbar: {first}", f"cannot read {path.name}: {first}",
                                   file=str(path))]) from None
    if entries is None:
        return CommentedSeq()
    if not isinstance(entries, list):
        raise RecordError([Problem(f"{path.name} muss eine Liste sein", f"{path.name} must be a list", file=str(path))])
    problems = []
    for n, entry in enumerate(entries, 1):
        if not valid_pair(entry.get(field) if isinstance(entry, dict) else None):
            problems.append(Problem(f"Eintrag {n}: {field} muss {describe[0]} angeben",
                                    f"entry {n}: {field} must give {describe[1]}", file=str(path), field=field))
        elif entry.get("decision", "open") not in DECISIONS:
            problems.append(Problem(f"Eintrag {n}: decision muss open, same oder different sein",
                                    f"entry {n}: decision must be open, same or different",
                                    file=str(path), field="decision", value=str(entry.get("decision"))[:40]))
    if problems:
        raise RecordError(problems)
    return entries


def write_entries(path: Path, entries: CommentedSeq, header: str) -> None:
    """Replace the file at `path` by `entries` in one rename; a new file starts with `header`."""
    buffer = io.StringIO()
    if not entries:
        # ruamel.yaml cannot emit an empty sequence with a start comment (IndexError): written by hand.
        comments = [line for line in _lines(path) if line.startswith("#")] or [f"# {line}" for line in header.splitlines()]
        buffer.write("\n".join(comments) + "\n[]\n")
    else:
        if entries.ca.comment is None:
            # A new file, or one that was "[]" (its comments are not attached to the loaded list).
            kept = [line[1:].strip() for line in _lines(path) if line.startswith("#")]
            entries.yaml_set_start_comment("\n".join(kept) if kept else header)
        entries.fa.set_block_style()
        _yaml().dump(entries, buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".tmp-{path.name}")
    staging.write_text(buffer.getvalue(), "utf-8")
    os.replace(staging, path)


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines() if path.exists() else []
