"""How far a score on a few dozen texts can be trusted: bootstrap intervals over the texts of a part.

The test split holds 70 texts. One text more or less right moves a field's F1 by a point or two, so a change that
moves a score by that much may be chance. Resampling the part's texts with replacement (fixed seed, so the
numbers repeat) and scoring each resample gives the range in which the score would fall on another draw of
texts from the same publishers: the 95 % interval printed beside each F1.

  python -m tests.extraction.evaluate --parts real-test --intervals
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.extraction.scoring import ALL_FIELDS, Score

ROUNDS = 2000
SEED = 12
EVENTS = "events right"


@dataclass(frozen=True)
class TextResult:
    """One text's true positives, false positives and false negatives per field, and whether the number of its
    events was right."""

    counts: dict[str, tuple[int, int, int]]
    events_right: bool

    @classmethod
    def of(cls, scores: dict[str, Score], events_right: bool) -> "TextResult":
        return cls({name: (s.tp, s.fp, s.fn) for name, s in scores.items()}, events_right)


def f1(tp: int, fp: int, fn: int) -> float:
    """Micro F1 of summed counts (as Score.f1: a field with nothing to find and nothing found is perfect)."""
    return Score(tp, fp, fn).f1


def score(texts: list[TextResult]) -> dict[str, float]:
    """F1 per field over `texts` (counts summed first, as the table does) and the share of texts whose number of
    events is right; a field none of the texts has facts of is left out."""
    out = {}
    for name in ALL_FIELDS:
        tp, fp, fn = (sum(t.counts.get(name, (0, 0, 0))[i] for t in texts) for i in range(3))
        if tp + fp + fn:
            out[name] = f1(tp, fp, fn)
    out[EVENTS] = sum(t.events_right for t in texts) / len(texts) if texts else 1.0
    return out


def bootstrap(texts: list[TextResult], rounds: int = ROUNDS, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """The 2.5th and 97.5th percentile of each score over `rounds` resamples of `texts` (with replacement)."""
    if not texts:
        return {}
    draw = random.Random(seed)
    samples: dict[str, list[float]] = {name: [] for name in score(texts)}
    for _ in range(rounds):
        resample = [texts[draw.randrange(len(texts))] for _ in texts]
        scores = score(resample)
        for name in samples:
            # A resample without any fact of a rare field scores it as perfect; that says nothing, so it is skipped.
            if name in scores:
                samples[name].append(scores[name])
    return {name: _percentiles(values) for name, values in samples.items() if values}


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    last = len(ordered) - 1
    return ordered[round(0.025 * last)], ordered[round(0.975 * last)]


def interval_table(per_text: dict[str, list[TextResult]], rounds: int = ROUNDS) -> str:
    """F1 (and the share of texts with the right number of events) per part with its 95 % bootstrap interval."""
    lines = [f"{'part':9} {'field':14} {'F1':>6}  95 % interval over {rounds} resamples of the part's texts"]
    for part, texts in per_text.items():
        point, ranges = score(texts), bootstrap(texts, rounds)
        for name in ALL_FIELDS + [EVENTS]:
            if name not in ranges:   # no text of the part has a fact of it
                continue
            low, high = ranges[name]
            lines.append(f"{part:9} {name:14} {point[name]:6.3f}  {low:.3f} – {high:.3f}")
    return "\n".join(lines)
