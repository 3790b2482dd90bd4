"""Finding Wikidata items for our entities (`kommunalgraph link wikidata`).

Municipalities are matched by their AGS (Wikidata P439) and districts by their district key
(P440): a unique hit whose name agrees is a sure match and becomes an accepted link. Everything
else (a municipality without a hit, states, regions, organisations, topics) is looked up by
exact label, then scored by name, class and context; such candidates only go to the review
list, never into the graph, until a steward accepts one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rapidfuzz import fuzz
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from graph.store.engine import QueryRequest, run_query
from graph.linking.enrich import ENRICHMENT_FILE, fetch_facts, write_facts
from graph.errors import RecordError
from graph.iri import Minter
from graph.linking.link_file import LinkFile, flow, read_link_file, today, write_link_file
from graph.ns import KGT
from graph.records.gazetteer import normalise
from graph.store.versions import VersionedStore
from graph.linking.wikidata import WikidataClient, literal, qid
from graph.sparql import results

# Wikidata classes and properties used here; all are marked verified in the project's research list.
MUNICIPALITY_CLASS, DISTRICT_CLASS, STATE_CLASS, UNIVERSITY_CLASS = "Q262166", "Q106658", "Q1221156", "Q1365560"
KEY_PROPERTIES = {"municipality": ("P439", "ags"), "district": ("P440", "district-key")}
LABEL_CLASSES = {"municipality": [MUNICIPALITY_CLASS], "district": [DISTRICT_CLASS], "state": [STATE_CLASS],
                 "University": [UNIVERSITY_CLASS]}
# Methods of the review entries this matcher writes; entries with another method (the research
# list) are left to the steward.
MATCHER_METHODS = {method for _prop, method in KEY_PROPERTIES.values()} | {"label"}
SURE_NAME = 0.8          # a key hit whose name agrees less than this goes to review instead
MAX_CANDIDATES = 5

ENTITY_QUERY = """
PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?kind ?label ?ags ?districtKey ?stateKey ?class WHERE {
  VALUES (?type ?kind) { (kg:Municipality "municipality") (kg:District "district") (kg:FederalState "state")
                         (kg:Region "region") (kg:MunicipalGroup "group") (kg:Organisation "organisation")
                         (skos:Concept "topic") }
  ?entity a ?type .
  { ?entity rdfs:label ?label FILTER(LANG(?label) IN ("", "de")) }
  UNION { ?entity skos:prefLabel ?label FILTER(LANG(?label) IN ("de", "en")) }
  OPTIONAL { ?entity kg:ags ?ags }
  OPTIONAL { ?entity kg:districtKey ?districtKey }
  OPTIONAL { { ?entity kg:stateKey ?stateKey } UNION { ?entity kg:inState/kg:stateKey ?stateKey } }
  OPTIONAL { ?entity a ?class FILTER(?kind = "organisation" && STRSTARTS(STR(?class), STR(kg:))) }
}"""


@dataclass
class Entity:
    """One of our entities that may have a Wikidata item."""

    kind: str
    key: str
    labels: list[tuple[str, str]] = field(default_factory=list)   # (text, language)
    ags: str | None = None
    district_key: str | None = None
    state_key: str | None = None
    classes: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The name to show: the first German or untagged label."""
        return next((text for text, lang in self.labels if lang in ("", "de")), self.labels[0][0])


@dataclass
class Candidate:
    """A Wikidata item that may be the entity, with how well it fits (0 to 1)."""

    wikidata: str
    label: str = ""
    description: str = ""
    score: float = 0.0

    def as_entry(self) -> dict:
        """The candidate as it is written to the review list."""
        values = {"wikidata": self.wikidata, "label": self.label, "description": self.description,
                  "score": self.score}
        return flow({k: v for k, v in values.items() if v != ""})


@dataclass
class LinkRun:
    """What one run found and changed."""

    linked: list[dict] = field(default_factory=list)
    review: list[dict] = field(default_factory=list)
    moved: int = 0
    kept: int = 0
    not_found: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    facts: int = 0


def entities_from_store(store: ox.Store, minter: Minter) -> list[Entity]:
    """The places, organisations and topics of the published graph, in a stable order."""
    result = run_query(store, QueryRequest(ENTITY_QUERY))
    found: dict[tuple[str, str], Entity] = {}
    for row in results.bindings(result.body):
        kind, iri = row["kind"]["value"], row["entity"]["value"]
        prefix = str(KGT) if kind == "topic" else str(minter.thing(kind, ""))
        if not iri.startswith(prefix):
            continue  # candidate topics and the scheme itself are not linked
        entity = found.setdefault((kind, iri), Entity(kind, iri[len(prefix):]))
        label = (row["label"]["value"], row["label"].get("xml:lang", ""))
        if label not in entity.labels:
            entity.labels.append(label)
        entity.ags = entity.ags or row.get("ags", {}).get("value")
        entity.district_key = entity.district_key or row.get("districtKey", {}).get("value")
        entity.state_key = entity.state_key or row.get("stateKey", {}).get("value")
        if "class" in row:
            entity.classes.add(row["class"]["value"].rsplit("#", 1)[-1])
    return sorted((e for e in found.values() if "CityAdministration" not in e.classes),
                  key=lambda e: (e.kind, e.key))


def name_similarity(ours: str, theirs: str) -> float:
    """0 to 1: how alike two names are once case, umlauts, hyphens and 'Stadt'-prefixes are ignored."""
    a, b = normalise(ours), normalise(theirs)
    return max(fuzz.ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))) / 100


def match_by_key(client: WikidataClient, kind: str, entities: list[Entity]) -> dict[str, list[Candidate]]:
    """Items carrying each entity's official key (P439 for municipalities, P440 for districts)."""
    prop, _method = KEY_PROPERTIES[kind]
    by_key = {(e.ags if kind == "municipality" else e.district_key): e for e in entities}
    by_key.pop(None, None)
    hits: dict[str, list[Candidate]] = {}
    for batch in client.batches(sorted(by_key)):
        rows = client.select(f"""
SELECT ?value ?item ?label ?description WHERE {{
  VALUES ?value {{ {' '.join(literal(v) for v in batch)} }}
  ?item wdt:{prop} ?value .
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "de") }}
  OPTIONAL {{ ?item schema:description ?description FILTER(LANG(?description) = "de") }}
}}""")
        for row in rows:
            entity = by_key[row["value"]]
            found = hits.setdefault(entity.key, [])
            if all(c.wikidata != qid(row["item"]) for c in found):
                label = row.get("label", "")
                found.append(Candidate(qid(row["item"]), label, row.get("description", ""),
                                       round(name_similarity(entity.label, label), 3) if label else 0.0))
    return hits


def match_by_label(client: WikidataClient, entities: list[Entity],
                   state_items: dict[str, str]) -> dict[str, list[Candidate]]:
    """Items whose label or alias is one of the entity's names, scored by name, class and state."""
    kind_classes = {e.key: _classes(e) for e in entities}
    rows_for: dict[str, list[Candidate]] = {}
    values = []
    for entity in entities:
        context = state_items.get(entity.state_key or "", "UNDEF")
        context = f"wd:{context}" if context != "UNDEF" else context
        classes = " ".join(f"wd:{c}" for c in kind_classes[entity.key]) or "UNDEF"
        for text, lang in entity.labels:
            values.append(f"({literal(entity.key)} {literal(text, lang or 'de')} {context} {classes.split()[0]})")
    for batch in client.batches(values):
        rows = client.select(f"""
SELECT ?key ?item ?label ?description ?typed ?inContext WHERE {{
  VALUES (?key ?name ?context ?class) {{ {' '.join(batch)} }}
  {{ ?item rdfs:label ?name }} UNION {{ ?item skos:altLabel ?name }}
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "de") }}
  OPTIONAL {{ ?item schema:description ?description FILTER(LANG(?description) = "de") }}
  BIND(IF(BOUND(?class), EXISTS {{ ?item wdt:P31/wdt:P279* ?class }}, false) AS ?typed)
  BIND(IF(BOUND(?context), EXISTS {{ ?item wdt:P131+ ?context }}, false) AS ?inContext)
}}""")
        for row in rows:
            entity = next(e for e in entities if e.key == row["key"])
            features = []
            if kind_classes[entity.key]:
                features.append(row.get("typed") == "true")
            if entity.state_key in state_items:
                features.append(row.get("inContext") == "true")
            if features and not any(features):
                continue  # a namesake of another kind and elsewhere: a river, a person, a film
            name = name_similarity(entity.label, row.get("label") or entity.label)
            score = 0.6 * name + (0.4 * sum(features) / len(features) if features else 0.0)
            found = rows_for.setdefault(entity.key, [])
            if all(c.wikidata != qid(row["item"]) for c in found):
                found.append(Candidate(qid(row["item"]), row.get("label", ""), row.get("description", ""),
                                       round(score, 3)))
    return {key: sorted(found, key=lambda c: -c.score)[:MAX_CANDIDATES] for key, found in rows_for.items()}


def _classes(entity: Entity) -> list[str]:
    if entity.kind == "organisation":
        return [c for cls in sorted(entity.classes) for c in LABEL_CLASSES.get(cls, [])]
    return LABEL_CLASSES.get(entity.kind, [])


def link_wikidata(client: WikidataClient, entities: list[Entity], linkfile: LinkFile) -> LinkRun:
    """Match `entities` and update `linkfile` in place: sure matches to `links`, the rest to `review`.

    Decided entries are never changed; nothing is written here.

    :raises WikidataUnavailable: if the endpoint fails (the link file object may then be half
        updated, so the caller must not write it).
    """
    run = LinkRun(moved=_move_decided(linkfile))
    state_items = {str(e["key"]): str(e["wikidata"]) for e in linkfile.accepted() if e["kind"] == "state"}
    sure: dict[tuple[str, str], tuple[Candidate, str]] = {}
    unsure: dict[tuple[str, str], tuple[list[Candidate], str]] = {}
    for kind, (_prop, method) in KEY_PROPERTIES.items():
        group = [e for e in entities if e.kind == kind]
        for key, found in match_by_key(client, kind, group).items():
            found = [c for c in found if c.wikidata not in _rejected(linkfile, kind, key)]
            if len(found) == 1 and found[0].score >= SURE_NAME:
                sure[(kind, key)] = (found[0], method)
            elif found:
                unsure[(kind, key)] = (found, method)
    open_entities = [e for e in entities if (e.kind, e.key) not in sure and (e.kind, e.key) not in unsure
                     and not _settled(linkfile, e)]
    for key, found in match_by_label(client, open_entities, state_items).items():
        entity = next(e for e in open_entities if e.key == key)
        unsure[(entity.kind, key)] = (found, "label")
    for entity in entities:
        _apply(linkfile, run, entity, sure.get((entity.kind, entity.key)), unsure.get((entity.kind, entity.key)))
    return run


def _apply(linkfile: LinkFile, run: LinkRun, entity: Entity, sure, unsure) -> None:
    """Record what was found for one entity, leaving decided entries alone."""
    kind, key = entity.kind, entity.key
    if _settled(linkfile, entity):
        run.kept += 1
        accepted = {str(d.get("wikidata")) for d in linkfile.decided(kind, key) if d["decision"] == "accepted"}
        if sure and accepted and sure[0].wikidata not in accepted:
            run.disagreements.append(f"{kind} {key} ({entity.label}): link file says {', '.join(sorted(accepted))}, "
                                     f"{sure[1]} gives {sure[0].wikidata}")
        _drop_pending(linkfile, kind, key)
        return
    rejected = _rejected(linkfile, kind, key)
    if sure and sure[0].wikidata not in rejected:
        candidate, method = sure
        entry = flow({"kind": kind, "key": key, "wikidata": candidate.wikidata, "method": method,
                      "score": candidate.score, "decision": "accepted", "date": today()})
        linkfile.links.append(entry)
        run.linked.append(entry)
        _drop_pending(linkfile, kind, key)
        return
    foreign = [e for e in _pending(linkfile, kind, key) if e.get("method") not in MATCHER_METHODS]
    if foreign:
        # Put there from another source (the research list, with its own candidates): it waits
        # for a steward as it is; the matcher neither rewrites nor drops it.
        run.review.extend(foreign)
        return
    candidates = [c for c in (unsure[0] if unsure else []) if c.wikidata not in rejected]
    if not candidates:
        run.not_found.append(f"{kind} {key} ({entity.label})")
        _drop_pending(linkfile, kind, key)
        return
    entry = next((e for e in linkfile.review if e.get("kind") == kind and str(e.get("key")) == key), None)
    if entry is None:
        entry = CommentedMap()
        linkfile.review.append(entry)
    entry.update({"kind": kind, "key": DoubleQuotedScalarString(key), "label": entity.label, "method": unsure[1],
                  "date": DoubleQuotedScalarString(today())})
    entry["candidates"] = [c.as_entry() for c in candidates]
    run.review.append(entry)


def _move_decided(linkfile: LinkFile) -> int:
    """Move review entries a steward decided into `links`; return how many."""
    decided = [e for e in linkfile.review if e.get("decision") in ("accepted", "rejected")]
    for entry in decided:
        chosen = next((c for c in entry.get("candidates") or [] if c.get("wikidata") == entry.get("wikidata")), {})
        values = {"kind": entry["kind"], "key": str(entry["key"]), "wikidata": entry.get("wikidata"),
                  "method": "review", "score": chosen.get("score"), "decision": entry["decision"],
                  "date": str(entry.get("date") or today())}
        linkfile.links.append(flow({k: v for k, v in values.items() if v is not None}))
        linkfile.review.remove(entry)
    return len(decided)


def _settled(linkfile: LinkFile, entity: Entity) -> bool:
    """True if a link is accepted, or a steward said that no item fits."""
    return any(d["decision"] == "accepted" or not d.get("wikidata") for d in linkfile.decided(entity.kind, entity.key))


def _rejected(linkfile: LinkFile, kind: str, key: str) -> set[str]:
    return {str(d["wikidata"]) for d in linkfile.decided(kind, key) if d["decision"] == "rejected" and d.get("wikidata")}


def _pending(linkfile: LinkFile, kind: str, key: str) -> list:
    """Review entries for one entity that no steward has decided yet."""
    return [e for e in linkfile.review if e.get("kind") == kind and str(e.get("key")) == key
            and e.get("decision") in (None, "pending")]


def _drop_pending(linkfile: LinkFile, kind: str, key: str) -> None:
    for entry in _pending(linkfile, kind, key):
        linkfile.review.remove(entry)


def run_link(store: VersionedStore, links_path: Path, base_iri: str, client: WikidataClient,
             enrich: bool = False) -> LinkRun:
    """Match the published graph's entities and rewrite the link file; with `enrich`, fetch facts.

    The link file is written only after every query succeeded.

    :raises RecordError: if the link file is malformed (it is left as it is).
    :raises StoreError: if the store has no published version.
    :raises WikidataUnavailable: if the endpoint fails (nothing is written).
    """
    linkfile = read_link_file(links_path)
    if linkfile.problems:
        raise RecordError(linkfile.problems)
    entities = entities_from_store(store.open_read(), Minter(base_iri))
    run = link_wikidata(client, entities, linkfile)
    facts = fetch_facts(client, [str(e["wikidata"]) for e in linkfile.accepted()]) if enrich else None
    write_link_file(linkfile)
    if facts is not None:
        write_facts(facts, links_path.parent / ENRICHMENT_FILE)
        run.facts = len(facts)
    return run
