"""Reference places (states, districts, regions, municipalities) and name resolution."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from graph.iri import slug

# Record `kind` values and the category of place each names.
KIND_CATEGORY = {
    "Gemeinde": "municipality", "municipality": "municipality",
    "Stadt": "town", "town": "town",
    "Kreis": "district", "Landkreis": "district", "district": "district",
    "Land": "state", "Bundesland": "state", "state": "state",
    "Region": "region", "region": "region",
    "Kommunalverbund": "group", "Verbandsgemeinde": "group", "Verwaltungsgemeinschaft": "group",
    "Amt": "group", "Samtgemeinde": "group",
    "group": "group",
}

_PREFIXES = re.compile(
    r"^(stadt|gemeinde|landeshauptstadt|hansestadt|kreisstadt|große kreisstadt|markt|"
    r"landkreis|kreis|verbandsgemeinde|vg|samtgemeinde|amt|region|land|freistaat)\s+")
_SUFFIXES = re.compile(r",\s*(stadt|landeshauptstadt|hansestadt|gemeinde|markt|kreisfreie stadt|"
                       r"stadtkreis|landkreis|kreis)\b.*$")


def normalise(name: str) -> str:
    """A comparison key for place names: case, umlauts, ß, hyphens and prefixes do not matter."""
    text = unicodedata.normalize("NFC", name).casefold().strip()
    text = _SUFFIXES.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, _PREFIXES.sub("", text)
    for plain, folded in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(plain, folded)
    # Official names abbreviate what reports spell out: 'Wunsiedel i. Fichtelgebirge' is 'Wunsiedel im
    # Fichtelgebirge', 'Neumarkt i.d.OPf.' 'Neumarkt in der Oberpfalz', 'Mühldorf a. Inn' 'Mühldorf am Inn'.
    # The little words between a name's parts carry nothing: both forms lose them.
    text = re.sub(r"(?<=\w)\s*\b(?:[iavb]\.\s*d\.|[iab]\.)\s*(?=\w)", " ", text)
    text = re.sub(r"(?<=\w)\s+(?:im|in der|in|am|an der|an|bei|vor der|ob der)\s+(?=\w)", " ", text)
    text = re.sub(r"\bopf\b\.?", "oberpfalz", text)
    text = re.sub(r"[\s\-‐–/.]+", " ", text)
    # Reports write 'Sankt Wendel' for the official 'St. Wendel' and 'St. Augustin' for 'Sankt Augustin'.
    text = re.sub(r"\bsankt\b", "st", text)
    return text.strip()


@dataclass
class Place:
    """A resolved place: its category, stable key and what we know of it."""

    category: str            # municipality, town, district, state, region, group
    key: str                 # AGS, district key, state key or slug
    name: str
    ags: str | None = None
    district_key: str | None = None
    state_key: str | None = None
    district_name: str | None = None
    alt_names: list[str] = field(default_factory=list)
    members: list["Place"] = field(default_factory=list)
    kind: str | None = None                  # Stadt, Gemeinde, Verbandsgemeinde, Amt … as the list names it
    association_key: str | None = None       # 9-digit key of the Gemeindeverband (Verbandsgemeinde, Amt …)
    ars: str | None = None                   # 12-digit Amtlicher Regionalschlüssel, from the municipality list

    @property
    def government_district_key(self) -> str | None:
        """The 3-digit key of the Regierungsbezirk this place lies in, if its keys name one."""
        key = self.ags or self.district_key
        return key[:3] if key and len(key) >= 3 and key[2] != "0" else None

    @property
    def iri_kind(self) -> str:
        """The path segment kind under which this place's IRI is minted."""
        return "municipality" if self.category in ("municipality", "town") else self.category


@dataclass
class Gazetteer:
    """Known states, districts, regions and municipalities, looked up by key or name."""

    states: dict[str, Place] = field(default_factory=dict)
    districts: dict[str, Place] = field(default_factory=dict)
    regions: dict[str, Place] = field(default_factory=dict)
    municipalities: dict[str, Place] = field(default_factory=dict)
    associations: dict[str, Place] = field(default_factory=dict)
    government_districts: dict[str, Place] = field(default_factory=dict)
    _names: dict[tuple[str, str], list[Place]] = field(default_factory=dict)

    def add(self, place: Place) -> None:
        """Register a place under its key and every name."""
        table = {"state": self.states, "district": self.districts, "region": self.regions,
                 "group": self.associations, "government_district": self.government_districts,
                 }.get(place.category, self.municipalities)
        table[place.key] = place
        category = "municipality" if place.category == "town" else place.category
        for name in {place.name, *place.alt_names}:
            bucket = self._names.setdefault((category, normalise(name)), [])
            if place not in bucket:
                bucket.append(place)

    def by_name(self, category: str, name: str) -> list[Place]:
        """Places of `category` whose name or alt name matches `name`."""
        category = "municipality" if category == "town" else category
        return list(self._names.get((category, normalise(name)), []))

    def state(self, name_or_key: str) -> Place | None:
        """A federal state by key ('08'), name, abbreviation or English name."""
        if name_or_key in self.states:
            return self.states[name_or_key]
        found = self.by_name("state", name_or_key)
        return found[0] if len(found) == 1 else None


def load_gazetteer(reference_dir: Path) -> Gazetteer:
    """Reference places from places.yaml and, if imported, the municipality list gazetteer.csv."""
    gazetteer = Gazetteer()
    data = YAML(typ="safe").load((reference_dir / "places.yaml").read_text("utf-8"))
    for row in data.get("states", []):
        gazetteer.add(Place("state", row["key"], row["name"], state_key=row["key"],
                            alt_names=[row.get("abbreviation", ""), *row.get("alt", [])]))
    for row in data.get("government_districts", []):
        gazetteer.add(Place("government_district", row["key"], row["name"], state_key=row["key"][:2]))
    for row in data.get("districts", []):
        gazetteer.add(Place("district", row["key"], row["name"], district_key=row["key"],
                            state_key=row["key"][:2], alt_names=row.get("alt", [])))
    for row in data.get("regions", []):
        gazetteer.add(Place("region", slug(row["name"]), row["name"], state_key=row.get("state"),
                            alt_names=row.get("alt", [])))
    municipality_list = reference_dir / "gazetteer.csv"
    if municipality_list.exists():
        _load_municipality_list(gazetteer, municipality_list)
    return gazetteer


def _load_municipality_list(gazetteer: Gazetteer, path: Path) -> None:
    """Rows of gazetteer.csv (written by `kommunalgraph gazetteer import`; columns in graph/records/gazetteer_import.py)."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ags = row["ags"]
            district_key = row.get("district_key") or None
            # A kreisfreie Stadt is its own district: it is registered once, as a town.
            if district_key and district_key not in gazetteer.districts and not ags.endswith("000"):
                gazetteer.add(Place("district", district_key, row["district_name"], district_key=district_key,
                                    state_key=ags[:2], kind=row.get("district_kind") or None))
            association = row.get("association_key") or None
            if association and association not in gazetteer.associations:
                gazetteer.add(Place("group", association, row["association_name"], district_key=district_key,
                                    state_key=ags[:2], district_name=row.get("district_name") or None,
                                    kind=row.get("association_kind") or None))
            gazetteer.add(Place(row.get("category") or "municipality", ags, row["name"], ags=ags,
                                district_key=district_key if not ags.endswith("000") else None, state_key=ags[:2],
                                district_name=row.get("district_name") or None, alt_names=short_names(row["name"]),
                                kind="Stadt" if row.get("category") == "town" else "Gemeinde",
                                association_key=association, ars=row.get("ars") or None))


def short_names(name: str) -> list[str]:
    """How texts shorten an official name: 'Halle (Saale)' -> 'Halle', 'Lahr/Schwarzwald' -> 'Lahr'."""
    short = re.split(r"\s*[(/]", name)[0].strip()
    return [short] if short and short != name else []
