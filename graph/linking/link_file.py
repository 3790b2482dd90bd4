"""The Wikidata link file (data/links/wikidata.yaml): read, check and rewrite it without losing edits.

Two lists. `links` holds decided links: `{kind, key, wikidata, method, decision, date}` plus an
optional `score`; `decision` is `accepted` (asserted by `build`) or `rejected` (never asserted
and never proposed again; a rejection without `wikidata` means that no item fits). `review`
holds what a steward still has to look at: `{kind, key, label, method, date, candidates:
[{wikidata, label, description, score}]}`. A steward decides a review entry by adding
`decision: accepted` with `wikidata: Q…` (build asserts it at once), or `decision: rejected`;
the next `kommunalgraph link wikidata` moves decided entries to `links`. The file is rewritten
with ruamel.yaml's round-trip mode, so comments and manual edits survive.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from graph.errors import Problem, RecordError

LINK_KINDS = ("municipality", "district", "state", "region", "group", "organisation", "topic")
DECISIONS = ("accepted", "rejected")
QID = re.compile(r"^Q[1-9][0-9]*$")
HEADER = """\
# Links from our entities to Wikidata. `build` turns accepted links into owl:sameAs (places,
# organisations) or skos:exactMatch (topics) in the graph <{base}graph/links>.
# `links`: decided links (accepted or rejected). `review`: candidates a steward has to decide
# by adding `decision: accepted` and `wikidata: Q…`, or `decision: rejected`.
"""


@dataclass
class LinkFile:
    """The parsed link file: its round-trip document and where each entry sits."""

    path: Path
    document: CommentedMap
    problems: list[Problem] = field(default_factory=list)

    @property
    def links(self) -> CommentedSeq:
        """The decided links, created empty when absent."""
        return self._list("links")

    @property
    def review(self) -> CommentedSeq:
        """The entries awaiting a steward's decision, created empty when absent."""
        return self._list("review")

    def _list(self, name: str) -> CommentedSeq:
        for section in ("links", "review"):  # a new file lists decided links first
            if not isinstance(self.document.get(section), list):
                self.document[section] = CommentedSeq()
        return self.document[name]

    def accepted(self) -> list[dict]:
        """Every accepted link, from `links` and from decided `review` entries."""
        found = [e for e in self.links if e.get("decision") == "accepted"]
        found += [e for e in self.review if e.get("decision") == "accepted" and e.get("wikidata")]
        return found

    def decided(self, kind: str, key: str) -> list[dict]:
        """Decided entries (either list) about one entity."""
        return [e for e in [*self.links, *self.review]
                if e.get("kind") == kind and str(e.get("key")) == key and e.get("decision") in DECISIONS]


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, flow style and key order
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_link_file(path: Path) -> LinkFile:
    """The link file at `path` (an empty one if it does not exist), with its entries checked.

    :raises RecordError: if it is not valid YAML or not a mapping.
    """
    if not path.exists():
        return LinkFile(path, CommentedMap())
    try:
        document = _yaml().load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise RecordError([Problem(f"Linkdatei nicht lesbar: {exc}", f"cannot read link file: {exc}",
                                   file=str(path))]) from None
    if document is None:
        document = CommentedMap()
    if not isinstance(document, dict):
        raise RecordError([Problem("Linkdatei muss eine Abbildung mit 'links' und 'review' sein",
                                   "link file must be a mapping with 'links' and 'review'", file=str(path))])
    linkfile = LinkFile(path, document)
    linkfile.problems = check(linkfile)
    return linkfile


def check(linkfile: LinkFile) -> list[Problem]:
    """Problems of the entries: unknown keys, missing fields, unquoted keys, malformed QIDs."""
    problems = []

    def problem(where: str, entry, german: str, english: str, value=None) -> None:
        line = getattr(getattr(entry, "lc", None), "line", None)
        at = f"{where} (Zeile/line {line + 1})" if line is not None else where
        problems.append(Problem(german, english, file=str(linkfile.path), field=at,
                                value=None if value is None else str(value)))

    for name in linkfile.document:
        if name not in ("links", "review"):
            problem(str(name), linkfile.document, f"unbekannter Abschnitt {name!r}", f"unknown section {name!r}")
    for section in ("links", "review"):
        entries = linkfile.document.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list):
            problem(section, linkfile.document, "muss eine Liste sein", "must be a list")
            continue
        for i, entry in enumerate(entries):
            where = f"{section}[{i}]"
            if not isinstance(entry, dict):
                problem(where, entry, "Eintrag muss eine Abbildung sein", "entry must be a mapping", entry)
                continue
            for german, english, value in _entry_problems(section, entry):
                problem(where, entry, german, english, value)
    return problems


def _entry_problems(section: str, entry: dict):
    """(german, english, value) for each problem of one entry."""
    required = ["kind", "key", "decision"] if section == "links" else ["kind", "key"]
    if section == "links" and entry.get("decision") != "rejected":
        required.insert(2, "wikidata")  # a rejection without an item means: no item fits
    missing = [name for name in required if entry.get(name) in (None, "")]
    if missing:
        yield (f"es fehlt: {', '.join(missing)}", f"missing: {', '.join(missing)}", None)
    if entry.get("kind") is not None and entry["kind"] not in LINK_KINDS:
        yield (f"unbekannte Art; erlaubt: {', '.join(LINK_KINDS)}", f"unknown kind; allowed: {', '.join(LINK_KINDS)}",
               entry["kind"])
    if entry.get("key") is not None and not isinstance(entry["key"], str):
        yield ("Schlüssel in Anführungszeichen setzen, sonst gehen führende Nullen verloren",
               "quote the key, or leading zeros are lost", entry["key"])
    qid = entry.get("wikidata")
    if qid is not None and not (isinstance(qid, str) and QID.match(qid)):
        yield ("Wikidata-Kennung muss die Form Q123 haben", "wikidata must look like Q123", qid)
    decision = entry.get("decision")
    allowed = DECISIONS if section == "links" else (*DECISIONS, "pending")
    if decision is not None and decision not in allowed:
        yield (f"Entscheidung muss eine von {', '.join(allowed)} sein", f"decision must be one of {', '.join(allowed)}",
               decision)
    if section == "review" and decision == "accepted" and not entry.get("wikidata"):
        yield ("angenommen, aber ohne 'wikidata'", "accepted without 'wikidata'", None)
    score = entry.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1):
        yield ("Wert 'score' muss zwischen 0 und 1 liegen", "score must be a number from 0 to 1", score)


def today() -> str:
    """Today's date as YYYY-MM-DD, the form of `date` in the link file."""
    return datetime.date.today().isoformat()


def flow(values: dict) -> CommentedMap:
    """A mapping written on one line, like the existing entries, with keys and dates quoted."""
    node = CommentedMap({name: DoubleQuotedScalarString(value) if name in ("key", "date") else value
                         for name, value in values.items()})
    node.fa.set_flow_style()
    return node


def write_link_file(linkfile: LinkFile) -> None:
    """Write the document back atomically (a temporary file, then rename).

    :raises RecordError: if the folder is not writable.
    """
    if not linkfile.document.ca.comment and not linkfile.path.exists():
        linkfile.document.yaml_set_start_comment(HEADER.replace("# ", "").replace("#", "").rstrip())
    buffer = io.StringIO()
    _yaml().dump(linkfile.document, buffer)
    try:
        linkfile.path.parent.mkdir(parents=True, exist_ok=True)
        handle, staged = tempfile.mkstemp(prefix=".wikidata-", suffix=".yaml", dir=linkfile.path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(buffer.getvalue())
        os.replace(staged, linkfile.path)
    except OSError as exc:
        raise RecordError([Problem(f"Linkdatei nicht schreibbar: {exc.strerror}",
                                   f"cannot write link file: {exc.strerror}", file=str(linkfile.path))]) from None
