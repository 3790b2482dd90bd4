"""What a write did, and the write log: every write's outcome as one JSON line in `writes.jsonl`, and a line in
the server log."""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

log = logging.getLogger("kommunalgraph.writes")
WRITE_LOG = "writes.jsonl"


@dataclass
class WriteResult:
    """What a write did."""

    operation: str
    who: str
    graphs: list[str]
    added: int
    removed: int
    version: str | None
    changed: bool
    created: bool = False
    # Quads added and removed per named graph: the write's effect, as the log records it.
    effect: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


class Unchanged(Exception):
    """Raised inside the writer to discard a version that holds no change."""


def log_entry(result: WriteResult, outcome: str, started: float, violations: int = 0, error: str | None = None,
              text: str | None = None) -> dict:
    """The log line of a write: its result, outcome and time since `started` (a perf_counter reading)."""
    entry = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "outcome": outcome,
             **{k: v for k, v in asdict(result).items() if k not in ("warnings", "seconds", "changed")},
             "violations": violations, "error": error, "seconds": round(time.perf_counter() - started, 4)}
    if text is not None:
        # The whole request, every operation in it, exactly as the engine received it.
        entry["request"] = text
    return entry


def append_entry(log_dir: Path, entry: dict, version: str | None) -> None:
    """Log one write (`entry`: outcome, who, operation, graphs, counts, seconds …) and append it to the file."""
    error = entry.get("error")
    log.info("write %s who=%s operation=%s graphs=%s added=%d removed=%d version=%s seconds=%.3f%s",
             entry["outcome"], entry["who"], entry["operation"], ",".join(entry["graphs"]) or "-", entry["added"],
             entry["removed"], version, entry["seconds"], f" error={error}" if error else "")
    try:
        with open(log_dir / WRITE_LOG, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:  # the write itself succeeded or failed already; say so, do not mask it
        log.error("could not append to the write log in %s: %s", log_dir, exc)


def lap(since: float) -> float:
    """Seconds since `since` (a perf_counter reading), rounded for the log."""
    return round(time.perf_counter() - since, 4)
