"""The events of a page as a whole: when its sections name no event with a place, and the date of a
page's single event named elsewhere on the page (issue 12: real reports name the day in a lead or a box
and the venue in a decoy's position)."""

from __future__ import annotations

import re

from graph.extraction import scope, series
from graph.extraction.place_choice import choose, disambiguate
from graph.extraction.places import Mention
from graph.extraction.sections import TRIGGER, Section
from graph.extraction.tense import IN_SENTENCE
from graph.text.documents import Document
from graph.text.sentences import split

# Kinds of event a page may report without one of the section event nouns: used only when no event was found,
# so that a page reporting a talk, a course, a fair or a citizens' dialogue is a draft, not 'no event found'
# (issue 12's done-when). They stay out of the section nouns: a 'Vortrag' there is a talk of a workshop.
PAGE_EVENT = re.compile(r"\b(?:[Ee]röffnung|eröffnet|[Ee]xkursion|[Kk]urse?|[Dd]ay|[Ww]ochenende|gereist|[Rr]eise|"
                        r"[Aa]usstellung|[Pp]räsentation|[Tt]ermin|Vortrag|Vorträge|Vortragsabend|Fortbildung(?:en)?|"
                        r"Lehrg[äa]nge?|Trainings?|Coachings?|Sprechstunde|Sprechtag|Messe|Festival|Rundgang|Infostand|"
                        r"Podiumsdiskussion|Diskussionsrunde|Sessions?|Meetups?|Challenge|Sprint|Jam|"
                        r"Kolloquium|Events?|Runde[nr]? Tisch|"
                        r"[A-ZÄÖÜ]\w*(?:dialog|fest|messe|woche|labor|akademie|treff|camp|gespräch|frühstück|-[Ee]vents?))\b")


# A sentence that says an event took or takes place ('der Roadmap-Workshop, der am 17. September in
# Albertshofen stattfand'): on a day other than its section's event, it is an event of its own.
TOOK_PLACE = re.compile(r"\bstatt(?:fand|fanden|findet|finden)\b|"
                        r"\b(?:fand|fanden|findet|finden)\b" + IN_SENTENCE + r"{0,120}\bstatt\b")

# What people do at a gathering, for a page that names no kind of event at all ('stellte gestern in Süderbrarup
# den Aktionsplan vor', 'übergab den Förderbescheid', 'zur Begrüßung'): used only when nothing else was found.
GATHERING = re.compile(r"\b(?:stellte\w*|präsentierte\w*)\b" + IN_SENTENCE + r"{0,120}\bvor\b|\bvorstellte\b|\bpräsentierten?\b|"
                       r"\b(?:übergab|überreichte)\w*\b|\bbegrüßte\w*\b|\bzur Begrüßung\b|\bberieten\b|\bdiskutierten\b|"
                       r"\btrafen sich\b|\bkamen\b" + IN_SENTENCE + r"{0,80}\bzusammen\b|\btagte\w*\b")


class PageEvents:
    """Page-level fallbacks of EventExtractor (graph/extraction/events.py), and the other days a section
    reports (`_other_days`); EventExtractor drafts with `_draft` and
    dates with `_date` and holds the page's `places` and `states`. The lists hold its EventDrafts (not
    imported here: events.py imports this module)."""

    def _page_date(self, doc: Document, drafts: list) -> None:
        """The one event of a page whose own section names no date takes the page's best event date: reports
        often name the day in the lead or a box ('Wann: …') and the event in a section of its own."""
        if len(drafts) != 1 or drafts[0].date is not None:
            return
        blocks = [b for b in doc.blocks if not b.furniture]
        headings = split(doc, [b for b in blocks if b.kind == "heading"])
        body = split(doc, [b for b in blocks if b.kind != "heading"])
        status = drafts[0].status
        self._date(drafts[0], headings, body)
        if drafts[0].date is None:
            drafts[0].status = status

    def _other_days(self, main, body: list) -> list:
        """The sentences of a section that report another event on a day of its own (TOOK_PLACE)."""
        if main.date is None or main.date.precision != 10:
            return []
        found = []
        for sentence in body:
            if sentence.start <= main.date.start < sentence.end or not (TRIGGER.search(sentence.text)
                                                                        and TOOK_PLACE.search(sentence.text)):
                continue
            days = [d.value for d in self._dates([sentence]) if d.precision == 10]
            if days and main.date.value not in days:
                found.append(sentence)
        return found

    def _page_event(self, doc: Document) -> list:
        """The one event of a page whose sections name no place for it: a counted series may still list its
        places (series.py), and a page about one federal state is for that state ('Kongress der Smarten
        Region Hessen'). Without an event noun the page reports none."""
        blocks = [b for b in doc.blocks if not b.furniture]
        body = split(doc, blocks)
        if not any(TRIGGER.search(s.text) for s in body):
            return []
        draft = self._draft(doc, [], body, Section([], blocks))
        if draft.place is None and len(self.states) == 1:
            state = self.places.g.states.get(next(iter(self.states)))
            match = re.search(rf"\b{re.escape(state.name)}\b", doc.clean) if state else None
            if match:
                draft.place = draft.state = state
                draft.place_mention = Mention(match.start(), match.end(), match.group(0), [state], 1)
                draft.title = draft.title or f"{draft.type} in {state.name}"
        return [draft] if draft.place is not None or series.find(doc) else []

    def _unplaced_event(self, doc: Document) -> list:
        """The one event of a page that names an event but no place the rules accept for it (issue 12: real
        reports that name the venue only in a decoy's position, or the state only in a project's name).
        Such a page still reports that event; its place is the page's most often named place, whatever
        position it stands in, else the one state the page names."""
        blocks = [b for b in doc.blocks if not b.furniture]
        body = split(doc, blocks)
        if not any(TRIGGER.search(s.text) or PAGE_EVENT.search(s.text) or GATHERING.search(s.text) for s in body):
            return []
        draft = self._draft(doc, [], body, Section([], blocks))
        if draft.type == "Veranstaltung":   # no section noun named its kind: the page's word does ('Vortrag')
            draft.type = next((_singular(m.group(0)) for s in body for m in PAGE_EVENT.finditer(s.text)
                               if m.group(0)[0].isupper() and m.group(0) not in ("Termin", "Day")), draft.type)
        mentions = [m for s in body for m in self.places.mentions(s.text, s.start, heading=False)]
        for mention in mentions:  # every mention counts the same: the scores said none is the event's place
            mention.score = 1.0
        mention, places = choose([m for m in mentions if any(p.category != "state" for p in m.candidates)])
        # Its lead may gather the whole state ('Rund 50 Bürgermeister … der saarländischen Kommunalpolitik sind
        # nach Berlin gereist'): then the state is whom it is for, the named town only where it went.
        lead = split(doc, [b for b in blocks if b.kind != "heading"][:1])[:1]
        wide = next((w for w in (scope.statewide(s.text, s.start, self.places.state, None) for s in lead) if w), None)
        if wide is not None:
            mention, places = wide, list(wide.candidates)
        if mention is None and len(self.states) == 1:
            state = self.places.g.states.get(next(iter(self.states)))
            found = re.search(rf"\b{re.escape(state.name)}", doc.clean) if state else None
            if found:
                mention, places = Mention(found.start(), found.end(), found.group(0), [state], 1), [state]
        if mention is None:
            # The page names an event but no place at all (a lab's own page, a village only by its Ortsteil):
            # the event is still a draft, with its place for the steward to fill in (records.py asks for it).
            draft.title = draft.title or draft.type
            return [draft]
        places = disambiguate(places, self.states, set())
        draft.place, draft.place_mention, draft.ambiguous = places[0], mention, places if len(places) > 1 else []
        draft.state = draft.place if draft.place.category == "state" else self.places.g.states.get(draft.place.state_key)
        draft.title = draft.title or f"{draft.type} in {draft.place.name}"
        return [draft]


_PLURALS = {"Vorträge": "Vortrag", "Lehrgänge": "Lehrgang", "Kurse": "Kurs", "Fortbildungen": "Fortbildung",
            "Trainings": "Training", "Coachings": "Coaching", "Sessions": "Session", "Meetups": "Meetup",
            "Events": "Event"}


def _singular(noun: str) -> str:
    """An event kind in the singular, as the annotation guidelines name kinds ('Trainings' -> 'Training')."""
    return _PLURALS.get(noun, noun)
