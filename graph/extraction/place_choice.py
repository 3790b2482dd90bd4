"""The choice of an event's place among the place mentions of its section (graph/extraction/places.py finds them)."""

from __future__ import annotations

from graph.extraction.places import GROUP_KINDS, Mention
from graph.records.gazetteer import Place


def disambiguate(candidates: list[Place], states: set[str], districts: set[str]) -> list[Place]:
    """Narrow candidates by states and districts named in the text, then prefer the kreisfreie city or a town."""
    for narrowed in ([p for p in candidates if p.district_key in districts],
                     [p for p in candidates if p.state_key in states]):
        if len(narrowed) == 1:
            return narrowed
        if narrowed:
            candidates = narrowed
    if len(candidates) > 1:
        for preferred in ([p for p in candidates if p.ags and p.ags.endswith("000")],
                          [p for p in candidates if p.category == "town"]):
            if len(preferred) == 1:
                return preferred
    return candidates


def choose(mentions: list[Mention]) -> tuple[Mention | None, list[Place]]:
    """The event's place: the best-scored place, summing repeated mentions of it."""
    totals: dict[str, float] = {}
    best_mention: dict[str, Mention] = {}
    for mention in mentions:
        if mention.score <= 0:
            continue
        for place in mention.candidates:
            key = f"{place.category}:{place.key}"
            totals[key] = totals.get(key, 0) + mention.score / len(mention.candidates) ** 0.5
            if key not in best_mention or mention.score > best_mention[key].score:
                best_mention[key] = mention
    if not totals:
        return None, []
    key = max(totals, key=lambda k: (totals[k], -best_mention[k].start))
    # A heading that labels its section with a place and that place's state ('Lippische Kommunen
    # (Nordrhein-Westfalen): Digitale Agenda') names whom the event was for; the places its body repeats are
    # what the event was about ('die Zusammenarbeit in Ostwestfalen-Lippe'), however often they come.
    labelled = next((m for m in mentions if m.state_span is not None and m.score > 0), None)
    if labelled is not None:
        key = max((f"{p.category}:{p.key}" for p in labelled.candidates), key=lambda k: totals[k])
    mention = best_mention[key]
    # The venue town inside a Verbandsgemeinde or Amt the text also names: the event is the association's
    # ('Digital-Werkstatt in Schweich' for the Verbandsgemeinde Schweich an der Römischen Weinstraße).
    town = mention.candidates[0] if len(mention.candidates) == 1 else None
    association = next((m for m in mentions if m.score > 0 and m.kind in GROUP_KINDS and town is not None
                        and town.association_key and any(c.key == town.association_key for c in m.candidates)), None)
    if association is not None:
        return association, [c for c in association.candidates if c.key == town.association_key]
    tied = [p for p in mention.candidates if abs(totals.get(f"{p.category}:{p.key}", 0) - totals[key]) < 1e-9]
    return mention, tied
