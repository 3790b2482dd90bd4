"""Every IRI the graph mints comes from here, under one configured base."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from slugify import slugify as _slugify

# German transliteration first, so that "Schönborn" becomes "schoenborn", not "schonborn".
_GERMAN = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["ß", "ss"]]

# The kinds of things we mint, and the path segment each lives under.
KINDS = {
    "municipality": "municipality",
    "district": "district",
    "state": "state",
    "region": "region",
    "group": "group",
    "government_district": "government-district",
    "event": "event",
    "talk": "talk",
    "person": "person",
    "organisation": "organisation",
    "position": "position",
    "post": "post",
    "role": "role",
    "interval": "interval",
    "strategy": "strategy",
    "working_group": "working-group",
    "outcome": "outcome",
    "report": "report",
    "topic_candidate": "topic-candidate",
    "statement": "statement",
}


def slug(text: str) -> str:
    """A lower-case ASCII slug with German transliteration: 'Bad Schönborn' -> 'bad-schoenborn'."""
    return _slugify(text, replacements=_GERMAN, max_length=80, word_boundary=True)


@dataclass(frozen=True)
class Minter:
    """Mints IRIs under `base` (which ends with '/')."""

    base: str

    def __post_init__(self):
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")

    def thing(self, kind: str, key: str) -> URIRef:
        """The IRI of a thing: {base}id/{kind}/{key}."""
        return URIRef(f"{self.base}id/{KINDS[kind]}/{key}")

    def graph(self, report_key: str) -> URIRef:
        """The named graph that holds one report's facts."""
        return URIRef(f"{self.base}graph/report/{report_key}")

    def named(self, name: str) -> URIRef:
        """A well-known graph or resource of the dataset, such as 'graph/reference'."""
        return URIRef(f"{self.base}{name}")
