"""Pictures as server-side SVG: no script, no CDN; each has a title and a description for
screen readers, and every mark is a link with its own title. Python computes the geometry;
the autoescaping template diagrams/svg.svg writes the markup, so data never becomes markup."""

from __future__ import annotations

import math
from itertools import count
from typing import Callable

from flask import render_template
from markupsafe import Markup

from graph.publish.resource_page import RDF_TYPE, Description, Term

Link = Callable[[str], str]
_ids = count(1)
# Fill colours per kind of thing (light tints: the dark text on them keeps a contrast above 7:1).
KIND_COLOURS = {"event": "#dbe9f9", "talk": "#e6f4ea", "person": "#fdf0d5", "organisation": "#f3e5f5",
                "municipality": "#e0f2f1", "district": "#e0f2f1", "state": "#e0f2f1", "region": "#e0f2f1",
                "group": "#e0f2f1", "topic": "#fde7e9", "strategy": "#eceff1", "report": "#f5f5f5"}
TEXT = "#1a1a1a"
LINE = "#5f6b7a"


def _short(text: str, length: int = 21) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _kind(iri: str) -> str:
    parts = iri.split("/")
    if "id" in parts and parts.index("id") + 1 < len(parts):
        return parts[parts.index("id") + 1]
    return "topic" if "/topic/" in iri else "other"


def _frame(width: int, height: int, title: str, desc: str, **marks) -> Markup:
    """The picture, rendered by the autoescaping template diagrams/svg.svg (issue 10: never by hand)."""
    kinds = ("lines", "labels", "nodes", "dots", "bars")
    svg = render_template("diagrams/svg.svg", n=next(_ids), width=width, height=height, title=title, desc=desc,
                          line=LINE, text=TEXT, **{kind: marks.get(kind, []) for kind in kinds})
    return Markup(svg)


def _node(x: float, y: float, term: Term, lang: str, link: Link, note: str = "", width: int = 150) -> dict:
    label = term.label(lang)
    return {"href": link(term.value), "tip": f"{label} ({note})" if note else label, "x0": f"{x - width / 2:.0f}",
            "y0": f"{y - 18:.0f}", "width": width, "fill": KIND_COLOURS.get(_kind(term.value), "#ffffff"),
            "x": f"{x:.0f}", "y1": f"{y - 2:.0f}", "y2": f"{y + 12:.0f}", "label": _short(label),
            "note": _short(note, 26)}


def neighbourhood(d: Description, lang: str, link: Link, t: Callable, limit: int = 10) -> Markup:
    """A star of the resources this one is linked to (asserted links only), in and out."""
    neighbours: dict[str, tuple[Term, str]] = {}
    for groups, arrow in ((d.properties, "→ "), (d.incoming, "← ")):
        for predicate, values in groups:
            for value in values:
                if (value.is_iri and value.asserted and predicate.value != RDF_TYPE and value.value != d.iri
                        and value.value not in neighbours):
                    neighbours[value.value] = (value, arrow + predicate.label(lang))
    shown = list(neighbours.values())[:limit]
    width, height, cx, cy = 680, 380, 340, 190
    lines, nodes, labels = [], [], []
    for i, (term, note) in enumerate(shown):
        angle = 2 * math.pi * i / max(len(shown), 1) - math.pi / 2
        x, y = cx + 250 * math.cos(angle), cy + 150 * math.sin(angle)
        lines.append({"x1": cx, "y1": cy, "x2": f"{x:.0f}", "y2": f"{y:.0f}"})
        nodes.append(_node(x, y, term, lang, link, note))
    centre = Term(d.iri, labels=d.labels)
    nodes.append(_node(cx, cy, centre, lang, link, t("type") + ": " + (d.types[0].label(lang) if d.types else ""),
                       width=180))
    if len(neighbours) > limit:
        labels.append({"x": width - 10, "y": height - 8, "anchor": "end", "size": 11,
                       "text": t("more", len(neighbours) - limit)})
    label = d.label(lang)
    return _frame(width, height, t("neighbourhood_desc", label),
                  "; ".join(f"{note}: {term.label(lang)}" for term, note in shown) or label,
                  lines=lines, nodes=nodes, labels=labels)


def timeline(rows: list[dict], lang: str, link: Link, t: Callable) -> Markup:
    """Workshops as dots in a grid of federal states (rows) by year (columns)."""
    years = sorted({r["year"] for r in rows if r.get("year")})
    states = sorted({r.get("stateLabel") or "–" for r in rows})
    if not years:
        return Markup("")
    left, top, column, row_height = 210, 34, 150, 34
    width, height = left + column * len(years) + 10, top + row_height * len(states) + 10
    labels = [{"x": f"{left + column * i + column / 2:.0f}", "y": 20, "anchor": "middle", "size": 13, "bold": True,
               "text": y} for i, y in enumerate(years)]
    lines, dots = [], []
    cells: dict[tuple, int] = {}
    for j, state in enumerate(states):
        y = top + row_height * j + row_height / 2
        labels.append({"x": left - 10, "y": f"{y + 4:.0f}", "anchor": "end", "size": 12, "text": state})
        lines.append({"x1": left, "y1": f"{y:.0f}", "x2": width - 10, "y2": f"{y:.0f}", "stroke": "#d0d5db"})
    for r in rows:
        if not r.get("year"):
            continue
        key = (r["year"], r.get("stateLabel") or "–")
        n = cells[key] = cells.get(key, 0) + 1
        dots.append({"href": link(r["workshop"]), "x": left + column * years.index(r["year"]) + 18 * n,
                     "y": f"{top + row_height * states.index(key[1]) + row_height / 2:.0f}",
                     "tip": f'{r["title"]} ({r.get("date", r["year"])}, {r.get("placeLabel", "")})'})
    return _frame(width, height, t("timeline"), t("timeline_desc") + " " + "; ".join(
        f'{r["title"]}: {r.get("year")}, {r.get("stateLabel", "–")}' for r in rows),
        lines=lines, labels=labels, dots=dots)


def bars(rows: list[dict], lang: str, link: Link, title: str, desc: str, limit: int = 14) -> Markup:
    """Horizontal bars: label, bar proportional to the count, the count."""
    rows = rows[:limit]
    if not rows:
        return Markup("")
    left, row_height, scale_width = 230, 26, 380
    most = max(r["count"] for r in rows) or 1
    marks = [{"href": link(r["iri"]), "tip": f'{r["label"]}: {r["count"]}', "left": left, "y": 8 + row_height * i,
              "length": round(max(2, scale_width * r["count"] / most)), "label": _short(r["label"], 32),
              "count": r["count"]} for i, r in enumerate(rows)]
    return _frame(left + scale_width + 50, 16 + row_height * len(rows), title,
                  desc + " " + "; ".join(f'{r["label"]}: {r["count"]}' for r in rows), bars=marks)
