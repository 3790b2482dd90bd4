"""The summary graph kept right by a write without deriving all of it again (issue 13).

The build derives the summary (graph/build/summary.py) from the default graph with one rule per
summary property; every triple a rule makes has the rule's subject variable as its subject.
After a write only the subjects the change can reach have other summary triples, so only they are
derived again: their summary triples are deleted and each rule runs with its subject bound
(VALUES). Which subjects a change reaches:

- every node of a default-graph triple the write added or removed (a workshop's own title, a
  talk that an event now has, a municipality whose label changed);
- three rules read further than one step from their subject, and get their subjects looked up:
  a place that became or stopped being a federal state (`kgs:state` of the workshops within it),
  a position whose organisation changed (`kgs:position` of the people holding it) and a topic
  whose broader topic changed (`kgs:topic` of everything below it);
- rules that read the summary itself follow its changed triples: a changed `kgs:speaker` or
  `kgs:position` reaches the person or position it names, a changed `kgs:topic` of an event
  reaches its talks (`kgs:talkTopic`), a changed reference to a place, state,
  person or organisation reaches that node's `kgs:label`, and a changed workshop or topic link
  reaches that topic's count and labels.

The derivation runs in `store`, which must hold what the rules read for the subjects it derives.
The embedded gate passes its whole new version. The remote gate (graph/writes/remote_summary.py)
passes a small store in memory and a `reach` that loads into it what each batch of subjects needs,
and answers the further look-ups from the remote store.

tests/test_summary.py compares the summary after each write with a full derivation; tests/
test_remote_writes.py does the same on Virtuoso.
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from graph.build.pages import PAGE
from graph.build.summary import KGS, PREFIXES, rules
from graph.ns import SUMMARY_GRAPH

KG = "https://w3id.org/kommunalgraph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TOPIC_PREDICATES = {KGS + name for name in ("workshops", "labelDe", "labelEn")}
LABEL = KGS + "label"
FOLLOWED = {KGS + "speaker", KGS + "position"}          # their objects are subjects of later rules
LABELLED = {KGS + name for name in ("location", "state", "inState", "speaker", "organisation")}
CHUNK = 400   # IRIs per VALUES block


class Reach:
    """What the derivation may read beyond `store`: nothing, when the store holds all the data."""

    def __init__(self, store):
        self.store = store

    def load(self, subjects: list[str]) -> None:
        """Make the store hold what the rules read for `subjects` (here it already does)."""

    def select(self, pattern: str) -> set[str]:
        """The IRIs ?x that the default-graph `pattern` binds, over all the data."""
        return {row["x"].value for row in self.store.query(f"SELECT ?x {{ {pattern} }}")
                if isinstance(row["x"], ox.NamedNode)}


def update_summary(store, added: Iterable[ox.Triple], removed: Iterable[ox.Triple],
                   graph: str = SUMMARY_GRAPH, reach: Reach | None = None) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """Bring the summary of `store` up to date after its default graph gained `added` and lost
    `removed`; return the summary triples it added and removed."""
    reach = reach or Reach(store)
    change = [*added, *removed]
    nodes = {term.value for t in change for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
    entities = set(nodes) | _reached_further(reach, change)
    topics, labelled = set(nodes), set(nodes)
    plus: set[ox.Triple] = set()
    minus: set[ox.Triple] = set()
    entity_rules = [r for r in rules() if not _is_topic_or_label(r)]
    done: set[str] = set()
    todo = entities
    while todo:
        before, after = _rederive(store, reach, graph, sorted(todo), entity_rules, lambda p: p not in TOPIC_PREDICATES | {LABEL})
        done |= todo
        changed = before ^ after
        _net(plus, minus, before, after)
        todo, events = set(), set()
        for triple in changed:
            predicate, target = triple.predicate.value, triple.object
            if predicate in FOLLOWED and isinstance(target, ox.NamedNode):
                todo.add(target.value)   # again even if done: its rule reads this changed triple
            if predicate in LABELLED and isinstance(target, ox.NamedNode):
                labelled.add(target.value)
            if predicate == KGS + "topic" and isinstance(target, ox.NamedNode):
                topics.add(target.value)
                events.add(triple.subject.value)
            if predicate == RDF_TYPE:
                labelled.add(triple.subject.value)
                topics |= {t.object.value for t in before | after
                           if t.subject == triple.subject and t.predicate.value == KGS + "topic"}
        todo |= _talks_of(store, reach, graph, events)   # their kgs:talkTopic includes the event's topics
    topic_rules = [r for r in rules() if r[0].split()[1] in {"kgs:workshops", "kgs:labelDe", "kgs:labelEn"}]
    _net(plus, minus, *_rederive(store, reach, graph, sorted(topics), topic_rules, lambda p: p in TOPIC_PREDICATES))
    label_rules = [r for r in rules() if r[0].split()[1] == "kgs:label"]
    _net(plus, minus, *_rederive(store, reach, graph, sorted(labelled | done), label_rules, lambda p: p == LABEL))
    return sorted(plus, key=str), sorted(minus, key=str)


def _talks_of(store, reach: Reach, graph: str, events: set[str]) -> set[str]:
    """The talks whose event (kgs:event) is one of `events`, in the summary as it is now."""
    found: set[str] = set()
    ordered = sorted(events)
    for start in range(0, len(ordered), CHUNK):
        reach.load(ordered[start:start + CHUNK])
        values = " ".join(f"<{e}>" for e in ordered[start:start + CHUNK])
        found |= {row["talk"].value for row in store.query(
            f"SELECT ?talk {{ VALUES ?event {{ {values} }} GRAPH <{graph}> {{ ?talk <{KGS}event> ?event }} }}")}
    return found


def _is_topic_or_label(rule: tuple[str, str, str]) -> bool:
    return rule[0].split()[1] in {"kgs:workshops", "kgs:labelDe", "kgs:labelEn", "kgs:label"}


def _net(plus: set, minus: set, before: set, after: set) -> None:
    """Fold one step's before/after of some subjects into the write's net change of the summary."""
    for triple in after - before:
        if triple in minus:
            minus.discard(triple)
        else:
            plus.add(triple)
    for triple in before - after:
        if triple in plus:
            plus.discard(triple)
        else:
            minus.add(triple)


def _rederive(store, reach: Reach, graph: str, subjects: list[str], chosen: list, owned) -> tuple[set, set]:
    """Delete the summary triples of `subjects` whose predicate `owned` accepts, run the `chosen`
    rules for them, and return their triples before and after."""
    before, after = set(), set()
    for start in range(0, len(subjects), CHUNK):
        reach.load(subjects[start:start + CHUNK])
        values = " ".join(f"<{s}>" for s in subjects[start:start + CHUNK])
        before |= _triples(store, graph, values, owned)
        store.update(f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {values} }} "
                     f"GRAPH <{graph}> {{ ?s ?p ?o }} FILTER ({_owned_filter(owned)}) }}")
        for template, pattern, subject in chosen:
            where = _restricted(pattern.replace("<S>", f"<{graph}>"), subject, values)
            store.update(PREFIXES + f"INSERT {{ GRAPH <{graph}> {{ {template} }} }} WHERE {{ {where} }}")
        after |= _triples(store, graph, values, owned)
    return before, after


def _restricted(pattern: str, subject: str, values: str) -> str:
    """`pattern` with its subject variable bound to `values`: inside a leading subquery that selects
    the subject (evaluated on its own, it would otherwise go through every workshop or speaker)."""
    bound = f"VALUES ?{subject} {{ {values} }} "
    head = pattern[:60]
    if pattern.startswith("{ SELECT") and (f"SELECT DISTINCT ?{subject} " in head or f"SELECT ?{subject} " in head):
        inner = pattern.index("{", 1) + 1
        return pattern[:inner] + " " + bound + pattern[inner:]
    return bound + pattern


def _owned_filter(owned) -> str:
    """The predicates of `owned` as a SPARQL filter (it accepts either all but some, or only some)."""
    special = sorted(TOPIC_PREDICATES | {LABEL})
    kept = [p for p in special if owned(p)]
    listed = ", ".join(f"<{p}>" for p in (kept if kept else special))
    # No rule owns the page numbers: graph/build/pages.py keeps them after the rules (the gate calls it).
    return (f"?p IN ({listed})" if kept else f"?p NOT IN ({listed})") + f" && ?p != {PAGE}"


def _triples(store, graph: str, values: str, owned) -> set[ox.Triple]:
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} GRAPH <{graph}> {{ ?s ?p ?o }} "
                       f"FILTER ({_owned_filter(owned)}) }}")
    return {ox.Triple(row["s"], row["p"], row["o"]) for row in rows}


def _reached_further(reach: Reach, change: list[ox.Triple]) -> set[str]:
    """Subjects of rules that read more than one step from them: the workshops within a place whose
    federal-state type changed, the holders of a position whose organisation changed, and what has a
    topic below one whose broader topic changed (looked up in the version after the write)."""
    found: set[str] = set()
    for triple in change:
        node = triple.subject
        if not isinstance(node, ox.NamedNode):
            continue
        predicate, target = triple.predicate.value, triple.object
        if predicate == RDF_TYPE and isinstance(target, ox.NamedNode) and target.value == KG + "FederalState":
            pattern = f"?x <{KG}withinArea> <{node.value}>"
        elif predicate == KG + "inOrganisation":
            pattern = f"?x <{KG}holds> <{node.value}>"
        elif predicate == "http://www.w3.org/2004/02/skos/core#broader":
            pattern = f"?x <{KG}topic>/<http://www.w3.org/2004/02/skos/core#broader>* <{node.value}>"
        else:
            continue
        found |= reach.select(pattern)
    return found
