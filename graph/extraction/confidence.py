"""Confidence per extracted fact: a raw score from what supports the fact, mapped to a calibrated probability.

The raw score adds up the evidence (the tagger agrees, the rules found it, the place is unambiguous …). The map
from raw score to probability is an isotonic regression per field, fitted on the development corpus by
cross-validation (`python -m tests.extraction.curves --calibrate`) and saved next to the tagger as
calibration.json; without it the raw score is used as it is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from graph.extraction.names import is_first_name

# Facts under this calibrated confidence go to the draft's review list with their sentence.
REVIEW_BELOW = 0.6
CALIBRATION_FILE = "calibration.json"


class Calibration:
    """Per-field isotonic maps from raw score to probability (identity for fields without one)."""

    def __init__(self, maps: dict[str, tuple[list[float], list[float]]] | None = None):
        self.maps = maps or {}

    @classmethod
    def load(cls, model_dir: Path | None) -> "Calibration":
        """The calibration saved with the model, or the identity when there is none."""
        path = model_dir / CALIBRATION_FILE if model_dir is not None else None
        if path is None or not path.exists():
            return cls()
        data = json.loads(path.read_text("utf-8"))
        return cls({name: (m["x"], m["y"]) for name, m in data.items()})

    def save(self, model_dir: Path) -> None:
        """Write the maps to model_dir/calibration.json."""
        data = {name: {"x": list(map(float, x)), "y": list(map(float, y))} for name, (x, y) in self.maps.items()}
        (model_dir / CALIBRATION_FILE).write_text(json.dumps(data, indent=1), "utf-8")

    def __call__(self, field_name: str, raw: float) -> float:
        """The calibrated confidence of a fact of `field_name` with raw score `raw`."""
        if field_name not in self.maps:
            return raw
        x, y = self.maps[field_name]
        return float(np.interp(raw, x, y))


def fit(samples: list[tuple[str, float, bool]], minimum: int = 8) -> Calibration:
    """Isotonic maps per field from (field, raw score, correct) samples; fields with few samples stay raw."""
    from sklearn.isotonic import IsotonicRegression

    maps = {}
    for name in sorted({s[0] for s in samples}):
        raw = np.array([s[1] for s in samples if s[0] == name])
        right = np.array([float(s[2]) for s in samples if s[0] == name])
        if len(raw) < minimum:
            continue
        model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, right)
        maps[name] = (list(model.X_thresholds_), list(model.y_thresholds_))
    return Calibration(maps)


def raw_place(draft) -> float:
    """Municipality: the tagger agrees, one candidate only, named in a heading."""
    heading = draft.place_mention is not None and draft.place_mention.score >= 6
    return 0.45 + 0.25 * draft.place_voted + 0.15 * (len(draft.ambiguous) <= 1) + 0.1 * heading


def raw_date(draft) -> float:
    """Date: the tagger agrees, not relative, precise to the day."""
    return 0.4 + 0.3 * draft.date_voted + 0.15 * (not draft.date.relative) + 0.1 * (draft.date.precision == 10)


def raw_speaker(speaker, key: str) -> float:
    """Speaker name, organisation or role: the rules and the tagger agree; a name starts with a first name."""
    votes = getattr(speaker, "votes", {"rules": True})
    by_rules = votes.get("rules") and key not in getattr(speaker, "tagged_parts", ())
    score = 0.35 + 0.25 * bool(votes.get(key)) + 0.2 * bool(by_rules)
    if key == "name":
        score += 0.15 * is_first_name(speaker.name.split()[0])
    return score


def sentence_of(text: str, start: int, end: int, limit: int = 240) -> str:
    """The sentence around text[start:end], shortened to `limit` characters."""
    left = max(text.rfind(".", 0, max(start - 1, 0)), text.rfind("\n", 0, start)) + 1
    found = re.search(r"[.!?](\s|$)|\n", text[end:])
    right = end + found.start() + 1 if found else len(text)
    sentence = " ".join(text[left:right].split())
    return sentence if len(sentence) <= limit else sentence[:limit - 1] + "…"
