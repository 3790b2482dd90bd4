"""The map and the timeline of the pages (issue 14): data per store version, drawn by templates/figures/."""

from __future__ import annotations

from flask import current_app

from graph.ns import KG
from graph.publish import landing_page as overview
from graph.publish.figures import Map, Timeline, build_map, build_timeline, load_geo, workshop_places
from graph.settings import current
from server.site import cached, execute

FEDERAL_STATE = str(KG.FederalState)


def _geo() -> dict | None:
    """The map data file (data/reference/geo.json), read once per app; None if not generated."""
    extensions = current_app.extensions
    if "kommunalgraph.geo" not in extensions:
        path = current_app.config.get("GEO_FILE") or current().reference_dir / "geo.json"
        extensions["kommunalgraph.geo"] = load_geo(path)
    return extensions["kommunalgraph.geo"]


def germany_map(state: str | None = None) -> Map | None:
    """The map of Germany (or of the state with this key) with the workshop places; None without map data."""
    geo = _geo()
    if geo is None or (state is not None and state not in geo["states"]):
        return None
    places = cached("workshop_places", lambda: workshop_places(execute))
    return cached(f"map-{state or 'de'}", lambda: build_map(geo, places, state))


def state_map(description) -> Map | None:
    """The map of a federal state for its resource page, or None for any other resource."""
    if not any(t.value == FEDERAL_STATE for t in description.types):
        return None
    key = description.iri.rstrip("/").rsplit("/", 1)[-1]
    return germany_map(key) if key.isdigit() and len(key) == 2 else None


def workshop_timeline() -> Timeline:
    """Workshops per state and month."""
    return cached("timeline", lambda: build_timeline(cached("workshops", lambda: overview.workshops(execute))))
