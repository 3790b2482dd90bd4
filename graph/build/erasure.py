"""After a build: erase newly suppressed persons from what the store keeps of the past.

The build itself never writes a suppressed person (graph/build/record_check.py erases them from
every report graph before the checks), so the new version, its dumps, search index, pages and the
reconciliation service have none of them. What still holds them is the past: the older versions
(and a restore could bring them back), their dumps, and the release history that the change feed
and the diffs are made of. When the steward adds a person to data/suppressed.yaml, the next build
drops the older versions with their dumps and rewrites the history without the person.

`<store>/erased.json` lists the persons already erased from the history, so later builds rewrite
it only when the list grows (at 1 M triples the rewrite reads every stored patch).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from graph.errors import Problem, RecordError
from graph.iri import Minter
from graph.mapping.erasure import Erasure, blank
from graph.publish.dumps import prune_dumps
from graph.records.suppressions import load_suppressions
from graph.search.index import prune_indexes
from graph.store import history
from graph.store.versions import VersionedStore

ERASED_FILE = "erased.json"


def suppressed_persons(data_dir: Path, minter: Minter, problems: list[Problem]) -> Erasure:
    """The erasure of the persons in `data_dir`/suppressed.yaml; a malformed list adds its problems
    (violations: the build stops) and erases nobody."""
    try:
        suppressed = load_suppressions(data_dir, minter)
    except RecordError as exc:
        problems.extend(exc.problems)
        return Erasure(frozenset())
    return Erasure(frozenset(s.person for s in suppressed), {s.name for s in suppressed if s.name})


def erased_before(store: VersionedStore) -> set[str]:
    """The persons earlier builds already erased from the history."""
    try:
        return set(json.loads((store.root / ERASED_FILE).read_text("utf-8")))
    except FileNotFoundError:
        return set()
    except ValueError:
        return set()   # unreadable: erase again, which is safe


def erase_past(store: VersionedStore, erasure: Erasure) -> dict:
    """Drop older versions and rewrite the history when `erasure` names persons not yet erased.

    Returns what was done: {"persons": n, "versions_dropped": [...], "files_rewritten": n}.
    """
    done = {"persons": 0, "versions_dropped": [], "files_rewritten": 0}
    new = set(erasure.persons) - erased_before(store)
    if new:
        done["persons"] = len(new)
        done["versions_dropped"] = store.drop_older()
        prune_dumps(store)
        prune_indexes(store)
        nodes: set[str] = set()

        def make_filter(lines):
            keep = erasure.line_filter(lines)
            nodes.update(erasure.nodes)
            return keep

        done["files_rewritten"] = len(history.rewrite_history(store.root, make_filter,
                                                              lambda text: blank(text, erasure.names | nodes)))
    # Persons taken off the list drop out of it, so suppressing them again erases again.
    if not erasure.persons and not (store.root / ERASED_FILE).exists():
        return done
    staging = store.root / f".tmp-{ERASED_FILE}"
    staging.write_text(json.dumps(sorted(erasure.persons), indent=1), "utf-8")
    os.replace(staging, store.root / ERASED_FILE)
    return done
