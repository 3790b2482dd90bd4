"""The summary: the joins the named queries make, made once per store version (issue 13).

The named queries (queries/*.rq) used to join over every workshop at query time: the
workshop's place and its label, the federal state among the areas it lies within, the topic
closure kg:topic/skos:broader*, counts per topic. The summary graph holds those joins as flat
properties in its own vocabulary (kgs:), so a named query is a few index lookups in one graph.

It is derived from the default graph (after the rules and the roles), never asserted: the
build writes it (graph/build/pipeline.py) and every write re-derives it (graph/writes/gate.py),
so it always equals what a full build derives. Its triples are not in the default graph: the
default graph stays the union of the asserted graphs and what the ontology's rules derive.

Each summary property keeps the multiplicity of the pattern it replaces (a workshop with two
titles has two kgs:title), and labels stay on their own nodes (?place kgs:label), so the
queries on the summary give exactly the rows of the queries over the full graph
(tests/test_summary.py compares them for every parameter value in the data).

The workshop list's page numbers (kgs:page) are in the summary too, numbered after the rules by
graph/build/pages.py; unlike the rules' triples, a write places new workshops on the existing pages
instead of numbering them again, so after writes they may differ from a fresh build's.

The graph's name (graph/ns.py SUMMARY_GRAPH) is fixed, like the ontology graph's, not minted
from the configured base: the named queries are static files that must name it. Release
summaries and feed states treat it like the default graph, as derived (graph/store/states.py).
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.build.pages import derive_pages
from graph.ns import SUMMARY_GRAPH

KGS = "https://w3id.org/kommunalgraph/summary#"

PREFIXES = f"""PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>
PREFIX kgs: <{KGS}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

# (template, pattern, subject): each becomes INSERT { GRAPH summary { template } } WHERE { pattern };
# every triple of a template has `subject` as its subject (a write re-derives the summary for some
# subjects only, graph/writes/summary_delta.py). Order matters: the later rules read what the earlier
# ones put into the summary (GRAPH S).
_RULES = [
    # workshops.rq: the workshop and what it returns or filters by.
    ("?w a kgs:Workshop", "?w a kg:Workshop", "w"),
    ("?w kgs:title ?v", "?w a kg:Workshop ; kg:title ?v", "w"),
    ("?w kgs:location ?v", "?w a kg:Workshop ; kg:location ?v", "w"),
    ("?w kgs:date ?v", "?w a kg:Workshop ; kg:date ?v", "w"),
    ("?w kgs:year ?v", "?w a kg:Workshop ; kg:year ?v", "w"),
    # The federal state among the areas the rules put it within (kg:withinArea is derived).
    ("?w kgs:state ?v", "?w a kg:Workshop ; kg:withinArea ?v . ?v a kg:FederalState", "w"),
    # topics.rq and speakers.rq: the topic closure of workshops, of events with talks and of talks.
    ("?x kgs:topic ?t", "{ SELECT DISTINCT ?x { { ?x a kg:Workshop } UNION { ?x kg:hasTalk [] } "
                        "UNION { [] kg:hasTalk ?x } } } ?x kg:topic/skos:broader* ?t", "x"),
    ("?t kgs:workshops ?n", "{ SELECT ?t (COUNT(DISTINCT ?w) AS ?n) { GRAPH <S> { ?w a kgs:Workshop ; kgs:topic ?t } } "
                            "GROUP BY ?t }", "t"),
    ("?t kgs:labelDe ?v", "GRAPH <S> { ?t kgs:workshops [] } ?t skos:prefLabel ?v FILTER (LANG(?v) = \"de\")", "t"),
    ("?t kgs:labelEn ?v", "GRAPH <S> { ?t kgs:workshops [] } ?t skos:prefLabel ?v FILTER (LANG(?v) = \"en\")", "t"),
    # speakers.rq: talks, their event and speaker, the speaker's positions in labelled organisations.
    ("?talk kgs:event ?w ; kgs:speaker ?p", "?w kg:hasTalk ?talk . ?talk kg:speaker ?p", "talk"),
    ("?talk kgs:talkTitle ?v", "GRAPH <S> { ?talk kgs:event [] } ?talk kg:title ?v", "talk"),
    ("?talk kgs:talkLabel ?v", "GRAPH <S> { ?talk kgs:event [] } ?talk rdfs:label ?v FILTER (LANG(?v) = \"de\")", "talk"),
    # speakers?topic=: the topics of a talk and of its event, as one set, so the filter is one index lookup
    # (a UNION at query time would give a talk twice when both have the topic). Two rules, not one UNION:
    # joined with the UNION, Oxigraph could not use ?talk or ?w as a join key (each branch binds one) and
    # compared every talk with every topic statement, minutes at 10 M.
    ("?talk kgs:talkTopic ?t", "GRAPH <S> { ?talk kgs:event [] ; kgs:topic ?t }", "talk"),
    ("?talk kgs:talkTopic ?t", "GRAPH <S> { ?talk kgs:event ?w . ?w kgs:topic ?t }", "talk"),
    ("?p kgs:position ?pos", "{ SELECT DISTINCT ?p { GRAPH <S> { [] kgs:speaker ?p } } } ?p kg:holds ?pos . "
                             "?pos kg:inOrganisation ?o", "p"),
    ("?pos kgs:organisation ?o", "?p kg:holds ?pos . ?pos kg:inOrganisation ?o "
                                 "FILTER EXISTS { GRAPH <S> { [] kgs:speaker ?p } }", "pos"),
    ("?pos kgs:role ?v", "GRAPH <S> { [] kgs:position ?pos } ?pos kg:roleName ?v", "pos"),
    # municipalities.rq: labelled municipalities, their keys, state and Wikidata item.
    ("?m a kgs:Municipality", "?m a kg:Municipality ; rdfs:label []", "m"),
    ("?m kgs:ags ?v", "GRAPH <S> { ?m a kgs:Municipality } ?m kg:ags ?v", "m"),
    ("?m kgs:ars ?v", "GRAPH <S> { ?m a kgs:Municipality } ?m kg:ars ?v", "m"),
    ("?m kgs:inState ?v", "GRAPH <S> { ?m a kgs:Municipality } ?m kg:inState ?v", "m"),
    ("?m kgs:wikidata ?v", "GRAPH <S> { ?m a kgs:Municipality } ?m owl:sameAs ?v "
                           "FILTER (STRSTARTS(STR(?v), \"http://www.wikidata.org/entity/\"))", "m"),
    # Labels of every node the queries name with a label: places, states, speakers, organisations.
    ("?x kgs:label ?v", "{ SELECT DISTINCT ?x { GRAPH <S> { { ?x a kgs:Municipality } UNION "
                        "{ [] kgs:location|kgs:state|kgs:inState|kgs:speaker|kgs:organisation ?x } } } } "
                        "?x rdfs:label ?v", "x"),
]


def summary_updates(graph: str = SUMMARY_GRAPH) -> list[str]:
    """The SPARQL updates that derive the summary into `graph` from the default graph.

    A remote store no longer runs them (they read every workshop, and at 10 M failed there): its
    gate derives the summary triples a write changes itself (graph/writes/remote_summary.py)."""
    return [PREFIXES + f"INSERT {{ GRAPH <{graph}> {{ {template} }} }} "
            f"WHERE {{ {pattern.replace('<S>', f'<{graph}>')} }}" for template, pattern, _ in _RULES]


def rules() -> list[tuple[str, str, str]]:
    """(template, pattern, subject variable) of every summary rule, in order; `<S>` names the summary graph."""
    return list(_RULES)


def write_summary(store: ox.Store, graph: str = SUMMARY_GRAPH, pages: bool = True) -> None:
    """Replace the summary graph of `store` by the one its default graph derives.

    Run by the build after the roles, and by every write after the default graph is re-derived:
    on the seed this takes a few milliseconds, on a large store it reads every workshop, talk and
    municipality once (bench/summary.py measures it).
    """
    store.update(f"DROP SILENT GRAPH <{graph}>")
    for update in summary_updates(graph):
        store.update(update)
    if pages:   # page numbers of the long lists (graph/build/pages.py); a remote store has none
        derive_pages(store, graph)
