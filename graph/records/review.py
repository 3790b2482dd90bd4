"""The steward's review of extraction drafts, for the command line (issue 14, part 1).

A draft (written by `kommunalgraph ingest` or `extract --out`) lives in the drafts folder until a
steward accepts it (it becomes a record in data/records, checked like every build) or rejects it
(it moves to drafts/rejected with the reason; nothing is deleted). Accepted drafts are kept in
drafts/accepted. Every decision first claims the draft with an atomic rename, so two stewards
deciding on the same draft get a conflict, never a silent overwrite; an edit saved over a draft
that changed since it was opened is refused the same way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Callable

from ruamel.yaml import YAML

from graph.errors import Problem, RecordError, ReviewConflict, ValidationFailed
from graph.records.record import RECORD_SUFFIXES, careful_load

ACCEPTED, REJECTED = "accepted", "rejected"
# The two header lines `extract` writes; a record no longer is a draft, so they are dropped.
_DRAFT_HEADER = ("# Entwurf von `kommunalgraph extract`", "# Draft by `kommunalgraph extract`")


__all__ = ["ACCEPTED", "REJECTED", "Draft", "ReviewConflict", "accept", "drafted_names", "fingerprint", "list_drafts",
           "open_items", "reject", "save_edit"]


@dataclass
class Draft:
    """A draft waiting for review: its file, events and the items the extractor left open."""

    path: Path
    events: int
    open_items: list[str]


def list_drafts(folder: Path) -> list[Draft]:
    """The open drafts in `folder`, by name; drafts that do not parse are listed with the problem."""
    drafts = []
    for path in sorted(p for p in folder.glob("*") if p.suffix in RECORD_SUFFIXES and p.is_file()) \
            if folder.is_dir() else []:
        try:
            data = careful_load(path.read_text("utf-8"), path, draft=True).data
        except RecordError as exc:
            drafts.append(Draft(path, 0, [p.english for p in exc.problems]))
            continue
        drafts.append(Draft(path, len(data["events"]), open_items(data)))
    return drafts


def drafted_names(folder: Path) -> set[str]:
    """Names of the reports that have a draft in `folder`, open, accepted or rejected: a new
    extraction of one of them would overwrite a steward's work, so it is not made."""
    return {p.stem for sub in ("", ACCEPTED, REJECTED) for p in (folder / sub).glob("*.y*ml")}


def open_items(data: dict) -> list[str]:
    """What the extractor could not settle (the `review` lists of the draft and its events)."""
    items = list(data.get("review") or [])
    for number, event in enumerate(data["events"], 1):
        items += [f"{number}: {item}" for item in event.get("review") or []]
    return items


def fingerprint(path: Path) -> str:
    """What an edit compares before it saves: the draft's bytes as they were when opened."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_edit(path: Path, text: str, opened: str) -> None:
    """Replace the draft with `text`, unless it changed since it was opened (`opened` fingerprint).

    :raises ReviewConflict: if another steward saved, accepted or rejected the draft meanwhile; the
        edit is then kept beside it as NAME.conflict-DATE.yaml, so no one's work is lost.
    """
    current = fingerprint(path) if path.exists() else None
    if current != opened:
        keep = path.with_name(f"{path.stem}.conflict-{uuid.uuid4().hex[:8]}.txt")   # .txt: not a draft
        keep.write_text(text, "utf-8")
        raise ReviewConflict(f"{path.name} changed since you opened it (another steward?); "
                             f"your version is kept in {keep.name}")
    _write_atomically(path, text)


def accept(path: Path, records: Path, check: Callable[[Path], list[Problem]]) -> Path:
    """Make the draft at `path` the record records/NAME.yaml and return its path.

    `check` runs the build's checks (JSON Schema, mapping, SHACL) on a folder holding the record.
    :raises ReviewConflict: if the draft is gone (decided by someone else) or the record exists.
    :raises ValidationFailed: with the problems, if the draft still has open items or breaks a check;
        the draft then stays where it was.
    """
    target = records / f"{path.stem}.yaml"
    claimed = _claim(path)
    try:
        text = claimed.read_text("utf-8")
        data = careful_load(text, path, draft=True).data
        left = open_items(data)
        if left:
            raise ValidationFailed([Problem(f"offener Prüfpunkt: {item}", f"open review item: {item}", file=str(path))
                                    for item in left])
        with tempfile.TemporaryDirectory(prefix="kg-review-") as folder:
            (Path(folder) / target.name).write_text(_as_record(text, path.parent, Path(folder)), "utf-8")
            problems = check(Path(folder))
        if problems:
            raise ValidationFailed(problems)
        records.mkdir(parents=True, exist_ok=True)
        try:
            with target.open("x", encoding="utf-8") as handle:   # "x": never over a record
                handle.write(_as_record(text, path.parent, records))
        except FileExistsError:
            raise ReviewConflict(f"record {target} already exists; rename the draft or edit the record") from None
    except BaseException:
        claimed.replace(path)   # the draft goes back, unchanged, for the next attempt
        raise
    _file_away(claimed, path.parent / ACCEPTED, path.name)
    return target


def reject(path: Path, reason: str) -> Path:
    """Move the draft to drafts/rejected with `reason` on top; return where it went.

    :raises ReviewConflict: if the draft is gone (decided by someone else).
    """
    claimed = _claim(path)
    text = claimed.read_text("utf-8")
    header = f"# Abgelehnt / rejected {date.today().isoformat()}: {' '.join(reason.split())}\n"
    claimed.write_text(header + text, "utf-8")
    return _file_away(claimed, path.parent / REJECTED, path.name)


def _claim(path: Path) -> Path:
    """Rename the draft to a name only this decision knows: the rename is atomic, so of two
    stewards deciding at once exactly one gets the file."""
    claimed = path.with_name(f".{path.name}.claimed-{uuid.uuid4().hex[:8]}")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        raise ReviewConflict(f"{path.name} is no longer open: another steward accepted or rejected it, "
                             f"or it does not exist") from None
    return claimed


def _file_away(claimed: Path, folder: Path, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / name
    if target.exists():   # decided once before under the same name: keep both
        target = folder / f"{Path(name).stem}-{date.today().isoformat()}-{claimed.name[-8:]}{Path(name).suffix}"
    shutil.move(claimed, target)
    return target


def _as_record(text: str, drafts: Path, records: Path) -> str:
    """The draft's text as a record in `records`: its comments kept, the draft header dropped, and
    the report text's path (relative to the file) pointing to the same file from the new folder."""
    yaml = YAML()   # round trip: the steward's comments and layout stay
    yaml.width = 110
    data = yaml.load("".join(line for line in text.splitlines(keepends=True) if not line.startswith(_DRAFT_HEADER)))
    report_text = data["report"].get("text")
    if report_text and not Path(report_text).is_absolute():
        source = (drafts / report_text).resolve()
        data["report"]["text"] = Path(os.path.relpath(source, records.resolve())).as_posix()
    stream = StringIO()
    stream.write(f"# Geprüft / reviewed {date.today().isoformat()} (kommunalgraph review accept).\n")
    yaml.dump(data, stream)
    return stream.getvalue()


def _write_atomically(path: Path, text: str) -> None:
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".partial")
    with handle:
        handle.write(text)
    Path(handle.name).replace(path)
