"""Topics of the SKOS scheme in report text: labels with inflections, compounds and elliptic coordination."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from graph.text.sentences import Sentence
from graph.mapping.topics import TopicIndex

_ENDING = r"(?:e|en|er|es|em|n|s|ns|nen)?"
THEME = re.compile(r"\b(?:zum|zu dem)\s+Thema:?\s+(?:„(?P<quoted>[^“”\"]{3,80})[“”\"]|(?P<plain>[A-ZÄÖÜ][\w-]*"
                   r"(?:\s+[A-ZÄÖÜ][\w-]*){0,2}))")
ELLIPSIS = re.compile(r"\b(?P<first>[a-zäöü]\w+?)(?:e|er|en|es)?\s+(?:und|oder|sowie)\s+(?P<second>[a-zäöü]\w+)\s+"
                      r"(?P<noun>[A-ZÄÖÜ]\w+)")
BRACKETED = re.compile(r"\((?P<first>[A-ZÄÖÜ]\w+)-\)(?P<second>\w+)")
# A concept a sentence describes without naming it. Citizen participation is citizens who are asked to bring
# in their ideas: 'Bürgerinnen und Bürger können ihre Wünsche einbringen', or an event made for them to work
# in ('Bürgerworkshop', 'Bürgerdialog'; a 'Bürgerabend' informs them), which names the concept by its form.
PUBLIC = (r"Bürgerinnen und Bürger\w*|Bürger[:*]innen|Einwohnerinnen und Einwohner\w*|Einwohner|Bürgerschaft|"
          r"Öffentlichkeit")
# The verbs also in the perfect and passive ('60 Bürgerinnen und Bürger haben mitgewirkt', 'wurden einbezogen').
CONTRIBUTE = (r"einbringen|einzubringen|eingebracht|mitreden|mitzureden|mitmachen|Mitmachen|mitgestalten|mitzugestalten|"
              r"mitgestaltet|mitwirken|mitgewirkt|einbeziehen|einzubeziehen|einbezogen|einbinden|einzubinden|eingebunden|"
              r"beteiligen|beteiligt|Ideen|Wünsche|Anregungen|Vorschläge")
# Inter-municipal cooperation is municipalities that work together: 'Kooperation von Kommunen', 'Zusammenarbeit der
# Städte und Gemeinden', 'Kommunen wollen enger zusammenarbeiten', 'gemeinsam mit seinen Städten und Gemeinden'.
MUNICIPALITIES = r"(?:Kommunen|Städten?|Gemeinden|Landkreisen?|Nachbarkommunen|Nachbargemeinden)"
CUES = {"Bürgerbeteiligung": re.compile(
    rf"\b(?:Bürger(?:innen)?-?(?:workshop|werkstatt|dialog|forum|lab|rat)\w*"
    rf"|(?:{PUBLIC})\b.*\b(?:{CONTRIBUTE})\b|\b(?:{CONTRIBUTE})\b.*\b(?:{PUBLIC}))"),
    # An administration that works or offers its services digitally: 'die Verwaltung soll digitaler arbeiten',
    # 'Verwaltungsleistungen online', 'digitale Abläufe in der Verwaltung' (not the 'Stadtverwaltung' at large).
    "Digitale Verwaltung": re.compile(
    r"(?<![\w-])Verwaltung(?:en|sleistungen|sdienste|sprozesse)?\b[^.;:,]{0,40}\b(?:digital(?:e[nrs]?|er)?|online)\b"
    r"|\b(?:digital(?:e[nrs]?|er)?|Online-?)\s*(?:\w+\s+){0,2}(?:in der |der |einer )Verwaltung\b"
    r"|\bOnline-Verwaltung\w*"),
    "Interkommunale Zusammenarbeit": re.compile(
    rf"\b(?:Zusammenarbeit|Kooperation)\s+(?:von|der|zwischen)\s+(?:den\s+)?(?:\w+\s+)?{MUNICIPALITIES}\b"
    rf"|\b{MUNICIPALITIES}\b[^.;:]{{0,60}}\b(?:zusammenarbeiten|kooperieren)\b"
    rf"|\bgemeinsam mit (?:seinen|ihren|den) (?:\w+\s+)?{MUNICIPALITIES}\b")}


# Verbs whose -ung noun is a label but whose participle mostly means something else: 'durch den Abend geführt',
# 'Gespräche geführt' (not Führung), 'an dem Projekt beteiligt' (involved, not Beteiligung). On the development
# texts their participles were a recorded topic 0 times in 9.
POLYSEMOUS_VERBS = {"führen", "beteiligen"}


@dataclass
class TopicMention:
    """A topic found in the text: the concept (or a candidate label) and its clean offsets."""

    start: int
    end: int
    concept: URIRef | None
    label: str
    candidate: bool = False
    # The learned topic model's probability (topic_model.py); None for the scheme's labels, which the text names.
    probability: float | None = None


class TopicFinder:
    """Finds concepts of the topic scheme by their German labels."""

    def __init__(self, graph: Graph, index: TopicIndex):
        self.index = index
        self.top = set(graph.objects(None, SKOS.hasTopConcept)) | set(graph.subjects(SKOS.topConceptOf, None))
        labels: dict[str, URIRef] = {}
        for concept in set(graph.subjects(SKOS.inScheme, None)):
            for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in graph.objects(concept, predicate):
                    if label.language in ("de", None) or str(label).isupper():
                        labels.setdefault(str(label), concept)
        self.labels = labels
        self.single = {label.casefold(): concept for label, concept in labels.items() if " " not in label}
        ordered = sorted(labels, key=len, reverse=True)
        self.pattern = re.compile("|".join(f"(?P<t{i}>{_label_pattern(label)})" for i, label in enumerate(ordered)),
                                  re.I)
        self.ordered = ordered
        # A compound label names the concept of its first part too: a 'Smart-City-Strategie' is about Smart City
        # (a top concept as a first part is as generic there as anywhere: 'Digitalisierungsstrategie').
        self.parts = {label: {c for other, c in labels.items() if c not in {concept, *self.top}
                              and re.match(_label_pattern(other), label, re.I)}
                      for label, concept in labels.items()}

    def find(self, text: str, offset: int, title: bool) -> list[TopicMention]:
        """Topics in `text`; top concepts of the scheme count only in titles, where they are chosen on purpose."""
        found = []
        for start, end, phrase in self._phrases(text):
            for match in self.pattern.finditer(phrase):
                label = self.ordered[int(match.lastgroup[1:])]
                concept = self.labels[label]
                span = (start + match.start(), start + match.end()) if end is None else (start, end)
                for named in [concept, *sorted(self.parts[label])]:
                    if named not in self.top or title:
                        found.append(TopicMention(offset + span[0], offset + span[1], named, self.index.label(named)))
        return found

    def from_lemmas(self, sentence: Sentence) -> list[TopicMention]:
        """Verbs whose noun is a topic label: 'fortgebildet' (fortbilden) -> Fortbildung."""
        found = []
        for token in sentence.tokens:
            if token.tag == "VV(PP)" and token.lemma.endswith("en") and token.lemma not in POLYSEMOUS_VERBS:
                concept = self.single.get((token.lemma[:-2] + "ung").casefold())
                if concept is not None and concept not in self.top:
                    found.append(TopicMention(token.start, token.end, concept, self.index.label(concept)))
        return found

    def cued(self, text: str, offset: int) -> list[TopicMention]:
        """Concepts the sentence describes without their label (CUES)."""
        found = []
        for label, cue in CUES.items():
            match = cue.search(text)
            concept = self.labels.get(label)
            if match and concept is not None:
                found.append(TopicMention(offset + match.start(), offset + match.end(), concept,
                                          self.index.label(concept)))
        return found

    def candidates(self, text: str, offset: int) -> list[TopicMention]:
        """Themes the text names ('zum Thema „Digitaler Zwilling“') that the scheme does not know."""
        found = []
        for match in THEME.finditer(text):
            group = "quoted" if match.group("quoted") else "plain"
            theme = match.group(group).strip()
            if not self.pattern.search(theme):
                found.append(TopicMention(offset + match.start(group), offset + match.end(group), None, theme, True))
        return found

    def _phrases(self, text: str):
        """The text itself, plus phrases that coordination leaves out ('interner und externer Kommunikation')."""
        yield 0, None, text
        for match in ELLIPSIS.finditer(text):
            yield match.start(), match.end(), f"{match.group('first')} {match.group('noun')}"
        for match in BRACKETED.finditer(text):
            yield match.start(), match.end(), f"{match.group('first')}{match.group('second').lower()}"


def _label_pattern(label: str) -> str:
    """A label as a regex that allows inflection, hyphens for spaces and use as the first part of a compound."""
    words = re.split(r"[\s-]+", label)
    parts = []
    for word in words:
        adjective = word[:1].islower() or word.endswith(("ale", "ne", "te", "che", "ige", "ive"))
        stem = re.sub(r"(e|en|er|es|em)$", "", word) if adjective else word
        parts.append(re.escape(stem) + _ENDING)
    body = r"[\s-]+".join(parts)
    compound = r"(?:-[\w-]*|s?[a-zäöü]{3,}[\w-]*)?" if len(label) >= 8 else r"(?:-[\w-]*)?"
    return rf"(?<![\w-]){body}{compound}(?![\w])"


def unique_topics(topics: list[TopicMention]) -> list[TopicMention]:
    """Each concept (or candidate label) once, in first-found order."""
    seen, out = set(), []
    for topic in topics:
        key = topic.concept or topic.label.casefold()
        if key not in seen:
            seen.add(key)
            out.append(topic)
    return out
