"""Event drafts to a record dict in the project's record format, with evidence for every fact."""

from __future__ import annotations

import os
from pathlib import Path

from graph.extraction.confidence import REVIEW_BELOW, Calibration, raw_date, raw_place, raw_speaker, sentence_of
from graph.extraction.event_draft import EventDraft
from graph.text.documents import Document
from graph.iri import slug
from graph.records.gazetteer import Place

PLACE_KINDS = {"town": "Stadt", "municipality": "Gemeinde", "district": "Landkreis", "region": "Region",
               "state": "Land"}
RECORD_KINDS = {"Stadt", "Gemeinde", "Kreis", "Landkreis", "Land", "Region", "Kommunalverbund", "Verbandsgemeinde",
                "Verwaltungsgemeinschaft", "Amt", "Samtgemeinde"}


class Evidence:
    """Collects evidence entries of one resource: field, value, source offsets, confidence."""

    def __init__(self, doc: Document, calibration: Calibration | None = None, review: list[str] | None = None,
                 prefix: str = ""):
        self.doc, self.entries = doc, []
        self.calibration, self.review, self.prefix = calibration or Calibration(), review, prefix

    def add(self, field_name: str, value, span: tuple[int, int] | None, confidence: float,
            scored_as: str | None = None) -> None:
        """Record where `value` of `field_name` was read (nothing if the text gives no span); `confidence` is the
        raw score, calibrated here; a fact under the review threshold goes to the review list with its sentence."""
        if span is None:
            return
        confidence = self.calibration(scored_as or field_name, confidence)
        if self.review is not None and confidence < REVIEW_BELOW and value is not None:
            self.review.append(f"{self.prefix}{field_name}: {value} ({confidence:.2f}) – "
                               f"„{sentence_of(self.doc.clean, *span)}“")
        start, end = self.doc.source_span(*span)
        entry = {"field": field_name, "start": start, "end": end, "confidence": round(confidence, 2)}
        if value is not None:
            entry["value"] = value
        self.entries.append(entry)


def place_spec(place: Place, members: list[Place]) -> dict:
    """The record's municipality object for a resolved place."""
    kind = place.kind if place.kind in RECORD_KINDS else PLACE_KINDS.get(place.category)
    if place.category == "group" and kind not in RECORD_KINDS:
        kind = "Kommunalverbund"
    if place.category == "district" and place.name.startswith("Kreis "):
        kind = "Kreis"
    spec = {"name": place.name}
    if place.ags:
        spec["ags"] = place.ags
    if kind:
        spec["kind"] = kind
    if place.category == "group" and place.district_name:
        spec["district"] = place.district_name
    if members:
        spec["members"] = [{"name": m.name, **({"ags": m.ags} if m.ags else {})} for m in members]
    return spec


def event_record(draft: EventDraft, doc: Document, index: int,
                 calibration: Calibration | None = None) -> tuple[dict, list[str]]:
    """One event of the record and the fields a steward must review (missing, ambiguous or unsure facts)."""
    review: list[str] = []
    unsure: list[str] = []
    evidence = Evidence(doc, calibration, unsure, f"events[{index}].")
    place = draft.place
    mention = draft.place_mention
    event = {"type": draft.type, "title": draft.title or (f"{draft.type} in {place.name}" if place else draft.type)}
    if draft.date:
        event["date"] = draft.date.value
        evidence.add("date", draft.date.value, (draft.date.start, draft.date.end), raw_date(draft))
    else:
        review.append(f"events[{index}].date")
    event["status"] = draft.status
    evidence.add("status", draft.status, draft.status_span or (draft.date and (draft.date.start, draft.date.end)), 0.7)
    if draft.format:
        event["format"] = draft.format
    if place is None:   # the page names no place the gazetteer knows (page_events.py): the steward names it
        review.append(f"events[{index}].municipality: kein Ort gefunden / no place found")
    else:
        event["municipality"] = place_spec(place, [])
        if place.category == "region":
            # ILE and LEADER regions have no official key: the steward confirms the name and the state.
            review.append(f"events[{index}].municipality: Region ohne amtlichen Schlüssel, bitte prüfen / "
                          "region without an official key, please check")
    confidence = raw_place(draft)
    if mention is not None:
        evidence.add("municipality", place.name, (mention.start, mention.end), confidence)
    if len(draft.ambiguous) > 1:
        event["municipality"] = {"name": place.name}
        review.append(f"events[{index}].municipality: "
                      + ", ".join(f"{p.name} ({p.ags or p.key})" for p in draft.ambiguous[:5]))
    if draft.state:
        event["state"] = draft.state.name
        span = draft.state_span or (mention and (mention.start, mention.end))
        evidence.add("state", draft.state.name, span, 0.95 if draft.state_span else confidence)
    else:
        review.append(f"events[{index}].state")
    if draft.district is not None and isinstance(event.get("municipality"), dict):
        event["municipality"]["district"] = draft.district.value
        evidence.add("district", draft.district.value, (draft.district.start, draft.district.end), 0.8)
    participants = [place_spec(m, []) for m in draft.members]
    for fact in draft.participants:
        if all(p["name"] != fact.value for p in participants):
            participants.append({"name": fact.value})
            evidence.add("participants", fact.value, (fact.start, fact.end), 0.7)
    if participants:
        event["participants"] = participants
    for key, facts, raw in (("organisers", draft.organisers, 0.6), ("working_groups", draft.working_groups, 0.6)):
        if facts:
            event[key] = [f.value for f in facts]
            for fact in facts:
                evidence.add(key, fact.value, (fact.start, fact.end), fact.confidence or raw)
    if draft.outcomes:
        event["outcomes"] = [{"kind": "Ergebnis", "description": f.value} for f in draft.outcomes]
        for fact in draft.outcomes:
            evidence.add("outcomes", fact.value, (fact.start, fact.end), 0.5)
    evidence.add("title", event["title"], draft.title_span, 0.8)
    evidence.add("type", draft.type, draft.title_span, 0.6 + 0.3 * (draft.type != "Veranstaltung"), "event type")
    talks = [talk_record(speaker, doc, Evidence(doc, calibration, unsure, f"events[{index}].talks[{i}]."))
             for i, speaker in enumerate(draft.speakers)]
    if talks:
        event["talks"] = talks
    for speaker in draft.possible_speakers:
        review.append(f"events[{index}].talks: möglicher Redner / possible speaker {speaker.name} – "
                      f"„{sentence_of(doc.clean, *speaker.span)}“")
    topics = []
    for topic in draft.topics:
        value = {"label": topic.label, "candidate": True} if topic.candidate else topic.label
        if value not in topics:
            topics.append(value)
            raw = topic.probability if topic.probability is not None else 0.6 if topic.candidate else 0.8
            evidence.add("topics", topic.label, (topic.start, topic.end), raw)
    if topics:
        event["topics"] = topics
    event["evidence"] = evidence.entries
    if review or unsure:
        event["review"] = list(dict.fromkeys(r.split(".", 1)[1].split(":")[0] for r in review + unsure))
    return event, review + unsure


def talk_record(speaker, doc: Document, evidence: Evidence | None = None) -> dict:
    """A talk with its speaker; the speaker carries evidence for name, organisation and role."""
    person = {"name": speaker.name}
    for key in ("honorific", "organisation", "role"):
        if getattr(speaker, key):
            person[key] = getattr(speaker, key)
    if speaker.former:
        person["former"] = True
    evidence = evidence or Evidence(doc)
    for key, scored_as in (("name", "speaker name"), ("honorific", None), ("organisation", "organisation"),
                           ("role", "role")):
        if key in person:
            raw = raw_speaker(speaker, key) if scored_as else 0.9
            evidence.add(key, person[key], speaker.spans.get(key), raw, scored_as)
    person["evidence"] = evidence.entries
    talk = {"kind": speaker.kind, "speakers": [person]}
    if speaker.title:
        talk["title"] = speaker.title
    return talk


def record(doc: Document, drafts: list[EventDraft], out_dir: Path | None, publisher: tuple[str, tuple] | None,
           published: str | None, title: tuple[str, tuple] | None, calibration: Calibration | None = None,
           source: str | None = None) -> dict:
    """The whole record of one report text; `published` is the report's date as precise as it is known, `source`
    the page's web address when its markup gives one."""
    base = out_dir if out_dir is not None else Path.cwd()
    report = {"id": slug(doc.path.stem) or "bericht", "title": title[0] if title else doc.path.stem,
              "publisher": publisher[0] if publisher else "Unbekannt"}
    if published:
        report["date"] = published
    if source:
        report["source"] = source
    report["language"] = "de"
    report["text"] = Path(os.path.relpath(doc.path.resolve(), base.resolve())).as_posix()
    evidence = Evidence(doc)
    if title:
        evidence.add("title", title[0], title[1], 0.8)
    if publisher and publisher[1]:
        evidence.add("publisher", publisher[0], publisher[1], 0.6)
    report["evidence"] = evidence.entries
    events, review = [], []
    for draft in drafts:
        event, needs = event_record(draft, doc, len(events), calibration)
        events.append(event)
        review += needs
    if not publisher:
        review.insert(0, "report.publisher")
    if not drafts:
        review.append("events: keine Veranstaltung gefunden / no event found")
    result = {"report": report, "events": events}
    if review:
        result["review"] = review
    return result
