"""`kommunalgraph gazetteer import`: the municipality list from VG250 GeoJSON or a Destatis GV100AD file (issue 3)."""

from __future__ import annotations

import csv
import json
import subprocess

import pytest

from graph.records.gazetteer_import import COLUMNS, import_gazetteer
from graph.records.gazetteer import load_gazetteer
from tests.helpers import KOMMUNALGRAPH, ROOT


def feature(props: dict, gf: int = 4) -> dict:
    return {"type": "Feature", "properties": {**props, "GF": gf}, "geometry": None}


@pytest.fixture()
def geojson_folder(tmp_path):
    """A small folder in the layout of the npm package: 120 municipalities of one Verbandsgemeinde."""
    folder = tmp_path / "package"
    folder.mkdir()
    towns = [feature({"AGS": f"07331{n:03d}", "RS": f"073315007{n:03d}", "GEN": f"Ort {n}", "BEZ": "Gemeinde"})
             for n in range(101, 221)]
    towns.append({"type": "FeatureCollection", "features": [
        feature({"AGS": "07331055", "RS": "073315007055", "GEN": "Osthofen", "BEZ": "Stadt"}, gf=2),
        feature({"AGS": "07331055", "RS": "073315007055", "GEN": "Osthofen", "BEZ": "Stadt"})]})
    towns.append(feature({"AGS": "03153504", "RS": "031539504504", "GEN": "Harz", "BEZ": "Gemeindefreies Gebiet"}))
    layers = {"gemeinden": towns,
              "kreise": [feature({"RS": "07331", "GEN": "Alzey-Worms", "BEZ": "Landkreis"})],
              "verwaltungsgemeinschaften": [feature({"RS": "073315007", "GEN": "Wonnegau", "BEZ": "Verbandsgemeinde"})],
              "laender": [feature({"RS": "07", "GEN": "Rheinland-Pfalz", "BEZ": "Land"})]}
    for name, items in layers.items():
        (folder / f"{name}.geo.json").write_text(json.dumps(items), "utf-8")
    return folder


def rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_import_from_geojson_keeps_land_areas_and_fills_district_state_and_verband(geojson_folder, tmp_path):
    out = tmp_path / "gazetteer.csv"
    assert import_gazetteer(str(geojson_folder), out) == 121
    table = {row["ags"]: row for row in rows(out)}
    assert list(rows(out)[0]) == COLUMNS
    assert "03153504" not in table  # gemeindefreies Gebiet
    assert table["07331055"] == {
        "ags": "07331055", "ars": "073315007055", "name": "Osthofen", "category": "town", "district_key": "07331",
        "district_name": "Landkreis Alzey-Worms", "district_kind": "Landkreis", "state_key": "07",
        "state_name": "Rheinland-Pfalz", "association_key": "073315007", "association_name": "Wonnegau",
        "association_kind": "Verbandsgemeinde"}


def test_import_from_a_gv100ad_file(tmp_path):
    def record(kind, ars, name, code=""):
        return f"{kind}20221231{ars:<12}{name:<50}{'':<50}{code:<2}\n"
    lines = [record("10", "07", "Rheinland-Pfalz"), record("40", "07331", "Alzey-Worms", "44"),
             record("50", "073315007", "Wonnegau", "53")[:10] + "07331   5007" + record("50", "x", "Wonnegau", "53")[22:]]
    for n in range(101, 221):
        lines.append(f"6020221231{'07331'}{n:03d}5007{'Ort ' + str(n):<50}{'':<50}{'64':<2}\n")
    lines.append(f"6020221231{'07331'}0555007{'Osthofen, Stadt':<50}{'':<50}{'63':<2}\n")
    source = tmp_path / "GV100AD_31122022.txt"
    source.write_text("".join(lines), "cp1252")
    out = tmp_path / "gazetteer.csv"
    assert import_gazetteer(str(source), out) == 121
    osthofen = next(r for r in rows(out) if r["ags"] == "07331055")
    assert (osthofen["name"], osthofen["category"], osthofen["district_name"], osthofen["association_name"],
            osthofen["association_kind"], osthofen["state_name"]) == (
        "Osthofen", "town", "Landkreis Alzey-Worms", "Wonnegau", "Verbandsgemeinde", "Rheinland-Pfalz")


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "nope.txt", "source not found"),
    (lambda p: (p / "empty.txt").write_text("nichts\n") and p / "empty.txt", "no municipality records"),
    (lambda p: (p / "folder").mkdir() or p / "folder", "cannot read"),
])
def test_bad_sources_exit_2_and_leave_no_file(tmp_path, make, message):
    out = tmp_path / "out.csv"
    done = subprocess.run([KOMMUNALGRAPH, "gazetteer", "import", "--source", str(make(tmp_path)), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_loader_registers_districts_verbaende_and_short_names(geojson_folder, tmp_path):
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "places.yaml").write_text((ROOT / "data" / "reference" / "places.yaml").read_text("utf-8"), "utf-8")
    import_gazetteer(str(geojson_folder), reference / "gazetteer.csv")
    gazetteer = load_gazetteer(reference)
    assert gazetteer.by_name("group", "VG Wonnegau")[0].kind == "Verbandsgemeinde"
    assert gazetteer.by_name("district", "Landkreis Alzey-Worms")[0].state_key == "07"
    assert gazetteer.municipalities["07331055"].association_key == "073315007"


def test_the_imported_list_is_complete():
    path = ROOT / "data" / "reference" / "gazetteer.csv"
    if not path.exists():
        pytest.skip("data/reference/gazetteer.csv is missing: run `kommunalgraph gazetteer import` (make install does)")
    table = rows(path)
    assert len(table) > 11000 and list(table[0]) == COLUMNS
    by_ags = {row["ags"]: row for row in table}
    assert by_ags["08215100"]["name"] == "Bad Schönborn" and by_ags["08215100"]["state_name"] == "Baden-Württemberg"
    assert by_ags["13071107"]["district_name"] == "Landkreis Mecklenburgische Seenplatte"


@pytest.mark.parametrize("official, written", [
    ("Wunsiedel i. Fichtelgebirge", "Wunsiedel im Fichtelgebirge"),
    ("Landkreis Wunsiedel i. Fichtelgebirge", "Landkreis Wunsiedel im Fichtelgebirge"),
    ("Neumarkt i.d.OPf.", "Neumarkt in der Oberpfalz"),
    ("Mühldorf a. Inn", "Mühldorf am Inn"),
    ("Bad Homburg v.d.Höhe", "Bad Homburg vor der Höhe"),
])
def test_an_official_abbreviation_and_the_spelled_out_name_are_one_name(official, written):
    from graph.records.gazetteer import normalise
    assert normalise(official) == normalise(written)
    assert normalise("Frankfurt am Main") != normalise("Frankfurt (Oder)")


def test_a_district_is_found_by_its_spelled_out_name(extractor_free_places):
    found = extractor_free_places.resolve("Wunsiedel im Fichtelgebirge", "Landkreis")
    assert [p.name for p in found] == ["Landkreis Wunsiedel i. Fichtelgebirge"]


@pytest.fixture(scope="module")
def extractor_free_places():
    from graph.extraction.places import PlaceFinder
    reference = ROOT / "data" / "reference"
    if not (reference / "gazetteer.csv").exists():
        pytest.skip("data/reference/gazetteer.csv is not imported (make install imports it)")
    return PlaceFinder(load_gazetteer(reference))
