"""The check of one record file, the same in the serial build and in the parallel workers.

Read the record, map it to its report graph, validate that graph with SHACL. With a fast
verdict (shifty) pyshacl runs only when the verdict says the graph does not conform, to
explain why (graph/checks/shacl_fast.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph

from graph.checks.shacl import to_problems, validate
from graph.checks.shacl_fast import FastVerdict
from graph.errors import Problem, RecordError
from graph.mapping.erasure import Erasure
from graph.mapping.mapper import EVENT_CLASSES, Mapper, ReportGraph
from graph.records.record import load_record


@dataclass
class CheckedFile:
    """What checking one record file found: its report graph (None if unreadable) and problems."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    key: str | None = None
    report: ReportGraph | None = None
    asserted: bytes | None = None   # the report graph as N-Triples, when the check wrote it anyway

    @property
    def blocked(self) -> bool:
        """True if the file cannot go into the store (unreadable or a SHACL violation)."""
        return self.report is None or any(p.severity == "violation" for p in self.problems)

    def ntriples(self) -> bytes:
        """The report graph as N-Triples (written once)."""
        if self.asserted is None:
            self.asserted = self.report.graph.serialize(format="nt", encoding="utf-8")
        return self.asserted


@dataclass
class RecordChecker:
    """Everything checking a record file needs; one per process (pySHACL#314: shapes are not shared)."""

    mapper: Mapper
    shapes: Graph
    ontology: Graph
    fast: FastVerdict | None = None
    erasure: Erasure | None = None   # suppressed persons: erased before the checks, never published

    def check(self, path: Path) -> CheckedFile:
        """Read, map and validate the record file at `path`."""
        try:
            record = load_record(path)
        except RecordError as exc:
            return CheckedFile(str(path), list(exc.problems))
        report = self.mapper.map_record(record)
        if self.erasure:
            self.erasure.erase_graph(report.graph)
        checked = CheckedFile(report.file, list(report.problems), record.key, report)
        if self.fast is None or not self.fast.conforms(checked.ntriples()):
            checked.problems.extend(to_problems(validate(report.graph, self.shapes, self.ontology), report.file,
                                                report.origin))
        return checked


def duplicate_key(key: str, file: str, seen: dict[str, str]) -> Problem | None:
    """A problem if another file already used report id `key`; otherwise remember `file` for it."""
    if key in seen:
        return Problem(f"Berichtskennung {key!r} kommt auch in {seen[key]} vor",
                       f"report id {key!r} is also used by {seen[key]}", file=file, field="report.id", value=key)
    seen[key] = file
    return None


def count_events(graph: Graph) -> int:
    """Events (workshops and other kinds) described in `graph`."""
    return sum(1 for cls in EVENT_CLASSES.values() for _ in graph.subjects(RDF.type, cls))
