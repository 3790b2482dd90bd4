"""Roles in time (issue 16): three reports of one person give the current affiliation and the past one."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.build.roles import derive_roles
from graph.iri import Minter
from graph.mapping.mapper import Mapper
from graph.mapping.topics import TopicIndex
from graph.ns import KG
from graph.records.gazetteer import Gazetteer, Place

BASE = "https://example.org/"


class _Record:
    """The few parts of a record the mapper's person path reads."""

    def __init__(self, key: str, date: str, person: dict):
        from pathlib import Path
        self.key, self.path = key, Path(f"{key}.yaml")
        self.report = {"title": f"Bericht {key}", "publisher": "Netzwerk", "date": date, "language": "de"}
        self.data = {}
        self.events = []
        self.person = person


def _graph_of(mapper: Mapper, key: str, date: str, person: dict) -> Graph:
    from graph.mapping import agents
    from graph.mapping.mapper import ReportGraph, _Run
    record = _Record(key, date, person)
    out = ReportGraph(key, mapper.minter.graph(key), Graph(), key)
    run = _Run(mapper, record, out)
    agents.person(run, person, "speakers[0]")
    return out.graph


def test_three_reports_post_then_former_then_new():
    gazetteer = Gazetteer()
    gazetteer.add(Place("state", "03", "Niedersachsen", state_key="03"))
    mapper = Mapper(Minter(BASE), gazetteer, TopicIndex.from_graph(Graph()))
    first = {"name": "Anna Berg", "role": "CDO", "organisation": "Stadt Hannover"}
    reports = [
        _graph_of(mapper, "r1", "2021-03-01", first),
        _graph_of(mapper, "r2", "2023-06", {**first, "former": True}),
        _graph_of(mapper, "r3", "2024-01-15", {"name": "Anna Berg", "role": "CIO", "organisation": "Land Niedersachsen"}),
    ]
    store = ox.Store()
    for graph in reports:
        store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.DefaultGraph())
    derived = Graph().parse(data=derive_roles(store), format="nt")
    person = URIRef(BASE + "id/person/anna-berg")
    hannover, land = URIRef(BASE + "id/organisation/stadt-hannover"), URIRef(BASE + "id/organisation/land-niedersachsen")
    assert set(derived.objects(person, KG.affiliation)) == {land}
    old = URIRef(BASE + "id/position/anna-berg-stadt-hannover-cdo")
    new = URIRef(BASE + "id/position/anna-berg-land-niedersachsen-cio")
    assert (old, KG.former, None) in derived and (new, KG.former, None) not in derived
    everything = Graph()
    for graph in reports:
        everything += graph
    interval = everything.value(old, URIRef("http://www.w3.org/ns/org#memberDuring"))
    assert {str(d) for d in everything.objects(interval, KG.heldAsOf)} == {"2021-03-01"}
    assert {str(d) for d in everything.objects(interval, KG.endedBy)} == {"2023-06"}
    # The CDO post of the city exists apart from who holds it.
    post = URIRef(BASE + "id/post/stadt-hannover-cdo")
    assert (post, URIRef("http://www.w3.org/ns/org#postIn"), hannover) in everything
