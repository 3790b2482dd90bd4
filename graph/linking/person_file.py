"""The steward's decisions on possible duplicate persons: data/links/persons.yaml.

Like the Wikidata link file, it is kept across runs: `kommunalgraph persons` adds the candidates
it has not listed yet, as `open`, and leaves every listed entry (and its comments) as it is. The
steward sets `decision` to `same` or `different`; the build reads only those two.

    - mentions: [report-a#events[0].talks[0].speakers[0], report-b#events[2].talks[0].speakers[1]]
      names: [Anna Schmidt (Stadt Kiel; report-a), Anna Schmidt (Kreis Plön; report-b)]
      why: organisations differ
      decision: open
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from graph.errors import Problem, RecordError
from graph.linking.persons import Resolution, read_mentions, resolve

PERSONS_FILE = "persons.yaml"
DECISIONS = ("open", "same", "different")
_HEADER = ("Mögliche Dubletten von Personen (kommunalgraph persons). decision: open | same | different.\n"
           "Possible duplicate persons; a steward's decision is never changed by a later run.\n")


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    return yaml


def read_entries(links_dir: Path) -> CommentedSeq:
    """The entries of the decision file (none if it does not exist).

    :raises RecordError: if it is not valid YAML, not a list, or an entry is malformed.
    """
    path = links_dir / PERSONS_FILE
    if not path.exists():
        return CommentedSeq()
    try:
        entries = _yaml().load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise RecordError([Problem(f"{path.name} nicht lesbar: {str(exc).splitlines()[0]}",
                                   f"cannot read {path.name}: {str(exc).splitlines()[0]}", file=str(path))]) from None
    if entries is None:
        return CommentedSeq()
    if not isinstance(entries, list):
        raise RecordError([Problem(f"{path.name} muss eine Liste sein", f"{path.name} must be a list", file=str(path))])
    problems = []
    for n, entry in enumerate(entries, 1):
        mentions = entry.get("mentions") if isinstance(entry, dict) else None
        if not (isinstance(mentions, list) and len(mentions) == 2 and all(isinstance(m, str) and "#" in m
                                                                          for m in mentions)):
            problems.append(Problem(f"Eintrag {n}: mentions muss zwei Nennungen 'bericht#pfad' angeben",
                                    f"entry {n}: mentions must give two mentions 'report#path'",
                                    file=str(path), field="mentions"))
        elif entry.get("decision", "open") not in DECISIONS:
            problems.append(Problem(f"Eintrag {n}: decision muss open, same oder different sein",
                                    f"entry {n}: decision must be open, same or different",
                                    file=str(path), field="decision", value=str(entry.get("decision"))[:40]))
    if problems:
        raise RecordError(problems)
    return entries


def decisions(links_dir: Path) -> dict[frozenset[str], str]:
    """The steward's decisions: pair of mention refs → 'same' or 'different'."""
    return {frozenset(e["mentions"]): e["decision"] for e in read_entries(links_dir)
            if e.get("decision") in ("same", "different")}


def add_candidates(links_dir: Path, resolution: Resolution) -> tuple[Path, int]:
    """Add the open candidates the file does not list yet; return the file and how many were added."""
    entries = read_entries(links_dir)
    listed = {frozenset(e["mentions"]) for e in entries}
    added = 0
    for candidate in resolution.open:
        if candidate.key in listed:
            continue
        entry = CommentedMap()
        entry["mentions"] = [candidate.first.ref, candidate.second.ref]
        entry["names"] = [candidate.first.described, candidate.second.described]
        entry["why"] = candidate.why
        entry["decision"] = "open"
        entries.append(entry)
        listed.add(candidate.key)
        added += 1
    path = links_dir / PERSONS_FILE
    if added or not path.exists():
        if not path.exists():
            entries.yaml_set_start_comment(_HEADER)
        buffer = io.StringIO()
        _yaml().dump(entries, buffer)
        links_dir.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".tmp-{path.name}")
        staging.write_text(buffer.getvalue(), "utf-8")
        os.replace(staging, path)
    return path, added


def person_keys(files: list[Path], links_dir: Path, problems: list[Problem],
                organisations: dict[str, str] | None = None) -> dict[str, str]:
    """The person key of every speaker mention in `files`, with the steward's decisions and the
    `organisations` (name → key) they name; a malformed decision file adds its problems, and open
    candidates add one warning."""
    try:
        decided = decisions(links_dir)
    except RecordError as exc:
        problems.extend(exc.problems)
        decided = {}
    resolution = resolve(read_mentions(files), decided, organisations)
    if resolution.open:
        problems.append(Problem(
            f"{len(resolution.open)} mögliche Dubletten von Personen sind offen: `kommunalgraph persons` listet sie "
            f"in {PERSONS_FILE}, bis dahin bleiben sie getrennt",
            f"{len(resolution.open)} possible duplicate persons are open: `kommunalgraph persons` lists them in "
            f"{PERSONS_FILE}; until decided they stay apart", file=str(links_dir / PERSONS_FILE), severity="warning"))
    return resolution.keys
