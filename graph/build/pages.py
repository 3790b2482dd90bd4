"""Page numbers of the named queries' long lists in the summary graph, so a page is an index lookup (issue 13).

`workshops`, `speakers` and `municipalities` return every workshop, speaker or municipality, optionally of one
state, year or topic. At national scale that is up to 125,000 rows, and a page cut with LIMIT and OFFSET still
sorts all of them first (seconds, cold). Here every member of a list gets its page in each list it is part of
as one summary triple,

    <workshop> kgs:page "workshops all 17" , "workshops state=<state IRI> 3" , "workshops year=2022 5" .

and `?workshop kgs:page "workshops all 17"` finds the page's members directly (queries/*.rq, header `pages`).

The build (write_summary) numbers the pages: PAGE_SIZE members each, in the query's order (its ORDER BY, ties
by IRI), and keeps the first key of every page but the first (`kgs:boundary`, on a node per list). A gated write does not
renumber: a member it adds or changes goes to the page whose key range holds its key, so no other member moves
and the write stays small. Pages may then hold a few more or fewer than PAGE_SIZE members until the next
build; they never overlap, leave none out, or break the order. A member is a workshop, a speaker (all their
talks on one page) or a municipality.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import quote

import pyoxigraph as ox

from graph.ns import SUMMARY_GRAPH

KGS = "https://w3id.org/kommunalgraph/summary#"
PAGE = ox.NamedNode(KGS + "page")
BOUNDARY = ox.NamedNode(KGS + "boundary")
# The page numbers and boundaries: only the embedded store keeps them (push and the remote gate leave them out).
PAGE_PREDICATES = (PAGE, BOUNDARY)
PAGES = KGS + "pages/"   # the boundaries of one list are on PAGES + its query and context, percent-encoded
PAGE_SIZE = 100
CHUNK = 400


def _descending(text: str | None) -> tuple:
    """A string's place in a descending order, none last: negated code points, and a trailing 0 that puts
    '2022-05' before '2022'."""
    return (0, tuple(-ord(c) for c in text) + (0,)) if text is not None else (1, ())


@dataclass(frozen=True)
class PagedList:
    """One named query's list: the rows that decide its members' order and lists (?m is the member)."""

    name: str
    rows: str                                   # SELECT … WHERE { GRAPH <{graph}> { {values} … } }
    key: Callable[[dict], tuple]                # a row's key, JSON-able, in the query's order by `order`
    order: Callable[[tuple], tuple]
    lists: Callable[[dict], set[str]]           # the lists (contexts) a row puts its member in


def _value(row, name: str) -> str | None:
    return row[name].value if row[name] is not None else None


PREFIX = f"PREFIX kgs: <{KGS}>\n"
# {values} (a write's members as VALUES, or nothing) stands in every OPTIONAL too: Oxigraph evaluates an
# OPTIONAL's group on its own before the join, which without it reads every date, state or topic of the store.
LISTS = [
    # queries/workshops.rq: ORDER BY DESC(STR(?date)) ?title; rows need a title and a labelled place.
    PagedList("workshops", PREFIX + """SELECT ?m ?title ?date ?year ?state WHERE {{ GRAPH <{graph}> {{
  {values} ?m kgs:title ?title ; kgs:location ?place . FILTER EXISTS {{ ?place kgs:label [] }}
  OPTIONAL {{ {values} ?m kgs:date ?date }} OPTIONAL {{ {values} ?m kgs:year ?year }}
  OPTIONAL {{ {values} ?m kgs:state ?state }} }} }}""",
              lambda r: (_value(r, "date"), _value(r, "title"), _value(r, "m")),
              lambda k: (_descending(k[0]), k[1], k[2]),
              lambda r: {"all"} | ({f"state={_value(r, 'state')}"} if r["state"] is not None else set())
              | ({f"year={_value(r, 'year')}"} if r["year"] is not None else set())),
    # queries/speakers.rq: ORDER BY ?name ?workshop; a speaker is in the list of every topic of a talk of theirs.
    PagedList("speakers", PREFIX + """SELECT ?m ?name ?workshop ?topic WHERE {{ GRAPH <{graph}> {{
  {values} ?talk kgs:speaker ?m ; kgs:event ?workshop . ?m kgs:label ?name .
  OPTIONAL {{ {values} ?talk kgs:speaker ?m ; kgs:talkTopic ?topic }} }} }}""",
              lambda r: (_value(r, "name"), _value(r, "workshop"), _value(r, "m")),
              lambda k: k,
              lambda r: {"all"} | ({f"topic={_value(r, 'topic')}"} if r["topic"] is not None else set())),
    # queries/municipalities.rq: ORDER BY ?label.
    PagedList("municipalities", PREFIX + """SELECT ?m ?label ?state WHERE {{ GRAPH <{graph}> {{
  {values} ?m a kgs:Municipality ; kgs:label ?label . OPTIONAL {{ {values} ?m kgs:inState ?state }} }} }}""",
              lambda r: (_value(r, "label"), _value(r, "m")),
              lambda k: k,
              lambda r: {"all"} | ({f"state={_value(r, 'state')}"} if r["state"] is not None else set())),
]


def literal(query: str, context: str, number: int) -> str:
    """The page literal: 'workshops all 3', 'workshops state=https://… 3', 'speakers topic=https://… 1'."""
    return f"{query} {context} {number}"


def context(parameter: str | None, value: str | None) -> str:
    """The list a request pages through: all members, or those of one state, year or topic."""
    return "all" if parameter is None else f"{parameter}={value}"


def derive_pages(store: ox.Store, graph: str = SUMMARY_GRAPH) -> None:
    """Number the pages of every list afresh (the build, and a write on a store without a summary)."""
    target = ox.NamedNode(graph)
    quads = []
    for paged in LISTS:
        keys, lists = _members(store, graph, paged, None)
        members: dict[str, list[tuple]] = {}
        for iri, key in keys.items():
            for name in lists[iri]:
                members.setdefault(name, []).append((paged.order(key), iri, key))
        for name, entries in members.items():
            entries.sort()
            for index, (_, iri, key) in enumerate(entries):
                number = index // PAGE_SIZE + 1
                quads.append(ox.Quad(ox.NamedNode(iri), PAGE, ox.Literal(literal(paged.name, name, number)), target))
                if index % PAGE_SIZE == 0 and number > 1:
                    quads.append(ox.Quad(list_node(paged.name, name), BOUNDARY, ox.Literal(json.dumps([number, *key])),
                                         target))
    store.extend(quads)


class BoundaryMemo:
    """The page boundaries of lists as read from one store version, carried on to the versions written
    from it: a write never renumbers (update_pages), so a list's boundaries stay until a build. At 10 M
    the list of all workshops has over a thousand of them (tens of ms to read and parse per write)."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.lists: dict[tuple[str, str], list[tuple]] = {}

    def of(self, version: str | None) -> dict[tuple[str, str], list[tuple]]:
        """The boundaries known for `version` (empty when the memo holds another version's)."""
        if version is None or version != self.version:
            self.version, self.lists = version, {}
        return self.lists

    def carry_to(self, version: str, renumbered: bool) -> None:
        """A write published `version` from the memo's version; `renumbered` when it numbered pages afresh."""
        self.version = version
        if renumbered:
            self.lists = {}


def update_pages(store: ox.Store, nodes: Iterable[str], graph: str = SUMMARY_GRAPH,
                 known: dict[tuple[str, str], list[tuple]] | None = None) -> tuple[set, set]:
    """Give the members among `nodes` the pages their present keys fall into, without renumbering; return
    the summary triples added and removed. `known` holds boundaries already read from this store (it is
    filled with those read now)."""
    target = ox.NamedNode(graph)
    nodes = sorted(set(nodes))
    known = {} if known is None else known
    removed = {q.triple for n in nodes for q in store.quads_for_pattern(ox.NamedNode(n), PAGE, None, target)}
    added = set()
    for paged in LISTS:
        keys, lists = _members(store, graph, paged, nodes)
        boundaries = {}
        for name in set().union(*lists.values()):
            if (paged.name, name) not in known:
                known[(paged.name, name)] = _boundaries(store, target, paged, name)
            boundaries[name] = known[(paged.name, name)]
        for iri, key in keys.items():
            position = paged.order(key)
            for name in lists[iri]:
                number = 1 + bisect_right(boundaries[name], position)
                added.add(ox.Triple(ox.NamedNode(iri), PAGE, ox.Literal(literal(paged.name, name, number))))
    for triple in removed - added:
        store.remove(ox.Quad(*triple, target))
    store.extend(ox.Quad(*triple, target) for triple in added - removed)
    return added - removed, removed - added


def _members(store: ox.Store, graph: str, paged: PagedList, nodes: list[str] | None) -> tuple[dict, dict]:
    """Each member's first key in the query's order, and the lists it is part of."""
    keys: dict[str, tuple] = {}
    lists: dict[str, set[str]] = {}
    chunks = [None] if nodes is None else [nodes[i:i + CHUNK] for i in range(0, len(nodes), CHUNK)]
    for chunk in chunks:
        values = "" if chunk is None else "VALUES ?m { " + " ".join(f"<{n}>" for n in chunk) + " }"
        for row in store.query(paged.rows.format(graph=graph, values=values)):
            iri, key = row["m"].value, paged.key(row)
            if iri not in keys or paged.order(key) < paged.order(keys[iri]):
                keys[iri] = key
            lists.setdefault(iri, set()).update(paged.lists(row))
    return keys, lists


def list_node(query: str, name: str) -> ox.NamedNode:
    """The node that holds one list's boundaries."""
    return ox.NamedNode(PAGES + quote(f"{query} {name}", safe=""))


def _boundaries(store: ox.Store, target: ox.NamedNode, paged: PagedList, name: str) -> list[tuple]:
    """The first key of each page of one list after its first page, in order."""
    entries = [json.loads(q.object.value) for q in store.quads_for_pattern(list_node(paged.name, name), BOUNDARY,
                                                                            None, target)]
    return [paged.order(tuple(key)) for _, *key in sorted(entries, key=lambda entry: entry[0])]
