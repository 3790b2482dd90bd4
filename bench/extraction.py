"""Benchmark of issue 12's extractor: throughput on one core and the learning curve.

Run: .venv/bin/python bench/extraction.py [--no-curve]
Throughput: every corpus text (old parts and real/dev) drafted three times with the trained tagger and with the
rules alone; reports per second on one process (the tagger is single-threaded). The learning curve trains the
tagger on growing shares of real/dev (fixed seed) and scores real/test (aggregate only); it takes minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.extraction.extractor import Extractor  # noqa: E402
from graph.extraction.tagger import MODEL_DIR  # noqa: E402
from tests.extraction.evaluate import corpus  # noqa: E402


def throughput(extractor: Extractor, texts: list[Path], rounds: int = 3) -> tuple[float, float]:
    """(reports per second, KiB of text per second), best of `rounds` passes over `texts` after a warm-up."""
    extractor.extract(texts[0])
    size = sum(p.stat().st_size for p in texts) / 1024
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            extractor.extract(text)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best, size / best


def main() -> None:
    """Print the throughput table and (unless --no-curve) the learning curve."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-curve", action="store_true", help="skip the learning curve (it trains four taggers)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the issue asks
    texts = [t for part in ("tuned", "heldout", "real-dev") for t, _ in corpus(part)]
    console = Console()
    table = Table(title=f"Extraction throughput, one core, {len(texts)} reports")
    for column in ("extractor", "reports/s", "KiB/s"):
        table.add_column(column, justify="right" if column != "extractor" else "left")
    for name, extractor in (("tagger + rules", Extractor()), ("rules alone", Extractor(model_dir=None))):
        if name == "tagger + rules" and extractor.tagger is None:
            table.add_row(name, "–", f"no model in {MODEL_DIR.name}: run make model")
            continue
        reports, kib = throughput(extractor, texts)
        table.add_row(name, f"{reports:.1f}", f"{kib:.0f}")
    console.print(table)
    if not args.no_curve:
        from tests.extraction.curves import learning_curve

        console.print("Learning curve (real/test F1 per field against the real/dev texts trained on):")
        console.print(learning_curve(), markup=False)


if __name__ == "__main__":
    main()
