"""The rest of an event's record: organisers, participating municipalities, the district when the text names
it, working groups (Handlungsfelder) and outcomes. Each fact keeps its clean-text span as evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extraction import orgs
from graph.extraction.participants import enumerated
from graph.extraction.places import PlaceFinder, normalise
from graph.text.sentences import Sentence
from graph.records.gazetteer import Place


@dataclass
class Fact:
    """A value read from the text with its clean-text span."""

    value: str
    start: int
    end: int
    confidence: float | None = None   # when the rule's own precision differs from its field's default


# 'veranstaltet von der X', 'auf Einladung des X', 'in Kooperation mit der X', 'Gastgeber war die X'
ORGANISER_AFTER = re.compile(r"(?:[Vv]eranstaltet|[Oo]rganisiert|[Aa]usgerichtet|[Dd]urchgeführt|[Ii]nitiiert|[Aa]ngeboten|"
                             r"[Bb]egleitet|[Gg]eleitet|[Mm]oderiert und organisiert)\s+(?:\w+\s+){0,4}?(?:von|vom)\s+"
                             r"(?:der|dem|den)?\s*|[Aa]uf Einladung\s+(?:der|des|von)\s+"
                             r"|in (?:Kooperation|Zusammenarbeit) mit\s+(?:der|dem|den)?\s*"
                             r"|[Gg]astgeber(?:in)?\s+(?:war|ist|waren)"
                             r"\s+(?:die|der|das)?\s*|[Vv]eranstalter(?:in)?\s+(?:war|ist|sind|waren)\s+(?:die|der|das)?\s*"
                             r"|[Ee]ine Veranstaltung\s+(?:der|des|von)\s+")
# 'Die X lud … ein', 'Der X hatte … eingeladen', 'Die X veranstaltete …'
ORGANISER_VERB = re.compile(r"^(?:Die|Der|Das)\s+(?P<rest>.{3,120}?)\s+(?:lud|lädt|hatte|hat|veranstaltete|veranstaltet|"
                            r"organisierte|organisiert|richtete|richtet|freut sich|freuen sich|lädt)\b(?P<tail>.*)$")
WORKING_GROUP_CUE = re.compile(r"Handlungsfeld|Arbeitsgruppe|Arbeitskreis|Themenfeld|Schwerpunkt|Themen\b|im Mittelpunkt|"
                               r"im Vordergrund|Thementisch")
QUOTED = re.compile(r"„(?P<a>[^“”\"]{3,60})[“”\"]|»(?P<b>[^«]{3,60})«")
OUTCOME = re.compile(r"\b(?:erarbeiteten|erarbeitet|entwickelten|entwickelt|entwarfen|beschlossen|verabschiedeten|"
                     r"formulierten|formuliert|leiteten)\b(?P<what>[^.;:]{6,120})")
OUTCOME_NOUN = re.compile(r"(?P<noun>(?:ein(?:en|e|)?|die|der|das|erste[nr]?|gemeinsame[nr]?)\s+[^,.;]*?"
                          r"(?:Strategie|strategie|Leitbild|Leitlinien|Maßnahmen\w*|Ziele|Vision|Fahrplan|Entwurf[^,.;]*|"
                          r"Ideen|Projekt\w*|Konzept\w*|Positionspapier|Erklärung)(?:\s+für\s+[^,.;]{3,60})?)")


def organisers(sentences: list[Sentence]) -> list[Fact]:
    """Organisations that organise, host or invite to the event."""
    found: list[Fact] = []
    for sentence in sentences:
        text = sentence.text
        for match in ORGANISER_AFTER.finditer(text):
            phrase, (start, end) = orgs.phrase_at(text, match.end())
            if phrase and (orgs.ORG_HEAD.search(phrase) or len(phrase.split()) >= 2):
                found.append(Fact(phrase, sentence.start + start, sentence.start + end))
        inverted = re.search(r"\b(?:lud|lädt|laden|luden|veranstaltete|organisierte)\s+(?:die|der|das|den)\s+(?=[A-ZÄÖÜ])", text)
        if inverted and re.search(r"\bein\b|\baus\b|Werkstatt|Workshop|Forum|Treffen|Veranstaltung", text[inverted.end():]):
            phrase, (start, end) = orgs.phrase_at(text, inverted.end())
            if phrase and orgs.ORG_HEAD.search(phrase):
                found.append(Fact(phrase, sentence.start + start, sentence.start + end))
        verb = ORGANISER_VERB.match(text)
        if verb and re.search(r"\bein\b|eingeladen|\baus\b|Veranstaltung|Workshop|Werkstatt|Forum|Treffen|Konferenz|"
                              r"\bzu\b", verb.group("tail")):
            phrase, (start, end) = orgs.phrase_at(text, verb.start("rest"))
            if phrase and (orgs.ORG_HEAD.search(phrase) or len(phrase.split()) >= 2):
                found.append(Fact(phrase, sentence.start + start, sentence.start + end))
    return _unique(found)


# 'Stadt Pinneberg', 'Gemeinde Borsdorf': the administration of the event's own place, named as such.
ADMINISTRATION = r"(?:Stadt|Gemeinde|Landkreis|Kreis|Hansestadt|Landeshauptstadt|Verbandsgemeinde|Markt|Stadtverwaltung|" \
                 r"Kreisverwaltung|Samtgemeinde|Ortsgemeinde)"
# Share of these that the annotators list as organisers, on real/dev (74 of 165): what the fact's confidence says.
OWN_ADMINISTRATION_PRECISION = 0.45


def own_administration(sentences: list[Sentence], place: Place | None) -> list[Fact]:
    """The event's own municipality or district as its organiser when the text names its administration:
    a third of the organisers annotated in the real-world corpus are that ("Stadt Pinneberg" for a
    workshop in Pinneberg), and press texts rarely say in so many words that it organised. Given a
    low confidence, so that each goes to the steward's review list."""
    if place is None:
        return []
    name = re.escape(place.name)
    pattern = re.compile(rf"\b{name}\b" if re.match(ADMINISTRATION + r"\s", place.name)
                         else rf"\b{ADMINISTRATION}\s+{name}\b")
    for sentence in sentences:
        match = pattern.search(sentence.text)
        if match:
            return [Fact(match.group(0), sentence.start + match.start(), sentence.start + match.end(),
                         OWN_ADMINISTRATION_PRECISION)]
    return []


def participants(sentences: list[Sentence], places: PlaceFinder, place: Place | None, states: set[str]) -> list[Fact]:
    """Other municipalities taking part: 'sowie der Verbandsgemeinden Jockgrim und Rülzheim', 'X, Y und Z planen gemeinsam'."""
    if place is None:
        return []
    found: list[Fact] = []
    own = normalise(place.name)
    for sentence in sentences:
        text = sentence.text
        lists = list(re.finditer(r"(?:sowie|gemeinsam mit|zusammen mit|und)\s+(?:der|den|dem)?\s*"
                                     r"(?:Verbandsgemeinden?|Gemeinden?|"
                                 r"Städten?|Stadt|Ortsgemeinden?|Kommunen)\s+(?P<names>[A-ZÄÖÜ][\w-]+(?:\s*,\s*[A-ZÄÖÜ][\w-]+)*"
                                 r"(?:\s+und\s+[A-ZÄÖÜ][\w-]+)?)", text))
        lists += [m for m in re.finditer(r"^(?P<names>[A-ZÄÖÜ][\w-]+(?:\s*,\s*[A-ZÄÖÜ][\w-]+)+\s+und\s+[A-ZÄÖÜ][\w-]+)\s+"
                                         r"(?:planen|hielten|arbeiteten|erarbeiteten|entwickelten|kamen|trafen)", text)]
        if not re.search(r"gemeinsam|zusammen|sowie", text):
            continue
        for match in lists:
            for name in re.finditer(r"[A-ZÄÖÜ][\w-]+", match.group("names")):
                if normalise(name.group(0)) == own:
                    continue
                candidates = places.resolve(name.group(0)) + places.alternatives(name.group(0), states)
                if any(c.state_key in states for c in candidates) or (candidates and not states):
                    start = sentence.start + match.start("names") + name.start()
                    found.append(Fact(name.group(0), start, start + len(name.group(0))))
    # a list the rules above read already keeps their names; the enumeration adds the others
    found += [Fact(name, start, end) for name, start, end in enumerated(sentences, places, place, states)
              if not any(f.start < end and start < f.end for f in found)]
    return _unique(found)


def district(text: str, place: Place | None) -> Fact | None:
    """The event place's district, only when the text names it ('Landkreis Regen', 'im Kreis Regen')."""
    if place is None or not place.district_name or place.category == "district":
        return None
    short = re.sub(r"^(?:Landkreis|Kreis)\s+", "", place.district_name)
    # a district named as one word is found as written: 'Westerwaldkreis', 'Rhein-Sieg-Kreis'
    as_written = rf"|\b{re.escape(short)}\b" if short == place.district_name and short.endswith("reis") else ""
    match = re.search(rf"\b(?:Landkreis(?:es)?|Kreis(?:es)?)\s+{re.escape(short)}\b|\b{re.escape(short)}-?[Kk]reis\b|"
                      rf"\bLandkreis\s+{re.escape(short)}" + as_written, text)
    return Fact(place.district_name, match.start(), match.end()) if match else None


def working_groups(sentences: list[Sentence]) -> list[Fact]:
    """Named working groups or fields of action: quoted names in a sentence about Handlungsfelder, Themen."""
    found = []
    for sentence in sentences:
        if not WORKING_GROUP_CUE.search(sentence.text):
            continue
        for match in QUOTED.finditer(sentence.text):
            group = "a" if match.group("a") else "b"
            found.append(Fact(match.group(group).strip(), sentence.start + match.start(group),
                              sentence.start + match.end(group)))
    return _unique(found)


def outcomes(sentences: list[Sentence]) -> list[Fact]:
    """What the event produced: 'erarbeiteten einen ersten Entwurf für eine Digitalstrategie'."""
    found = []
    for sentence in sentences:
        for match in OUTCOME.finditer(sentence.text):
            noun = OUTCOME_NOUN.search(match.group("what"))
            if noun:
                start = sentence.start + match.start("what") + noun.start("noun")
                value = noun.group("noun").strip()
                found.append(Fact(value, start, start + len(value)))
    return _unique(found)


def with_learned_organisers(found: list[Fact], names, sentences: list[Sentence]) -> list[Fact]:
    """`found` and the learned organisers (lexicon.Lexicon) that the sentences name, with their keyphraseness as
    the raw confidence: an organiser the rules found once is not added again under another spelling."""
    known = {normalise(f.value) for f in found}
    out = list(found)
    for sentence in sentences:
        for name, start, end in names.found(sentence.text):
            if normalise(name) not in known and not any(normalise(name) in k or k in normalise(name) for k in known):
                known.add(normalise(name))
                out.append(Fact(name, sentence.start + start, sentence.start + end, names.keyphraseness.get(name)))
    return out


def _unique(facts: list[Fact]) -> list[Fact]:
    seen, out = set(), []
    for fact in facts:
        if fact.value.casefold() not in seen:
            seen.add(fact.value.casefold())
            out.append(fact)
    return out
