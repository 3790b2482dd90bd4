"""Pictures as server-side SVG: no script, no CDN; each has a title and a description for
screen readers, and every mark is a link with its own title."""

from __future__ import annotations

import math
from itertools import count
from typing import Callable

from markupsafe import Markup, escape

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


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" role="img" '
        f'aria-labelledby="svg{n}t svg{n}d" class="diagram" font-family="system-ui, sans-serif">'
        f'<title id="svg{n}t">{escape(title)}</title><desc id="svg{n}d">{escape(desc)}</desc>'
        + "".join(body) + "</svg>")


def _node(x: float, y: float, term: Term, lang: str, link: Link, note: str = "", width: int = 150) -> str:
    label = term.label(lang)
    tip = f"{label} ({note})" if note else label
    fill = KIND_COLOURS.get(_kind(term.value), "#ffffff")
    return (f'<a href="{escape(link(term.value))}"><title>{escape(tip)}</title>'
            f'<rect x="{x - width / 2:.0f}" y="{y - 18:.0f}" width="{width}" height="36" rx="6" fill="{fill}" '
            f'stroke="{LINE}"/><text x="{x:.0f}" y="{y - 2:.0f}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT}">{escape(_short(label))}</text><text x="{x:.0f}" y="{y + 12:.0f}" '
            f'text-anchor="middle" font-size="10" fill="{TEXT}">{escape(_short(note, 26))}</text></a>')


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
    body = []
    for i, (term, note) in enumerate(shown):
        angle = 2 * math.pi * i / max(len(shown), 1) - math.pi / 2
        x, y = cx + 250 * math.cos(angle), cy + 150 * math.sin(angle)
        body.insert(0, f'<line x1="{cx}" y1="{cy}" x2="{x:.0f}" y2="{y:.0f}" stroke="{LINE}"/>')
        body.append(_node(x, y, term, lang, link, note))
    centre = Term(d.iri, labels=d.labels)
    body.append(_node(cx, cy, centre, lang, link, t("type") + ": " + (d.types[0].label(lang) if d.types else ""),
                      width=180))
    if len(neighbours) > limit:
        body.append(f'<text x="{width - 10}" y="{height - 8}" text-anchor="end" font-size="11" fill="{TEXT}">'
                    f'{escape(t("more", len(neighbours) - limit))}</text>')
    label = d.label(lang)
    return _frame(width, height, t("neighbourhood_desc", label),
                  "; ".join(f"{note}: {term.label(lang)}" for term, note in shown) or label, body)


def timeline(rows: list[dict], lang: str, link: Link, t: Callable) -> Markup:
    """Workshops as dots in a grid of federal states (rows) by year (columns)."""
    years = sorted({r["year"] for r in rows if r.get("year")})
    states = sorted({r.get("stateLabel") or "–" for r in rows})
    if not years:
        return Markup("")
    left, top, column, row_height = 210, 34, 150, 34
    width, height = left + column * len(years) + 10, top + row_height * len(states) + 10
    body = [f'<text x="{left + column * i + column / 2:.0f}" y="20" text-anchor="middle" font-size="13" '
            f'font-weight="bold" fill="{TEXT}">{y}</text>' for i, y in enumerate(years)]
    cells: dict[tuple, int] = {}
    for j, state in enumerate(states):
        y = top + row_height * j + row_height / 2
        body.append(f'<text x="{left - 10}" y="{y + 4:.0f}" text-anchor="end" font-size="12" fill="{TEXT}">'
                    f'{escape(state)}</text><line x1="{left}" y1="{y:.0f}" x2="{width - 10}" y2="{y:.0f}" '
                    f'stroke="#d0d5db"/>')
    for r in rows:
        if not r.get("year"):
            continue
        key = (r["year"], r.get("stateLabel") or "–")
        n = cells[key] = cells.get(key, 0) + 1
        x = left + column * years.index(r["year"]) + 18 * n
        y = top + row_height * states.index(key[1]) + row_height / 2
        tip = f'{r["title"]} ({r.get("date", r["year"])}, {r.get("placeLabel", "")})'
        body.append(f'<a href="{escape(link(r["workshop"]))}"><title>{escape(tip)}</title>'
                    f'<circle cx="{x}" cy="{y:.0f}" r="7" fill="#0b4f9c"/></a>')
    return _frame(width, height, t("timeline"), t("timeline_desc") + " " + "; ".join(
        f'{r["title"]}: {r.get("year")}, {r.get("stateLabel", "–")}' for r in rows), body)


def bars(rows: list[dict], lang: str, link: Link, title: str, desc: str, limit: int = 14) -> Markup:
    """Horizontal bars: label, bar proportional to the count, the count."""
    rows = rows[:limit]
    if not rows:
        return Markup("")
    left, row_height, scale_width = 230, 26, 380
    most = max(r["count"] for r in rows) or 1
    body = []
    for i, r in enumerate(rows):
        y = 8 + row_height * i
        length = max(2, scale_width * r["count"] / most)
        body.append(f'<a href="{escape(link(r["iri"]))}"><title>{escape(r["label"])}: {r["count"]}</title>'
                    f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="12" fill="{TEXT}">'
                    f'{escape(_short(r["label"], 32))}</text><rect x="{left}" y="{y + 3}" width="{length:.0f}" '
                    f'height="18" fill="#0b4f9c"/><text x="{left + length + 6:.0f}" y="{y + 16}" font-size="12" '
                    f'fill="{TEXT}">{r["count"]}</text></a>')
    return _frame(left + scale_width + 50, 16 + row_height * len(rows), title,
                  desc + " " + "; ".join(f'{r["label"]}: {r["count"]}' for r in rows), body)
