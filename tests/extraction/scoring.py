"""Facts of a record per evaluated field, and their comparison (true/false positives, false negatives)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extraction.places import normalise

# The fields of issue 3 (scored on every part, the old corpus included).
FIELDS = ["municipality", "state", "date", "speaker name", "organisation", "role", "topics"]
# The fields of issue 12: scored on a text only when its annotation uses them (the real corpus always does;
# an old text only once its annotation was extended), so an unannotated field is not counted as wrong.
RECORD_FIELDS = ["event type", "status", "organisers", "participants", "district"]
ALL_FIELDS = FIELDS + RECORD_FIELDS
_ANNOTATION_KEYS = {"event type": "type", "status": "status", "organisers": "organisers",
                    "participants": "participants", "district": "district"}


@dataclass
class Score:
    """True positives, false positives and false negatives of one field, with the differing facts."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Counts:
    """Per-text event counts of one part: texts, texts with the right number, 'no event found' on texts with events."""

    texts: int = 0
    right: int = 0
    with_events: int = 0
    none_found: int = 0
    wrong: list[str] = field(default_factory=list)

    def add(self, name: str, drafted: list, annotated: list) -> None:
        """Count one text's drafted events against its annotated ones."""
        self.texts += 1
        self.right += len(drafted) == len(annotated)
        self.with_events += bool(annotated)
        self.none_found += bool(annotated) and not drafted
        if len(drafted) != len(annotated):
            self.wrong.append(f"{name}: drafted {len(drafted)}, annotated {len(annotated)}")

    @property
    def right_share(self) -> float:
        return self.right / self.texts if self.texts else 1.0


def key(text) -> str:
    """A comparable form of a name: no '(ABBR)', single spaces, case-folded."""
    return re.sub(r"\s+", " ", re.sub(r"\s*\([A-ZÄÖÜ]{2,8}\)", "", str(text))).strip().casefold()


def place_name(spec) -> str:
    """The name of a place given as a string or as an object."""
    return spec if isinstance(spec, str) else spec.get("name", "")


def _district(event: dict) -> str | None:
    """The district the event's text names. A draft (it has evidence) also carries the gazetteer's district of a
    Verbandsgemeinde or Amt, which the mapper needs for its chain to the state: that one the text did not name,
    and the annotations (GUIDELINES.md: 'only when the text names the district') leave it out, so it counts
    only with evidence of its own."""
    if "evidence" in event and not any(e.get("field") == "district" for e in event["evidence"]):
        return None
    district = event.get("district")
    if district is None and isinstance(event.get("municipality"), dict):
        district = event["municipality"].get("district")
    return place_name(district) if district else None


def _name(value) -> str:
    return value if isinstance(value, str) else value.get("name") or value.get("label") or str(value)


def facts(events: list[dict], topics) -> dict[str, set]:
    """The facts of a record's events, per evaluated field, as comparable keys."""
    out = {name: set() for name in ALL_FIELDS}
    for event in events:
        place = normalise(place_name(event.get("municipality", "")))
        if place:   # a draft without a place claims none (page_events.py): a miss, not a wrong place
            out["municipality"].add(place)
        if event.get("state"):
            out["state"].add((place, event["state"]))
        if event.get("date"):
            out["date"].add((place, str(event["date"])))
        speakers = list(event.get("speakers", [])) + [s for t in event.get("talks", []) for s in t.get("speakers", [])]
        for speaker in speakers:
            name = key(speaker["name"])
            out["speaker name"].add(name)
            if speaker.get("organisation"):
                out["organisation"].add((name, key(speaker["organisation"])))
            if speaker.get("role"):
                out["role"].add((name, key(speaker["role"])))
        for topic in event.get("topics", []):
            if isinstance(topic, dict):
                topic_key = "candidate:" + key(topic["label"])
            else:
                concept = topics.resolve(topic)
                topic_key = str(concept) if concept else "unknown:" + key(topic)
            out["topics"].add((place, topic_key))
        if event.get("type"):
            out["event type"].add((place, key(event["type"])))
        if event.get("status"):
            out["status"].add((place, event["status"]))
        for organiser in event.get("organisers", []) or []:
            out["organisers"].add((place, key(_name(organiser))))
        for participant in event.get("participants", []) or []:
            out["participants"].add((place, normalise(place_name(participant))))
        district = _district(event)
        if district:
            out["district"].add((place, normalise(re.sub(r"^(Land)?[Kk]reis\s+", "", district))))
    return out


def annotated_fields(annotation: dict) -> set[str]:
    """The fields an annotation can be scored on: the old seven, plus the new ones it uses."""
    events = annotation.get("events") or []
    scored = set(FIELDS)
    for name, annotation_key in _ANNOTATION_KEYS.items():
        if "source" in annotation or any(annotation_key in e for e in events) or (
                name == "district" and any(isinstance(e.get("municipality"), dict) and "district" in e["municipality"]
                                           for e in events)):
            scored.add(name)
    return scored


def compare(expected: dict[str, set], found: dict[str, set], scores: dict[str, Score], name: str,
            fields: set[str] | None = None) -> None:
    """Add one document's true and false positives to `scores` (only the given fields, default the old seven)."""
    for field_name in (f for f in ALL_FIELDS if f in (fields or set(FIELDS)) and f in scores):
        score = scores[field_name]
        score.tp += len(expected[field_name] & found[field_name])
        for fact in sorted(found[field_name] - expected[field_name], key=str):
            score.fp += 1
            score.errors.append(f"{name}: extra {fact}")
        for fact in sorted(expected[field_name] - found[field_name], key=str):
            score.fn += 1
            score.errors.append(f"{name}: missing {fact}")
