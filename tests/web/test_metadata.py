"""Issue 4: VoID, the DCAT-AP.de catalogue (validated with its shapes), and the dumps."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS

from tests.helpers import ROOT
from graph.publish.dumps import FORMATS, dumps_root, write_dumps, write_into
from graph.ns import DCATDE
from graph.store.versions import VersionedStore
from graph.checks.shacl import load_shapes, validate
from server.app import create_app

from .conftest import rdf_graph

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT_SHAPES = ROOT / "shapes" / "dcat-ap-de" / "dcat-ap-de.ttl"
SHAPE_CASES = Path(__file__).parent / "dcat"
DATASET = URIRef("https://w3id.org/kommunalgraph/dataset")


def fetch(server, path, accept="text/turtle") -> requests.Response:
    return requests.get(server.url + path, headers={"Accept": accept}, timeout=30)


def store_graph(store) -> Graph:
    """The store's default graph as an rdflib graph (through N-Triples written by Oxigraph)."""
    data = store.open_read().dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def test_void_counts_what_the_store_holds(server, seed_store):
    graph = rdf_graph(fetch(server, "/.well-known/void").content, "text/turtle")
    assert (DATASET, RDF.type, VOID.Dataset) in graph
    assert int(graph.value(DATASET, VOID.triples)) == len(store_graph(seed_store))
    assert graph.value(DATASET, VOID.sparqlEndpoint) == URIRef(server.url + "/sparql")
    partitions = {graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
                  for p in graph.objects(DATASET, VOID.classPartition)}
    assert partitions[URIRef("https://w3id.org/kommunalgraph/ontology#Workshop")] >= 4
    dumps = set(graph.objects(DATASET, VOID.dataDump))
    assert URIRef(server.url + "/downloads/kommunalgraph.ttl.gz") in dumps
    for accept in ("application/rdf+xml", "application/ld+json", "application/n-triples"):
        assert len(rdf_graph(fetch(server, "/.well-known/void", accept).content, accept)) == len(graph)


def test_served_catalogue_passes_the_dcat_ap_de_shapes(server):
    graph = rdf_graph(fetch(server, "/catalog", "application/rdf+xml").content, "application/rdf+xml")
    report = validate(graph, Graph().parse(DCAT_SHAPES, format="turtle"))
    assert report.conforms, [r.english for r in report.results]


def test_catalogue_covers_places_period_licence_and_distributions(server):
    graph = rdf_graph(fetch(server, "/catalog.ttl").content, "text/turtle")
    geocoding = {str(o) for o in graph.objects(DATASET, DCATDE.politicalGeocodingURI)}
    assert "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/08215100" in geocoding  # Bad Schönborn
    assert "http://dcat-ap.de/def/politicalGeocoding/stateKey/08" in geocoding
    assert "http://dcat-ap.de/def/politicalGeocoding/stateKey/05" in geocoding  # Lippe, NRW
    period = graph.value(DATASET, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2021-01-01"
    assert str(graph.value(period, DCAT.endDate)) == "2022-05-11"
    distributions = list(graph.objects(DATASET, DCAT.distribution))
    assert len(distributions) == len(FORMATS) + 1  # the dumps and the SPARQL endpoint
    for dist in distributions:
        assert graph.value(dist, DCTERMS.license) == URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    downloads = {str(o) for o in graph.objects(None, DCAT.downloadURL)}
    for url in downloads:
        assert requests.get(url, timeout=30).status_code == 200
    service = graph.value(predicate=RDF.type, object=DCAT.DataService)
    assert graph.value(service, DCAT.endpointURL) == URIRef(server.url + "/sparql")


def test_catalogue_takes_licence_publisher_and_contact_from_the_configuration(seed_store):
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True,
                      "DATASET_LICENSE": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
                      "DATASET_PUBLISHER": "Landkreis Beispiel", "DATASET_CONTACT_EMAIL": "daten@example.org",
                      "PUBLIC_URL": "https://daten.example.org"})
    try:
        graph = rdf_graph(app.test_client().get("/catalog", headers={"Accept": "text/turtle"}).data, "text/turtle")
    finally:
        app.extensions["kommunalgraph"].close()
    assert set(graph.objects(None, DCTERMS.license)) == {URIRef("http://dcat-ap.de/def/licenses/dl-zero-de/2.0")}
    assert Literal("Landkreis Beispiel") in set(graph.objects(None, URIRef("http://xmlns.com/foaf/0.1/name")))
    assert URIRef("mailto:daten@example.org") in set(graph.objects())
    assert URIRef("https://daten.example.org/sparql") in set(graph.objects(None, DCAT.endpointURL))
    assert validate(graph, Graph().parse(DCAT_SHAPES, format="turtle")).conforms


def test_catalogue_page_for_people(server):
    response = fetch(server, "/catalog", "text/html")
    assert response.status_code == 200 and "kommunalgraph.ttl.gz" in response.text


@pytest.mark.parametrize("path, accept", [("/catalog.pdf", "text/turtle"), ("/catalog", "image/png"),
                                          ("/.well-known/void", "image/png")])
def test_catalogue_and_void_refuse_unknown_formats(server, path, accept):
    response = fetch(server, path, accept)
    assert response.status_code in (404, 406) and response.json()["error"]


@pytest.mark.parametrize("path", sorted((SHAPE_CASES / "conforms").glob("*.ttl")), ids=lambda p: p.stem)
def test_dcat_shapes_accept(path):
    assert validate(Graph().parse(path, format="turtle"), Graph().parse(DCAT_SHAPES, format="turtle")).conforms


@pytest.mark.parametrize("path", sorted((SHAPE_CASES / "violates").glob("*.ttl")), ids=lambda p: p.stem)
def test_dcat_shapes_refuse(path):
    report = validate(Graph().parse(path, format="turtle"), Graph().parse(DCAT_SHAPES, format="turtle"))
    assert not report.conforms and all(r.german and r.english for r in report.violations)


def test_dcat_shapes_are_not_loaded_by_the_record_build():
    shapes = load_shapes(ROOT / "shapes")
    assert not any("dcat-ap-de" in str(s) for s in shapes.subjects())


@pytest.mark.parametrize("written_from", ["release", "store"])
@pytest.mark.parametrize("dump", FORMATS, ids=lambda d: d.name)
def test_each_dump_parses_back_to_the_same_graph(seed_store, dump, written_from, tmp_path):
    # A build writes its dumps from the lines its release reads; a restore writes them from the store.
    folder = dumps_root(seed_store) / seed_store.current()
    if written_from == "store":
        folder = tmp_path / "dumps"
        write_into(seed_store.open_read(), folder)
    data = gzip.decompress((folder / dump.name).read_bytes())
    if dump.whole_dataset:
        dataset = ox.Dataset(ox.parse(data, format=dump.format))
        original = ox.Dataset(seed_store.open_read().quads_for_pattern(None, None, None, None))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        original.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        assert sorted(map(str, dataset)) == sorted(map(str, original))
    else:
        assert isomorphic(rdf_graph(data, dump.media_type), store_graph(seed_store))


def test_build_writes_dumps_of_the_new_version_and_drops_those_of_pruned_versions(seed_store, tmp_path):
    store = VersionedStore(seed_store.backup(tmp_path / "copy"))
    first = write_dumps(store)
    for _ in range(4):
        with store.writer(from_current=True):
            pass
        write_dumps(store)
    assert not first.exists()
    assert sorted(p.name for p in dumps_root(store).iterdir()) == sorted(p.name for p in store.versions.iterdir())


def test_downloads_list_and_files(server):
    listing = requests.get(server.url + "/downloads", timeout=30).json()
    assert [f["name"] for f in listing["files"]] == [d.name for d in FORMATS]
    first = listing["files"][0]
    response = requests.get(first["url"], timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/gzip"
    assert len(response.content) == first["bytes"]
    assert "attachment" in response.headers["Content-Disposition"]
    again = requests.get(first["url"], headers={"If-None-Match": response.headers["ETag"]}, timeout=30)
    assert again.status_code == 304
    versioned = requests.get(f"{server.url}/downloads/{listing['version']}/{first['name']}", timeout=30)
    assert versioned.content == response.content


@pytest.mark.parametrize("path", [
    "/downloads/../../etc/passwd", "/downloads/..%2F..%2Fetc%2Fpasswd", "/downloads/%2e%2e/%2e%2e/etc/passwd",
    "/downloads/kommunalgraph.ttl", "/downloads/v0/kommunalgraph.ttl.gz", "/downloads/../CURRENT",
    "/downloads/..%2FCURRENT/kommunalgraph.ttl.gz", "/downloads/" + "a" * 3000, "/downloads/lock",
])
def test_downloads_refuse_traversal_and_unknown_names(server, path):
    response = requests.get(server.url + path, headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 404 and response.json()["status"] == 404


def test_downloads_and_patches_work_with_a_store_given_as_a_relative_path(seed_store, make_app, monkeypatch):
    # `make serve` names its store var/store; Flask took a relative file path from the package folder (500).
    monkeypatch.chdir(seed_store.root.parent)
    client = make_app(STORE=seed_store.root.name).test_client()
    with client.get("/downloads/kommunalgraph.nt.gz") as dump:
        assert dump.status_code == 200 and gzip.decompress(dump.data).startswith(b"<")
    with client.get("/releases/1.rdfp") as patch:
        assert patch.status_code == 200 and gzip.decompress(patch.data).startswith(b"H id <urn:kommunalgraph:version:")
