"""What the map of Germany and the timeline show (issue 14, part 5): numbers and coordinates only.

The pictures themselves are Jinja2 templates (server/templates/figures/), so every label is
escaped by the template engine. Coordinates: data/reference/geo.json (graph/records/geo_import.py),
projected equirectangularly with the cosine of Germany's middle latitude, which keeps the
country's shape at this scale without a projection library.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from graph.ns import PREFIXES
from graph.publish.void import rows
from graph.store.interface import Execute

_PREFIX = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
# Municipalities that held a workshop, with how many (places without an AGS have no point).
_PLACES = _PREFIX + """
SELECT ?place ?ags ?label (COUNT(DISTINCT ?workshop) AS ?n) WHERE {
  ?workshop a kg:Workshop ; kg:location ?place .
  ?place kg:ags ?ags ; rdfs:label ?label .
} GROUP BY ?place ?ags ?label ORDER BY DESC(?n) ?label"""
_COS = math.cos(math.radians(51.0))
MAP_HEIGHT = 620.0
MONTHS = 12
CROWDED = 300   # places on one map above which dots are drawn smaller


@dataclass
class Dot:
    """One municipality on the map."""

    iri: str
    label: str
    count: int
    x: float
    y: float
    r: float


@dataclass
class Map:
    """A map ready for the template: viewBox, outlines (SVG point lists) and dots."""

    width: float
    height: float
    outlines: list[dict] = field(default_factory=list)   # {"key", "name", "points": [str], "focus": bool}
    dots: list[Dot] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)    # places without coordinates


def load_geo(path: Path) -> dict | None:
    """The map data file, or None if it has not been generated (`kommunalgraph gazetteer geo`)."""
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def workshop_places(execute: Execute) -> list[dict]:
    """Municipalities that held a workshop: place IRI, AGS, label and number of workshops."""
    return [{**row, "n": int(row["n"])} for row in rows(execute, _PLACES)]


def build_map(geo: dict, places: list[dict], state: str | None = None) -> Map:
    """The map of Germany, or of one state (its two-digit key) with its neighbours in grey."""
    rings = {key: s["rings"] for key, s in geo["states"].items()}
    shown = rings[state] if state else [r for key_rings in rings.values() for r in key_rings]
    xs = [lon * _COS for ring in shown for lon, _ in ring]
    ys = [-lat for ring in shown for _, lat in ring]
    pad = 0.03 * max(max(xs) - min(xs), max(ys) - min(ys))
    left, top = min(xs) - pad, min(ys) - pad
    scale = MAP_HEIGHT / (max(ys) - min(ys) + 2 * pad)
    width = (max(xs) - min(xs) + 2 * pad) * scale

    def point(lon: float, lat: float) -> tuple[float, float]:
        return round((lon * _COS - left) * scale, 1), round((-lat - top) * scale, 1)

    result = Map(round(width, 1), MAP_HEIGHT)
    for key, state_rings in rings.items():
        for ring in state_rings:
            points = [point(lon, lat) for lon, lat in ring]
            if state and key != state and not any(0 <= x <= width and 0 <= y <= MAP_HEIGHT for x, y in points):
                continue
            result.outlines.append({"key": key, "name": geo["states"][key]["name"], "focus": key == state,
                                    "points": " ".join(f"{x},{y}" for x, y in points)})
    places = [p for p in places if not state or p["ags"].startswith(state)]
    largest = max((p["n"] for p in places), default=1)
    # Hundreds of places: smaller dots, or the country disappears under them.
    smallest, spread = (3.5, 8.5) if len(places) <= CROWDED else (1.3, 5.0)
    if state and len(places) > CROWDED:
        smallest = 2.2  # one state's map is drawn larger: its dots may be too
    for place in places:
        where = geo["municipalities"].get(place["ags"])
        if where is None:
            result.missing.append(place)
            continue
        x, y = point(*where)
        # Area, not radius, grows with the count, so a town with four workshops does not look sixteen times bigger.
        result.dots.append(Dot(place["place"], place["label"], place["n"], x, y,
                               round(smallest + spread * math.sqrt(place["n"] / largest), 1)))
    return result


@dataclass
class Timeline:
    """Workshops per state and month: rows (states), columns (months of the years shown)."""

    years: list[int]
    rows: list[dict]            # {"key", "label", "iri", "cells": [count per month], "total"}
    largest: int
    undated: int


def build_timeline(workshops: list[dict]) -> Timeline:
    """Counts per state and month from the landing page's workshop rows (date, state, stateLabel).

    A workshop dated by year only counts in its year's first month column and is marked as such
    by the template's legend; one without a date counts as undated.
    """
    dated = []
    undated = 0
    for w in workshops:
        date = str(w.get("date") or w.get("year") or "")
        if len(date) >= 4 and date[:4].isdigit():
            month = int(date[5:7]) if len(date) >= 7 and date[5:7].isdigit() else 1
            dated.append((int(date[:4]), month, w))
        else:
            undated += 1
    if not dated:
        return Timeline([], [], 0, undated)
    years = list(range(min(y for y, _, _ in dated), max(y for y, _, _ in dated) + 1))
    by_state: dict[str, dict] = {}
    for year, month, w in dated:
        key = w.get("state") or ""
        row = by_state.setdefault(key, {"iri": key or None, "label": w.get("stateLabel") or "–",
                                        "cells": [0] * (len(years) * MONTHS), "total": 0})
        row["cells"][(year - years[0]) * MONTHS + month - 1] += 1
        row["total"] += 1
    ordered = sorted(by_state.values(), key=lambda r: (r["iri"] is None, r["label"]))
    return Timeline(years, ordered, max(max(r["cells"]) for r in ordered), undated)
