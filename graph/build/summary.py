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

The graph's name (graph/ns.py SUMMARY_GRAPH) is fixed, like the ontology graph's, not minted
from the configured base: the named queries are static files that must name it. Release
summaries and feed states treat it like the default graph, as derived (graph/store/states.py).
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.ns import SUMMARY_GRAPH

KGS = "https://w3id.org/kommunalgraph/summary#"

_PREFIXES = f"""PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>
PREFIX kgs: <{KGS}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

# (template, pattern): each becomes INSERT { GRAPH summary { template } } WHERE { pattern }.
# Order matters: the later ones read what the earlier ones put into the summary (GRAPH S).
_RULES = [
    # workshops.rq: the workshop and what it returns or filters by.
    ("?w a kgs:Workshop", "?w a kg:Workshop"),
    ("?w kgs:title ?v", "?w a kg:Workshop ; kg:title ?v"),
    ("?w kgs:location ?v", "?w a kg:Workshop ; kg:location ?v"),
    ("?w kgs:date ?v", "?w a kg:Workshop ; kg:date ?v"),
    ("?w kgs:year ?v", "?w a kg:Workshop ; kg:year ?v"),
    # The federal state among the areas the rules put it within (kg:withinArea is derived).
    ("?w kgs:state ?v", "?w a kg:Workshop ; kg:withinArea ?v . ?v a kg:FederalState"),
    # topics.rq and speakers.rq: the topic closure of workshops, of events with talks and of talks.
    ("?x kgs:topic ?t", "{ SELECT DISTINCT ?x { { ?x a kg:Workshop } UNION { ?x kg:hasTalk [] } "
                        "UNION { [] kg:hasTalk ?x } } } ?x kg:topic/skos:broader* ?t"),
    ("?t kgs:workshops ?n", "{ SELECT ?t (COUNT(DISTINCT ?w) AS ?n) { GRAPH <S> { ?w a kgs:Workshop ; kgs:topic ?t } } "
                            "GROUP BY ?t }"),
    ("?t kgs:labelDe ?v", "GRAPH <S> { ?t kgs:workshops [] } ?t skos:prefLabel ?v FILTER (LANG(?v) = \"de\")"),
    ("?t kgs:labelEn ?v", "GRAPH <S> { ?t kgs:workshops [] } ?t skos:prefLabel ?v FILTER (LANG(?v) = \"en\")"),
    # speakers.rq: talks, their event and speaker, the speaker's positions in labelled organisations.
    ("?talk kgs:event ?w ; kgs:speaker ?p", "?w kg:hasTalk ?talk . ?talk kg:speaker ?p"),
    ("?talk kgs:talkTitle ?v", "GRAPH <S> { ?talk kgs:event [] } ?talk kg:title ?v"),
    ("?talk kgs:talkLabel ?v", "GRAPH <S> { ?talk kgs:event [] } ?talk rdfs:label ?v FILTER (LANG(?v) = \"de\")"),
    ("?p kgs:position ?pos . ?pos kgs:organisation ?o",
     "{ SELECT DISTINCT ?p { GRAPH <S> { [] kgs:speaker ?p } } } ?p kg:holds ?pos . ?pos kg:inOrganisation ?o"),
    ("?pos kgs:role ?v", "GRAPH <S> { [] kgs:position ?pos } ?pos kg:roleName ?v"),
    # municipalities.rq: labelled municipalities, their keys, state and Wikidata item.
    ("?m a kgs:Municipality", "?m a kg:Municipality ; rdfs:label []"),
    ("?m kgs:ags ?v", "GRAPH <S> { ?m a kgs:Municipality } ?m kg:ags ?v"),
    ("?m kgs:ars ?v", "GRAPH <S> { ?m a kgs:Municipality } ?m kg:ars ?v"),
    ("?m kgs:inState ?v", "GRAPH <S> { ?m a kgs:Municipality } ?m kg:inState ?v"),
    ("?m kgs:wikidata ?v", "GRAPH <S> { ?m a kgs:Municipality } ?m owl:sameAs ?v "
                           "FILTER (STRSTARTS(STR(?v), \"http://www.wikidata.org/entity/\"))"),
    # Labels of every node the queries name with a label: places, states, speakers, organisations.
    ("?x kgs:label ?v", "{ SELECT DISTINCT ?x { GRAPH <S> { { ?x a kgs:Municipality } UNION "
                        "{ [] kgs:location|kgs:state|kgs:inState|kgs:speaker|kgs:organisation ?x } } } } "
                        "?x rdfs:label ?v"),
]


def summary_updates(graph: str = SUMMARY_GRAPH, default_graph: str | None = None) -> list[str]:
    """The SPARQL updates that derive the summary into `graph` from the default graph, or from
    the named graph `default_graph` where a remote store keeps our default graph (USING)."""
    dataset = f"USING <{default_graph}> USING NAMED <{graph}> " if default_graph else ""
    return [_PREFIXES + f"INSERT {{ GRAPH <{graph}> {{ {template} }} }} {dataset}"
            f"WHERE {{ {pattern.replace('<S>', f'<{graph}>')} }}" for template, pattern in _RULES]


def write_summary(store: ox.Store, graph: str = SUMMARY_GRAPH) -> None:
    """Replace the summary graph of `store` by the one its default graph derives.

    Run by the build after the roles, and by every write after the default graph is re-derived:
    on the seed this takes a few milliseconds, on a large store it reads every workshop, talk and
    municipality once (bench/summary.py measures it).
    """
    store.update(f"DROP SILENT GRAPH <{graph}>")
    for update in summary_updates(graph):
        store.update(update)
