"""Names learned from the annotations, kept by keyphraseness: how often a text that names one records it.

Annotators record some names wherever a text names them ("Mobilität" as a topic, "DKSR" as an organiser) and
others hardly ever ("Verwaltung"). A name is learned when at least MIN_TEXTS training texts record it and at least
MIN_KEYPHRASENESS of the training texts that name it record it. This is the classic keyphraseness of keyword
extraction; it needs no rule per name and leaves out words that are named everywhere but mean nothing here.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from graph.errors import ModelError

MIN_TEXTS = 2
MIN_KEYPHRASENESS = 0.4
# Organisers named in the texts that the annotations record as organisers, saved next to the tagger by `make model`.
ORGANISERS_FILE = "organisers.json"
# An adjective with its case ending (in a name of several words, before the last): stem and ending.
ADJECTIVE = re.compile(r"(?P<stem>\w{2,}(?:al|ch|ig|iv|l|n|t|r))(?:e|en|er|es|em)")


def name_pattern(name: str) -> re.Pattern:
    """A name at a word start, spaces and hyphens alike, also as the first part of a compound ('Mobilitätskonzept');
    an adjective before the last word in any case ('Digitale Bildung' also as 'digitaler Bildung')."""
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    adjectives = [ADJECTIVE.fullmatch(w) if i < len(words) - 1 else None for i, w in enumerate(words)]
    parts = [re.escape(a.group("stem")) + r"(?:e|en|er|es|em)" if a else re.escape(w)
             for w, a in zip(words, adjectives)]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(parts), re.I)


@dataclass
class Example:
    """One training text and the names its annotation records (for one field)."""

    text: str
    names: set[str]


class Lexicon:
    """Learned names (with their keyphraseness) and where a text names them."""

    def __init__(self, names: list[str], keyphraseness: dict[str, float] | None = None):
        self.names = names
        self.keyphraseness = keyphraseness or {}
        self.patterns = [name_pattern(n) for n in names]

    def save(self, path: Path) -> None:
        """Write the names and their keyphraseness as JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({n: self.keyphraseness.get(n, 1.0) for n in self.names}, ensure_ascii=False,
                                   indent=1), "utf-8")

    @classmethod
    def load(cls, path: Path | None) -> "Lexicon | None":
        """The saved lexicon, or None when the file is not there."""
        if path is None or not path.exists():
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
            return cls(list(data), {str(n): float(k) for n, k in data.items()})
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            raise ModelError(f"{path} is unreadable ({type(exc).__name__}); run `make model` to train the "
                             "extraction model again") from None

    def found(self, text: str) -> list[tuple[str, int, int]]:
        """(name, start, end) of the first mention of every learned name in `text`."""
        out = []
        for name, pattern in zip(self.names, self.patterns):
            match = pattern.search(text)
            if match:
                out.append((name, match.start(), match.end()))
        return out


def fit(examples: list[Example], min_texts: int = MIN_TEXTS, min_keyphraseness: float = MIN_KEYPHRASENESS) -> Lexicon:
    """The names of `examples` that pass both thresholds, each in its most often written form."""
    recorded = Counter(folded for e in examples for folded in {n.casefold() for n in e.names})
    written = Counter(n for e in examples for n in e.names)
    kept, scores = [], {}
    for folded, texts in sorted(recorded.items()):
        if texts < min_texts or len(folded) < 2:
            continue
        name = max((n for n in written if n.casefold() == folded), key=lambda n: (written[n], n))
        pattern = name_pattern(name)
        naming = [e for e in examples if pattern.search(e.text)]
        hits = sum(folded in {n.casefold() for n in e.names} for e in naming)
        if naming and hits / len(naming) >= min_keyphraseness:
            kept.append(name)
            scores[name] = round(hits / len(naming), 3)
    return Lexicon(kept, scores)
