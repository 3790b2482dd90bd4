"""The map of Germany and the timeline (issue 14, part 5): numbers, escaping, and how Chromium shows them."""

from __future__ import annotations

import random

import pytest
from flask import Flask

from graph.publish.figures import build_map, build_timeline
from graph.settings import current
from server.app import create_app
from server.i18n import translator
from tests.helpers import ROOT

from .conftest import parse_html, screenshot

# Two square "states" side by side, a municipality in each, one place without a point.
GEO = {"states": {"08": {"name": "Baden-Württemberg", "rings": [[[8, 48], [9, 48], [9, 49], [8, 49], [8, 48]]]},
                  "09": {"name": "Bayern", "rings": [[[9, 48], [10, 48], [10, 49], [9, 49], [9, 48]]]}},
       "municipalities": {"08215100": [8.5, 48.5], "09162000": [9.5, 48.2]}}
PLACES = [{"place": "https://example.org/a", "ags": "08215100", "label": "Bad <b>Schönborn</b>", "n": 4},
          {"place": "https://example.org/b", "ags": "09162000", "label": "München", "n": 1},
          {"place": "https://example.org/c", "ags": "08999999", "label": "Ohne Punkt", "n": 2}]


def test_map_projects_points_inside_the_picture_and_scales_dots_by_area():
    germany = build_map(GEO, PLACES)
    assert len(germany.outlines) == 2 and [d.label for d in germany.dots] == ["Bad <b>Schönborn</b>", "München"]
    assert all(0 <= d.x <= germany.width and 0 <= d.y <= germany.height for d in germany.dots)
    big, small = germany.dots
    assert big.x < small.x and big.y < small.y, "west is left, north is up"
    assert (big.r - 3.5) / (small.r - 3.5) == pytest.approx(2, rel=0.05), "area, not radius, follows the count"
    assert [p["label"] for p in germany.missing] == ["Ohne Punkt"]
    crowded = build_map(GEO, PLACES * 200)
    assert max(d.r for d in crowded.dots) < small.r, "hundreds of places: smaller dots"
    state = build_map(GEO, PLACES, "09")
    assert [d.label for d in state.dots] == ["München"] and any(o["focus"] for o in state.outlines)


def test_timeline_counts_per_state_and_month_at_hundreds_of_events():
    rng = random.Random(14)
    states = [(f"https://example.org/state/{k:02d}", f"Land {k:02d}") for k in range(1, 17)]
    rows = []
    for i in range(600):
        iri, label = rng.choice(states)
        date = f"{rng.randint(2018, 2024)}-{rng.randint(1, 12):02d}" if i % 50 else str(rng.randint(2018, 2024))
        rows.append({"date": date, "state": iri, "stateLabel": label})
    rows.append({"title": "ohne Datum"})
    timeline = build_timeline(rows)
    assert timeline.undated == 1 and timeline.years == list(range(2018, 2025))
    assert len(timeline.rows) == 16 and sum(r["total"] for r in timeline.rows) == 600
    assert all(sum(r["cells"]) == r["total"] and len(r["cells"]) == 7 * 12 for r in timeline.rows)
    first = next(r for r in timeline.rows if r["iri"] == rows[1]["state"])
    year, month = map(int, rows[1]["date"].split("-"))
    assert first["cells"][(year - 2018) * 12 + month - 1] >= 1


def test_the_templates_escape_every_label():
    flask_app = Flask("figures", template_folder=str(ROOT / "server" / "templates"))
    with flask_app.test_request_context():
        html = flask_app.jinja_env.get_template("figures/map.html").render(
            map=build_map(GEO, PLACES), map_id="m", map_title="<i>x</i>", map_desc="d", t=translator("de"),
            link=lambda iri: iri)
    assert "<b>" not in html and "&lt;b&gt;Schönborn&lt;/b&gt;" in html and "<i>x</i>" not in html
    parsed = parse_html(html)
    assert len(parsed.css("svg circle")) == 2 and parsed.css_first("svg").attributes["role"] == "img"


def _geo_or_skip():
    if not (current().reference_dir / "geo.json").exists():
        pytest.skip("data/reference/geo.json is not generated (make install: kommunalgraph gazetteer geo)")


def test_landing_page_shows_the_map_and_a_dot_leads_to_the_municipality(page, sourced_server):
    _geo_or_skip()
    page.goto(sourced_server.url + "/?lang=de")
    figure = page.locator("figure.map svg")
    assert figure.is_visible()
    box = figure.bounding_box()
    assert box["width"] > 200 and box["height"] > 300
    dots = page.locator("figure.map svg circle")
    assert dots.count() >= 3
    page.locator("figure.map").scroll_into_view_if_needed()
    screenshot(page, "map-landing")
    page.locator("figure.map svg a[href*='municipality/08215100'] circle").click()
    page.wait_for_url("**/municipality/08215100*")
    assert page.locator("h1").inner_text().startswith("Bad Schönborn")
    assert not page.outside and not page.errors


def test_state_page_shows_its_map_and_the_timeline_is_readable(page, sourced_server):
    _geo_or_skip()
    page.goto(sourced_server.url + "/kommunalgraph/page/state/08?lang=en")
    state_map = page.locator("figure.map svg")
    assert state_map.is_visible() and page.locator("figure.map svg polygon.focus").count() >= 1
    titles = page.locator("figure.map svg circle title").evaluate_all("nodes => nodes.map(n => n.textContent)")
    assert any(t.startswith("Bad Schönborn") for t in titles) and not any("Neubrandenburg" in t for t in titles)
    page.goto(sourced_server.url + "/?lang=en")
    cells = page.locator("figure.timeline svg rect.cell")
    assert cells.count() >= 1
    labels = page.locator("figure.timeline svg text.label").evaluate_all("nodes => nodes.map(n => n.textContent)")
    assert "Baden-Württemberg" in labels
    assert not page.outside and not page.errors


def test_map_without_map_data_is_left_out(seed_store, tmp_path):
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True,
                      "GEO_FILE": str(tmp_path / "none.json")})
    try:
        html = parse_html(app.test_client().get("/", headers={"Accept": "text/html"}).get_data(as_text=True))
        assert html.css_first("figure.map") is None and html.css_first("figure.timeline") is not None
    finally:
        app.extensions["kommunalgraph"].close()
