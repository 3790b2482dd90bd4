"""Splitting a report into its events and drafting each event's place, date, status, speakers and topics."""

from __future__ import annotations

import datetime as dt
import re

from graph.extraction import combine, details, event_place, participants, regions, schedule, scope, series, tense
from graph.extraction.sections import TRIGGER, Section, event_type, sections
from graph.extraction.dates import DateMention, find_dates
from graph.extraction.event_place import Located, PlaceClassifier
from graph.extraction.people import PeopleFinder
from graph.extraction.place_choice import choose, disambiguate
from graph.extraction.places import Mention, PlaceFinder
from graph.text.sentences import Sentence, split
from graph.text.documents import Document
from graph.extraction.merging import merge
from graph.extraction.lexicon import Lexicon
from graph.extraction.topic_model import TopicModel, learned_topics
from graph.extraction.topics import TopicFinder, TopicMention, unique_topics
from graph.extraction.page_events import TOOK_PLACE, PageEvents
from graph.extraction.event_dating import PLANNED_CUE, EventDating
from graph.extraction.event_draft import EventDraft
from graph.records.gazetteer import Place

BACKGROUND_CUE = re.compile(r"\b(Bereits|bereits|Schon|schon|zuvor|Vorjahr)\b")
# A heading over a list of the event's speakers: every name under it is a speaker's.
SPEAKER_LIST = re.compile(r"Referent|Referierende|Sprecher|Speaker|Redner|Vortragende|Impulsgeber|Mitwirkende|"
                          r"Expert(?:en|innen|\*innen)\b|Podiumsgäste")
# A state's name, or its abbreviation in capitals standing alone: 'St. Wendel' names no Sachsen-Anhalt (ST).
STATE_WORD = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]{3,}[\w-]*|\b[A-Z]{2,3}\b(?!\.)")
HEADING_PREFIX = re.compile(r"^(?:[^:()]{2,60}\([^)]{2,40}\)\s*:\s*|(?:Einladung|Ankündigung|Rückblick|Programm)\s*:\s*"
                            r"|[A-ZÄÖÜ][^:]{1,40}:\s+)")


class EventExtractor(PageEvents, EventDating):
    """Drafts the events of a document."""

    def __init__(self, places: PlaceFinder, people: PeopleFinder, topics: TopicFinder):
        self.places, self.people, self.topics = places, people, topics
        # The learned choice of the event's place (None: the hand-set scores decide), and, while the
        # classifier is trained, a list that collects every section's mentions with their features.
        self.place_model: PlaceClassifier | None = None
        # The learned themes and concept classifiers (topic_model.py; None: the scheme's labels alone).
        self.topic_model: TopicModel | None = None
        self.organisers: Lexicon | None = None   # organisers learned by keyphraseness (lexicon.py)
        self.recorder: list | None = None
        self.publication: DateMention | None = None
        self.page_region: Mention | None = None   # the region a page is about (regions.page_region)
        self.page_district: Mention | None = None   # the district a page is about (scope.page_district)
        self.before_any_place: list[EventDraft] = []   # dated events told before the page names a place

    def events(self, doc: Document, published: dt.date | None, context_year: int | None,
               entities: list | None = None, publication: DateMention | None = None) -> list[EventDraft]:
        """Events of `doc` in text order; `entities` are the trained tagger's spans (none: rules alone);
        `publication` is the mention that dates the page, which dates no event."""
        self.published, self.context_year = published, context_year
        self.publication = publication
        self.entities = entities or []
        self.states = {p.key for p in (self.places.state(m.group(0)) for m in STATE_WORD.finditer(doc.clean)) if p}
        self.context = event_place.Context(doc.clean, self.states, TRIGGER)
        self.page_region = regions.page_region(doc.clean, self.places,
                                               scope.page_state(doc.clean, self.states, self.places.state))
        self.page_district = scope.page_district(doc.clean, self.places)
        self.announced = published is None and tense.announces(doc.clean)
        drafts = []
        self.before_any_place = []
        for section in self._split(doc, sections(doc)):
            found = self._section(doc, section, drafts[-1] if drafts else None)
            if not found and drafts and section.blocks:
                self._programme(doc, section, drafts[-1])
            drafts.extend(found)
        places = {(d.place.key, d.place.category) for d in drafts}
        if len(places) == 1:
            # A dated event told before the page names its place ('Der Workshop am 19.02. fand noch vor Ort statt',
            # then 'im Kreis Coesfeld'): on a page of one place it is that place's, as a later one is (`previous`).
            for early in self.before_any_place:
                early.take_place_of(drafts[0])
            drafts = self.before_any_place + drafts
        page = publication.start if publication is not None else None
        drafts = schedule.each_listed_day(schedule.expand(doc, merge(drafts), published, context_year,
                                                          self._lead_place, page))
        if not drafts:
            drafts = self._page_event(doc)
        self._page_date(doc, drafts)
        # A page event without a place lives on only in a series that lists the places.
        drafts = [d for d in series.expand(doc, drafts, self.places, self.states) if d.place is not None]
        participants.without_hosts(drafts)
        return drafts or self._unplaced_event(doc)

    def _lead_place(self, name: str, start: int, base: EventDraft) -> tuple[Place, Mention] | None:
        """The one town or association of the base event's state that a schedule line leads with, or None."""
        state = base.place.state_key if base.place is not None else None
        found = [p for p in self.places.resolve(name) or self.places.alternatives(name, {state} if state else self.states)
                 if p.category in ("municipality", "town", "group") and (state is None or p.state_key == state)]
        if len(found) != 1:
            return None
        return found[0], Mention(start, start + len(name), name, found, 1.0)

    def _programme(self, doc: Document, section: Section, draft: EventDraft) -> None:
        """A section without an event of its own ('Programm', 'Referierende') adds its speakers to the event above."""
        body = split(doc, section.blocks)
        listed = [i for i, h in enumerate(section.headings) if SPEAKER_LIST.search(doc.text(h))]
        # In plain text every short line looks like a heading: the names and employers under a speaker list's
        # heading are its lines.
        cards = split(doc, section.headings[listed[0] + 1:]) + body if listed else body
        speakers = self.people.speakers(cards, bool(listed))
        if self.entities:
            speakers = combine.check_rule_speakers(speakers, self.entities)
        names = {s.name for s in draft.speakers}
        draft.speakers += [s for s in speakers if s.name not in names]
        # Its words are the event's too ('Ablauf', 'Themen', 'Ergebnisse' under the report's heading).
        draft.topics = unique_topics(draft.topics + self._topics(split(doc, section.headings), body, []))

    def _split(self, doc: Document, found: list[Section]) -> list[Section]:
        """A section without a place in its heading whose paragraphs each report an event is split up."""
        out = []
        for section in found:
            heading_places = [m for h in section.headings
                              for m in self.places.mentions(doc.text(h), h.start, heading=True)]
            triggered = [b for b in section.blocks if TRIGGER.search(doc.text(b))
                         and (b.kind == "item" or find_dates(doc.text(b), 0, self.published, self.context_year))]
            if not heading_places and len(triggered) >= 2:
                current = None
                for block in section.blocks:
                    if block in triggered or current is None:
                        current = Section(list(section.headings) if current is None else [], [block])
                        out.append(current)
                    else:
                        current.blocks.append(block)
            else:
                out.append(section)
        return out

    def _section(self, doc: Document, section: Section, previous: EventDraft | None = None) -> list[EventDraft]:
        """The events of one section; a dated event without a place of its own is at `previous`'s place."""
        heading_sentences = split(doc, section.headings)
        body = split(doc, section.blocks)
        text = " ".join(s.text for s in heading_sentences + body)
        headed = any(re.match(r"^[^:]{2,60}\([^)]+\)\s*:", s.text) for s in heading_sentences) or (
            any(re.match(r"^[A-ZÄÖÜ][^:]{1,40}:\s", s.text) for s in heading_sentences)
            and self._dates(body) and re.search(r"Gastgeber|sprach|Vortrag|Impuls|lud|stellte", text))
        if not TRIGGER.search(text) and not headed:
            return []
        secondary = [s for s in body if TRIGGER.search(s.text) and (BACKGROUND_CUE.search(s.text)
                     or PLANNED_CUE.search(s.text)) and self._dates([s])]
        main_body = [s for s in body if s not in secondary]
        if not main_body and not heading_sentences:
            return []
        main = self._draft(doc, heading_sentences, main_body, section)
        if main.place is None and previous is not None and previous.place is not None and main.date is not None \
                and not any(self.places.mentions(s.text, s.start, heading=False) for s in heading_sentences + body):
            # 'Den Anfang macht die Projektwerkstatt „Teilorte“ am 26. April' under its own heading: the page's
            # event, or another of its series (merging.py joins it to the page's event when the days agree).
            main.take_place_of(previous)
        drafts = [main] if main.place else []
        if main.place is None and previous is None and main.date is not None and main_body and TOOK_PLACE.search(
                " ".join(s.text for s in main_body)):
            self.before_any_place.append(main)
        # An event mentioned in passing shares the section heading's topics, not the body's.
        heading_topics = [t for h in heading_sentences for t in self.topics.find(h.text, h.start, title=False)]
        other_days = self._other_days(main, main_body)
        for sentence in secondary + other_days:
            extra = self._draft(doc, [], [sentence], section, fallback=main)
            extra.topics = unique_topics(extra.topics + heading_topics)
            if sentence in other_days and main.place is not None:
                # A step of the section's own process: for whom the section's event is, wherever it met.
                extra.take_place_of(main)
            if extra.place:
                drafts.append(extra)
        return drafts

    def _draft(self, doc: Document, headings: list[Sentence], body: list[Sentence], section: Section,
               fallback: EventDraft | None = None) -> EventDraft:
        speakers = self.people.speakers(body) if fallback is None else []
        possible = []
        if fallback is None and self.entities:
            speakers = combine.check_rule_speakers(speakers, self.entities)
            # Of the names only the tagger took for speakers, 1 in 21 was one on the development texts
            # (cross-validated): they are suggestions on the review list, not facts of the record.
            possible = combine.tagged_speakers(body, self.entities, speakers)
        org_spans = [sp.spans[k] for sp in speakers for k in ("organisation",) if k in sp.spans]
        located = [Located(m, s, True, -1, 0) for s in headings
                   for m in self.places.mentions(s.text, s.start, heading=True)]
        located += [Located(m, s, False, i, 0) for i, s in enumerate(body)
                    for m in self.places.mentions(s.text, s.start, heading=False)]
        event_sentences = headings + [s for s in body if TRIGGER.search(s.text)][:3]
        page_state = scope.page_state(self.context.text, self.states, self.places.state)
        for sentence in event_sentences if fallback is None else []:
            wide = scope.statewide(sentence.text, sentence.start, self.places.state, page_state)
            if wide is not None:  # a state-wide meeting is for the state; its town is the venue
                located.append(Located(wide, sentence, sentence in headings, -1, 0, True))
                break
        else:
            region = None if fallback is not None else regions.for_section(
                event_sentences, headings, located, self.places, page_state, self.page_region, self.page_district)
            if region is not None:
                located.append(region)
        mentions = [item.mention for item in located]
        for item in located:
            if any(s <= item.mention.start < e for s, e in org_spans):
                item.mention.score = -20
            elif event_place.dateline_of_itself(item, body):
                # The text says itself that it is about this town ('Kottweiler-Schwanden. Die Gemeinde setzt …'):
                # as strong as a heading's place with the tagger's vote (8 + 3), so a heading naming the
                # district around it does not win.
                item.mention.score = 12
            item.rule_score = item.mention.score
        came_from = [span for s in {id(i.sentence): i.sentence for i in located}.values()
                     for span in participants.came_from_spans(s)]
        outside = [i for i in located if not _inside(i.mention, came_from)]
        for item in located:
            # The tagger's vote does not make a town people came from the venue while the rules found a place
            # outside the list ('Workshop in Spiegelau … Bürgermeister aus Lindberg, Bayerisch Eisenstein und …').
            if not (_inside(item.mention, came_from) and any(o.rule_score > 0 for o in outside)):
                item.mention.score += combine.place_vote(self.entities, item.mention)
        draft = EventDraft(event_type(headings + body), "", None, speakers=speakers, possible_speakers=possible)
        mention, places = choose(mentions)
        if fallback is None:
            mention, places = event_place.decide(self.place_model, located, self.context, mention, places,
                                                   self.recorder)
        if mention is None and fallback is not None:
            draft.place, draft.place_mention, draft.state = fallback.place, fallback.place_mention, fallback.state
        elif mention is not None:
            districts = {p.key for m in mentions for p in m.candidates if p.category == "district" and m.score > 0}
            places = disambiguate(places, self.states | ({mention.state.key} if mention.state else set()), districts)
            draft.place_mention, draft.members = mention, mention.members
            if self.states and not any(p.state_key in self.states for p in places):
                # 'Bingen' in a text about Rheinland-Pfalz is Bingen am Rhein, not Bingen in Baden-Württemberg
                short = re.sub(r"^(?:Verbandsgemeinde|VG|Stadt|Gemeinde)\s+", "", mention.text)
                places = self.places.alternatives(short, self.states) or places
            if len(places) == 1:
                draft.place = places[0]
            else:
                draft.place, draft.ambiguous = places[0], places
            draft.state = mention.state or (self.places.g.states.get(draft.place.state_key)
                                            if draft.place.state_key and len(places) == 1 else None)
            draft.state_span = mention.state_span
            if draft.state is None and draft.place.category == "region":
                draft.state = regions.majority_state(mentions, self.places) or regions.majority_state(
                    self.places.mentions(self.context.text, 0, heading=False), self.places)
        self._title(doc, draft, headings, section)
        self._date(draft, headings, body)
        draft.topics = self._topics(headings, body, org_spans)
        if fallback is None:
            sentences = headings + body
            draft.organisers = details.organisers(sentences)
            if draft.place and not any(details.normalise(draft.place.name) in details.normalise(f.value)
                                       for f in draft.organisers):
                draft.organisers += details.own_administration(sentences, draft.place)
            if self.organisers is not None:
                draft.organisers = details.with_learned_organisers(draft.organisers, self.organisers, sentences)
            draft.participants = details.participants(body, self.places, draft.place, self.states)
            draft.district = details.district(doc.clean, draft.place)
            draft.working_groups = details.working_groups(body)
            draft.outcomes = details.outcomes(body)
        if draft.place_mention is not None:
            draft.place_voted = combine.overlaps(self.entities, "LOC_EVENT", draft.place_mention.start,
                                                 draft.place_mention.end)
        if draft.date is not None:
            draft.date_voted = combine.overlaps(self.entities, "DATE_EVENT", draft.date.start, draft.date.end)
        if re.search(r"\bvor Ort\b", " ".join(s.text for s in body)):
            draft.format = "vor Ort"
        elif re.search(r"\bdigital(en|er|es)?\s+(\w+workshop|Austausch|Veranstaltung)|\bonline\b|virtuell",
                       " ".join(s.text for s in body)):
            draft.format = "digital"
        return draft

    def _title(self, doc: Document, draft: EventDraft, headings: list[Sentence], section: Section) -> None:
        if headings:
            last = headings[-1]
            prefix = HEADING_PREFIX.match(last.text)
            start = last.start + (prefix.end() if prefix else 0)
            title = last.text[prefix.end() if prefix else 0:].strip()
            title = re.sub(r"\s*\(\d{1,2}\.\d{1,2}\.\d{2,4}\)\s*$", "", title)
            if len(title) >= 4:
                draft.title, draft.title_span = title, (start, start + len(title))
                return
        if draft.place:
            draft.title = f"{draft.type} in {draft.place.name}"

    def _topics(self, headings: list[Sentence], body: list[Sentence], org_spans) -> list[TopicMention]:
        found = []
        for sentence in headings:
            found += self.topics.find(sentence.text, sentence.start, title=False)
            found += self.topics.cued(sentence.text, sentence.start)
        for sentence in body:
            quotes = [(m.start(), m.end()) for m in re.finditer(r"„[^“”\"]+[“”\"]|»[^«]+«", sentence.text)]
            for start, end in quotes:
                found += self.topics.find(sentence.text[start:end], sentence.start + start, title=True)
            found += [t for t in self.topics.find(sentence.text, sentence.start, title=False)
                      if not any(s + sentence.start <= t.start < e + sentence.start for s, e in quotes)]
            found += self.topics.from_lemmas(sentence)
            found += self.topics.cued(sentence.text, sentence.start)
            found += self.topics.candidates(sentence.text, sentence.start)
        found = [t for t in found if not any(s <= t.start < e for s, e in org_spans)]
        if self.topic_model is not None:
            found += learned_topics(self.topic_model, headings + body, self.topics.index)
        return unique_topics(found)


def _inside(mention: Mention, spans: list[tuple[int, int]]) -> bool:
    """True when the mention lies in one of the spans."""
    return any(start <= mention.start and mention.end <= end for start, end in spans)
