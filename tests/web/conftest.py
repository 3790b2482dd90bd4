"""Fixtures for the published web: a store with source sentences, and one headless Chromium."""

from __future__ import annotations

import zlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import BASE_IRI, ROOT, SHARED, LiveServer
from graph.dumps import write_dumps
from graph.store import VersionedStore

REPORT = "stadt-land-digital-2022-strategiestarterworkshops"
BAD_SCHOENBORN = BASE_IRI + "id/municipality/08215100"
CHROMIUM = "/usr/bin/chromium"
# The launch flags the machine's notes recommend: no background traffic to a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUTPUT = ROOT / "test-output"


def evidence_quads(report_text: str, resource: str, needle: str, field: str, value: str) -> list[ox.Quad]:
    """Evidence for `resource` in the shape queries/provenance.rq reads (Web Annotation), taken
    from the sentence of the report text that contains `needle` (read at test time, not copied)."""
    start = report_text.index(needle)
    start = max(report_text.rfind(". ", 0, start) + 2, report_text.rfind("\n", 0, start) + 1)
    end = report_text.index(".", report_text.index(needle)) + 1
    sentence = report_text[start:end].strip()
    oa, rdf = "http://www.w3.org/ns/oa#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    evidence = ox.NamedNode(f"{BASE_IRI}id/statement/{zlib.crc32((resource + field).encode())}")
    target, quote, position = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    report = ox.NamedNode(BASE_IRI + "id/report/" + REPORT)
    triples = [
        (evidence, ox.NamedNode(rdf + "type"), ox.NamedNode(oa + "Annotation")),
        (evidence, ox.NamedNode(oa + "hasBody"), ox.NamedNode(resource)),
        (evidence, ox.NamedNode(oa + "hasTarget"), target),
        (evidence, ox.NamedNode("https://schema.org/propertyID"), ox.Literal(field)),
        (evidence, ox.NamedNode(rdf + "value"), ox.Literal(value)),
        (target, ox.NamedNode(oa + "hasSource"), report),
        (target, ox.NamedNode(oa + "hasSelector"), quote),
        (target, ox.NamedNode(oa + "hasSelector"), position),
        (quote, ox.NamedNode(rdf + "type"), ox.NamedNode(oa + "TextQuoteSelector")),
        (quote, ox.NamedNode(oa + "exact"), ox.Literal(sentence)),
        (position, ox.NamedNode(rdf + "type"), ox.NamedNode(oa + "TextPositionSelector")),
        (position, ox.NamedNode(oa + "start"), ox.Literal(str(start), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer"))),
        (position, ox.NamedNode(oa + "end"), ox.Literal(str(end), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    graph = ox.NamedNode(BASE_IRI + "graph/report/" + REPORT)
    return [ox.Quad(s, p, o, g) for s, p, o in triples for g in (graph, ox.DefaultGraph())]


@pytest.fixture(scope="session")
def report_text() -> str | None:
    """The seed report's text from ../shared, or None where that folder is absent."""
    path = SHARED / "reports" / f"{REPORT}.txt"
    return path.read_text("utf-8") if path.exists() else None


@pytest.fixture(scope="session")
def sourced_store(seed_store, report_text, tmp_path_factory) -> VersionedStore:
    """The seed store plus evidence for Bad Schönborn (when the report text is available), in the
    contract of queries/provenance.rq, until the records carry evidence themselves (issue 3)."""
    root = tmp_path_factory.mktemp("sourced") / "store"
    seed_store.backup(root)
    store = VersionedStore(root)
    if report_text is not None:
        with store.writer(from_current=True) as version:
            version.extend(evidence_quads(report_text, BAD_SCHOENBORN, "nach Bad Schönborn",
                                          "events[0].municipality", "Bad Schönborn"))
    write_dumps(store)
    return store


@pytest.fixture(scope="session")
def sourced_server(sourced_store, tmp_path_factory) -> LiveServer:
    """A real server on 127.0.0.1 over the sourced store."""
    live = LiveServer(["--store", str(sourced_store.root)], log=tmp_path_factory.mktemp("web") / "server.log")
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's package, driven by Playwright) for the whole session; each
    test gets its own context (a fresh, empty profile)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs the Debian packages chromium and chromium-driver")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def open_tab(browser, server, **options):
    """A tab that may reach nothing but `server`; `tab.outside` lists what it tried to reach."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, **options)
    tab = context.new_page()
    tab.outside, tab.errors = [], []
    local = (server.url + "/", "data:", "blob:", "about:")

    def guard(route, request):
        if request.url.startswith(local):
            route.continue_()
        else:
            tab.outside.append(request.url)
            route.abort()

    context.route("**/*", guard)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    return tab


@pytest.fixture()
def page(browser, sourced_server):
    """A fresh tab on the sourced server, with JavaScript."""
    tab = open_tab(browser, sourced_server)
    yield tab
    tab.context.close()


def rdf_graph(data: bytes | str, media_type: str) -> Graph:
    """Parse RDF with Oxigraph's parsers (rdflib's JSON-LD parser warns of its own deprecations)
    into an rdflib graph, so tests compare sets of triples."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    triples = ox.parse(data, format=ox.RdfFormat.from_media_type(media_type))
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")


def parse_html(text: str) -> LexborHTMLParser:
    """A parsed HTML page to query with CSS selectors."""
    return LexborHTMLParser(text)


def screenshot(tab, name: str) -> Path:
    """Save a full-page screenshot under test-output/."""
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
