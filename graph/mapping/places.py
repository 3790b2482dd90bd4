"""Place specs of records to IRIs, with the municipality → district → state chain."""

from __future__ import annotations

from typing import Callable

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from graph.iri import Minter, slug
from graph.ns import GEOCODING, KG, SCHEMA
from graph.records.gazetteer import KIND_CATEGORY, Gazetteer, Place

PLACE_CLASSES = {
    "municipality": KG.Municipality, "town": KG.Town, "district": KG.District,
    "state": KG.FederalState, "region": KG.Region, "group": KG.MunicipalGroup,
    "government_district": KG.GovernmentDistrict,
}


def geocoding(level: str, key: str) -> URIRef:
    """The dcat-ap.de political-geocoding IRI of an area key, e.g. …/municipalityKey/08221000."""
    return URIRef(f"{GEOCODING}{level}/{key}")


class PlaceMapper:
    """Resolves place specs against the gazetteer and writes each place's description once."""

    def __init__(self, minter: Minter, gazetteer: Gazetteer, graph: Graph,
                 problem: Callable[..., None]):
        self.minter, self.gazetteer, self.g, self.problem = minter, gazetteer, graph, problem
        self.written: set[URIRef] = set()
        self.administrative: set[URIRef] = set()  # places with an official key (kg:AdministrativeArea)

    def place(self, spec, field_name: str, expected_state: str | None = None,
              state_field: str | None = None) -> URIRef:
        """The IRI of the place `spec` names; checks it against the event's state if given."""
        spec = {"name": spec} if isinstance(spec, str) else spec
        place = self.resolve(spec, field_name)
        if expected_state:
            state = self.gazetteer.state(expected_state)
            if state is None:
                self.problem(f"Unbekanntes Bundesland {expected_state!r}",
                             f"unknown federal state {expected_state!r}", state_field, expected_state)
            elif place.state_key and place.state_key != state.key:
                known = self.gazetteer.states[place.state_key].name
                self.problem(f"Bundesland {expected_state!r} passt nicht zu {place.name} ({known})",
                             f"state {expected_state!r} does not match {place.name} ({known})",
                             state_field, expected_state)
            elif not place.state_key:
                place.state_key = state.key
        return self.write(place, field_name)

    def resolve(self, spec: dict, field_name: str) -> Place:
        """Category, key and facts of a place spec, filled in from the gazetteer where possible."""
        name = spec["name"]
        category = KIND_CATEGORY.get(spec.get("kind", ""), "")
        if not category:
            category = "municipality" if spec.get("ags") else self._guess_category(name)
        if category in ("municipality", "town"):
            return self._municipality(spec, category, field_name)
        if category == "district":
            found = ([self.gazetteer.districts[spec["district_key"]]] if spec.get("district_key") in self.gazetteer.districts
                     else self.gazetteer.by_name("district", name))
            if len(found) == 1:
                return found[0]
            return Place("district", spec.get("district_key") or slug(name), name,
                         district_key=spec.get("district_key"), state_key=self._state_key(spec))
        if category == "state":
            state = self.gazetteer.state(name)
            if state is None:
                self.problem(f"Unbekanntes Bundesland {name!r}", f"unknown federal state {name!r}", field_name, name)
                return Place("state", slug(name), name)
            return state
        found = self.gazetteer.by_name(category, name) if category == "region" else []
        if found:
            return found[0]
        place = Place(category, slug(name), name, state_key=self._state_key(spec))
        if spec.get("district"):
            district = self.resolve({"name": spec["district"], "kind": "Kreis"}, field_name)
            place.district_key, place.district_name = district.key, district.name
            place.state_key = place.state_key or district.state_key
        place.members = [self.resolve(m if isinstance(m, dict) else {"name": m}, field_name)
                         for m in spec.get("members", [])]
        return place

    def _guess_category(self, name: str) -> str:
        for category in ("municipality", "district", "region", "state"):
            if self.gazetteer.by_name(category, name):
                return category
        return "municipality"

    def _state_key(self, spec: dict) -> str | None:
        state = self.gazetteer.state(spec["state"]) if spec.get("state") else None
        return state.key if state else None

    def _municipality(self, spec: dict, category: str, field_name: str) -> Place:
        name, ags = spec["name"], spec.get("ags")
        if ags:
            known = self.gazetteer.municipalities.get(ags)
            if (known is not None and known.name and known.name != name
                    and known not in self.gazetteer.by_name("municipality", name)):
                self.problem(f"AGS {ags} gehört zu {known.name!r}, nicht zu {name!r}",
                             f"AGS {ags} belongs to {known.name!r}, not to {name!r}", field_name, ags)
        else:
            found = self.gazetteer.by_name("municipality", name)
            if len(found) == 1:
                ags = found[0].ags
            elif len(found) > 1:
                options = ", ".join(f"{p.name} ({p.ags})" for p in found[:5])
                self.problem(f"Gemeindename {name!r} ist mehrdeutig; bitte 'ags' angeben: {options}",
                             f"municipality name {name!r} is ambiguous; please give 'ags': {options}",
                             field_name, name)
        district_key = ags[:5] if ags and not ags.endswith("000") else None
        district = self.gazetteer.districts.get(district_key) if district_key else None
        if spec.get("district") and district is None:
            found = self.gazetteer.by_name("district", spec["district"])
            district = found[0] if len(found) == 1 else None
        listed = self.gazetteer.municipalities.get(ags) if ags else None
        return Place(category, ags or slug(name), name, ags=ags,
                     district_key=district.key if district else None,
                     district_name=district.name if district else None,
                     state_key=ags[:2] if ags else self._state_key(spec),
                     ars=listed.ars if listed else None,
                     association_key=listed.association_key if listed else None)

    def write(self, place: Place, field_name: str) -> URIRef:
        """Write the description of `place` (and the areas it lies in) once; return its IRI.

        Each official key goes with its dcat-ap.de political-geocoding IRI. A kreisfreie Stadt
        (AGS ending in 000) also carries its district key: one territory, two roles.
        """
        node = self.minter.thing(place.iri_kind, place.key)
        if node in self.written:
            return node
        self.written.add(node)
        g = self.g
        association = place.category == "group" and place.key.isdigit() and len(place.key) == 9
        g.add((node, RDF.type, KG.MunicipalAssociation if association else PLACE_CLASSES[place.category]))
        g.add((node, RDFS.label, Literal(place.name)))
        g.add((node, SCHEMA.name, Literal(place.name)))
        keys = []
        if place.ags:
            keys.append((KG.ags, "municipalityKey", place.ags))
            if place.ars:
                keys.append((KG.ars, "regionalKey", place.ars))
            if place.ags.endswith("000") and place.category in ("municipality", "town"):
                keys.append((KG.districtKey, "districtKey", place.ags[:5]))
        if place.category == "district" and place.district_key:
            keys.append((KG.districtKey, "districtKey", place.district_key))
        if association:
            keys.append((KG.associationKey, "municipalAssociationKey", place.key))
        if place.category == "government_district":
            keys.append((KG.governmentDistrictKey, "governmentDistrictKey", place.key))
        if place.category == "state":
            keys.append((KG.stateKey, "stateKey", place.key))
        if keys:
            self.administrative.add(node)
        for prop, level, key in keys:
            g.add((node, prop, Literal(key)))
            g.add((node, KG.politicalGeocoding, geocoding(level, key)))
        if place.category != "state" and place.state_key and place.state_key in self.gazetteer.states:
            g.add((node, KG.inState, self.write(self.gazetteer.states[place.state_key], field_name)))
        if place.category not in ("district", "government_district") and place.district_key:
            district = self.gazetteer.districts.get(place.district_key) or Place(
                "district", place.district_key, place.district_name or place.district_key,
                district_key=place.district_key, state_key=place.state_key)
            g.add((node, KG.inDistrict, self.write(district, field_name)))
        if place.category == "district" or (place.ags or "").endswith("000"):
            government = self.gazetteer.government_districts.get(place.government_district_key or "")
            if government is not None:
                g.add((node, KG.inGovernmentDistrict, self.write(government, field_name)))
        if place.association_key and place.association_key in self.gazetteer.associations:
            g.add((node, KG.inAssociation, self.write(self.gazetteer.associations[place.association_key], field_name)))
        for member in place.members:
            g.add((node, KG.member, self.write(member, field_name)))
        return node
