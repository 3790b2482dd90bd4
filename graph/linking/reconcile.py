"""Entity reconciliation (W3C Reconciliation Service API 0.2, as OpenRefine speaks it): matching
names to our entities, suggest, and data extension. No HTTP here; server/reconcile.py serves it.

Names are compared with rapidfuzz after graph.linking.entity_index.comparison_key: case, umlauts, ß and
hyphens never count, and for places neither do prefixes such as "Stadt" or "Gemeinde" (for an
organisation, "Stadt Achern" is its name). A candidate is a `match` when its score is
at least MATCH_SCORE and the next candidate is at least MATCH_MARGIN behind.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass

from rapidfuzz import fuzz

from graph.linking.entity_index import PROPERTIES, TYPES, Entity, EntityIndex, comparison_key, known_property
from graph.errors import ParameterError
from graph.records.gazetteer import normalise

MATCH_SCORE = 90.0
MATCH_MARGIN = 10.0
MIN_SCORE = 40.0
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
TYPE_STRICT = ("any", "should", "all")
QUERY_KEYS = {"query", "type", "limit", "properties", "type_strict"}


@dataclass(frozen=True)
class Query:
    """One checked reconciliation query."""

    text: str
    types: tuple[str, ...]
    limit: int
    properties: tuple[tuple[str, tuple], ...]
    type_strict: str


MAX_JSON_NESTING = 32
# Longest reconciliation query text: names of places, people and organisations are short.
MAX_QUERY_TEXT = 500


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


class TimeLimit(Exception):
    """Reconciliation ran past its deadline."""


def parse_json(text: str | None, parameter: str):
    """The JSON value of a request parameter.

    :raises ParameterError: if it is missing or not JSON.
    """
    if text is None or not text.strip():
        raise ParameterError(f"'{parameter}' is empty; send a JSON object", parameter)
    depth = 0
    for char in text:  # a bound on json's recursion, on the raw text (issue 10)
        depth += char in "[{"
        depth -= char in "]}"
        if depth > MAX_JSON_NESTING:
            raise ParameterError(f"'{parameter}' nests deeper than {MAX_JSON_NESTING} levels", parameter)
    try:
        # NaN and Infinity are not JSON (RFC 8259), though Python's parser takes them.
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ParameterError(f"'{parameter}' is not valid JSON: {exc}", parameter) from None


def parse_batch(data, max_batch: int) -> dict[str, Query]:
    """A query batch ({key: query}) checked against the API's rules.

    :raises ParameterError: if the batch or a query is malformed.
    :raises BatchTooLarge: if it has more than `max_batch` queries.
    """
    if not isinstance(data, dict) or not data:
        raise ParameterError("'queries' must be a non-empty JSON object of {key: query}", "queries")
    if len(data) > max_batch:
        raise BatchTooLarge(f"{len(data)} queries in one batch; at most {max_batch} (see batchSize in the manifest)")
    return {str(key): _parse_query(str(key), query) for key, query in data.items()}


class BatchTooLarge(ParameterError):
    """More queries in one batch than the service accepts."""


def _parse_query(key: str, query) -> Query:
    where = f"queries.{key}"
    if not isinstance(query, dict):
        raise ParameterError(f"{where} must be an object", "queries")
    unknown = sorted(set(query) - QUERY_KEYS)
    if unknown:
        raise ParameterError(f"{where} has unknown field(s) {', '.join(unknown)}; allowed: "
                             f"{', '.join(sorted(QUERY_KEYS))}", "queries")
    text = query.get("query", "")
    if not isinstance(text, str):
        raise ParameterError(f"{where}.query must be a string", "queries")
    if len(text) > MAX_QUERY_TEXT:
        raise ParameterError(f"{where}.query has {len(text)} characters; at most {MAX_QUERY_TEXT}", "queries")
    types = query.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise ParameterError(f"{where}.type must be a type id or a list of them", "queries")
    unknown_types = [t for t in types if _type_id(t) not in TYPES]
    if unknown_types:
        raise ParameterError(f"{where}.type: unknown type {unknown_types[0]!r}; known: {', '.join(TYPES)}", "queries")
    limit = query.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not math.isfinite(limit) or limit < 1:
        raise ParameterError(f"{where}.limit must be a positive number", "queries")
    strict = query.get("type_strict", "any")
    if strict not in TYPE_STRICT:
        raise ParameterError(f"{where}.type_strict must be one of {', '.join(TYPE_STRICT)}", "queries")
    properties = _parse_properties(where, query.get("properties", []))
    if not text.strip() and not properties:
        raise ParameterError(f"{where} needs 'query' or non-empty 'properties'", "queries")
    return Query(text.strip(), tuple(_type_id(t) for t in types), min(int(limit), MAX_LIMIT), properties, strict)


def _parse_properties(where: str, properties) -> tuple:
    if not isinstance(properties, list):
        raise ParameterError(f"{where}.properties must be a list of {{pid, v}}", "queries")
    parsed = []
    for i, item in enumerate(properties):
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise ParameterError(f"{where}.properties[{i}] needs 'pid' and 'v'", "queries")
        pid = known_property(str(item["pid"]))
        if pid is None:
            raise ParameterError(f"{where}.properties[{i}]: unknown property {item['pid']!r}; known: "
                                 f"{', '.join(PROPERTIES)}", "queries")
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        for value in values:
            if not (isinstance(value, (str, int, float)) or (isinstance(value, dict) and isinstance(value.get("id"), str))):
                raise ParameterError(f"{where}.properties[{i}].v must be a string, number, boolean or "
                                     f"{{id, name}}", "queries")
        parsed.append((pid, tuple(json.dumps(v, sort_keys=True) if isinstance(v, dict) else v for v in values)))
    return tuple(parsed)


def _type_id(type_id: str) -> str:
    """'Municipality' from 'Municipality', 'kg:Municipality' or the full class IRI."""
    return type_id.rsplit("#", 1)[-1].rsplit(":", 1)[-1]


def name_score(query: str, entity: Entity) -> float:
    """0-100: the best agreement of `query` with one of the entity's names."""
    key = comparison_key(query, entity.is_place)
    if not key:
        return 0.0
    best = 0.0
    for name, name_key in zip(entity.names, entity.keys):
        normalised = max(fuzz.ratio(key, name_key), fuzz.ratio(key.replace(" ", ""), name_key.replace(" ", "")))
        literal = fuzz.ratio(query.casefold(), name.casefold())
        best = max(best, 0.9 * normalised + 0.1 * literal)  # the exact spelling breaks ties
    return best


def _agrees(pid: str, wanted, entity: Entity) -> bool:
    """True if one of the entity's values of `pid` agrees with the wanted value."""
    if isinstance(wanted, str) and wanted.startswith("{"):
        wanted = json.loads(wanted)
    for value in entity.values.get(pid, []):
        if isinstance(value, dict):
            if isinstance(wanted, dict):
                if wanted["id"] == value["id"] or normalise(str(wanted.get("name", ""))) == normalise(value["name"]):
                    return True
            elif normalise(str(wanted)) == normalise(value["name"]) or str(wanted) == value["id"].rsplit("/", 1)[-1]:
                return True
        elif str(wanted.get("id") if isinstance(wanted, dict) else wanted).strip() == str(value):
            return True
    return False


def reconcile(index: EntityIndex, query: Query, candidates: list[str] | None = None,
              deadline: float | None = None) -> list[dict]:
    """Candidates for one query, best first, with score, features and the match flag.

    `candidates` (IRIs from the search index, issue 14) narrows the entities scored; without it,
    or when none of them is of a wanted type, every entity is scored (a misspelt name still matches).

    :raises TimeLimit: once time.monotonic() passes `deadline`.
    """
    direct = index.get(query.text) if query.text else None
    pool = [index.get(iri) for iri in candidates or []]
    pool = [e for e in pool if e is not None and (not query.types or _type_fits(e, query))]
    scored = []
    for n, entity in enumerate([direct] if direct else pool or index.entities.values()):
        if deadline is not None and n % 64 == 0 and time.monotonic() > deadline:
            raise TimeLimit()
        if query.types and not _type_fits(entity, query):
            continue
        name = 100.0 if direct else (name_score(query.text, entity) if query.text else 0.0)
        agreed = [_agrees(pid, value, entity) for pid, values in query.properties for value in values[:1]]
        if agreed:
            share = sum(agreed) / len(agreed)
            score = 0.6 * name + 40 * share if query.text else 100 * share
        else:
            score = name
        if score >= MIN_SCORE:
            features = [{"id": "name", "value": round(name, 1)}]
            features += [{"id": pid, "value": ok} for (pid, _), ok in zip(query.properties, agreed)]
            scored.append((round(score, 1), entity, features))
    scored.sort(key=lambda item: (-item[0], item[1].name))
    scored = scored[:query.limit]
    results = []
    for i, (score, entity, features) in enumerate(scored):
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        match = i == 0 and score >= MATCH_SCORE and score - runner_up >= MATCH_MARGIN
        results.append({"id": entity.id, "name": entity.name, "description": entity.description(),
                        "type": [{"id": t, "name": TYPES[t]} for t in entity.types], "score": score,
                        "features": features, "match": match})
    return results


def _type_fits(entity: Entity, query: Query) -> bool:
    if query.type_strict == "all":
        return all(t in entity.types for t in query.types)
    return any(t in entity.types for t in query.types)


def suggest_entities(index: EntityIndex, prefix: str, type_id: str | None, cursor: int, limit: int = 20,
                     candidates: list[str] | None = None) -> list[dict]:
    """Entities whose name (or a word of it) starts with `prefix`, or whose id is `prefix`.

    `candidates` (IRIs from the search index, issue 14) are suggested after those, so that a
    folded, inflected or compound-part spelling ("schonborn", "werkstatt") still finds the entity.
    """
    key = normalise(prefix)
    direct = index.get(prefix.strip())
    found = []
    seen = set()
    for entity in index.entities.values():
        if type_id and _type_id(type_id) not in entity.types:
            continue
        if entity is direct:
            found.append((0, entity))
        elif any(k.startswith(key) for k in entity.keys):
            found.append((1, entity))
        elif key and any(word.startswith(key) for k in entity.keys for word in k.split()):
            found.append((2, entity))
        else:
            continue
        seen.add(entity.id)
    found.sort(key=lambda item: (item[0], item[1].name))
    for rank, iri in enumerate(candidates or []):
        entity = index.get(iri)
        if entity is not None and entity.id not in seen and (not type_id or _type_id(type_id) in entity.types):
            seen.add(entity.id)
            found.append((3 + rank, entity))
    return [{"id": e.id, "name": e.name, "description": e.description(),
             "notable": [{"id": t, "name": TYPES[t]} for t in e.types]} for _, e in found[cursor:cursor + limit]]


def suggest_from(table: dict, prefix: str, cursor: int) -> list[dict]:
    """Types or properties whose id or name contains `prefix`."""
    key = prefix.casefold().strip()
    names = {pid: (spec[0] if isinstance(spec, tuple) else spec) for pid, spec in table.items()}
    return [{"id": pid, "name": name} for pid, name in names.items()
            if key in pid.casefold() or key in name.casefold()][cursor:cursor + 50]


def propose_properties(type_id: str, limit: int | None) -> dict:
    """The properties entities of `type_id` have, for data extension."""
    type_id = _type_id(type_id)
    if type_id not in TYPES:
        raise ParameterError(f"unknown type {type_id!r}; known: {', '.join(TYPES)}", "type")
    found = [{"id": pid, "name": spec[0]} for pid, spec in PROPERTIES.items() if type_id in spec[1]]
    body = {"type": type_id, "properties": found[:limit] if limit else found}
    if limit:
        body["limit"] = limit
    return body


VALUE_TYPES = {"state": "FederalState", "district": "District", "organisation": "Organisation", "seat": "Municipality"}


def extend(index: EntityIndex, data, max_ids: int, wikidata_service: str | None) -> dict:
    """Property values of entities (data extension): {"meta": [...], "rows": {id: {pid: [values]}}}.

    Wikidata items are entities of the Wikidata reconciliation service named in meta (or plain
    strings if none is configured). Unknown ids get empty rows.

    :raises ParameterError: if the request is malformed or names an unknown property.
    :raises BatchTooLarge: if it asks for more than `max_ids` entities.
    """
    if not isinstance(data, dict) or not isinstance(data.get("ids"), list) or \
            not isinstance(data.get("properties"), list):
        raise ParameterError("'extend' must be {\"ids\": [...], \"properties\": [{\"id\": ...}]}", "extend")
    if not all(isinstance(i, str) for i in data["ids"]):
        raise ParameterError("'extend.ids' must be a list of entity ids (strings)", "extend")
    if len(data["ids"]) > max_ids:
        raise BatchTooLarge(f"{len(data['ids'])} ids in one request; at most {max_ids}")
    pids = []
    for i, prop in enumerate(data["properties"]):
        pid = known_property(str(prop.get("id"))) if isinstance(prop, dict) else None
        if pid is None:
            raise ParameterError(f"extend.properties[{i}]: unknown property; known: {', '.join(PROPERTIES)}", "extend")
        pids.append(pid)
    meta = []
    for pid in pids:
        column = {"id": pid, "name": PROPERTIES[pid][0]}
        if pid in VALUE_TYPES:
            column["type"] = {"id": VALUE_TYPES[pid], "name": TYPES[VALUE_TYPES[pid]]}
        if pid == "wikidata" and wikidata_service:
            column["service"] = wikidata_service
        meta.append(column)
    rows = {}
    for entity_id in data["ids"]:
        entity = index.get(entity_id)
        rows[entity_id] = {pid: _cells(entity, pid, wikidata_service) if entity else [] for pid in pids}
    return {"meta": meta, "rows": rows}


def _cells(entity: Entity, pid: str, wikidata_service: str | None) -> list[dict]:
    cells = []
    for value in entity.values.get(pid, []):
        if isinstance(value, dict):
            cells.append({"id": value["id"], "name": value["name"]})
        elif pid == "wikidata" and wikidata_service:
            cells.append({"id": value, "name": entity.name})
        else:
            cells.append({"str": str(value)})
    return cells
