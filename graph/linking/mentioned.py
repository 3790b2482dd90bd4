"""Who and what the record files name, read once for the keys of organisations and persons.

The build resolves organisation names and speaker mentions across every report before mapping
any (graph/linking/organisations.py, persons.py). Both used to read every record file, and the
workers read it a third time; at national scale (4,350 files) each serial pass cost about half
a minute of YAML parsing. Here each file is read once, in worker processes when there are many.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from graph.linking.organisations import names_in
from graph.linking.persons import Mention, mentions_in
from graph.records.record import load_record
from graph.store.workers import exit_with_parent

# Files per task: enough to amortise the round trip to a worker.
CHUNK = 32


@dataclass
class Mentioned:
    """Organisation names (name → the reports that write it) and speaker mentions of record files."""

    names: dict[str, list[str]] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)


def read_mentioned(files: list[Path], workers: int = 1) -> Mentioned:
    """Names and mentions of the readable files (unreadable ones are the record check's business),
    in the order of `files`, whatever the number of `workers`."""
    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    if workers > 1 and len(chunks) > 1:
        # Each worker ends with the build, also when the build is killed (exit_with_parent).
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
            parts = list(pool.map(_read, chunks))
    else:
        parts = [_read(chunk) for chunk in chunks]
    found: dict[str, set[str]] = {}
    out = Mentioned()
    for names, mentions in parts:
        for name, report in names:
            found.setdefault(name, set()).add(report)
        out.mentions.extend(mentions)
    out.names = {name: sorted(reports) for name, reports in sorted(found.items())}
    return out


def _read(paths: list[Path]) -> tuple[list[tuple[str, str]], list[Mention]]:
    names, mentions = [], []
    for path in paths:
        try:
            record = load_record(path)
        except Exception:  # noqa: BLE001 - the record check reports every way a file can fail
            continue
        names += [(name, record.key) for name in names_in(record)]
        mentions += mentions_in(record)
    return names, mentions
