"""Property-based fuzzing (issue 6) of every parser we own or feed: a precise 4xx or error, never a 500.

HTTP targets run against a real server (writes enabled, 2 s query limit so a random runaway
query costs little). KG_FUZZ_EXAMPLES sets the examples per target (default 40, for CI).
Report texts are fuzzed in tests/extraction/test_fuzz_texts.py.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from graph.build.pipeline import Sources, check
from graph.errors import QuerySyntaxError, ReadOnlyGraph, RecordError, UpdateError
from graph.writes.delta import named_graphs
from graph.records.record import load_record
from graph.sparql.update_targets import update_targets
from tests.helpers import BASE_IRI, KG, ROOT, TOKEN, workshop_update, writer_server

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

QUERIES = [
    "SELECT ?ags WHERE { ?m <https://w3id.org/kommunalgraph/ontology#ags> ?ags } ORDER BY ?ags LIMIT 5",
    "PREFIX kg: <https://w3id.org/kommunalgraph/ontology#> SELECT ?w (COUNT(?t) AS ?n) WHERE { ?w a kg:Workshop ; "
    "kg:hasTalk ?t } GROUP BY ?w",
    "CONSTRUCT { ?s <https://schema.org/name> ?n } WHERE { ?s <https://schema.org/name> ?n } LIMIT 3",
    "ASK { GRAPH ?g { ?s ?p \"Heidelberg\"@de } }",
    "DESCRIBE <https://w3id.org/kommunalgraph/id/municipality/08221000>",
    "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), \"^Digital\", \"i\")) } LIMIT 2",
]
UPDATES = [
    workshop_update("fz"),
    "DELETE DATA { GRAPH <http://ex/fz> { <http://ex/a> <http://ex/b> \"c\"@de } }",
    f"WITH <{BASE_IRI}graph/report/test> DELETE {{ ?w <{KG}title> ?t }} INSERT {{ ?w <{KG}title> \"Neu\"@de }} "
    f"WHERE {{ ?w <{KG}title> ?t }}",
    "CLEAR SILENT GRAPH <http://ex/fz> ; CREATE SILENT GRAPH <http://ex/fz2>",
    "COPY SILENT <http://ex/fz2> TO <http://ex/fz3>",
]
DOCUMENTS = {
    "text/turtle": b'@prefix ex: <http://ex/> .\nex:a ex:b "c"@de ; ex:d (1 2.0 true) ; ex:e [ ex:f ex:g ] .\n',
    "application/n-triples": b'<http://ex/a> <http://ex/b> "c\\u00e4"@de .\n_:x <http://ex/d> <http://ex/e> .\n',
    "application/rdf+xml": b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                           b'xmlns:ex="http://ex/"><rdf:Description rdf:about="http://ex/a"><ex:b xml:lang="de">c'
                           b'</ex:b></rdf:Description></rdf:RDF>',
    "application/ld+json": b'{"@context": {"ex": "http://ex/"}, "@id": "ex:a", "ex:b": [{"@value": "c", '
                           b'"@language": "de"}, {"@id": "ex:d"}]}',
}


def mutated(seeds: list) -> st.SearchStrategy:
    """A seed with random characters replaced, inserted and deleted, or pure noise."""
    def mutate(args):
        seed, edits = args
        text = list(seed)
        for position, kind, char in edits:
            if not text:
                text = [char]
                continue
            index = position % len(text)
            if kind == 0:
                text[index] = char
            elif kind == 1:
                text.insert(index, char)
            else:
                del text[index]
        return type(seed)().join(text) if isinstance(seed, str) else bytes(text)

    str_seeds = [s for s in seeds if isinstance(s, str)]
    if str_seeds:
        chars = st.sampled_from(list("{}<>\"'?$:;.,()[]#@^\\ \n") + ["GRAPH", "ä", "\x00", "_:b", "'''"])
        noise = st.text(max_size=200)
    else:
        chars = st.integers(0, 255)
        noise = st.binary(max_size=200)
    edits = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 2), chars), max_size=8)
    return st.one_of(st.tuples(st.sampled_from(seeds), edits).map(mutate), noise)


@pytest.fixture(scope="module")
def live(seed_store, tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    store = type(seed_store)(seed_store.backup(root / "store"))
    server = writer_server(store, root, QUERY_TIMEOUT=2, MAX_UPLOAD_BYTES=1 << 20)
    yield server
    server.stop()


def assert_precise(response, allowed: set[int]) -> None:
    assert response.status_code in allowed, (response.status_code, response.text[:500])
    if response.status_code >= 400 and response.status_code != 413:
        body = response.json()
        assert body["status"] == response.status_code and body["error"]


@FUZZ
@given(query=mutated(QUERIES))
def test_fuzz_sparql_queries(live, query):
    response = requests.post(live.url + "/sparql", data=query.encode("utf-8", "surrogatepass"), timeout=30,
                             headers={"Content-Type": "application/sparql-query"})
    assert_precise(response, {200, 400, 406, 422, 503})


@FUZZ
@given(update=mutated(UPDATES))
def test_fuzz_sparql_updates(live, update):
    response = requests.post(live.url + "/sparql", data=update.encode("utf-8", "surrogatepass"), timeout=60,
                             headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert_precise(response, {200, 400, 403, 409, 503})


@FUZZ
@given(media_type=st.sampled_from(sorted(DOCUMENTS)), data=st.data())
def test_fuzz_rdf_uploads_in_each_format(live, media_type, data):
    body = data.draw(mutated([DOCUMENTS[media_type]]))
    response = requests.put(live.url + "/store", params={"graph": "http://ex/fuzz"}, data=body, timeout=60,
                            headers={"Content-Type": media_type, "Authorization": f"Bearer {TOKEN}"})
    assert_precise(response, {200, 201, 400, 409})


# requests refuses to send a header value with leading or trailing blanks; a server strips them anyway.
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"),
                      max_size=120).map(str.strip)


@FUZZ
@given(accept=st.one_of(HEADER_TEXT, st.lists(st.sampled_from(
    ["text/csv", "*/*", "application/*", "text/turtle;q=0.5", "q=", ";q=2", "image/png", ",", "a/b;c=d"]),
    max_size=5).map(", ".join)))
def test_fuzz_accept_headers(live, accept):
    for path, params in (("/sparql", {"query": QUERIES[0]}), ("/sparql", {"query": QUERIES[2]}),
                         ("/api/queries/workshops", {}), ("/sparql", {}), ("/store", {"graph": BASE_IRI + "graph/links"})):
        response = requests.get(live.url + path, params=params, headers={"Accept": accept}, timeout=30)
        assert_precise(response, {200, 406})


@FUZZ
@given(name=st.sampled_from(["workshops", "speakers", "municipalities", "topics", "workshops.csv", "nope", "x.pdf"]),
       params=st.dictionaries(st.sampled_from(["year", "state", "topic", "format", "query", "x", "default-graph-uri"]),
                              st.one_of(st.text(max_size=30), st.integers().map(str)), max_size=4))
def test_fuzz_query_parameters(live, name, params):
    response = requests.get(f"{live.url}/api/queries/{name}", params=params, timeout=30)
    assert_precise(response, {200, 400, 404, 406})
    response = requests.get(live.url + "/sparql", params={"query": QUERIES[0], **params}, timeout=30)
    assert_precise(response, {200, 400, 406, 503})


# -- in-process parsers: records and the update analysis ----------------------------------------

SEED_RECORD = next((ROOT / "data" / "records").glob("*.yaml")).read_text("utf-8")
YAML_VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                                     st.text(max_size=20)),
                           lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                           max_leaves=20)


@contextmanager
def written_record(text: str) -> Iterator[Path]:
    """`text` as a record file in a folder of its own, removed afterwards (hypothesis runs each test hundreds of
    times and allows no function-scoped tmp_path; mkdtemp alone left one folder per example in /tmp)."""
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, "utf-8", errors="surrogatepass")
        yield path


@FUZZ
@given(text=mutated([SEED_RECORD]))
def test_fuzz_record_yaml_text(text):
    with written_record(text) as path:
        try:
            load_record(path)
        except RecordError as exc:
            assert exc.problems and all(p.german and p.english for p in exc.problems)
        else:
            checked = check(Sources(records=path.parent), BASE_IRI, owl=False)
            assert all(p.german and p.english for p in checked.problems)


@FUZZ
@given(data=st.one_of(YAML_VALUES, st.fixed_dictionaries({"report": YAML_VALUES, "events": YAML_VALUES})))
def test_fuzz_record_yaml_structure(data):
    import io
    buffer = io.StringIO()
    YAML().dump(data, buffer)
    with written_record(buffer.getvalue()) as path:
        try:
            load_record(path)
        except RecordError as exc:
            assert exc.problems


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(text=mutated(UPDATES))
def test_fuzz_update_analysis(text):
    try:
        update_targets(text)
    except (QuerySyntaxError, ReadOnlyGraph, UpdateError):
        pass


GRAPHS = [f"<http://ex/g{n}>" for n in range(3)]
TRIPLE = st.sampled_from(["<http://ex/s> <http://ex/p> 1", "<http://ex/s> <http://ex/p> <http://ex/o>",
                          "<http://ex/o> <http://ex/q> \"x\""])
OPERATION = st.one_of(
    st.builds(lambda g, t: f"INSERT DATA {{ GRAPH {g} {{ {t} }} }}", st.sampled_from(GRAPHS), TRIPLE),
    st.builds(lambda g, t: f"DELETE DATA {{ GRAPH {g} {{ {t} }} }}", st.sampled_from(GRAPHS), TRIPLE),
    st.builds(lambda g: f"DELETE WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}", st.sampled_from(GRAPHS)),
    st.builds(lambda g, h: f"WITH {g} DELETE {{ ?s ?p ?o }} INSERT {{ GRAPH {h} {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}",
              st.sampled_from(GRAPHS), st.sampled_from(GRAPHS)),
    st.builds(lambda g: f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {g}) }}",
              st.sampled_from(GRAPHS)),
    st.builds(lambda op, g, h: f"{op} SILENT {g} TO {h}", st.sampled_from(["ADD", "MOVE", "COPY"]),
              st.sampled_from(GRAPHS), st.sampled_from(GRAPHS)),
    st.builds(lambda op, g: f"{op} SILENT GRAPH {g}", st.sampled_from(["CLEAR", "DROP", "CREATE"]),
              st.sampled_from(GRAPHS)),
    st.just("CLEAR SILENT NAMED"),
)


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(operations=st.lists(OPERATION, min_size=1, max_size=4))
def test_the_update_analysis_covers_every_graph_the_engine_changes(operations):
    """Differential check against Oxigraph: no graph changes that the analysis did not name."""
    update = " ;\n".join(operations)
    store = ox.Store()
    for n, graph in enumerate(GRAPHS):
        store.update(f"INSERT DATA {{ GRAPH {graph} {{ <http://ex/s{n}> <http://ex/p> {n} . <http://ex/s> <http://ex/p> 1 }} }}")
    before = {g: set(store.quads_for_pattern(None, None, None, g)) for g in named_graphs(store)}
    targets = update_targets(update)
    store.update(update)
    after = {g: set(store.quads_for_pattern(None, None, None, g)) for g in named_graphs(store)}
    changed = {g.value for g in set(before) | set(after) if before.get(g) != after.get(g)}
    assert targets.every_graph or changed <= targets.graphs, (update, changed, targets)

