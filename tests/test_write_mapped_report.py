"""A report graph mapped from a record with evidence can be written through the SHACL gate, and what
the store keeps still passes the shapes: Oxigraph stores every integer type as xsd:integer, so
evidence positions are written as xsd:integer from the start (graph/mapping/provenance.py)."""

from __future__ import annotations

import pyoxigraph as ox

from graph.build.pipeline import Sources, build
from graph.checks.ontology import load_ontology
from graph.iri import Minter
from graph.mapping.mapper import Mapper
from graph.mapping.topics import TopicIndex
from graph.records.gazetteer import load_gazetteer
from graph.records.record import load_record
from graph.settings import current
from graph.store.versions import VersionedStore
from graph.writes.gate import WriteGate
from tests.helpers import BASE_IRI, ROOT, shared_path

OTHER = """
report: {id: anderer-bericht, title: Anderer Bericht, publisher: "Beispiel Digital"}
events:
  - type: Workshop
    title: Digitalwerkstatt Achern
    date: "2023-05-04"
    status: held
    municipality: {name: Achern, ags: "08317001"}
"""
SEED = ROOT / "data" / "records" / "stadt-land-digital-2022-strategiestarterworkshops.yaml"
OA = "http://www.w3.org/ns/oa#"


def test_the_seed_report_mapped_with_its_evidence_passes_the_gate(tmp_path):
    shared_path("reports", "stadt-land-digital-2022-strategiestarterworkshops.txt")   # the evidence's text
    records = tmp_path / "records"
    records.mkdir()
    (records / "anderer-bericht.yaml").write_text(OTHER, "utf-8")
    store = VersionedStore(tmp_path / "store")
    build(store, Sources(records=records), BASE_IRI, owl=False)
    library = current()
    mapper = Mapper(Minter(BASE_IRI), load_gazetteer(library.reference_dir),
                    TopicIndex.from_graph(load_ontology(library.ontology_dir)))
    report = mapper.map_record(load_record(SEED))
    assert report.problems == [] and len(report.graph) > 500
    turtle = tmp_path / "seed.ttl"
    report.graph.serialize(turtle, format="turtle")
    graph = f"{BASE_IRI}graph/report/{report.key}"
    result = WriteGate(store).put(graph, str(turtle), "text/turtle", "steward")
    assert result.changed and result.added == len(report.graph)
    starts = list(store.open_read().query(
        f"SELECT ?start WHERE {{ GRAPH <{graph}> {{ ?selector <{OA}start> ?start }} }}"))
    assert len(starts) >= 50
    assert {row["start"].datatype for row in starts} == {ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")}
