"""Fixtures for the published web: a store with source sentences, and one headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from selectolax.lexbor import LexborHTMLParser

from tests.helpers import BASE_IRI, ROOT, SHARED, LiveServer
from graph.publish.dumps import write_dumps
from graph.store.versions import VersionedStore

REPORT = "stadt-land-digital-2022-strategiestarterworkshops"
BAD_SCHOENBORN = BASE_IRI + "id/municipality/08215100"
CHROMIUM = "/usr/bin/chromium"
# The launch flags the machine's notes recommend: no background traffic to a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUTPUT = ROOT / "test-output"


@pytest.fixture(scope="session")
def report_text() -> str | None:
    """The seed report's text from ../shared, or None where that folder is absent."""
    path = SHARED / "reports" / f"{REPORT}.txt"
    return path.read_text("utf-8") if path.exists() else None


@pytest.fixture(scope="session")
def sourced_store(seed_store, tmp_path_factory) -> VersionedStore:
    """A copy of the seed store with its dumps; its source sentences come from the records'
    evidence, read from the report text in ../shared at build time (absent there: none)."""
    root = tmp_path_factory.mktemp("sourced") / "store"
    seed_store.backup(root)
    store = VersionedStore(root)
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
