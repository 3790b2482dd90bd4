"""German-aware text analysis for the search index (issue 14): the same steps for documents and queries.

SQLite's FTS5 only splits words; everything German happens here, before the words reach it:

- umlauts and ß are folded two ways, so "Schoenborn" and "Schonborn" both find "Schönborn"
  (ä → ae and ä → a; ß → ss);
- each word also gives its Snowball stem (snowballstemmer, German), so inflected forms meet
  ("Werkstätten" → werkstatt, "Kommunen" → kommun);
- compounds: hyphenated words are split and also indexed joined ("Digital-Werkstatt" gives
  digital, werkstatt and digitalwerkstatt), and a closed compound gives its trailing parts
  (every suffix of at least MIN_PART letters: "Digitalwerkstatt" gives …, werkstatt, statt).
  German compounds put the head last, so the suffixes carry what the word is about; prefix
  matching then finds "Werkstatt" in "Digitalwerkstätten". The suffixes go into a column of
  their own that ranks low, so a whole-word hit still comes first.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# A run of letters and digits, optionally joined by hyphens (Digital-Werkstatt, 5fürSüdwestfalen).
_WORD = re.compile(r"\w+(?:[-‐‑–]\w+)*")
_FOLD_AE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
MIN_WORD_FOR_PARTS = 8   # shorter words are rarely compounds
MIN_PART = 4             # shortest trailing part indexed ("amt", "rat" would match too much)
MIN_HEAD = 3             # letters a compound keeps before its first part
MAX_QUERY_TERMS = 12

_stemmer = snowballstemmer.stemmer("german")


def _plain(text: str) -> str:
    """Lower case without diacritics other than the German ones (handled by the callers)."""
    return text.casefold()


def _strip_marks(word: str) -> str:
    """ä → a, é → e: every combining mark dropped (ß stays ß; callers fold it)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def variants(word: str) -> tuple[str, ...]:
    """The spellings of one lower-case word that the index holds: ae-folded, mark-stripped, stem."""
    ae = _strip_marks(word.translate(_FOLD_AE))
    stripped = _strip_marks(word).replace("ß", "ss")
    stem = _strip_marks(_stemmer.stemWord(word)).replace("ß", "ss")
    found = []
    for form in (ae, stripped, stem):
        form = re.sub(r"\W", "", form)
        if form and form not in found:
            found.append(form)
    return tuple(found)


def words(text: str) -> list[str]:
    """The lower-case words of a text, hyphenated words split into their parts."""
    return [part for token in _WORD.findall(_plain(text)) for part in re.split(r"[-‐‑–]", token) if part]


def _joined(text: str) -> list[str]:
    """Hyphenated words written as one ("digital-werkstatt" → "digitalwerkstatt")."""
    return [re.sub(r"[-‐‑–]", "", token) for token in _WORD.findall(_plain(text)) if re.search(r"[-‐‑–]", token)]


def analyse(text: str) -> str:
    """The terms of a text as FTS5 should index them, space-separated."""
    terms: list[str] = []
    for word in words(text) + _joined(text):
        terms.extend(variants(word))
    return " ".join(terms)


def parts(text: str) -> str:
    """The trailing parts of the text's long words (compound heads), space-separated."""
    found: list[str] = []
    for word in words(text) + _joined(text):
        for form in variants(word)[:2]:
            if len(form) < MIN_WORD_FOR_PARTS:
                continue
            for start in range(MIN_HEAD, len(form) - MIN_PART + 1):
                found.append(form[start:])
    return " ".join(dict.fromkeys(found))


def key(text: str) -> str:
    """A whole label as compared for the label boost: folded words joined by single spaces."""
    return " ".join(variants(word)[0] for word in words(text))


def match_expression(query: str, any_word: bool = False) -> str | None:
    """An FTS5 MATCH expression for what a user typed, or None if it has nothing to search for.

    Every word must occur (AND; with `any_word`, one is enough) in one of its spellings (OR); the
    last word is a prefix, since
    the user may still be typing it. Each spelling is quoted and holds only letters and digits,
    so FTS5 syntax in the input (quotes, *, NEAR(, -, column filters) is searched as text.
    """
    typed = words(query)[:MAX_QUERY_TERMS]
    if not typed:
        return None
    groups = []
    for i, word in enumerate(typed):
        prefix = "*" if i == len(typed) - 1 else ""
        spellings = " OR ".join(f'"{form}"{prefix}' for form in variants(word))
        groups.append(f"({spellings})")
    return (" OR " if any_word else " AND ").join(groups)
