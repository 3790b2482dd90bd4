"""The summary graph (issue 13): named queries on it give the rows of the plain queries over the
full graph, for every parameter value in the data, after the build and after gated writes."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.pages import BOUNDARY, PAGE
from graph.build.summary import SUMMARY_GRAPH, write_summary
from graph.errors import ParameterError, ReadOnlyGraph, UpdateError, WriteRejected
from graph.sparql.named_queries import bind, load_named_queries, query_text
from graph.store.engine import QueryRequest, run_query
from graph.writes.gate import WriteGate
from tests.helpers import BASE_IRI, KG, MUNICIPALITY, REPORT, REPORT_GRAPH, workshop_update

ROOT = Path(__file__).resolve().parent.parent
SERVED = load_named_queries(ROOT / "queries")
PLAIN = load_named_queries(ROOT / "queries" / "plain")
# The ORDER BY of each query: rows that tie on it may come in any order.
ORDER = {"workshops": ("date", "title"), "speakers": ("name", "workshop"),
         "topics": ("workshops", "topicLabel"), "municipalities": ("label",)}
TEST_GRAPH = BASE_IRI + "graph/report/test"
SUMMARY = ox.NamedNode(SUMMARY_GRAPH)
PREFIXES = "PREFIX kg: <https://w3id.org/kommunalgraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "


def answer(store: ox.Store, name: str, queries, substitutions: tuple) -> list[tuple]:
    """The rows of a named query as the server runs it: its patterns in, parameters bound by the engine."""
    query = queries[name]
    request = QueryRequest(query_text(query, substitutions), substitutions=substitutions)
    body = json.loads(run_query(store, request).body)
    columns = list(query.columns)
    return [tuple(json.dumps(row.get(c), sort_keys=True) for c in columns) for row in body["results"]["bindings"]]


def assert_same_rows(store: ox.Store, name: str, substitutions: tuple) -> list[tuple]:
    plain, summary = answer(store, name, PLAIN, substitutions), answer(store, name, SERVED, substitutions)
    assert sorted(summary) == sorted(plain), (name, substitutions)
    keys = [list(SERVED[name].columns).index(c) for c in ORDER[name]]
    assert [[r[k] for k in keys] for r in summary] == [[r[k] for k in keys] for r in plain], (name, substitutions)
    return summary


def values(store: ox.Store, query: str) -> list:
    return sorted({row[0] for row in store.query(PREFIXES + query)}, key=str)


def parameter_values(store: ox.Store) -> dict[str, list[tuple]]:
    """Every parameter combination to compare: each value present in the data, and none."""
    states = [("iri", s.value) for s in values(store, "SELECT ?s { ?s a kg:FederalState }")]
    years = [("literal", y.value, y.datatype.value, None) for y in values(store, "SELECT ?y { [] kg:year ?y }")]
    years.append(("literal", "1871", "http://www.w3.org/2001/XMLSchema#integer", None))
    topics = [("iri", t.value) for t in values(store, "SELECT ?t { { [] kg:topic ?t } UNION { ?t a skos:Concept } }")]
    workshops = [()] + [(("state", s),) for s in states] + [(("year", y),) for y in years]
    workshops += [(("state", s), ("year", y)) for s in states for y in years]
    return {"workshops": workshops, "municipalities": [()] + [(("state", s),) for s in states],
            "speakers": [()] + [(("topic", t),) for t in topics], "topics": [()]}


def assert_summary_everywhere(store: ox.Store) -> None:
    for name, combinations in parameter_values(store).items():
        for substitutions in combinations:
            assert_same_rows(store, name, substitutions)


def test_named_queries_on_the_summary_give_the_plain_rows_for_every_parameter(seed_store):
    store = seed_store.open_read()
    assert set(PLAIN) == set(ORDER) and set(ORDER) < set(SERVED)
    assert_summary_everywhere(store)
    # Not vacuous: the seed's answers have rows, the filters select some of them.
    assert len(assert_same_rows(store, "workshops", ())) == 5
    assert len(assert_same_rows(store, "topics", ())) > 10
    baden = (("state", ("iri", BASE_IRI + "id/state/08")),)
    assert 0 < len(assert_same_rows(store, "municipalities", baden)) < len(assert_same_rows(store, "municipalities", ()))


def summary_of(store: ox.Store) -> set[ox.Quad]:
    """The summary's triples but its page numbers: a write places members on the pages the build numbered
    instead of numbering them again (graph/build/pages.py; tests/test_pages.py checks them)."""
    return {q for q in store.quads_for_pattern(None, None, None, SUMMARY) if q.predicate not in (PAGE, BOUNDARY)}


def rebuilt_summary(store: ox.Store) -> set[ox.Quad]:
    """The summary the build derives from this store's default graph."""
    copy = ox.Store()
    copy.extend(q for q in store if q.graph_name != SUMMARY)
    write_summary(copy)
    return summary_of(copy)


def topical_workshop(key: str, topic: str) -> str:
    """A conforming workshop with a topic, a year and a date, in the test graph."""
    return (f"PREFIX kg: <{KG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            f"PREFIX schema: <https://schema.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
            f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <{BASE_IRI}id/workshop/{key}> a kg:Workshop ; "
            f"rdfs:label \"Werkstatt {key}\"@de ; schema:name \"Werkstatt {key}\"@de ; kg:title \"Werkstatt {key}\"@de ; "
            f"kg:status kg:Held ; kg:location <{MUNICIPALITY}> ; kg:topic <{topic}> ; kg:year 2031 ; "
            f"kg:date \"2031-05\"^^xsd:gYearMonth ; kg:reportedIn <{REPORT}> }} }}")


def test_gated_writes_keep_the_summary_equal_to_a_rebuild(store_copy):
    gate = WriteGate(store_copy)
    topic = values(store_copy.open_read(), "SELECT ?t { ?w a kg:Workshop ; kg:topic ?t }")[0].value
    writes = [
        workshop_update("w4"),
        topical_workshop("w6", topic),
        # Bad Schönborn moves to the Ortenaukreis, keys and all (as in tests/test_remote_writes.py).
        f"WITH <{REPORT_GRAPH}> DELETE {{ <{MUNICIPALITY}> <{KG}inDistrict> ?d ; <{KG}ags> ?a ; <{KG}ars> ?r }} "
        f"INSERT {{ <{MUNICIPALITY}> <{KG}inDistrict> <{BASE_IRI}id/district/08317> ; "
        f"<{KG}ags> \"08317999\" ; <{KG}ars> \"083170000999\" }} "
        f"WHERE {{ <{MUNICIPALITY}> <{KG}inDistrict> ?d ; <{KG}ags> ?a OPTIONAL {{ <{MUNICIPALITY}> <{KG}ars> ?r }} }}",
        f"DELETE WHERE {{ GRAPH <{TEST_GRAPH}> {{ <{BASE_IRI}id/workshop/w4> ?p ?o }} }}",
        f"DROP GRAPH <{TEST_GRAPH}>",
    ]
    before = summary_of(store_copy.open_read())
    for update in writes:
        result = gate.update(update, "alice")
        assert result.changed and "summary" in result.seconds, update
        store = store_copy.open_read()
        assert summary_of(store) == rebuilt_summary(store), update
        assert_summary_everywhere(store)
        if update.startswith("PREFIX") and "w6" in update:
            workshops = answer(store, "workshops", SERVED, ())
            assert any("id/workshop/w6" in row[0] for row in workshops)
    # The municipality's new key is in the summary; the rest is as before the writes.
    assert summary_of(store_copy.open_read()) != before


def test_the_summary_graph_is_not_writable_and_broken_writes_leave_it(store_copy):
    gate = WriteGate(store_copy)
    before = summary_of(store_copy.open_read())
    with pytest.raises(ReadOnlyGraph):
        gate.update(f"INSERT DATA {{ GRAPH <{SUMMARY_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}", "alice")
    # Writes run without the summary (it is derived after them), so to an update it does not exist;
    # and an update over every graph changes only the asserted ones, as before the summary.
    with pytest.raises(UpdateError, match="does not exist"):
        gate.update(f"DROP GRAPH <{SUMMARY_GRAPH}>", "alice")
    with pytest.raises(WriteRejected):
        gate.update(f"DELETE WHERE {{ GRAPH ?g {{ <{MUNICIPALITY}> a ?type }} }}", "alice")
    with pytest.raises(WriteRejected):
        gate.update(workshop_update("w2", place=None), "alice")
    assert summary_of(store_copy.open_read()) == before


@pytest.mark.parametrize("name, arguments, message", [
    ("workshops", {"state": "Atlantis"}, "no FederalState named 'Atlantis'"),
    ("workshops", {"year": "zweitausend"}, "must be an integer"),
    ("speakers", {"topic": "Kein Thema"}, "named 'Kein Thema'"),
    ("topics", {"lang": "en"}, "unknown parameter 'lang'"),
])
def test_bad_parameters_give_the_same_errors_as_before(seed_store, name, arguments, message):
    store = seed_store.open_read()

    def execute(request):
        return run_query(store, request)

    for queries in (PLAIN, SERVED):
        with pytest.raises(ParameterError, match=message):
            bind(queries[name], arguments, execute)


def report_versions(store: ox.Store) -> list[str | None]:
    """Versions of the seed's report graph, in N-Triples, to PUT one after the other (None: DELETE it):
    a renamed organisation, a position without its organisation, a topic under another, a talk's speaker
    moved to another person, a changed topic, the graph deleted and put back."""
    original = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(REPORT_GRAPH)).decode()
    speaker = f"<{KG}speaker>"
    talk, person = next((line.split()[0], line.split()[2]) for line in original.splitlines() if f" {speaker} " in line)
    other = next(line.split()[2] for line in original.splitlines()
                 if f" {speaker} " in line and line.split()[2] != person)
    organisation = values(store, "SELECT ?o { ?pos kg:inOrganisation ?o }")[0].value
    topic = values(store, "SELECT ?t { ?w a kg:Workshop ; kg:topic ?t }")
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    in_organisation = next(line for line in original.splitlines() if f" <{KG}inOrganisation> " in line)
    concepts = values(store, "SELECT ?t { ?t a skos:Concept FILTER NOT EXISTS { ?t skos:broader [] } }")
    broader = f"<{topic[0].value}> <http://www.w3.org/2004/02/skos/core#broader> <{concepts[-1].value}> .\n"
    versions = [
        original.replace(f"<{organisation}> {label} \"", f"<{organisation}> {label} \"Umbenannt "),
        original.replace(in_organisation + "\n", ""),   # a position without its organisation: its holder's kgs:position goes
        original + broader,   # a topic under another: what has it gets that one's closure
        original.replace(f"{talk} {speaker} {person} .", f"{talk} {speaker} {other} ."),
        original.replace(f"<{topic[0].value}> .", f"<{topic[-1].value}> ."),
        None,   # the graph deleted
        original,
    ]
    assert len({text for text in versions[:5]} | {original}) == 6, "every edit changes the report"
    return versions


def test_graph_store_writes_keep_the_summary_equal_to_a_rebuild(store_copy, tmp_path):
    """PUT and DELETE keep the summary in the version and re-derive only what they reach
    (graph/writes/summary_delta.py)."""
    gate = WriteGate(store_copy)
    store = store_copy.open_read()
    upload = tmp_path / "report.nt"
    for text in report_versions(store):
        if text is None:
            result = gate.delete(REPORT_GRAPH, "alice")
        else:
            upload.write_text(text, encoding="utf-8")
            result = gate.put(REPORT_GRAPH, str(upload), "application/n-triples", "alice")
        assert result.changed, text
        after = store_copy.open_read()
        assert summary_of(after) == rebuilt_summary(after), text
    assert summary_of(store_copy.open_read()) == summary_of(store)
