"""The steward's decisions on possible duplicate organisations: data/links/organisations.yaml.

Like persons.yaml, it is kept across runs: `kommunalgraph organisations` adds the candidates it
has not listed yet, as `open`, and leaves every listed entry (and its comments) as it is. The
steward sets `decision` to `same` or `different`; the build reads only those two. An entry names
two organisations by a name each; any spelling with the same normalised form is meant
(graph/linking/organisations.py), and `reports` only helps the steward find them.

    - names: [Detecon, Detecon International]
      reports:
        Detecon: [report-a]
        Detecon International: [report-b, report-c]
      why: one name contains the other
      decision: open
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from graph.errors import Problem, RecordError
from graph.linking import decision_file
from graph.linking.organisations import Resolution, normalise, resolve

ORGANISATIONS_FILE = "organisations.yaml"
_HEADER = ("Mögliche Dubletten von Organisationen (kommunalgraph organisations). decision: open | same | different.\n"
           "Possible duplicate organisations; a steward's decision is never changed by a later run.\n")


def _problem(path: Path, german: str, english: str, **where) -> Problem:
    return Problem(german, english, file=str(path), **where)


def read_entries(links_dir: Path) -> CommentedSeq:
    """The entries of the decision file (none if it does not exist).

    :raises RecordError: if it is not valid YAML, not a list, or an entry is malformed.
    """
    return decision_file.read_entries(
        links_dir / ORGANISATIONS_FILE, "names",
        lambda names: isinstance(names, list) and len(names) == 2 and all(
            isinstance(x, str) and normalise(x) for x in names) and normalise(names[0]) != normalise(names[1]),
        ("zwei verschiedene Organisationsnamen", "two different organisation names"))


def decisions(links_dir: Path) -> dict[frozenset[str], str]:
    """The steward's decisions: pair of normalised names → 'same' or 'different'.

    :raises RecordError: if the file is malformed, or decides one pair both ways.
    """
    found: dict[frozenset[str], str] = {}
    for n, entry in enumerate(read_entries(links_dir), 1):
        decision = entry.get("decision")
        if decision not in ("same", "different"):
            continue
        pair = frozenset(normalise(name) for name in entry["names"])
        if found.setdefault(pair, decision) != decision:
            path = links_dir / ORGANISATIONS_FILE
            raise RecordError([_problem(path, f"Eintrag {n}: dieselben Organisationen sind schon anders entschieden",
                                        f"entry {n}: the same organisations are already decided otherwise",
                                        field="decision", value=" / ".join(entry["names"]))])
    return found


def add_candidates(links_dir: Path, resolution: Resolution) -> tuple[Path, int]:
    """Add the open candidates the file does not list yet; return the file and how many were added."""
    entries = read_entries(links_dir)
    listed = {frozenset(normalise(name) for name in e["names"]) for e in entries}
    added = 0
    for candidate in resolution.open:
        if candidate.key in listed:
            continue
        entry = CommentedMap()
        entry["names"] = _flow([candidate.first.name, candidate.second.name])
        entry["reports"] = CommentedMap()
        for organisation in (candidate.first, candidate.second):
            for name, reports in sorted(organisation.names.items()):
                entry["reports"][name] = _flow(reports)
        entry["why"] = candidate.why
        entry["decision"] = "open"
        entries.append(entry)
        listed.add(candidate.key)
        added += 1
    path = links_dir / ORGANISATIONS_FILE
    if added or not path.exists():
        decision_file.write_entries(path, entries, _HEADER)
    return path, added


def _flow(items: list[str]) -> CommentedSeq:
    """A list written on one line: [a, b]."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def organisation_resolution(names: dict[str, list[str]], links_dir: Path) -> Resolution:
    """The organisations of `names` (name → reports, graph/linking/mentioned.py) with the steward's decisions.

    :raises RecordError: if the decision file is malformed or its decisions contradict each other.
    """
    resolution = resolve(names, decisions(links_dir))
    if resolution.contradictions:
        path = links_dir / ORGANISATIONS_FILE
        raise RecordError([_problem(path, f"{a} und {b} sind als different entschieden, aber same-Entscheidungen "
                                          f"verbinden sie",
                                    f"{a} and {b} are decided different, but same decisions join them",
                                    field="decision", value=f"{a} / {b}") for a, b in resolution.contradictions])
    return resolution


def organisation_keys(names: dict[str, list[str]], links_dir: Path, problems: list[Problem]) -> dict[str, str]:
    """The organisation key of every organisation name in `names`, with the steward's decisions; a
    malformed decision file adds its problems, and open candidates add one warning."""
    try:
        resolution = organisation_resolution(names, links_dir)
    except RecordError as exc:
        problems.extend(exc.problems)
        resolution = resolve(names)
    if resolution.open:
        problems.append(Problem(
            f"{len(resolution.open)} mögliche Dubletten von Organisationen sind offen: `kommunalgraph organisations` "
            f"listet sie in {ORGANISATIONS_FILE}, bis dahin bleiben sie getrennt",
            f"{len(resolution.open)} possible duplicate organisations are open: `kommunalgraph organisations` lists "
            f"them in {ORGANISATIONS_FILE}; until decided they stay apart",
            file=str(links_dir / ORGANISATIONS_FILE), severity="warning"))
    return resolution.keys
