"""First names, read from the data file that the pinned gender-guesser package ships (no download).

Two tiers. Names in use in Germany, Austria, Switzerland or East Frisia are names wherever they stand. Names
common in any other country of the table (Mehmet, Piotr, Tarek, Mira) are names too, since people in German
reports come from everywhere, unless German uses the word otherwise: the table also lists 'Mai', 'Foto', 'Bei'
and 'Stein' as first names somewhere, and HanTa's lexicon knows those as German words.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Columns of gender-guesser's country table (its COUNTRIES order): East Frisia, Germany, Austria, Switzerland.
_GERMAN_SPEAKING = (11, 12, 13, 14)
# A frequency of 3 or more on the table's scale of 1 to 13 in another country: common there, not a rarity.
_WIDESPREAD = 3
# HanTa scores a word it knows above this log probability; a guessed tag scores far below.
_KNOWN_WORD = -20.0
_FUNCTION_WORDS = {"The", "Van", "Von", "Del", "Den", "Der", "Les", "Las", "Los", "San", "Santa"}


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str]]:
    """(German-speaking names, names common elsewhere); both empty if the package is missing."""
    try:
        from gender_guesser.detector import Detector
    except ImportError:  # the rules still work without the list, only less sure about names
        return frozenset(), frozenset()
    german, elsewhere = set(), set()
    for name, genders in Detector(case_sensitive=True).names.items():
        columns = [value for values in genders.values() for value in values]
        if any(len(values) > i and values[i].strip() for values in genders.values() for i in _GERMAN_SPEAKING):
            german.add(name)
        elif len(name) >= 3 and name.isalpha() and name[0].isupper() and name not in _FUNCTION_WORDS and any(
                value.strip() and int(value, 16) >= _WIDESPREAD for value in columns):
            elsewhere.add(name)
    return frozenset(german), frozenset(elsewhere)


def first_names() -> frozenset[str]:
    """First names in use in Germany, Austria, Switzerland or East Frisia."""
    return _tables()[0]


@lru_cache(maxsize=4096)
def _widespread_name(word: str) -> bool:
    if word not in _tables()[1]:
        return False
    from graph.text.sentences import top_tag   # HanTa is loaded anyway when text is tagged
    # neither the word nor its lower case ('Allen' of 'allen Gästen') may be a German word HanTa knows
    tags = [top_tag(form) for form in (word, word.lower())]
    return not any(tag and tag[0] not in ("NE", "FM") and tag[1] >= _KNOWN_WORD for tag in tags)


def is_first_name(word: str) -> bool:
    """True when `word` (or each part of a hyphenated 'Anna-Lena') is a first name."""
    parts = word.split("-")
    return bool(parts) and all(part in first_names() or _widespread_name(part) for part in parts)


# Person names as reports write them: titles, given names, an initial, a particle, the surname.
HONORIFIC = r"(?:Herrn?|Frau|Prof\.|Professorin|Professor|Dr\.(?:-Ing\.)?|Dipl\.-\w+\.|PD)"
# Letters of names from all over Europe and Turkey ('Çelik', 'Yıldız', 'Łukasz'), not only German ones.
_UP = "A-ZÄÖÜÀ-ÖØ-ÞĆČĐŁŚŠŞŻŽ"
_LOW = "a-zäöüßà-öø-ÿāăąćčďđēęěğıłńňōőřśşšţťūůűźżž"
_CAP = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
PERSON = re.compile(rf"(?P<honorific>(?:{HONORIFIC}\s+)*)(?P<name>{_CAP}(?:\s+{_CAP})?(?:\s+[{_UP}]\.)?(?:\s+(?:von|van|de|zu)"
                    rf"(?=\s+[{_UP}][{_LOW}]+(?!\w|[.@]\w|\s+(?:der|dem|des)\b)))?\s+{_CAP})"
                    r"(?!\w)")
# 'Herr Dr. Gisch', 'Frau Selzer': a surname alone, named so by Herr or Frau.
SURNAME = re.compile(rf"(?P<honorific>(?:Herrn?|Frau)\s+(?:(?:Prof\.|Dr\.(?:-Ing\.)?)\s+)*)(?P<name>{_CAP})"
                     rf"(?!\w|\s+[{_UP}][{_LOW}])")


def person_candidates(text: str):
    """Person-shaped matches, trying every capitalised word as a start so 'Projektleiter X Y' still finds X Y."""
    for word in re.finditer(rf"(?<![\w.-])[{_UP}]", text):
        match = SURNAME.match(text, word.start()) or PERSON.match(text, word.start())
        if match:
            yield match
