"""The entities a reconciliation service matches against, read from the store through the engine.

One index per store version: names (all labels), types, and the property values that queries
may compare and data extension may return (AGS, district key, state, district, organisation,
Wikidata item).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from graph.store.engine import QueryRequest, QueryResult
from graph.records.gazetteer import normalise
from graph.sparql import results

# Our classes that can be reconciled: type id (local name in the ontology) → name shown to users.
TYPES = {
    "Municipality": "Gemeinde / municipality",
    "District": "Kreis / district",
    "FederalState": "Bundesland / federal state",
    "Region": "Region",
    "MunicipalGroup": "Kommunalverbund / group of municipalities",
    "Organisation": "Organisation",
    "Person": "Person",
}
# Properties: id → (name, the types that have it, value kind: "str" or "entity").
PROPERTIES = {
    "P439": ("AGS (Amtlicher Gemeindeschlüssel, like Wikidata P439)", ("Municipality",), "str"),
    "P440": ("Kreisschlüssel / district key (like Wikidata P440)", ("District",), "str"),
    "state": ("Bundesland / federal state", ("Municipality", "District", "Region", "MunicipalGroup"), "entity"),
    "district": ("Kreis / district", ("Municipality",), "entity"),
    "organisation": ("Organisation", ("Person",), "entity"),
    "seat": ("Sitz / seat", ("Organisation",), "entity"),
    "wikidata": ("Wikidata", tuple(TYPES), "str"),
}
PLACE_TYPES = ("Municipality", "District", "FederalState", "Region", "MunicipalGroup")
ALIASES = {"ags": "P439", "district_key": "P440", "state_key": "state"}
WIKIDATA = "http://www.wikidata.org/entity/"

INDEX_QUERY = """
PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?entity ?type ?label ?property ?value ?valueLabel WHERE {
  VALUES ?type { kg:Municipality kg:District kg:FederalState kg:Region kg:MunicipalGroup kg:Organisation kg:Person }
  ?entity a ?type ; rdfs:label ?label .
  OPTIONAL {
    VALUES (?property ?predicate) { ("P439" kg:ags) ("P440" kg:districtKey) ("state" kg:inState)
      ("district" kg:inDistrict) ("organisation" kg:affiliation) ("seat" kg:seat) ("wikidata" owl:sameAs)
      ("stateKey" kg:stateKey) }
    ?entity ?predicate ?value .
    OPTIONAL { ?value rdfs:label ?valueLabel }
  }
}"""


@dataclass
class Entity:
    """One entity of the graph as the reconciliation service sees it."""

    id: str                                   # the IRI without the identifier space, e.g. municipality/08221000
    names: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    values: dict[str, list] = field(default_factory=dict)   # property id → str or {"id", "name"}
    keys: list[str] = field(default_factory=list)           # normalised names, for matching

    @property
    def is_place(self) -> bool:
        """Places drop prefixes such as 'Stadt' when compared; organisations and persons do not."""
        return bool(self.types) and self.types[0] in PLACE_TYPES

    @property
    def name(self) -> str:
        """The name to show: the first label."""
        return self.names[0]

    def description(self) -> str:
        """A short line that tells namesakes apart: type, state, key."""
        parts = [TYPES[self.types[0]].split(" / ")[0]] if self.types else []
        parts += [v["name"] for v in self.values.get("state", []) if isinstance(v, dict)]
        parts += [f"AGS {v}" for v in self.values.get("P439", [])]
        parts += [f"Kreisschlüssel {v}" for v in self.values.get("P440", [])]
        return ", ".join(parts)


@dataclass
class EntityIndex:
    """All reconcilable entities of one store version."""

    identifier_space: str
    entities: dict[str, Entity] = field(default_factory=dict)

    def get(self, entity_id: str) -> Entity | None:
        """An entity by its id or full IRI."""
        if entity_id.startswith(self.identifier_space):
            entity_id = entity_id[len(self.identifier_space):]
        return self.entities.get(entity_id)


def build_index(execute: Callable[[QueryRequest], QueryResult], base_iri: str) -> EntityIndex:
    """Read every reconcilable entity from the store (the engine's JSON results)."""
    space = base_iri.rstrip("/") + "/id/"
    index = EntityIndex(space)
    result = execute(QueryRequest(INDEX_QUERY))
    for row in results.bindings(result.body):
        iri = row["entity"]["value"]
        if not iri.startswith(space):
            continue
        entity = index.entities.setdefault(iri[len(space):], Entity(iri[len(space):]))
        type_id = row["type"]["value"].rsplit("#", 1)[-1]
        if type_id not in entity.types:
            entity.types.append(type_id)
        if row["label"]["value"] not in entity.names:
            entity.names.append(row["label"]["value"])
        if "property" in row:
            _add_value(entity, row, space)
    for entity in index.entities.values():
        entity.types.sort(key=list(TYPES).index)
        entity.keys = [comparison_key(name, entity.is_place) for name in entity.names]
        if "stateKey" in entity.values:  # a state's own key also names it
            entity.keys += [str(v) for v in entity.values.pop("stateKey")]
    return index


def _add_value(entity: Entity, row: dict, space: str) -> None:
    prop, value = row["property"]["value"], row["value"]["value"]
    if prop == "wikidata":
        if not value.startswith(WIKIDATA):
            return
        value = value[len(WIKIDATA):]
    elif row["value"]["type"] == "uri":
        if not value.startswith(space):
            return
        value = {"id": value[len(space):], "name": row.get("valueLabel", {}).get("value", value[len(space):])}
    found = entity.values.setdefault(prop, [])
    if value not in found:
        found.append(value)


def comparison_key(name: str, place: bool) -> str:
    """A name as compared: for places without prefixes like 'Stadt' (graph.records.gazetteer.normalise), for
    other entities only without case, umlauts, ß and hyphens ("Stadt Achern" names an administration)."""
    if place:
        return normalise(name)
    text = name.casefold()
    for plain, folded in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(plain, folded)
    return " ".join(re.sub(r"[\s\-‐–/.]+", " ", text).split())


def known_property(pid: str) -> str | None:
    """The property id for `pid` or one of its aliases, or None."""
    pid = ALIASES.get(pid, pid)
    return pid if pid in PROPERTIES else None

