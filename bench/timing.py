"""Timing shared by the bench scripts (run as `python bench/NAME.py`, so this module is on their path)."""

from __future__ import annotations

import time


def timed(function, repeat: int) -> float:
    """Milliseconds per call, best of three rounds of `repeat` calls (the best round is the least disturbed
    by other work on a shared machine)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeat):
            function()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best * 1000
