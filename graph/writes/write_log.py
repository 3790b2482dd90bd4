"""The write log: every write's outcome as one JSON line in `writes.jsonl`, and a line in the server log."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

log = logging.getLogger("kommunalgraph.writes")
WRITE_LOG = "writes.jsonl"


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
