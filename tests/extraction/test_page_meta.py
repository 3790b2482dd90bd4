"""A saved web page's own markup dates it and gives its address (graph/text/page_meta.py).

Made-up pages in the forms content management systems write: article meta tags, schema.org JSON-LD, Dublin
Core, the canonical link.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.text.page_meta import read_page_meta

BODY = ("<body><article><h1>Digitalwerkstatt in Balgheim</h1><p>In Balgheim fand am Dienstag, 20. Oktober, eine "
        "Digitalwerkstatt statt. Rund dreißig Bürgerinnen und Bürger kamen.</p></article></body>")
TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("head, day", [
    ('<meta property="article:published_time" content="2020-10-22T08:15:00+02:00">', "2020-10-22"),
    ('<meta name="DC.date.issued" content="2020-10-22">', "2020-10-22"),
    ('<meta itemprop="datePublished" content="2020-10-22">', "2020-10-22"),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, '
     '{"@type": "NewsArticle", "datePublished": "2020-10-22T06:00:00Z", "dateModified": "2021-01-05"}]}</script>',
     "2020-10-22"),
    ('<meta property="article:modified_time" content="2021-01-05">', None),
    ('<meta property="article:published_time" content="gestern">', None),
    ('<meta property="article:published_time" content="2020-02-30">', None),
    ('<meta property="article:published_time" content="2031-01-01">', None),
    ('<script type="application/ld+json">{"datePublished": </script>', None),
])
def test_the_publication_day_is_read_from_the_markup_and_nothing_else(head, day):
    assert read_page_meta(f"<html><head>{head}</head>{BODY}</html>", TODAY).published == day


@pytest.mark.parametrize("head, address", [
    ('<link rel="canonical" href="https://www.balgheim.de/aktuelles/werkstatt">', "https://www.balgheim.de/aktuelles/werkstatt"),
    ('<meta property="og:url" content="https://www.balgheim.de/a">', "https://www.balgheim.de/a"),
    ('<link rel="canonical" href="/aktuelles/werkstatt">', None),
    ('<link rel="canonical" href="javascript:alert(1)">', None),
    ('<link rel="canonical" href="https://www.balgheim.de/a b<x>">', None),
])
def test_the_address_is_the_canonical_web_address(head, address):
    assert read_page_meta(f"<html><head>{head}</head>{BODY}</html>", TODAY).address == address


def test_a_saved_page_is_dated_and_addressed_by_its_markup(extractor, tmp_path):
    page = tmp_path / "werkstatt.html"
    page.write_text('<html><head><meta property="article:published_time" content="2020-10-22T08:15:00+02:00">'
                    '<link rel="canonical" href="https://www.balgheim.de/aktuelles/werkstatt"></head>'
                    f"{BODY}</html>", "utf-8")
    record = extractor.extract(page)
    assert record["report"]["date"] == "2020-10-22"
    assert record["report"]["source"] == "https://www.balgheim.de/aktuelles/werkstatt"
    assert [(e["date"], e["status"]) for e in record["events"]] == [("2020-10-20", "held")]
    given = extractor.extract(page, published="2020-11")
    assert given["report"]["date"] == "2020-11", "the steward's date comes first"


def test_the_visible_date_line_comes_before_the_markup(extractor, tmp_path):
    page = tmp_path / "werkstatt.html"
    page.write_text('<html><head><meta property="article:published_time" content="2020-10-25"></head><body>'
                    "<p>Veröffentlicht am 22.10.2020</p>" + BODY.removeprefix("<body>"), "utf-8")
    assert extractor.extract(page)["report"]["date"] == "2020-10-22"
