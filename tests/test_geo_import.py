"""Map data import (issue 14, part 5): `kommunalgraph gazetteer geo` from a VG250 GeoJSON folder."""

from __future__ import annotations

import json
import subprocess

import pytest

from graph.records.gazetteer_import import GazetteerImportError
from graph.records.geo_import import geo_from_folder, import_geo
from tests.helpers import KOMMUNALGRAPH


def square(x: float, y: float, size: float = 1.0) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def write_folder(folder, states: int = 16) -> None:
    """Sixteen square states in a row, and a ring-shaped municipality in the first (its point must fall inside)."""
    folder.mkdir(exist_ok=True)
    laender = [{"type": "Feature", "properties": {"GF": 4, "RS": f"{k:02d}", "GEN": f"Land {k}"}, "geometry": square(k, 50)}
               for k in range(1, states + 1)]
    laender.append({"type": "Feature", "properties": {"GF": 2, "RS": "01", "GEN": "Wasser"}, "geometry": square(0, 0)})
    ring = {"type": "Polygon", "coordinates": [square(1, 50)["coordinates"][0],
                                               [[1.1, 50.1], [1.1, 50.9], [1.9, 50.9], [1.9, 50.1], [1.1, 50.1]]]}
    gemeinden = [{"type": "Feature", "properties": {"GF": 4, "AGS": "01001000", "GEN": "Ring"}, "geometry": ring}]
    (folder / "laender.geo.json").write_text(json.dumps(laender), "utf-8")
    (folder / "gemeinden.geo.json").write_text(json.dumps({"type": "FeatureCollection", "features": gemeinden}), "utf-8")


def test_points_fall_inside_their_municipality_and_states_keep_land_areas(tmp_path):
    write_folder(tmp_path / "src")
    geo = import_geo(tmp_path / "geo.json", tmp_path / "src")
    assert json.loads((tmp_path / "geo.json").read_text("utf-8")) == geo
    assert list(geo["states"]) == [f"{k:02d}" for k in range(1, 17)] and geo["states"]["01"]["name"] == "Land 1"
    x, y = geo["municipalities"]["01001000"]
    assert 1 <= x <= 2 and 50 <= y <= 51 and not (1.1 < x < 1.9 and 50.1 < y < 50.9), "on the ring, not in its hole"
    assert "GeoBasis-DE / BKG" in geo["source"]


@pytest.mark.parametrize("damage", ["missing", "not json", "few states"])
def test_broken_sources_exit_2_with_a_message_and_write_nothing(tmp_path, damage):
    source = tmp_path / "src"
    write_folder(source, states=3 if damage == "few states" else 16)
    if damage == "missing":
        (source / "gemeinden.geo.json").unlink()
    elif damage == "not json":
        (source / "laender.geo.json").write_text("{", "utf-8")
    with pytest.raises(GazetteerImportError):
        geo_from_folder(source)
    out = tmp_path / "geo.json"
    done = subprocess.run([KOMMUNALGRAPH, "gazetteer", "geo", "--source", str(source), "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr and str(source) in done.stderr
    assert not out.exists() and not list(tmp_path.glob(".geo-*"))
