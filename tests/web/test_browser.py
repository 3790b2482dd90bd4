"""Issue 4 as a person uses it: pages and the editor in a real headless Chromium, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from .conftest import open_tab, screenshot


def test_from_the_landing_page_to_bad_schoenborn_with_its_2022_workshop(page, sourced_server, report_text):
    page.goto(sourced_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Kommunalgraph")
    assert page.locator("svg.diagram:not(.map)").count() == 2  # timeline and topic overview (map: test_figures.py)
    screenshot(page, "landing")
    page.get_by_role("link", name="Bad Schönborn", exact=True).first.click()
    page.wait_for_url("**/kommunalgraph/page/municipality/08215100")
    assert page.locator("h1").inner_text() == "Bad Schönborn"
    events = page.locator("section.section", has=page.locator("#sec-events"))
    assert "Digitalisierungsstrategie für Bad Schönborn" in events.inner_text() and "2022" in events.inner_text()
    assert page.locator("#sec-neighbourhood ~ figure svg, section:has(#sec-neighbourhood) svg").count() == 1
    screenshot(page, "bad-schoenborn")
    assert page.outside == [] and page.errors == []
    if report_text is None:
        pytest.skip("../shared/reports is absent: no report text, so no source sentence to show")
    sources = page.locator("section.sources")
    assert "Quelle" in sources.locator("h2").inner_text()
    assert "nach Bad Schönborn" in sources.locator("blockquote").first.inner_text()
    assert sources.get_by_role("link").first.inner_text().startswith("Strategiestarterworkshops 2022")


def test_editor_runs_a_named_query_with_the_network_cut_off(page, sourced_server):
    page.goto(sourced_server.url + "/sparql?tab=workshops")
    page.wait_for_selector(".yasqe .CodeMirror")
    tabs = [t.strip(" ✖\n") for t in page.locator(".tabsList .tab").all_inner_texts()]
    titles = {"de": {"Workshops", "Vortragende", "Themen", "Kommunen", "Herkunft"},
              "en": {"Workshops", "Speakers", "Topics", "Municipalities", "Provenance"}}
    assert titles[page.locator("html").get_attribute("lang")] <= set(tabs)
    assert page.locator("#plain-form").is_hidden()
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr")
    expected = requests.get(sourced_server.url + "/api/queries/workshops", params={"page": "all"}, timeout=30).json()
    assert page.locator(".yasr table tbody tr").count() == len(expected["results"]["bindings"]) > 0
    screenshot(page, "editor")
    href = page.locator(".yasr table tbody a").first.get_attribute("href")
    assert href.startswith("/kommunalgraph/id/event/")  # our IRIs lead to our pages
    page.goto(sourced_server.url + href)
    assert "/kommunalgraph/page/event/" in page.url
    assert page.locator("h1").inner_text()
    assert page.outside == [], f"requests left the machine: {page.outside}"
    assert page.errors == []


def test_pages_read_and_queries_run_without_javascript(browser, sourced_server):
    tab = open_tab(browser, sourced_server, java_script_enabled=False)
    try:
        tab.goto(sourced_server.url + "/kommunalgraph/id/municipality/08215100")
        assert tab.locator("h1").inner_text() == "Bad Schönborn"
        assert tab.locator("#sec-events").is_visible()
        tab.goto(sourced_server.url + "/sparql")
        tab.fill("#query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/kommunalgraph/ontology#Workshop> }")
        tab.select_option("#format", "csv")
        with tab.expect_download() as download:
            tab.click("#plain-form button")
        text = Path(download.value.path()).read_text("utf-8")
        assert text.splitlines()[0] == "n" and int(text.splitlines()[1]) >= 4
        assert tab.outside == []
    finally:
        tab.context.close()


@pytest.mark.parametrize("path", ["/", "/kommunalgraph/page/municipality/08215100", "/kommunalgraph/ontology",
                                  "/api", "/catalog", "/quality", "/quality/shacl-report", "/nowhere"])
def test_pages_meet_basic_accessibility_checks(page, sourced_server, path):
    page.goto(sourced_server.url + path)
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() == 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"  # skip link first
    unnamed = page.evaluate("""[...document.querySelectorAll('svg')].filter(s =>
        !s.querySelector('title') || !s.getAttribute('aria-labelledby')).length""")
    assert unnamed == 0
    unlabelled = page.evaluate("""[...document.querySelectorAll('input, select, textarea')].filter(e =>
        e.type !== 'hidden' && !(e.id && document.querySelector('label[for="' + e.id + '"]'))).length""")
    assert unlabelled == 0
    empty_links = page.evaluate("[...document.querySelectorAll('a')].filter(a => !a.textContent.trim()).length")
    assert empty_links == 0


def test_english_switch(page, sourced_server):
    page.goto(sourced_server.url + "/kommunalgraph/page/municipality/08215100")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Used by").count() == 1
    page.get_by_role("link", name="Baden-Württemberg").first.click()
    assert page.locator("html").get_attribute("lang") == "en"  # the choice is kept in links


def test_ontology_documentation_page(page, sourced_server):
    page.goto(sourced_server.url + "/kommunalgraph/ontology")
    assert page.locator("#Municipality h3").inner_text().startswith("Gemeinde")
    page.locator("#Municipality a[href='#shape-Municipality']").click()
    assert "8 Ziffern" in page.locator("#shape-Municipality").inner_text()
    screenshot(page, "ontology")


@pytest.fixture(scope="module")
def built_server(tmp_path_factory):
    """A real server over a store the build made (with its release and measurements; a backup such
    as the seed copy keeps the version only)."""
    from graph.build.pipeline import Sources, build
    from graph.store.versions import VersionedStore
    from tests.helpers import BASE_IRI, LiveServer

    root = tmp_path_factory.mktemp("built")
    build(VersionedStore(root / "store"), Sources(), BASE_IRI, owl=False)
    live = LiveServer(["--store", str(root / "store")], log=root / "server.log")
    yield live
    live.stop()


def test_quality_page_shows_the_measurements_of_the_release(browser, built_server):
    """Issue 15: the quality page as a steward sees it: one row per measurement of the release, its
    bar as wide as its value, the SHACL report one click away; nothing blocked, nothing fetched outside."""
    page = open_tab(browser, built_server)
    measured = requests.get(built_server.url + "/quality.jsonld", timeout=30).json()
    page.goto(built_server.url + "/quality")
    assert page.locator("h1").inner_text() == "Datenqualität"
    rows = page.locator("table.quality tbody tr[data-metric]")
    assert rows.count() >= 4
    for index in range(rows.count()):   # every row is a measurement the DQV graph publishes too
        assert rows.nth(index).get_attribute("data-metric") in str(measured)
    # A share's bar is drawn at 120 px for 100 %: what the eye reads must match the printed number.
    for index in range(rows.count()):
        cells = rows.nth(index).locator("td")
        printed = cells.nth(1).inner_text().strip()
        if printed != "–":
            width = cells.nth(1).locator("span.bar").bounding_box()["width"]
            assert abs(width - float(printed.rstrip(" %").replace(",", ".")) * 1.2) <= 1.5, printed
    screenshot(page, "quality")
    page.get_by_role("link", name="SHACL-Bericht des Aufbaus").click()
    page.wait_for_url("**/quality/shacl-report")
    assert page.locator("h1").count() == 1
    assert page.outside == [] and page.errors == []
    page.context.close()
