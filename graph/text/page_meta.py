"""What a saved web page says about itself in its markup: when it was published and its address.

Content management systems write both for search engines and link previews, whatever the publisher: Open Graph
and article meta tags, Dublin Core, schema.org in microdata or JSON-LD, the canonical link. A steward who saves
a page as HTML keeps them; the extractor reads them where the visible text gives no date line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

# Meta names of the first publication; modified or expiry dates say nothing about when a report appeared.
PUBLISHED_META = ("article:published_time", "datepublished", "dcterms.issued", "dc.date.issued", "dc.date",
                  "date", "publication_date", "pubdate", "sailthru.date", "parsely-pub-date")
# An absolute web address that is a valid IRI as it stands (no spaces, quotes or angle brackets), so the record's
# source maps to RDF unchanged.
IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+$")
DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class PageMeta:
    """A page's publication day and canonical address, as its markup states them."""

    published: str | None = None   # 'YYYY-MM-DD'
    address: str | None = None     # the page's canonical http(s) address


def read_page_meta(source: str, today: dt.date | None = None) -> PageMeta:
    """The publication day and canonical address a page's markup states, each None when it states none (or a
    day after `today`, which no published page can have)."""
    tree = LexborHTMLParser(source)
    latest = today or dt.date.today()
    days = [_day(node.attributes.get("content") or node.attributes.get("datetime"), latest)
            for node in tree.css("meta, time[itemprop]")
            if _name(node.attributes) in PUBLISHED_META]
    days += [_day(value, latest) for node in tree.css('script[type="application/ld+json"]')
             for value in _json_ld_dates(node.text())]
    address = next((href for href in (_attribute(tree, 'link[rel="canonical"]', "href"),
                                      _attribute(tree, 'meta[property="og:url"]', "content"))
                    if href and IRI.match(href)), None)
    return PageMeta(next((d for d in days if d), None), address)


def _name(attributes: dict) -> str:
    return (attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or "").strip().casefold()


def _attribute(tree, selector: str, name: str) -> str | None:
    node = tree.css_first(selector)
    return (node.attributes.get(name) or "").strip() if node is not None else None


def _day(value: str | None, latest: dt.date) -> str | None:
    match = DAY.match(value or "")
    if match is None:
        return None
    try:
        day = dt.date(*map(int, match.groups()))
    except ValueError:
        return None
    return day.isoformat() if dt.date(1990, 1, 1) <= day <= latest else None


def _json_ld_dates(text: str) -> list[str]:
    """Every datePublished of a JSON-LD block, however nested (@graph, lists); [] when it is no JSON."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    found, queue = [], deque([data])
    while queue:   # breadth first: the page's own article before the items it lists
        item = queue.popleft()
        if isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                found.append(item["datePublished"])
            queue.extend(item.values())
        elif isinstance(item, list):
            queue.extend(item)
    return found
