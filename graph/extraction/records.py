"""Event drafts to a record dict in the project's record format, with evidence for every fact."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from graph.extraction.events import EventDraft
from graph.text.documents import Document
from graph.iri import slug
from graph.records.gazetteer import Place

PLACE_KINDS = {"town": "Stadt", "municipality": "Gemeinde", "district": "Landkreis", "region": "Region",
               "state": "Land"}
RECORD_KINDS = {"Stadt", "Gemeinde", "Kreis", "Landkreis", "Land", "Region", "Kommunalverbund", "Verbandsgemeinde",
                "Verwaltungsgemeinschaft", "Amt", "Samtgemeinde"}


class Evidence:
    """Collects evidence entries of one resource: field, value, source offsets, confidence."""

    def __init__(self, doc: Document):
        self.doc, self.entries = doc, []

    def add(self, field_name: str, value, span: tuple[int, int] | None, confidence: float) -> None:
        """Record where `value` of `field_name` was read; nothing if the text gives no span."""
        if span is None:
            return
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


def event_record(draft: EventDraft, doc: Document, index: int) -> tuple[dict, list[str]]:
    """One event of the record and the fields a steward must review."""
    evidence = Evidence(doc)
    review: list[str] = []
    place = draft.place
    mention = draft.place_mention
    event = {"type": draft.type, "title": draft.title or f"{draft.type} in {place.name}"}
    if draft.date:
        event["date"] = draft.date.value
        evidence.add("date", draft.date.value, (draft.date.start, draft.date.end),
                     0.7 if draft.date.relative else 0.9)
    else:
        review.append(f"events[{index}].date")
    event["status"] = draft.status
    evidence.add("status", draft.status, draft.status_span or (draft.date and (draft.date.start, draft.date.end)), 0.7)
    if draft.format:
        event["format"] = draft.format
    event["municipality"] = place_spec(place, [])
    confidence = 0.9 if len(draft.ambiguous) <= 1 else 0.4
    if mention is not None:
        evidence.add("municipality", place.name, (mention.start, mention.end), confidence)
    if len(draft.ambiguous) > 1:
        event["municipality"] = {"name": place.name}
        review.append(f"events[{index}].municipality: "
                      + ", ".join(f"{p.name} ({p.ags or p.key})" for p in draft.ambiguous[:5]))
    if draft.state:
        event["state"] = draft.state.name
        span = draft.state_span or (mention and (mention.start, mention.end))
        evidence.add("state", draft.state.name, span, 0.95 if draft.state_span else 0.85)
    else:
        review.append(f"events[{index}].state")
    if draft.members:
        event["participants"] = [place_spec(m, []) for m in draft.members]
    evidence.add("title", event["title"], draft.title_span, 0.8)
    talks = [talk_record(speaker, doc) for speaker in draft.speakers]
    if talks:
        event["talks"] = talks
    topics = []
    for topic in draft.topics:
        value = {"label": topic.label, "candidate": True} if topic.candidate else topic.label
        if value not in topics:
            topics.append(value)
            evidence.add("topics", topic.label, (topic.start, topic.end), 0.6 if topic.candidate else 0.8)
    if topics:
        event["topics"] = topics
    event["evidence"] = evidence.entries
    if review:
        event["review"] = [r.split(".", 1)[1].split(":")[0] for r in review]
    return event, review


def talk_record(speaker, doc: Document) -> dict:
    """A talk with its speaker; the speaker carries evidence for name, organisation and role."""
    person = {"name": speaker.name}
    for key in ("honorific", "organisation", "role"):
        if getattr(speaker, key):
            person[key] = getattr(speaker, key)
    if speaker.former:
        person["former"] = True
    evidence = Evidence(doc)
    for key, confidence in (("name", 0.9), ("honorific", 0.9), ("organisation", 0.75), ("role", 0.7)):
        if key in person:
            evidence.add(key, person[key], speaker.spans.get(key), confidence)
    person["evidence"] = evidence.entries
    talk = {"kind": speaker.kind, "speakers": [person]}
    if speaker.title:
        talk["title"] = speaker.title
    return talk


def record(doc: Document, drafts: list[EventDraft], out_dir: Path | None, publisher: tuple[str, tuple] | None,
           published: dt.date | None, title: tuple[str, tuple] | None) -> dict:
    """The whole record of one report text."""
    base = out_dir if out_dir is not None else Path.cwd()
    report = {"id": slug(doc.path.stem) or "bericht", "title": title[0] if title else doc.path.stem,
              "publisher": publisher[0] if publisher else "Unbekannt"}
    if published:
        report["date"] = published.isoformat()
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
        event, needs = event_record(draft, doc, len(events))
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
