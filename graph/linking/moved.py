"""IRIs that moved and must keep answering (data/links/moved.yaml): `old dcterms:isReplacedBy new`.

A published IRI is a promise: portals and Wikidata link to it. Most moves the mapper sees itself
(an organisation joined across spellings, an event key minted from a full date) and it writes the
redirect into the report graph. Some moves leave no trace in any record: a publisher written
"Hansestadt Lübeck (Pressestelle)" until issue 14 and "Hansestadt Lübeck" since had the IRI
…/organisation/hansestadt-luebeck-pressestelle, which no record names any more. Such moves are
listed in this file, one entry per old IRI, and never removed:

    moved:
      - {kind: organisation, from: hansestadt-luebeck-pressestelle, to: hansestadt-luebeck,
         since: "2026-12-03", why: publisher written without its outlet}

`build` asserts an entry in the graph <{base}graph/links> (so the old IRI answers 301 to the new
one) when the new IRI is a resource of the build and the old one is not: a name that becomes a
resource again takes its IRI back, and a redirect never points to an empty page.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from graph.errors import Problem, RecordError
from graph.iri import KINDS as IRI_KINDS
from graph.iri import Minter

MOVED_FILE = "moved.yaml"
KINDS = tuple(IRI_KINDS)   # what the base namespace mints: {base}id/{kind}/{key}
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_moved(links_dir: Path, minter: Minter) -> Graph:
    """The redirects of the moved-IRI file as `old dcterms:isReplacedBy new` (empty without a file).

    :raises RecordError: if the file is not YAML or an entry is malformed (every problem at once).
    """
    path = links_dir / MOVED_FILE
    graph = Graph()
    if not path.exists():
        return graph
    try:
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except (YAMLError, UnicodeDecodeError) as exc:
        raise RecordError([_problem(path, "Die Datei ist kein gültiges YAML", "the file is not valid YAML",
                                    None, str(exc).splitlines()[0])]) from None
    entries = document.get("moved") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise RecordError([_problem(path, "Die Datei braucht eine Liste 'moved'", "the file needs a list 'moved'",
                                    None, None)])
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for n, entry in enumerate(entries):
        where = f"moved[{n}]"
        found = _entry_problems(path, entry, where)
        if found:
            problems.extend(found)
            continue
        old = (entry["kind"], entry["from"])
        if seen.get(old) not in (None, entry["to"]):
            problems.append(_problem(path, "Diese IRI ist schon an ein anderes Ziel umgezogen",
                                     "this IRI already moved to another target", f"{where}.from", entry["from"]))
            continue
        seen[old] = entry["to"]
        graph.add((minter.thing(entry["kind"], entry["from"]), DCTERMS.isReplacedBy,
                   minter.thing(entry["kind"], entry["to"])))
    if problems:
        raise RecordError(problems)
    return graph


def redirects_to_known(moved: Graph, known: set) -> Graph:
    """Only redirects to a resource of the build, from an IRI that is not one (see the module doc)."""
    kept = Graph()
    for old, predicate, new in moved:
        if new in known and old not in known:
            kept.add((old, predicate, new))
    return kept


def _entry_problems(path: Path, entry, where: str) -> list[Problem]:
    if not isinstance(entry, dict):
        return [_problem(path, "Ein Eintrag muss eine Zuordnung sein", "an entry must be a mapping", where, entry)]
    problems = []
    if entry.get("kind") not in KINDS:
        problems.append(_problem(path, f"kind muss eines von {', '.join(KINDS)} sein",
                                 f"kind must be one of {', '.join(KINDS)}", f"{where}.kind", entry.get("kind")))
    for name in ("from", "to"):
        if not isinstance(entry.get(name), str) or not _KEY.match(entry[name]):
            problems.append(_problem(path, f"{name} muss ein IRI-Schlüssel sein (a–z, 0–9, Bindestrich)",
                                     f"{name} must be an IRI key (a-z, 0-9, hyphen)", f"{where}.{name}",
                                     entry.get(name)))
    if entry.get("from") is not None and entry.get("from") == entry.get("to"):
        problems.append(_problem(path, "Eine IRI kann nicht auf sich selbst umziehen", "an IRI cannot move to itself",
                                 where, entry["from"]))
    if not _is_date(entry.get("since")):
        problems.append(_problem(path, "since muss ein Datum JJJJ-MM-TT sein", "since must be a date YYYY-MM-DD",
                                 f"{where}.since", entry.get("since")))
    if not str(entry.get("why") or "").strip():
        problems.append(_problem(path, "why fehlt: warum ist die IRI umgezogen?", "why is missing: why did the IRI move?",
                                 f"{where}.why", None))
    return problems


def _is_date(value) -> bool:
    if isinstance(value, datetime.date):
        return True
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _problem(path: Path, german: str, english: str, field_name: str | None, value) -> Problem:
    return Problem(german, english, file=str(path), field=field_name, value=None if value is None else str(value))
