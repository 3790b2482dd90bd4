"""A synthetic national dataset shaped like ours, written as record YAML (issue 6).

Records, not RDF: the benchmark then exercises the real build path (schema check, mapping,
SHACL, store) that a data steward's records take. The same seed and sizes always give the
same files. The data is invented (names are built from syllables); it is never committed.

Shape: every municipality of the imported gazetteer (data/reference/gazetteer.csv) can host
workshops; workshops are grouped into reports of `per_report` events by one publisher and
state; speakers recur across reports with a stable organisation, so the merged default
graph has shared people, organisations and places as the real data does.
"""

from __future__ import annotations

import csv
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from graph.errors import KommunalgraphError
from graph.records.gazetteer import load_gazetteer
from graph.mapping.topics import TopicIndex

EVENT_TYPES = ["Strategiestarterworkshop", "Regionenworkshop", "Bundesländerworkshop", "Workshop"]
OUTCOME_KINDS = ["Maßnahmenplan", "Leitsätze", "Vision", "Fahrplan", "Ziele", "Ergebnis"]
GIVEN = ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Karla", "Lukas",
         "Marie", "Niklas", "Olga", "Paul", "Rita", "Simon", "Tina", "Ulrich", "Vera", "Wolf", "Yara", "Zoe"]
FAMILY_HEADS = ["Berg", "Stein", "Wald", "Brück", "Feld", "Hof", "Lind", "Mühl", "Roth", "Schön", "Sonn", "Wies",
                "Bach", "Eich", "Fuchs", "Hage", "Kalt", "Lang", "Neu", "Ost", "Rein", "Tann", "Vogt", "Weiß"]
FAMILY_TAILS = ["mann", "er", "hauer", "meier", "berger", "ling", "huber", "inger", "wald", "feld", "hoff", "ke"]
HONORIFICS = [None, None, None, "Dr.", "Prof. Dr.", "Herr", "Frau"]
ROLES = [None, "CDO", "Digitalisierungsbeauftragte", "Bürgermeister", "Amtsleitung IT", "Projektleitung"]
AGENCY_KINDS = [("agency", "Digitalagentur"), ("university", "Hochschule"), ("office", "Kompetenzzentrum"),
                ("ministry", "Ministerium für Digitales")]


@dataclass(frozen=True)
class Sizes:
    """How much to generate."""

    workshops: int = 100_000
    per_report: int = 20
    speakers: int = 20_000


class GenerateError(KommunalgraphError, ValueError):
    """The generator cannot run (missing gazetteer, bad output directory)."""


def read_municipalities(gazetteer_csv: Path) -> list[dict]:
    """Rows of the imported gazetteer (ags, name, category, …), sorted by AGS.

    :raises GenerateError: if the file is missing or has no usable rows.
    """
    try:
        with gazetteer_csv.open(encoding="utf-8", newline="") as handle:
            rows = [row for row in csv.DictReader(handle) if len(row.get("ags") or "") == 8 and row.get("name")]
    except FileNotFoundError:
        raise GenerateError(f"no municipality list at {gazetteer_csv}: run `kommunalgraph gazetteer import` "
                            "first or pass --gazetteer") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GenerateError(f"cannot read {gazetteer_csv}: {exc}") from None
    if not rows:
        raise GenerateError(f"{gazetteer_csv} has no rows with an 8-digit ags and a name")
    return sorted(rows, key=lambda r: r["ags"])


class _Generator:
    """State of one generation run: the random source, places, topics and the speaker pool."""

    def __init__(self, seed: int, sizes: Sizes, municipalities: list[dict], states: dict[str, str],
                 topics: list[str]):
        self.rng = random.Random(seed)
        self.seed = seed
        self.sizes, self.municipalities, self.states, self.topics = sizes, municipalities, states, topics
        self.by_state: dict[str, list[dict]] = {}
        for row in municipalities:
            self.by_state.setdefault(row["ags"][:2], []).append(row)
        self.speakers = [self._speaker(i) for i in range(sizes.speakers)]

    def _speaker(self, i: int) -> dict:
        rng = self.rng
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY_HEADS)}{rng.choice(FAMILY_TAILS)}"
        place = rng.choice(self.municipalities)
        if rng.random() < 0.6:
            organisation = {"name": f"{_prefix(place)} {place['name']}", "kind": "city_administration",
                            "place": _place(place)}
        else:
            kind, word = rng.choice(AGENCY_KINDS)
            organisation = {"name": f"{word} {self.states[place['ags'][:2]]}", "kind": kind}
        return {"id": f"p{self.seed}-{i:06d}", "name": name, "honorific": rng.choice(HONORIFICS), "role": rng.choice(ROLES),
                "organisation": organisation}

    def report(self, number: int, events: int) -> dict:
        """One report record with `events` workshops in one state."""
        rng = self.rng
        state_key = rng.choice(sorted(self.by_state))
        state = self.states[state_key]
        year = rng.randint(2016, 2025)
        publisher = f"Netzwerk Digitale Kommune {state}"
        organisations = {publisher: {"name": publisher, "kind": "initiative"}}
        strategies, event_list = [], []
        for i in range(events):
            host = rng.choice(self.by_state[state_key])
            event, more_orgs, strategy = self._event(number, i, host, state, year, publisher)
            organisations.update(more_orgs)
            if strategy:
                strategies.append(strategy)
            event_list.append(event)
        record = {"report": {"id": f"synthetic-{self.seed}-{number:06d}", "title": f"Werkstattberichte {state} {year}",
                             "publisher": publisher, "date": f"{year}-12", "language": "de"},
                  "organisations": list(organisations.values())}
        if strategies:
            record["strategies"] = strategies
        record["events"] = event_list
        return record

    def _event(self, number: int, i: int, host: dict, state: str, year: int, publisher: str):
        rng = self.rng
        kind = rng.choice(EVENT_TYPES)
        topics = rng.sample(self.topics, rng.randint(1, 3))
        title = f"{kind} {rng.choice(topics)} in {host['name']}"
        month = rng.randint(1, 12)
        status = "held" if rng.random() < 0.85 else "planned"
        # The report is dated December of `year`: a planned event lies after it, in the next year.
        event = {"id": f"w{self.seed}-{number:06d}-{i:02d}", "type": kind, "title": title,
                 "date": f"{year + (status == 'planned')}-{month:02d}", "status": status,
                 "format": rng.choice(["vor Ort", "digital"]), "municipality": _place(host), "state": state,
                 "organisers": [publisher], "topics": topics}
        organisations, talks = {}, []
        for t in range(rng.choice([0, 1, 1])):
            speakers = []
            for speaker in rng.sample(self.speakers, 1):
                organisation = speaker["organisation"]
                organisations[organisation["name"]] = organisation
                speakers.append({k: v for k, v in {"id": speaker["id"], "name": speaker["name"],
                                                   "honorific": speaker["honorific"], "role": speaker["role"],
                                                   "organisation": organisation["name"]}.items() if v})
            talks.append({"kind": rng.choice(["Impulsvortrag", "Vortrag"]),
                          "title": f"Erfahrungen mit {rng.choice(self.topics)} ({t + 1})",
                          "speakers": speakers, "topics": rng.sample(topics, 1)})
        if talks:
            event["talks"] = talks
        if rng.random() < 0.1:
            event["working_groups"] = [{"name": f"Arbeitsgruppe {topics[0]}", "topics": topics[:1]}]
        if rng.random() < 0.3:
            event["outcomes"] = [{"kind": rng.choice(OUTCOME_KINDS),
                                  "description": f"Ergebnis zu {rng.choice(topics)} für {host['name']}."}]
        strategy = None
        if rng.random() < 0.1:
            owner = f"{_prefix(host)} {host['name']}"
            organisations.setdefault(owner, {"name": owner, "kind": "city_administration", "place": _place(host)})
            strategy = {"name": f"Digitalstrategie {host['name']} {event['id']}", "kind": "digital_strategy",
                        "owner": owner, "topics": topics[:2]}
            event["strategies"] = [strategy["name"]]
        return event, organisations, strategy


def _prefix(row: dict) -> str:
    return "Stadt" if row.get("category") == "town" else "Gemeinde"


def _place(row: dict) -> dict:
    return {"name": row["name"], "ags": row["ags"], "kind": "Stadt" if row.get("category") == "town" else "Gemeinde"}


def generate(out: Path, seed: int, sizes: Sizes, gazetteer_csv: Path, reference_dir: Path,
             ontology_dir: Path) -> int:
    """Write records/*.yaml and reference/ (places.yaml, gazetteer.csv) under `out`; return the file count.

    :raises GenerateError: if the gazetteer is missing or `out` holds something other than generated data.
    """
    if out.exists() and any(out.iterdir()) and not (out / "records").is_dir():
        raise GenerateError(f"{out} is not empty and not a generated dataset; choose a new directory")
    municipalities = read_municipalities(gazetteer_csv)
    gazetteer = load_gazetteer(reference_dir)
    states = {key: place.name for key, place in gazetteer.states.items()}
    index = TopicIndex.from_file(ontology_dir / "topics.ttl")
    topics = sorted(index.label(concept) for concept in index.pref_labels if index.label(concept) != str(concept))
    generator = _Generator(seed, sizes, municipalities, states, topics)
    records = out / "records"
    shutil.rmtree(records, ignore_errors=True)
    records.mkdir(parents=True)
    (out / "reference").mkdir(exist_ok=True)
    shutil.copyfile(reference_dir / "places.yaml", out / "reference" / "places.yaml")
    shutil.copyfile(gazetteer_csv, out / "reference" / "gazetteer.csv")
    yaml = YAML(typ="safe", pure=False)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    remaining, number = sizes.workshops, 0
    while remaining > 0:
        events = min(sizes.per_report, remaining)
        with open(records / f"synthetic-{seed}-{number:06d}.yaml", "w", encoding="utf-8") as handle:
            yaml.dump(generator.report(number, events), handle)
        remaining -= events
        number += 1
    return number
