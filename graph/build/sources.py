"""Where a build reads from: record folders, reference places, links, ontology and shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.records.record import find_records
from graph.settings import current


@dataclass
class Sources:
    """Where a build reads from; defaults are the project's folders (graph/settings.py)."""

    records: Path = field(default_factory=lambda: current().records_dir)
    reference: Path = field(default_factory=lambda: current().reference_dir)
    links: Path = field(default_factory=lambda: current().links_dir)
    ontology: Path = field(default_factory=lambda: current().ontology_dir)
    shapes: Path = field(default_factory=lambda: current().shapes_dir)
    # Further folders of records read with `records` (make build: data/reports beside data/records).
    more_records: tuple[Path, ...] = ()

    @classmethod
    def of(cls, records: tuple[Path, ...], reference: Path, links: Path | None = None) -> "Sources":
        """Sources with the record folders the command line names, the first one the main one."""
        sources = cls(records=records[0], reference=reference, more_records=tuple(records[1:]))
        if links is not None:
            sources.links = links
        return sources

    def record_files(self) -> list[Path]:
        """Every record file of every folder, folder by folder."""
        return [path for folder in (self.records, *self.more_records) for path in find_records(folder)]
