"""Records to RDF: one self-contained named graph per report under our ontology."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graph.errors import Problem
from graph.iri import Minter, slug
from graph.ns import CANDIDATE_SCHEME, KG, SCHEMA
from graph.linking.organisations import key_of
from graph.mapping import agents, event_parts
from graph.mapping.dates import date_literal
from graph.mapping.places import PlaceMapper
from graph.records.gazetteer import Gazetteer
from graph.mapping.provenance import Provenance
from graph.records.record import Record
from graph.mapping.topics import TopicIndex

EVENT_CLASSES = {
    "Strategiestarterworkshop": KG.StrategyStarterWorkshop,
    "Regionenworkshop": KG.RegionalWorkshop,
    "Bundesländerworkshop": KG.StateWorkshop,
    "Workshop": KG.Workshop,
    "Veranstaltung": KG.Event,
}
STRATEGY_CLASSES = {
    "digital_strategy": KG.DigitalStrategy, "digital_agenda": KG.DigitalAgenda,
    "mission_statement": KG.MissionStatement, "framework_strategy": KG.FrameworkStrategy,
    "project": KG.Project, "strategy": KG.Strategy,
}


def event_class(kind: str):
    """The class of an event kind; kinds without a class of their own are workshops or plain events."""
    if kind in EVENT_CLASSES:
        return EVENT_CLASSES[kind]
    # "Werkstatt" is German for workshop (Bürgerwerkstatt, Zukunftswerkstatt, Digitalwerkstatt).
    return KG.Workshop if kind.casefold().endswith(("workshop", "werkstatt")) else KG.Event


ATTENDANCE = {"vor Ort": SCHEMA.OfflineEventAttendanceMode, "digital": SCHEMA.OnlineEventAttendanceMode}


@dataclass
class ReportGraph:
    """The RDF of one record, where each resource came from, and mapping problems."""

    key: str
    iri: URIRef
    graph: Graph
    file: str
    origin: dict[URIRef, tuple[str | None, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class Mapper:
    """Maps records to report graphs with IRIs from one Minter."""

    def __init__(self, minter: Minter, gazetteer: Gazetteer, topics: TopicIndex,
                 person_keys: dict[str, str] | None = None, organisation_keys: dict[str, str] | None = None):
        self.minter = minter
        self.gazetteer = gazetteer
        self.topics = topics
        # Which speakers across reports are one person (graph/linking/persons.py): mention → key.
        self.person_keys = person_keys or {}
        # Which organisation names are one organisation (graph/linking/organisations.py): name → key.
        self.organisation_keys = organisation_keys or {}
        self.organisation_key_set = set(self.organisation_keys.values())

    def map_record(self, record: Record) -> ReportGraph:
        """The report graph of `record`; problems found while mapping are collected, not raised."""
        out = ReportGraph(record.key, self.minter.graph(record.key), Graph(), str(record.path))
        run = _Run(self, record, out)
        run.map()
        return out


class _Run:
    """State of mapping one record.

    Organisations and persons are mapped by graph/mapping/agents.py with this run; `agents.Run`
    lists the attributes and methods it relies on, so keep the two in step.
    """

    def __init__(self, mapper: Mapper, record: Record, out: ReportGraph):
        self.m, self.minter, self.record, self.out, self.g = mapper, mapper.minter, record, out, out.graph
        self.lang = record.report.get("language", "de")
        self.places = PlaceMapper(mapper.minter, mapper.gazetteer, self.g, self.problem)
        self.report = mapper.minter.thing("report", record.key)
        self.organisations: dict[str, URIRef] = {}
        self.strategies: dict[str, URIRef] = {}
        self.event: str | None = None
        self.used_keys: set[str] = set()
        # Evidence entries of the record become statements with source sentences (issue 3).
        self.provenance = Provenance(mapper.minter, record, self.g, self.report, out.problems)

    # -- helpers ---------------------------------------------------------------------------

    def problem(self, german: str, english: str, field_name: str, value=None) -> None:
        self.out.problems.append(Problem(german, english, file=self.out.file, event=self.event,
                                         field=field_name, value=None if value is None else str(value)))

    def label(self, node: URIRef, text: str, lang: str | None = None, field_name: str = "") -> None:
        literal = Literal(text, lang=lang)
        self.g.add((node, RDFS.label, literal))
        self.g.add((node, SCHEMA.name, literal))
        self.out.origin.setdefault(node, (self.event, field_name))

    def person_key(self, spec: dict, path: str) -> str:
        # The build's resolution across reports first; a record's own id or the name's slug alone
        # where it has none (a record checked by itself).
        return self.m.person_keys.get(f"{self.record.key}#{path}") or spec.get("id") or slug(spec["name"])

    def person_name(self, key: str, name: str) -> str:
        return getattr(self.m.person_keys, "names", {}).get(key, name)

    def organisation_key(self, name: str) -> str:
        # As for persons: the build's resolution across reports, else the key this name alone gives.
        return self.m.organisation_keys.get(name) or key_of([name])

    def moved_organisation(self, name: str) -> str | None:
        # The IRI a name had before organisations were joined across spellings (slug of the name)
        # answers 301 to the organisation's IRI, unless it is another organisation's IRI now.
        old = slug(name)
        return old if old != self.organisation_key(name) and old not in self.m.organisation_key_set else None

    def typed(self, node: URIRef, cls: URIRef, field_name: str) -> URIRef:
        self.g.add((node, RDF.type, cls))
        self.out.origin.setdefault(node, (self.event, field_name))
        return node

    def moved(self, kind: str, suffix: str, node: URIRef) -> None:
        """Point the IRI minted from the event's full date (before issue 16) to `node`: a 301."""
        if self.old_event_key:
            self.g.add((self.minter.thing(kind, self.old_event_key + suffix), DCTERMS.isReplacedBy, node))

    def unique_key(self, key: str) -> str:
        candidate, n = key, 2
        while candidate in self.used_keys:
            candidate, n = f"{key}-{n}", n + 1
        self.used_keys.add(candidate)
        return candidate

    # -- the record ------------------------------------------------------------------------

    def map(self) -> None:
        report = self.record.report
        self.typed(self.report, KG.Report, "report")
        self.label(self.report, report["title"], self.lang, "report.title")
        self.g.add((self.report, KG.title, Literal(report["title"], lang=self.lang)))
        self.g.add((self.report, KG.publisher, agents.organisation(self, report["publisher"], "report.publisher")))
        if report.get("date"):
            self.g.add((self.report, KG.published, date_literal(report["date"])))
        if report.get("source"):
            self.g.add((self.report, KG.sourceUrl, URIRef(report["source"])))
        self.g.add((self.report, DCTERMS.language, Literal(self.lang)))
        self.provenance.add(self.report, report.get("evidence"))
        for i, spec in enumerate(self.record.data.get("organisations", [])):
            agents.define_organisation(self, spec, f"organisations[{i}]")
        for i, spec in enumerate(self.record.data.get("strategies", [])):
            self.define_strategy(spec, f"strategies[{i}]")
        for i, event in enumerate(self.record.events):
            self.event = self.record.event_label(i)
            self.map_event(event, f"events[{i}]")
        self.event = None
        self.provenance.finish()

    def define_strategy(self, spec: dict, path: str) -> None:
        node = self.minter.thing("strategy", slug(spec["name"]))
        self.strategies[spec["name"]] = node
        self.typed(node, STRATEGY_CLASSES[spec["kind"]], path)
        self.provenance.add(node, spec.get("evidence"))
        self.label(node, spec["name"], field_name=path)
        self.g.add((node, KG.title, Literal(spec["name"], lang=self.lang)))
        self.g.add((node, KG.reportedIn, self.report))
        if spec.get("description"):
            self.g.add((node, DCTERMS.description, Literal(spec["description"], lang=self.lang)))
        if spec.get("owner"):
            self.g.add((node, KG.owner, agents.organisation(self, spec["owner"], f"{path}.owner")))
        if spec.get("area"):
            self.g.add((node, KG.coversArea, self.places.place(spec["area"], f"{path}.area")))
        self.add_topics(node, spec.get("topics", []), f"{path}.topics")

    def add_topics(self, node: URIRef, topics: list, path: str) -> None:
        for i, topic in enumerate(topics):
            concept = self.topic(topic, f"{path}[{i}]")
            if concept is not None:
                self.g.add((node, KG.topic, concept))

    def topic(self, topic, path: str) -> URIRef | None:
        if isinstance(topic, dict):
            node = self.minter.thing("topic_candidate", slug(topic["label"]))
            self.typed(node, KG.CandidateTopic, path)
            self.g.add((node, RDF.type, SKOS.Concept))
            self.g.add((node, SKOS.prefLabel, Literal(topic["label"], lang=self.lang)))
            self.g.add((node, SKOS.inScheme, CANDIDATE_SCHEME))
            self.label(node, topic["label"], self.lang, path)
            return node
        concept = self.m.topics.resolve(topic)
        if concept is None:
            close = ", ".join(self.m.topics.suggestions(topic)) or "–"
            self.problem(f"Unbekanntes Thema {topic!r} (ähnlich: {close}); als Vorschlag mit "
                         f"{{label: …, candidate: true}} eintragen",
                         f"unknown topic {topic!r} (close: {close}); add it as {{label: …, candidate: true}}",
                         path, topic)
        return concept

    def named(self, name: str, path: str) -> URIRef | None:
        """A strategy or organisation the record names, for talks that present it."""
        if name in self.strategies:
            return self.strategies[name]
        if name in self.organisations:
            return self.organisations[name]
        self.problem(f"{name!r} ist weder unter 'strategies' noch unter 'organisations' beschrieben",
                     f"{name!r} is described neither under 'strategies' nor under 'organisations'",
                     path, name)
        return None

    # -- events ----------------------------------------------------------------------------

    def map_event(self, event: dict, path: str) -> None:
        place = self.places.place(event["municipality"], f"{path}.municipality",
                                  expected_state=event.get("state"), state_field=f"{path}.state")
        place_name = event["municipality"] if isinstance(event["municipality"], str) else event["municipality"]["name"]
        # The IRI names the year only, so that "2022-05" and later "2022-05-11" of one workshop
        # stay one event (issue 16); IRIs minted from the full date answer 301 to it.
        year = str(event.get("date") or "")[:4]
        key = self.unique_key(event.get("id") or slug(f"{year} {place_name} {event['type']}"))
        node = self.minter.thing("event", key)
        self.old_event_key = None
        if not event.get("id"):
            old_key = slug(f"{event.get('date', '')} {place_name} {event['type']}")
            if old_key != key:
                self.old_event_key = old_key
                self.moved("event", "", node)
        self.typed(node, event_class(event["type"]), path)
        self.provenance.add(node, event.get("evidence"))
        if isinstance(event["municipality"], dict):
            self.provenance.add(place, event["municipality"].get("evidence"))
        self.label(node, event["title"], self.lang, f"{path}.title")
        self.g.add((node, KG.title, Literal(event["title"], lang=self.lang)))
        self.g.add((node, KG.location, place))
        self.g.add((node, KG.status, KG.Held if event["status"] == "held" else KG.Planned))
        self.g.add((node, KG.reportedIn, self.report))
        if event.get("date"):
            self.g.add((node, KG.date, date_literal(event["date"])))
            self.g.add((node, KG.year, Literal(int(event["date"][:4]))))
        if event.get("format"):
            self.g.add((node, KG.attendanceMode, ATTENDANCE[event["format"]]))
        for i, spec in enumerate(event.get("participants", [])):
            self.g.add((node, KG.participant, self.places.place(spec, f"{path}.participants[{i}]")))
        for i, spec in enumerate(event.get("regions", [])):
            self.g.add((node, KG.region, self.places.place(spec, f"{path}.regions[{i}]")))
        for i, name in enumerate(event.get("organisers", [])):
            self.g.add((node, KG.organiser, agents.organisation(self, name, f"{path}.organisers[{i}]")))
        for i, name in enumerate(event.get("strategies", [])):
            strategy = self.strategies.get(name)
            if strategy is None:
                self.problem(f"Strategie {name!r} ist unter 'strategies' nicht beschrieben",
                             f"strategy {name!r} is not described under 'strategies'",
                             f"{path}.strategies[{i}]", name)
            else:
                self.g.add((node, KG.worksOn, strategy))
        self.add_topics(node, event.get("topics", []), f"{path}.topics")
        for i, talk in enumerate(event.get("talks", [])):
            event_parts.talk(self, node, key, i, talk, f"{path}.talks[{i}]")
        groups = {}
        for i, spec in enumerate(event.get("working_groups", [])):
            groups.update(event_parts.working_group(self, node, key, i, spec, f"{path}.working_groups[{i}]"))
        for i, spec in enumerate(event.get("outcomes", [])):
            event_parts.outcome(self, node, key, i, spec, groups, event["title"], f"{path}.outcomes[{i}]")
