"""The release log: each published store version, numbered, with its cause and its diff.

Stored beside the versions, and kept when old versions are pruned:

    releases/<version>.json       sequence number, time, cause, previous version, counts per graph
    releases/<version>.rdfp.gz    the change from the previous release as an RDF Patch (gzip)
    releases/<version>.states.nq.gz   the touched resources' states after it (graph/store/states.py)

The writer of a version calls `stage()` while both the old and the new version are open (before
the switch), and `publish()` right after the switch; a release is staged under a `.tmp-` name,
so a crash leaves no half-written release. The diff is exact, quad by quad: Oxigraph writes a
quad as the same N-Quads line every time, so the sets of lines of two versions differ exactly
by the quads added and removed (blank nodes keep their labels within a store's lineage).

Erasure (issue 14): a person the steward suppresses leaves the stored history too; that
rewrite is graph/store/history.py.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from graph.errors import StoreError, UnknownResource
from graph.store import diff, states
from graph.store.compression import read_gzip, write_gzip, write_lines

DEFAULT_GRAPH = diff.DEFAULT_GRAPH  # how the default graph is named in the counts per graph


@dataclass(frozen=True)
class Release:
    """One release: a published version, its number, when and why it was made."""

    seq: int
    version: str
    members: int          # resources the release touched (members of the change feed)
    previous: str | None
    time: str
    cause: dict
    graphs: dict          # graph IRI ("" = default graph) → {"added": n, "removed": n}
    summary: dict         # class IRI → {"new": n, "changed": n, "removed": n}

    @property
    def added(self) -> int:
        """Quads added in all graphs."""
        return sum(g["added"] for g in self.graphs.values())

    @property
    def removed(self) -> int:
        """Quads removed from all graphs."""
        return sum(g["removed"] for g in self.graphs.values())


def folder(root: Path) -> Path:
    """The release folder of the store at `root`."""
    return Path(root) / "releases"


def stage(root: Path, name: str, old: ox.Store | None, previous: str | None, new, cause: dict | None,
          change: diff.KnownChange | None = None, every_graph: diff.EveryGraph | None = None) -> Path:
    """Write the release of version `name` (diff from `old`, the version `previous`; `change`: what
    the writer knows it changed) under a temporary name; return its staging prefix for `publish()`.
    Without `change` every graph of `new` is read, and handed to `every_graph` too (a build's dumps).

    One graph at a time (graph/store/diff.py): only one graph's lines are held, and the touched
    resources and their classes are read off the changed lines as they pass.
    """
    target = folder(root)
    target.mkdir(parents=True, exist_ok=True)
    known = list_releases(root)
    staging = target / f".tmp-{name}"
    try:
        graphs: dict[str, dict[str, int]] = {}
        touched = diff.Touched()
        asserted: dict[str, set[bytes]] = {}   # the new version's lines of the changed asserted graphs
        with write_gzip(str(staging) + ".rdfp.gz") as out:
            _write_header(out, previous, name)
            for graph, after in diff.changes(old, new, change, every_graph):
                graphs[graph.graph] = {"added": len(graph.added), "removed": len(graph.removed)}
                write_lines(out, graph.quads(graph.removed), b"D ")
                write_lines(out, graph.quads(graph.added), b"A ")
                if not graph.derived:
                    touched.note(graph)
                    if after is not None:
                        asserted[graph.graph] = after
            out.write(b"TC .\n")
        resources = touched.resources((new, old))
        index = states.lines_by_subject(new, asserted) if len(resources) >= states.ONE_PASS_FROM else None
        del asserted
        members = states.write(Path(str(staging) + ".states.nq.gz"), resources, new, index)
        record = {"seq": (known[-1].seq + 1) if known else 1, "version": name, "members": members, "previous": previous,
                  "time": _after(known[-1].time if known else None), "cause": cause or {"kind": "unknown"},
                  "graphs": dict(sorted(graphs.items())), "summary": _classify(touched.entries, new)}
        with open(str(staging) + ".json", "w", encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        discard(staging)   # a release that failed half-way leaves nothing behind
        raise
    return staging


def _after(previous: str | None) -> str:
    """Now, in milliseconds, and strictly after the previous release: the change feed orders
    members by this time, so two releases within one millisecond must still differ."""
    now = datetime.now(timezone.utc)
    if previous is not None:
        now = max(now, datetime.fromisoformat(previous) + timedelta(milliseconds=1))
    return now.isoformat(timespec="milliseconds")


def publish(root: Path, staging: Path, name: str) -> None:
    """Give a staged release its final name (after the version was switched to)."""
    target = folder(root)
    os.replace(str(staging) + ".rdfp.gz", target / f"{name}.rdfp.gz")
    os.replace(str(staging) + ".states.nq.gz", target / f"{name}.states.nq.gz")
    os.replace(str(staging) + ".json", target / f"{name}.json")


def discard(staging: Path) -> None:
    """Remove a staged release whose version was not published."""
    for suffix in (".rdfp.gz", ".states.nq.gz", ".json"):
        Path(str(staging) + suffix).unlink(missing_ok=True)


def write_patch(out, previous: str | None, name: str, added: Iterable[bytes], removed: Iterable[bytes]) -> None:
    """An RDF Patch: header with this and the previous version, deletions, then additions."""
    _write_header(out, previous, name)
    write_lines(out, removed, b"D ")
    write_lines(out, added, b"A ")
    out.write(b"TC .\n")


def _write_header(out, previous: str | None, name: str) -> None:
    out.write(f"H id <urn:kommunalgraph:version:{name}> .\n".encode())
    if previous:
        out.write(f"H prev <urn:kommunalgraph:version:{previous}> .\n".encode())
    out.write(b"TX .\n")


def read_patch(path: Path) -> tuple[list[bytes], list[bytes]]:
    """The (added, removed) N-Quads lines of a stored patch."""
    added, removed = [], []
    with read_gzip(path) as handle:
        for line in handle:
            line = line.rstrip(b"\n")
            if line.startswith(b"A "):
                added.append(line[2:])
            elif line.startswith(b"D "):
                removed.append(line[2:])
    return added, removed


def parsed(lines_: Iterable[bytes]) -> list[ox.Quad]:
    """N-Quads lines as quads."""
    text = b"\n".join(lines_)
    return list(ox.parse(text + b"\n", format=ox.RdfFormat.N_QUADS)) if text else []


def _graph_key(quad: ox.Quad) -> str:
    return DEFAULT_GRAPH if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value


def counts(added: list[ox.Quad], removed: list[ox.Quad]) -> dict:
    """Quads added and removed per graph."""
    counts: dict[str, dict[str, int]] = {}
    for key, quads in (("added", added), ("removed", removed)):
        for quad in quads:
            entry = counts.setdefault(_graph_key(quad), {"added": 0, "removed": 0})
            entry[key] += 1
    return dict(sorted(counts.items()))


_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def summarise(added: list[ox.Quad], removed: list[ox.Quad], lookup=None) -> dict:
    """What happened to the resources a change touches, by class: new, changed, removed (see `_classify`)."""
    touched: dict = {}
    for sign, quads in (("+", added), ("-", removed)):
        for quad in quads:
            if states.derived(quad.graph_name) or not isinstance(quad.subject, ox.NamedNode):
                continue
            entry = touched.setdefault(quad.subject.value, {"+": False, "-": False, "+type": set(), "-type": set()})
            entry[sign] = True
            if quad.predicate == _TYPE and isinstance(quad.object, ox.NamedNode):
                entry[sign + "type"].add(quad.object.value)
    return _classify(touched, lookup)


def _classify(touched: dict[str, dict], lookup=None) -> dict:
    """Count touched resources by class as new, changed or removed.

    Read from the change itself: a resource whose type statement is added and none of whose
    statements is removed is new; one whose type is removed and nothing added, removed; any
    other, changed. Only asserted statements count: not those of the default graph, which repeats
    them with inferences, nor of the summary graph, derived from it (issue 13). The class is the
    asserted type in the change, else the one `lookup` (a store version) asserts in a named graph.
    """
    summary: dict[str, dict[str, int]] = {}
    for subject, entry in touched.items():
        if entry["+type"] and not entry["-"]:
            what, types = "new", entry["+type"]
        elif entry["-type"] and not entry["+"]:
            what, types = "removed", entry["-type"]
        else:
            what, types = "changed", entry["+type"] or entry["-type"] or _asserted(lookup, ox.NamedNode(subject))
        cls = sorted(types)[0] if types else ""
        counts = summary.setdefault(cls, {"new": 0, "changed": 0, "removed": 0})
        counts[what] += 1
    return dict(sorted(summary.items()))


def _asserted(store, subject) -> set[str]:
    if store is None:
        return set()
    return {q.object.value for q in store.quads_for_pattern(subject, _TYPE, None)
            if not states.derived(q.graph_name) and isinstance(q.object, ox.NamedNode)}


def list_releases(root: Path) -> list[Release]:
    """All releases of the store, oldest first."""
    target = folder(root)
    if not target.is_dir():
        return []
    found = []
    for path in target.glob("v*.json"):
        if path.name.count(".") != 1:
            continue  # v….quality.json and other files kept with a release
        try:
            found.append(Release(**json.loads(path.read_text("utf-8"))))
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError(f"the release record {path} is unreadable: {exc}") from None
    return sorted(found, key=lambda r: r.seq)


def find(root: Path, key: str | int) -> Release:
    """The release with sequence number or version name `key`.

    :raises UnknownResource: if there is none.
    """
    for release in list_releases(root):
        if str(release.seq) == str(key) or release.version == str(key):
            return release
    raise UnknownResource(f"no release {str(key)[:40]!r}; `kommunalgraph releases` lists them")


def states_path(root: Path, release: Release) -> Path:
    """The stored states of the resources a release touched."""
    return folder(root) / f"{release.version}.states.nq.gz"


def patch_path(root: Path, release: Release) -> Path:
    """The stored RDF Patch of a release."""
    return folder(root) / f"{release.version}.rdfp.gz"


def net_change(root: Path, start: Release, end: Release) -> tuple[set[bytes], set[bytes]]:
    """The quads added and removed from release `start` to release `end` (either order)."""
    if end.seq < start.seq:
        removed, added = net_change(root, end, start)
        return added, removed
    added: set[bytes] = set()
    removed: set[bytes] = set()
    for release in list_releases(root):
        if start.seq < release.seq <= end.seq:
            plus, minus = read_patch(patch_path(root, release))
            for line in minus:
                if line in added:
                    added.discard(line)
                else:
                    removed.add(line)
            for line in plus:
                if line in removed:
                    removed.discard(line)
                else:
                    added.add(line)
    return added, removed
