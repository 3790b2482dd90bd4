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

from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from graph.errors import Problem, RecordError
from graph.linking import decision_file
from graph.linking.persons import Mention, PersonKeys, Resolution, person_keys_with_names, resolve

PERSONS_FILE = "persons.yaml"
_HEADER = ("Mögliche Dubletten von Personen (kommunalgraph persons). decision: open | same | different.\n"
           "Possible duplicate persons; a steward's decision is never changed by a later run.\n")


def read_entries(links_dir: Path) -> CommentedSeq:
    """The entries of the decision file (none if it does not exist).

    :raises RecordError: if it is not valid YAML, not a list, or an entry is malformed.
    """
    return decision_file.read_entries(
        links_dir / PERSONS_FILE, "mentions",
        lambda m: isinstance(m, list) and len(m) == 2 and all(isinstance(x, str) and "#" in x for x in m),
        ("zwei Nennungen 'bericht#pfad'", "two mentions 'report#path'"))


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
        decision_file.write_entries(path, entries, _HEADER)
    return path, added


def person_keys(mentions: list[Mention], links_dir: Path, problems: list[Problem],
                organisations: dict[str, str] | None = None) -> PersonKeys:
    """The person key of every speaker mention (graph/linking/mentioned.py), with the steward's decisions and the
    `organisations` (name → key) they name; a malformed decision file adds its problems, and open
    candidates add one warning."""
    try:
        decided = decisions(links_dir)
    except RecordError as exc:
        problems.extend(exc.problems)
        decided = {}
    resolution = resolve(mentions, decided, organisations)
    if resolution.open:
        problems.append(Problem(
            f"{len(resolution.open)} mögliche Dubletten von Personen sind offen: `kommunalgraph persons` listet sie "
            f"in {PERSONS_FILE}, bis dahin bleiben sie getrennt",
            f"{len(resolution.open)} possible duplicate persons are open: `kommunalgraph persons` lists them in "
            f"{PERSONS_FILE}; until decided they stay apart", file=str(links_dir / PERSONS_FILE), severity="warning"))
    return person_keys_with_names(mentions, resolution.keys)
