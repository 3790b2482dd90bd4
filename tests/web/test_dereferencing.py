"""Issue 4: every minted IRI dereferences at its path (303 + content negotiation), over plain HTTP."""

from __future__ import annotations

import json
import re

import pytest
import requests
from rdflib import RDFS, Graph, Literal, URIRef

from graph.build.pipeline import Sources, build
from graph.ns import KG
from graph.store.versions import VersionedStore
from tests.helpers import ROOT

from .conftest import BAD_SCHOENBORN, parse_html, rdf_graph

THING = "/kommunalgraph/id/municipality/08215100"
PAGE = "/kommunalgraph/page/municipality/08215100"
DATA = "/kommunalgraph/data/municipality/08215100"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def get(server, path, accept=None, **kwargs):
    headers = {"Accept": accept} if accept else {}
    headers.update(kwargs.pop("headers", {}))
    return requests.get(server.url + path, headers=headers, timeout=30, **kwargs)


@pytest.mark.parametrize("accept, location", [
    ("text/turtle", DATA + ".ttl"),
    ("application/ld+json", DATA + ".jsonld"),
    ("application/n-triples", DATA + ".nt"),
    ("application/rdf+xml", DATA + ".rdf"),
    (BROWSER, PAGE),
    ("*/*", DATA + ".ttl"),
    ("text/turtle;q=0.5, application/ld+json", DATA + ".jsonld"),
])
def test_thing_iri_answers_303_to_the_document_the_client_prefers(server, accept, location):
    response = get(server, THING, accept, allow_redirects=False)
    assert response.status_code == 303
    assert response.headers["Location"] == location
    assert "Accept" in response.headers["Vary"]


def test_curl_follows_the_iri_of_bad_schoenborn_to_its_triples(server):
    # The acceptance check: curl -L -H 'Accept: text/turtle' <path of the IRI>
    response = get(server, THING, "text/turtle")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    thing = URIRef(BAD_SCHOENBORN)
    assert (thing, KG.ags, Literal("08215100")) in graph
    assert (thing, RDFS.label, Literal("Bad Schönborn")) in graph
    # Incoming links come with it: the workshop held there points to the municipality.
    assert any(graph.subjects(KG.location, thing))


@pytest.mark.parametrize("extension, media_type", [
    ("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
    ("rdf", "application/rdf+xml")])
def test_every_extension_gives_the_same_triples(server, extension, media_type):
    reference = Graph().parse(data=get(server, DATA + ".ttl").text, format="turtle")
    response = get(server, DATA + "." + extension)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)
    graph = rdf_graph(response.content, media_type)
    assert len(graph) == len(reference) > 10
    assert set(graph) == set(reference)


def test_thing_iri_with_extension_and_data_path_without_one_negotiate(server):
    assert get(server, THING + ".nt").headers["Content-Type"].startswith("application/n-triples")
    assert get(server, DATA, "application/ld+json").headers["Content-Type"].startswith("application/ld+json")


def test_page_shows_label_workshop_types_links_and_json_ld(server):
    response = get(server, THING, BROWSER)
    assert response.status_code == 200 and response.url.endswith(PAGE)
    assert response.headers["Content-Language"] == "de"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    html = parse_html(response.text)
    assert html.css_first("html").attributes["lang"] == "de"
    assert html.css_first("h1").text() == "Bad Schönborn"
    events = html.css_first("#sec-events").parent.text()
    assert "Digitalisierungsstrategie für Bad Schönborn" in events and "2022" in events
    assert html.css_first("#sec-incoming") is not None  # "wird verwendet von"
    assert "Wird verwendet von" in html.text()
    links = {a.attributes.get("href") for a in html.css("a")}
    assert "/kommunalgraph/page/state/08" in links  # properties link to pages
    jsonld = json.loads(html.css_first('script[type="application/ld+json"]').text())
    assert jsonld["@id"] == BAD_SCHOENBORN and "Place" in jsonld["@type"]
    assert jsonld["name"] == ["Bad Schönborn"]


def test_page_links_wikidata_where_the_link_is_verified(server):
    html = parse_html(get(server, "/kommunalgraph/id/municipality/08221000", BROWSER).text)  # Heidelberg
    assert "http://www.wikidata.org/entity/Q2966" in {a.attributes.get("href") for a in html.css(".wikidata a")}
    jsonld = json.loads(html.css_first('script[type="application/ld+json"]').text())
    assert jsonld["sameAs"] == ["http://www.wikidata.org/entity/Q2966"]


def test_workshop_page_lists_talks_with_speakers_and_topics(server):
    html = parse_html(get(server, "/kommunalgraph/id/event/2022-bad-schoenborn-strategiestarterworkshop",
                          BROWSER).text)
    assert "Sebastian Warkentin" in html.css_first("#sec-talks").parent.text()
    assert "LoRaWAN" in html.css_first("#sec-topics").parent.text()


def test_topic_page_lists_workshops_and_places(server):
    response = get(server, "/kommunalgraph/topic/lorawan", BROWSER)
    assert response.url.endswith("/kommunalgraph/page/topic/lorawan")
    html = parse_html(response.text)
    assert "Digitalisierungsstrategie für Bad Schönborn" in html.css_first("#sec-events").parent.text()
    assert "Bad Schönborn" in html.css_first("#sec-places").parent.text()


def test_named_graph_iri_gives_its_content(server):
    path = "/kommunalgraph/graph/report/stadt-land-digital-2022-strategiestarterworkshops"
    graph = Graph().parse(data=get(server, path, "text/turtle").text, format="turtle")
    assert (URIRef(BAD_SCHOENBORN), KG.ags, Literal("08215100")) in graph
    assert "benannte Graph enthält" in get(server, path, BROWSER).text


@pytest.mark.parametrize("accept, lang", [("en-GB,en;q=0.8", "en"), ("de-DE", "de"), ("fr", "de"), ("", "de")])
def test_accept_language_picks_german_or_english(server, accept, lang):
    response = get(server, PAGE, BROWSER, headers={"Accept-Language": accept})
    assert response.headers["Content-Language"] == lang
    assert f'<html lang="{lang}">' in response.text
    assert "Accept-Language" in response.headers["Vary"]


def test_lang_switch_overrides_the_browser_and_is_kept_in_links(server):
    response = get(server, THING + "?lang=en", BROWSER, headers={"Accept-Language": "de"})
    assert response.url.endswith(PAGE + "?lang=en")
    html = parse_html(response.text)
    assert html.css_first("html").attributes["lang"] == "en" and "Used by" in html.text()
    assert "/kommunalgraph/page/state/08?lang=en" in {a.attributes.get("href") for a in html.css("a")}


@pytest.mark.parametrize("lang", ["fr", "", "<script>", "de-DE", "x" * 5000])
def test_unknown_lang_is_a_clear_400(server, lang):
    response = get(server, PAGE, "application/json", params={"lang": lang})
    assert response.status_code == 400
    assert response.json()["parameter"] == "lang" and "de, en" in response.json()["error"]


@pytest.mark.parametrize("path", [
    "/kommunalgraph/id/municipality/99999999", "/kommunalgraph/page/municipality/99999999",
    "/kommunalgraph/data/municipality/99999999.ttl", "/kommunalgraph/id/nothing",
    "/kommunalgraph/id/municipality/08215100/extra", "/elsewhere/id/municipality/08215100",
    "/kommunalgraph/id/municipality/..%2F..%2Fetc%2Fpasswd", "/kommunalgraph/page/",
])
def test_unknown_iris_are_404_pages_for_browsers_and_json_for_others(server, path):
    html = get(server, path, BROWSER)
    assert html.status_code == 404 and html.headers["Content-Type"].startswith("text/html")
    assert parse_html(html.text).css_first("h1").text().startswith("404")
    data = get(server, path, "application/json")
    assert data.status_code == 404 and data.json()["status"] == 404 and data.json()["error"]


@pytest.mark.parametrize("path", [DATA + ".png", DATA + ".ttl.gz", DATA + ".", THING + ".exe"])
def test_unknown_extensions_are_404(server, path):
    response = get(server, path, "application/json")
    assert response.status_code == 404 and response.json()["error"]


@pytest.mark.parametrize("accept", ["image/png", "application/json", "text/csv"])
def test_unacceptable_types_are_406_with_what_is_available(server, accept):
    response = get(server, THING, accept, allow_redirects=False)
    assert response.status_code == 406 and "text/turtle" in response.json()["available"]


@pytest.mark.parametrize("accept", [
    ",,,;;;q=x", "text/turtle;q=abc", "*/*;q=0", "text/" + "a" * 3000, ", ".join(["x/y"] * 500), "\u00e4/\u00f6",
])
def test_odd_and_huge_accept_headers_get_an_answer_not_a_500(server, accept):
    response = requests.get(server.url + THING, headers={"Accept": accept.encode("utf-8")}, allow_redirects=False,
                            timeout=30)
    assert response.status_code in (303, 400, 406, 431)


def test_ontology_at_its_namespace_in_html_and_rdf(server):
    html = parse_html(get(server, "/kommunalgraph/ontology", BROWSER).text)
    assert html.css_first("#Municipality") is not None and html.css_first("#shape-Municipality") is not None
    for accept in ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"):
        graph = rdf_graph(get(server, "/kommunalgraph/ontology", accept).content, accept)
        assert (KG.Municipality, RDFS.subClassOf, KG.AdministrativeArea) in graph
    shapes = Graph().parse(data=get(server, "/kommunalgraph/shapes.ttl").text, format="turtle")
    assert len(shapes) > 100
    assert get(server, "/kommunalgraph/ontology.pdf", "application/json").status_code == 404


def test_metadata_iris_under_the_base_lead_to_the_catalogue(server):
    for path in ("/kommunalgraph/catalog", "/kommunalgraph/dataset", "/kommunalgraph/dataset/distribution/sparql"):
        response = get(server, path, "text/turtle", allow_redirects=False)
        assert response.status_code == 303 and response.headers["Location"] == "/catalog"
    root = get(server, "/kommunalgraph/", BROWSER, allow_redirects=False)
    assert root.status_code == 303 and root.headers["Location"] == "/"


def test_data_links_in_the_page_head_point_to_the_documents(server):
    text = get(server, PAGE, BROWSER).text
    alternates = dict(re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)">', text))
    assert alternates["text/turtle"] == DATA + ".ttl"
    assert get(server, alternates["application/ld+json"]).status_code == 200


def test_a_public_base_with_its_own_path_is_answered_on_localhost(tmp_path, make_app):
    """The base may be any public domain with a path; its IRIs' paths answer on 127.0.0.1."""
    base = "https://daten.example.org/kg/"
    store = VersionedStore(tmp_path / "store")
    build(store, Sources(), base, owl=False)
    client = make_app(STORE=str(store.root), BASE_IRI=base).test_client()
    response = client.get("/kg/id/municipality/08215100", headers={"Accept": "text/turtle"}, follow_redirects=True)
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert (URIRef(base + "id/municipality/08215100"), KG.ags, Literal("08215100")) in graph
    # Topic IRIs stay in the vocabulary namespace and still answer at their path.
    topic = client.get("/kommunalgraph/topic/lorawan", headers={"Accept": BROWSER}, follow_redirects=True)
    assert topic.status_code == 200 and "LoRaWAN" in topic.get_data(as_text=True)
    assert client.get("/kommunalgraph/id/municipality/08215100", follow_redirects=True).status_code == 404


def test_topic_scheme_is_documented_as_a_tree_and_served_as_data(server):
    response = get(server, "/kommunalgraph/topics", BROWSER)
    assert response.url.endswith("/kommunalgraph/page/topics")
    tree = parse_html(response.text).css_first("#sec-tree").parent
    technology = next(li for li in tree.css("li") if li.css_first("a").text() == "Technologie")
    assert "LoRaWAN" in technology.text()  # under Internet der Dinge, under Technologie
    graph = rdf_graph(get(server, "/kommunalgraph/topics", "application/ld+json").content, "application/ld+json")
    assert len(set(graph.subjects(URIRef("http://www.w3.org/2004/02/skos/core#inScheme")))) > 20


def test_every_text_key_a_template_uses_exists_in_both_languages():
    from server.i18n import MESSAGES
    templates = ROOT / "server" / "templates"
    used = set()
    for path in templates.glob("*.html"):
        used |= set(re.findall(r"""\bt\(["']([a-z_]+)["']""", path.read_text("utf-8")))
    assert used and used <= set(MESSAGES), sorted(used - set(MESSAGES))
    assert all(len(texts) == 2 and all(texts) for texts in MESSAGES.values())


@pytest.mark.parametrize("old, new", [
    ("/kommunalgraph/id/event/2022-04-bad-schoenborn-strategiestarterworkshop",
     "/kommunalgraph/id/event/2022-bad-schoenborn-strategiestarterworkshop"),
    ("/kommunalgraph/page/event/2022-05-11-lippische-kommunen-strategiestarterworkshop?lang=en",
     "/kommunalgraph/page/event/2022-lippische-kommunen-strategiestarterworkshop?lang=en"),
    ("/kommunalgraph/data/talk/2022-05-11-lippische-kommunen-strategiestarterworkshop-1.ttl",
     "/kommunalgraph/data/talk/2022-lippische-kommunen-strategiestarterworkshop-1.ttl"),
])
def test_iris_minted_from_a_full_date_answer_301_to_the_new_ones(server, old, new):
    response = get(server, old, BROWSER, allow_redirects=False)
    assert response.status_code == 301 and response.headers["Location"].endswith(new)
    assert get(server, new, BROWSER).status_code == 200


def test_municipality_page_shows_ags_and_ars(server):
    html = get(server, "/kommunalgraph/page/municipality/08221000?lang=en").text
    assert "08221000" in html
    if (ROOT / "data" / "reference" / "gazetteer.csv").exists():
        assert "082210000000" in html
