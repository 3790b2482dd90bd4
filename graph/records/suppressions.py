"""The steward's list of suppressed persons (data/suppressed.yaml, beside data/records/): who must not be published.

A German public body publishes a person only with what a public report says about their public
role, and removes them when they object (DSGVO Art. 17/21). The steward writes one entry per
person; the next build erases them from everything it publishes (graph/mapping/erasure.py):

    - person: sebastian-warkentin      # the key of the person's IRI (…/id/person/<key>) or the IRI
      name: Sebastian Warkentin        # optional: also blanked out of texts that quote the name
      reason: Widerspruch per E-Mail   # required, for the steward's own records (never published)
      date: 2026-11-30                 # required: when the removal was decided

The file itself is never published; it stays with the records.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from graph.errors import Problem, RecordError, ReviewConflict
from graph.iri import Minter, slug

SUPPRESSED_FILE = "suppressed.yaml"
_FIELDS = {"person", "name", "reason", "date"}
_HEADER = ("# Unterdrückte Personen: der nächste Build entfernt sie aus allem, was er veröffentlicht.\n"
           "# Suppressed persons: the next build removes them from everything it publishes. Never published.\n")


@dataclass(frozen=True)
class Suppression:
    """One suppressed person."""

    person: str        # the person's IRI
    reason: str
    decided: date
    name: str | None = None


def load_suppressions(data_dir: Path, minter: Minter) -> list[Suppression]:
    """The entries of `data_dir`/suppressed.yaml (the folder that holds records/); none without the file.

    :raises RecordError: with every malformed entry (in German and English), so the build stops
        rather than publishing a person the steward meant to remove.
    """
    path = data_dir / SUPPRESSED_FILE
    if not path.is_file():
        return []
    try:
        entries = YAML(typ="safe").load(path.read_text("utf-8"))
    except (YAMLError, UnicodeDecodeError) as exc:
        raise RecordError([Problem(f"{path.name} ist kein gültiges YAML: {_first_line(exc)}",
                                   f"{path.name} is not valid YAML: {_first_line(exc)}", file=str(path))]) from None
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise RecordError([Problem(f"{path.name} muss eine Liste von Einträgen sein",
                                   f"{path.name} must be a list of entries", file=str(path))])
    problems: list[Problem] = []
    found = [_entry(item, n, str(path), minter, problems) for n, item in enumerate(entries, 1)]
    if problems:
        raise RecordError(problems)
    return [entry for entry in found if entry is not None]


def _entry(item, n: int, file: str, minter: Minter, problems: list[Problem]) -> Suppression | None:
    """Entry number `n` as a Suppression, or None with its problems added."""
    def problem(german: str, english: str, field: str, value=None) -> None:
        problems.append(Problem(f"Eintrag {n}: {german}", f"entry {n}: {english}", file=file, field=field,
                                value=None if value is None else str(value)[:120]))

    if not isinstance(item, dict):
        problem("muss person, reason und date angeben", "must give person, reason and date", "person", item)
        return None
    for unknown in sorted(set(map(str, item)) - _FIELDS):
        problem(f"unbekanntes Feld {unknown!r} (erlaubt: {', '.join(sorted(_FIELDS))})",
                f"unknown field {unknown!r} (allowed: {', '.join(sorted(_FIELDS))})", unknown)
    person = person_iri(item.get("person"), minter)
    if person is None:
        problem("person fehlt oder ist weder ein Personenschlüssel noch eine Personen-IRI dieses Datensatzes",
                "person is missing, or neither a person key nor a person IRI of this dataset",
                "person", item.get("person"))
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        problem("reason (Grund der Löschung) fehlt", "reason (why the person is removed) is missing", "reason")
    decided = item.get("date")
    if not isinstance(decided, date) or decided > date.today():
        problem("date muss ein Datum JJJJ-MM-TT sein, nicht in der Zukunft",
                "date must be a date YYYY-MM-DD, not in the future", "date", decided)
    name = item.get("name")
    if name is not None and (not isinstance(name, str) or len(name.strip()) < 3):
        problem("name muss der Name der Person sein (mindestens 3 Zeichen)",
                "name must be the person's name (at least 3 characters)", "name", name)
    if problems and problems[-1].english.startswith(f"entry {n}:"):
        return None
    return Suppression(person, reason.strip(), decided, name.strip() if name else None)


def person_iri(value, minter: Minter) -> str | None:
    """The person IRI an entry names: a key (as in the IRI) or the whole IRI under the base."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    prefix = str(minter.thing("person", ""))
    if value.startswith(prefix):
        value = value[len(prefix):]
    if not value or slug(value) != value:
        return None
    return str(minter.thing("person", value))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def add_suppression(data_dir: Path, minter: Minter, person: str, reason: str, name: str | None = None,
                    decided: date | None = None) -> Suppression:
    """Append one entry to `data_dir`/suppressed.yaml (the review page's "remove a person"), keeping the
    other entries and their comments; the file is replaced in one rename, under a lock, so two
    stewards adding at once both land.

    :raises RecordError: if the entry or the existing file is malformed (nothing is written).
    :raises ReviewConflict: if the person is suppressed already.
    """
    entry = {"person": person, "reason": " ".join(str(reason or "").split()), "date": decided or date.today()}
    if name:
        entry["name"] = name
    problems: list[Problem] = []
    path = data_dir / SUPPRESSED_FILE
    suppression = _entry(entry, 1, str(path), minter, problems)
    if suppression is None:
        raise RecordError(problems)
    entry["person"] = suppression.person.rsplit("/", 1)[-1]   # the key, as a steward writes it
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / f".{SUPPRESSED_FILE}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        already = {s.person: s for s in load_suppressions(data_dir, minter)}
        if suppression.person in already:
            raise ReviewConflict(f"{entry['person']} was suppressed already on {already[suppression.person].decided}")
        yaml = YAML(typ="rt")
        yaml.width = 4096
        existing = path.read_text("utf-8") if path.is_file() else ""
        entries = yaml.load(existing) if existing.strip() else None
        # A file without entries yet keeps what it says (comments), a new one gets the header.
        prefix = "" if entries is not None else (existing.rstrip("\n") + "\n" if existing.strip() else _HEADER)
        entries = entries if entries is not None else CommentedSeq()
        entries.append(CommentedMap(entry))
        temporary = path.with_name(f".{SUPPRESSED_FILE}.{os.getpid()}")
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(prefix)
            yaml.dump(entries, out)
        os.replace(temporary, path)
    return suppression
