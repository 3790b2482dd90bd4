"""The search box and results page in headless Chromium (issue 14, part 4)."""

from __future__ import annotations

from .conftest import screenshot


def test_search_from_the_box_narrow_by_a_facet_and_open_the_hit(page, sourced_server):
    """A visitor types a folded spelling into the box on any page, narrows by type, opens the hit."""
    page.goto(sourced_server.url + "/catalog?lang=de")
    box = page.get_by_role("searchbox", name="Suchbegriff")
    box.fill("schoenborn")
    box.press("Enter")
    page.wait_for_url("**/search?*")
    hits = page.locator("ol.hits li a")
    assert hits.first.inner_text() == "Bad Schönborn"
    assert page.get_by_role("searchbox", name="Suchbegriff").input_value() == "schoenborn"
    screenshot(page, "search")
    page.locator("aside.facets a", has_text="Strategie").first.click()
    page.wait_for_url("**type=Strategy*")
    assert page.locator("ol.hits li .kind").all_inner_texts() and \
        set(page.locator("ol.hits li .kind").all_inner_texts()) == {"Strategie"}
    page.locator("ol.hits li a").first.click()
    page.wait_for_url("**/strategy/*")
    assert "Schönborn" in page.locator("h1").inner_text()
    assert not page.outside and not page.errors


def test_search_page_in_english_explains_an_empty_result(page, sourced_server):
    page.goto(sourced_server.url + "/search?q=zzzzqqq&lang=en")
    assert page.locator("h2#h-hits").inner_text() == "0 hits"
    assert "No hits" in page.locator("main").inner_text()
    assert page.get_by_role("searchbox", name="Search term").is_visible()
