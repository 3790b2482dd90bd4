"""An event's date and status: the best dated mention of its section, and whether it lies ahead.

A mixin of EventExtractor (graph/extraction/events.py): it reads the page's publication, published date,
context year, entities and whether the page announces, which the extractor sets per document.
"""

from __future__ import annotations

import re

from graph.extraction import combine, tense
from graph.extraction.dates import YEAR_LABEL, DateMention, find_dates
from graph.extraction.event_draft import EventDraft
from graph.extraction.relative_dates import WEEKDAYS
from graph.extraction.sections import TRIGGER
from graph.text.sentences import Sentence

PLANNED_CUE = re.compile(r"\b(soll|sollen|geplant|folgen)\b")
# 'laden … ein' reaches further when the particle closes the clause: 'laden wir Schülerinnen, Senioren sowie
# Politikerinnen und Politiker gemeinsam in die Zukunftswerkstatt im Medienkulturzentrum ein.'
FUTURE = re.compile(r"\b(findet|finden)\b.{0,80}\bstatt\b|\bwird\b.{0,60}\bstattfinden|\blädt\b"
                    r"|\bladen\b(?:.{0,120}\bein\b|[^.]{0,300}\bein(?=[.,;!?]))"
                    r"|^Einladung|Anmeldung|Ankündigung|\bhält\b|\btreffen sich\b"
                    # an invitation in the present: 'Alle Interessierten sind eingeladen, … am Mittwoch, 19. November'
                    r"|\b(?:ist|sind)\b(?:[^.]|\.(?=\w)){0,80}\beingeladen\b")

# A clock time in a sentence that tells nothing in the past is a programme's or an invitation's line ('stellt … am
# Dienstag, 15. Februar 2022, um 18:30 Uhr vor'); it marks the event planned only on a page without a publication date.
CLOCK = re.compile(r"\b(?:um|ab|von)\s+\d{1,2}(?:[.:]\d{2})?\s+(?:bis\s+\d{1,2}(?:[.:]\d{2})?\s+)?Uhr\b")
# So is a day with its weekday ('geht am Samstag, 9. März 2024, in seine dritte Runde'): a report that names the
# weekday tells it in the past ('Am Samstag, 12. März, trafen sich …'), which tense.reports reads.
WEEKDAY_DATED = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r"),?\s+(?:de[nm]\s+)?\d{1,2}\.", re.I)


class EventDating:
    """Dates an event draft and decides whether it is planned."""

    def _dates(self, sentences: list[Sentence]) -> list[DateMention]:
        page = self.publication.start if self.publication is not None else None
        return [d for s in sentences for d in find_dates(s.text, s.start, self.published, self.context_year)
                if d.role == "event" and d.start != page]

    def _date(self, draft: EventDraft, headings: list[Sentence], body: list[Sentence]) -> None:
        scored = []
        for weight, sentences in ((3, headings), (0, body)):
            for sentence in sentences:
                bonus = weight + (2 if TRIGGER.search(sentence.text) else 0) + (1 if sentence is (body or [None])[0]
                                                                               else 0)
                # A bare year dates an event only where its sentence names one or it is a YEAR_LABEL: elsewhere it is
                # when a programme started or a town applied ('2019 hat sich das Partheland … beworben').
                scored.extend((bonus + combine.date_vote(self.entities, d), -d.start, d, sentence.text)
                              for d in self._dates([sentence]) if d.precision > 4 or weight
                              or TRIGGER.search(sentence.text) or YEAR_LABEL.search(sentence.text))
        if not scored:
            if self.announced:
                draft.status = "planned"
            return
        best = max(scored, key=lambda t: (t[0], t[1]))[2]
        # A more precise date that agrees with the best one, from a heading or a sentence with an event noun (score
        # 2 or more): 'heute stehen beide Zeichen nebeneinander' names no day of the workshop 'in dieser Woche'.
        for score, _, mention, _ in scored:
            if mention.value.startswith(best.value) and mention.precision > best.precision and score >= 2:
                best = mention
        draft.date = best
        sentence_text = next((s.text for s in headings + body if s.start <= best.start < s.end + 1), "")
        if any(h.start <= best.start < h.end + 1 for h in headings):
            # A heading's date has no verb ('bürger.werkstatt.2022 am 25. Juni in der vh'): the sentences that
            # name the same day say whether it lies ahead.
            sentence_text = " ".join([sentence_text] + [text for _, _, d, text in scored
                                                        if d.value == best.value and text != sentence_text])
        future = self.published and best.value > self.published.isoformat()[:best.precision]
        invitation_like = self.announced or CLOCK.search(sentence_text) or WEEKDAY_DATED.search(sentence_text)
        if future or (not self.published and (FUTURE.search(sentence_text) or PLANNED_CUE.search(sentence_text)
                                              or (invitation_like and not tense.reports(sentence_text)))) \
                or (self.published and best.relative and PLANNED_CUE.search(sentence_text)):
            draft.status, draft.status_span = "planned", (best.start, best.end)
