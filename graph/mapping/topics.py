"""The SKOS topic scheme as a lookup: labels, alt labels and notations to concepts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from graph.records.gazetteer import normalise


def topic_key(label: str) -> str:
    """Comparison key: case, umlauts, hyphens and spaces do not matter ('Social-Media' == 'social media')."""
    return re.sub(r"[\s\-]+", "", normalise(label))


@dataclass
class TopicIndex:
    """Concepts of the topic scheme, found by any of their labels."""

    by_key: dict[str, URIRef] = field(default_factory=dict)
    pref_labels: dict[URIRef, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> "TopicIndex":
        """Index every skos:Concept of `graph` by prefLabel, altLabel, hiddenLabel and notation."""
        index = cls()
        for concept in set(graph.subjects(SKOS.inScheme, None)):
            labels = index.pref_labels.setdefault(concept, {})
            for label in graph.objects(concept, SKOS.prefLabel):
                labels[label.language or ""] = str(label)
            for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.notation):
                for label in graph.objects(concept, predicate):
                    index.by_key.setdefault(topic_key(str(label)), concept)
        return index

    @classmethod
    def from_file(cls, path: Path) -> "TopicIndex":
        """Index the concept scheme in a Turtle file."""
        return cls.from_graph(Graph().parse(path, format="turtle"))

    def resolve(self, label: str) -> URIRef | None:
        """The concept with this label, alt label or notation, or None."""
        return self.by_key.get(topic_key(label))

    def suggestions(self, label: str, n: int = 3) -> list[str]:
        """German labels of concepts whose labels are close to `label`."""
        close = difflib.get_close_matches(topic_key(label), list(self.by_key), n=n * 3, cutoff=0.6)
        names = []
        for key in close:
            name = self.label(self.by_key[key])
            if name not in names:
                names.append(name)
        return names[:n]

    def label(self, concept: URIRef, language: str = "de") -> str:
        """The preferred label of `concept` in `language` (German by default)."""
        labels = self.pref_labels.get(concept, {})
        return labels.get(language) or labels.get("en") or next(iter(labels.values()), str(concept))
