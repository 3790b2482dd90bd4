"""German first names, read from the data file that the pinned gender-guesser package ships (no download)."""

from __future__ import annotations

from functools import lru_cache

# Column of gender-guesser's country table for Germany, Austria and Switzerland (its COUNTRIES order).
_GERMAN_SPEAKING = (12, 13, 14)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """First names in use in Germany, Austria or Switzerland (an empty set if the package is missing)."""
    try:
        from gender_guesser.detector import Detector
    except ImportError:  # the rules still work without the list, only less sure about names
        return frozenset()
    names = set()
    for name, genders in Detector(case_sensitive=True).names.items():
        for values in genders.values():
            if any(len(values) > i and values[i].strip() for i in _GERMAN_SPEAKING):
                names.add(name)
                break
    return frozenset(names)


def is_first_name(word: str) -> bool:
    """True when `word` (or each part of a hyphenated 'Anna-Lena') is a German first name."""
    parts = word.split("-")
    return bool(parts) and all(part in first_names() for part in parts)
