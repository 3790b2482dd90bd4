"""Issue 15: quality as data. DQV measurements per release (page, RDF, catalogue) and the build's
SHACL report as RDF at a stable IRI and as a grouped page, warnings included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from graph.build.pipeline import Sources, build
from graph.publish import quality
from graph.store import releases as log
from graph.store.versions import VersionedStore
from server.app import create_app
from tests.helpers import BASE_IRI

DQV = Namespace("http://www.w3.org/ns/dqv#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DQV_SHAPES = Path(__file__).resolve().parent.parent / "data" / "dqv-shapes.ttl"
METRIC = URIRef(BASE_IRI + "quality/metric/event-day-date")


def measurement_of(graph: Graph, metric: URIRef, release: int) -> float:
    found = [graph.value(m, DQV.value).toPython() for m in graph.subjects(DQV.isMeasurementOf, metric)
             if graph.value(m, DQV.computedOn) == URIRef(f"{BASE_IRI}release/{release}")
             and graph.value(m, URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refArea")) is None]
    assert len(found) == 1
    return found[0]


def test_builds_measure_their_release_and_writes_are_measured_when_asked(client, history):
    store, _ = history
    found = log.list_releases(store.root)
    assert quality.load(store.root, found[1]) is not None, "the second build measured its release"
    assert quality.load(store.root, found[2]) is None, "a write's release is measured lazily"
    graph = Graph().parse(data=client.get("/quality.ttl").data, format="turtle")
    # Release 5 adds a workshop without a day-exact date to the 12 events of the build: 1/13.
    assert measurement_of(graph, METRIC, 5) == pytest.approx(1 / 13, abs=1e-4)
    assert quality.load(store.root, found[4])["metrics"]["event-day-date"] == pytest.approx(1 / 13, abs=1e-4)


def test_dqv_graph_meets_dqv_expectations(client):
    graph = Graph().parse(data=client.get("/quality.ttl").data, format="turtle")
    conforms, _report, text = validate(graph, shacl_graph=Graph().parse(DQV_SHAPES), inference="none")
    assert conforms, text
    assert len(set(graph.subjects(RDF.type, DQV.QualityMeasurement))) >= 10
    states = set(graph.objects(None, URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refArea")))
    assert URIRef(BASE_IRI + "id/state/08") in states


def test_quality_page_shows_values_and_change_since_the_last_release(client):
    page = client.get("/quality?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Share of events with a day-exact date" in page and "Measured on release" in page
    # 1/12 at the build's release, 1/13 now: −0.6 points.
    assert "7.7 %" in page and "-0.6 points" in page
    german = client.get("/quality", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "je Land" in german and "7,7 %" in german and "-0,6 Punkte" in german   # German decimal commas


def test_catalogue_carries_the_measurements(client):
    graph = Graph().parse(data=client.get("/catalog.ttl").data, format="turtle")
    dataset = URIRef(BASE_IRI + "dataset")
    measurements = set(graph.objects(dataset, DQV.hasQualityMeasurement))
    assert measurements and all((m, RDF.type, DQV.QualityMeasurement) in graph for m in measurements)


@pytest.fixture(scope="module")
def warned_store(tmp_path_factory) -> VersionedStore:
    """A build from a copy of the records whose report text cannot be found: it publishes with warnings."""
    from tests.helpers import ROOT

    records = tmp_path_factory.mktemp("records")
    for path in (ROOT / "data" / "records").glob("*.yaml"):
        # The record names its text relative to itself (../../../shared/…), which can exist beside the copy too
        # (a /tmp/shared): a name that cannot exist anywhere keeps the warning certain.
        text = re.sub(r"(?m)^(\s+text:) .*$", r"\1 no-such-folder/no-such-report.txt", path.read_text("utf-8"))
        (records / path.name).write_text(text, "utf-8")
    store = VersionedStore(tmp_path_factory.mktemp("warned") / "store")
    result = build(store, Sources(records=records), BASE_IRI)
    assert result.warnings, "the missing report text is a warning"
    return store


def test_shacl_report_as_rdf_at_a_stable_iri_and_grouped_page(warned_store):
    app = create_app({"STORE": str(warned_store.root), "QUERY_WORKERS": 1, "TESTING": True})
    try:
        client = app.test_client()
        graph = Graph().parse(data=client.get("/quality/shacl-report.ttl").data, format="turtle")
        page_de = client.get("/quality/shacl-report", headers={"Accept": "text/html"}).get_data(as_text=True)
        page_en = client.get("/quality/shacl-report?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    finally:
        app.extensions["kommunalgraph"].close()
    report = URIRef(BASE_IRI + "quality/shacl-report")
    assert (report, RDF.type, SH.ValidationReport) in graph
    assert graph.value(report, SH.conforms) == Literal(True)
    results = list(graph.objects(report, SH.result))
    assert results and {graph.value(r, SH.resultSeverity) for r in results} <= {SH.Warning, SH.Info}
    assert any(m.language == "de" for r in results for m in graph.objects(r, SH.resultMessage))
    assert "Warnung: Berichtstext nicht lesbar" in page_de
    assert "Warning: report text not readable" in page_en


@pytest.mark.parametrize("path", ["/quality.pdf", "/quality/shacl-report.xyz"])
def test_unknown_quality_format_is_404(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 404 and b"Traceback" not in response.data
