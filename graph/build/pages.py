"""Page numbers of the workshop list in the summary graph, so a page is an index lookup (issue 13).

`workshops` returns every workshop, newest first, optionally of one state or one year. At national scale
that is 125,000 rows, and a page cut with LIMIT and OFFSET still sorts all of them first (seconds, cold).
Here every workshop gets its page in each list it is part of as one summary triple,

    <workshop> kgs:page "all 17" , "state=<state IRI> 3" , "year=2022 5" .

and `?workshop kgs:page "all 17"` finds the page's workshops directly (queries/workshops.rq, `page`).

The build (write_summary) numbers the pages: PAGE_SIZE workshops each, in the query's order, ORDER BY
DESC(STR(?date)) ?title, ties by IRI; it also keeps the first key of every page but the first (`kgs:boundary`).
A gated write does not renumber: a workshop it adds or changes goes to the page whose key range holds its key,
so no other workshop moves and the write stays small. Pages may then hold a few more or fewer than PAGE_SIZE
workshops until the next build; they never overlap, leave none out, or break the order.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from typing import Iterable

import pyoxigraph as ox

from graph.ns import SUMMARY_GRAPH

KGS = "https://w3id.org/kommunalgraph/summary#"
PAGE = ox.NamedNode(KGS + "page")
BOUNDARY = ox.NamedNode(KGS + "boundary")
PAGES = ox.NamedNode(KGS + "pages")   # the subject of the boundaries
PAGE_SIZE = 100
CHUNK = 400

# The sort columns of each workshop with a row in queries/workshops.rq (a title, and a place with a label).
_ROWS = """PREFIX kgs: <{kgs}>
SELECT ?w ?title ?date ?year ?state WHERE {{ GRAPH <{graph}> {{
  {values} ?w kgs:title ?title ; kgs:location ?place . FILTER EXISTS {{ ?place kgs:label [] }}
  OPTIONAL {{ ?w kgs:date ?date }} OPTIONAL {{ ?w kgs:year ?year }} OPTIONAL {{ ?w kgs:state ?state }} }} }}"""


def literal(context: str, number: int) -> str:
    """The page literal: 'all 3', 'state=https://… 3', 'year=2022 3'."""
    return f"{context} {number}"


def context(parameter: str | None, value: str | None) -> str:
    """The list a request pages through: all workshops, or those of one state or year."""
    return "all" if parameter is None else f"{parameter}={value}"


def sort_key(date: str | None, title: str, iri: str) -> tuple:
    """The order of the query: the date's string descending (none last), then the title, then the IRI."""
    # Negated code points sort a string descending; the trailing 0 puts '2022-05' before '2022'.
    descending = (0, tuple(-ord(c) for c in date) + (0,)) if date is not None else (1, ())
    return descending, title, iri


def derive_pages(store: ox.Store, graph: str = SUMMARY_GRAPH) -> None:
    """Number the pages of every list afresh (the build, and a write on a store without a summary)."""
    keys, contexts = _workshops(store, graph, None)
    members: dict[str, list[tuple]] = {}
    for iri, key in keys.items():
        for name in contexts[iri]:
            members.setdefault(name, []).append((sort_key(*key), iri, key))
    quads = []
    target = ox.NamedNode(graph)
    for name, entries in members.items():
        entries.sort()
        for index, (_, iri, key) in enumerate(entries):
            number = index // PAGE_SIZE + 1
            quads.append(ox.Quad(ox.NamedNode(iri), PAGE, ox.Literal(literal(name, number)), target))
            if index % PAGE_SIZE == 0 and number > 1:
                quads.append(ox.Quad(PAGES, BOUNDARY, ox.Literal(json.dumps([name, number, *key])), target))
    store.extend(quads)


def update_pages(store: ox.Store, subjects: Iterable[str], graph: str = SUMMARY_GRAPH) -> tuple[set, set]:
    """Give the workshops among `subjects` the pages their present keys fall into, without renumbering;
    return the summary triples added and removed."""
    target = ox.NamedNode(graph)
    subjects = sorted(set(subjects))
    removed = {q.triple for s in subjects
               for q in store.quads_for_pattern(ox.NamedNode(s), PAGE, None, target)}
    keys, contexts = _workshops(store, graph, subjects)
    boundaries = _boundaries(store, target)
    added = set()
    for iri, key in keys.items():
        position = sort_key(*key)
        for name in contexts[iri]:
            number = 1 + bisect_right(boundaries.get(name, []), position)
            added.add(ox.Triple(ox.NamedNode(iri), PAGE, ox.Literal(literal(name, number))))
    for triple in removed - added:
        store.remove(ox.Quad(*triple, target))
    store.extend(ox.Quad(*triple, target) for triple in added - removed)
    return added - removed, removed - added


def _workshops(store: ox.Store, graph: str, subjects: list[str] | None) -> tuple[dict, dict]:
    """Each workshop's first key in the query's order and the lists it is part of."""
    keys: dict[str, tuple] = {}
    contexts: dict[str, set[str]] = {}
    chunks = [None] if subjects is None else [subjects[i:i + CHUNK] for i in range(0, len(subjects), CHUNK)]
    for chunk in chunks:
        values = "" if chunk is None else "VALUES ?w { " + " ".join(f"<{s}>" for s in chunk) + " }"
        for row in store.query(_ROWS.format(kgs=KGS, graph=graph, values=values)):
            iri = row["w"].value
            date = row["date"].value if row["date"] is not None else None
            key = (date, row["title"].value, iri)
            if iri not in keys or sort_key(*key) < sort_key(*keys[iri]):
                keys[iri] = key
            found = contexts.setdefault(iri, {"all"})
            if row["state"] is not None:
                found.add(context("state", row["state"].value))
            if row["year"] is not None:
                found.add(context("year", row["year"].value))
    return keys, contexts


def _boundaries(store: ox.Store, target: ox.NamedNode) -> dict[str, list[tuple]]:
    """The first key of each page after the first, per list, in order."""
    found: dict[str, list[tuple[int, tuple]]] = {}
    for quad in store.quads_for_pattern(PAGES, BOUNDARY, None, target):
        name, number, *key = json.loads(quad.object.value)
        found.setdefault(name, []).append((number, sort_key(*key)))
    return {name: [key for _, key in sorted(entries)] for name, entries in found.items()}
