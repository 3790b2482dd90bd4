"""The W3C SPARQL 1.1 test manifests: which tests to run, their queries, data and expected results."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, Namespace, URIRef

# The suite's files are published under this base; relative IRIs in them resolve against it.
BASE = "https://w3c.github.io/rdf-tests/sparql/sparql11/"
# A graph that no test file is loaded into: naming it as the only default graph gives a test
# without qt:data and qt:graphData the empty dataset, which the protocol cannot say otherwise.
EMPTY_GRAPH = BASE + "empty-dataset"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

EVALUATION = {MF.QueryEvaluationTest, MF.CSVResultFormatTest}
POSITIVE_SYNTAX = {MF.PositiveSyntaxTest, MF.PositiveSyntaxTest11}
NEGATIVE_SYNTAX = {MF.NegativeSyntaxTest, MF.NegativeSyntaxTest11}

# Kinds of test that are not query evaluation, and why this suite does not run them.
SKIPPED = {
    "update": "SPARQL Update: run against the update endpoint by tests/conformance/w3c_update.py",
    "entailment": "entailment regimes (RDF, RDFS, D, OWL): the service evaluates under simple entailment",
    "federation": "federated query (SERVICE) calls remote endpoints; this suite stays off the network",
    "protocol": "protocol tests: scripted HTTP exchanges, run by tests/conformance/w3c_protocol.py",
    "graph store": "the SPARQL Graph Store Protocol is not implemented",
    "service description": "service description tests are checked by hand, not query evaluation",
    "withdrawn": "withdrawn or rejected by the working group",
    "unknown": "unknown test type",
}
_SKIPPED_TYPES = {
    MF.UpdateEvaluationTest: "update", MF.PositiveUpdateSyntaxTest11: "update",
    MF.NegativeUpdateSyntaxTest11: "update", MF.ProtocolTest: "protocol",
    MF.GraphStoreProtocolTest: "graph store", MF.ServiceDescriptionTest: "service description",
}
_DATASET_CLAUSE = re.compile(r"\bFROM\s+(NAMED\s+)?(<|[\w-]*:)", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\s+(SILENT\s+)?(<|[?$]|[\w-]*:)", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    """One runnable test: an evaluation test or a positive or negative syntax test."""

    id: str                       # "<folder>/<name in the manifest>"
    kind: str                     # "evaluation", "positive syntax" or "negative syntax"
    query_url: str
    query_path: Path
    data: tuple[str, ...] = ()
    graph_data: tuple[str, ...] = ()
    result_url: str | None = None
    result_path: Path | None = None

    @property
    def folder(self) -> str:
        """The suite folder the test belongs to."""
        return self.id.split("/", 1)[0]

    def query(self) -> str:
        """The query text; an evaluation test's gets a BASE of its own URL, so relative IRIs resolve
        as its expected results say. A syntax test is sent as written: without BASE, its relative
        IRIs resolve against the endpoint's IRI (issue 11), as a user's would."""
        text = self.query_path.read_text(encoding="utf-8")
        if self.kind != "evaluation":
            return text
        # The Prologue grammar rule allows several BASE declarations and each one resolves against
        # the base before it (RFC 3986 5.1), so prepending is right even if the query has a BASE.
        return f"BASE <{self.query_url}>\n" + text

    def dataset(self) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """Protocol (default, named) graph IRIs, or None when the query's FROM clauses apply."""
        if self.kind == "evaluation" and _DATASET_CLAUSE.search(self.query_path.read_text(encoding="utf-8")):
            return None
        if self.kind != "evaluation" or not (self.data or self.graph_data):
            return (EMPTY_GRAPH,), ()
        return self.data, self.graph_data


@dataclass(frozen=True)
class Skip:
    """A test that is not run, with the category that says why."""

    id: str
    category: str


def local_path(suite: Path, url: str) -> Path:
    """The suite file an IRI under BASE stands for."""
    return suite / url.removeprefix(BASE)


def read_suite(suite: Path, entry: str = "manifest-all.ttl") -> tuple[list[Case], list[Skip]]:
    """All query tests reachable from the entry manifest through mf:include, in manifest order."""
    cases: list[Case] = []
    skips: list[Skip] = []
    for graph, test, test_id in manifest_entries(suite, entry):
        found = _read_test(suite, graph, test, test_id)
        (cases if isinstance(found, Case) else skips).append(found)
    return cases, skips


def manifest_entries(suite: Path, entry: str = "manifest-all.ttl"):
    """(manifest graph, test node, "<folder>/<name>") for every test reachable from `entry`."""
    seen: set[str] = set()
    pending = [BASE + entry]
    while pending:
        manifest_url = pending.pop(0)
        if manifest_url in seen:
            continue
        seen.add(manifest_url)
        graph = Graph()
        graph.parse(local_path(suite, manifest_url), format="turtle", publicID=manifest_url)
        manifest = URIRef(manifest_url)
        folder = manifest_url.removeprefix(BASE).rsplit("/", 1)[0]
        for include in graph.objects(manifest, MF.include):
            pending.extend(str(item) for item in graph.items(include))
        for entries in graph.objects(manifest, MF.entries):
            for test in graph.items(entries):
                yield graph, test, f"{folder}/{test.split('#')[-1] if '#' in test else test.split('/')[-1]}"


def _read_test(suite: Path, graph: Graph, test, test_id: str) -> Case | Skip:
    kind = graph.value(test, RDF.type)
    action = graph.value(test, MF.action)
    if graph.value(test, DAWGT.approval) in (DAWGT.Withdrawn, DAWGT.Rejected):
        return Skip(test_id, "withdrawn")
    if kind in _SKIPPED_TYPES or (kind in POSITIVE_SYNTAX | NEGATIVE_SYNTAX and str(action).endswith(".ru")):
        return Skip(test_id, _SKIPPED_TYPES.get(kind, "update"))
    if kind in POSITIVE_SYNTAX | NEGATIVE_SYNTAX:
        syntax = "positive syntax" if kind in POSITIVE_SYNTAX else "negative syntax"
        case = Case(test_id, syntax, str(action), local_path(suite, str(action)))
    elif kind in EVALUATION:
        if graph.value(action, SD.entailmentRegime) is not None:
            return Skip(test_id, "entailment")
        query, result = str(graph.value(action, QT.query)), str(graph.value(test, MF.result))
        case = Case(test_id, "evaluation", query, local_path(suite, query),
                    data=tuple(sorted(str(d) for d in graph.objects(action, QT.data))),
                    graph_data=tuple(sorted(str(d) for d in graph.objects(action, QT.graphData))),
                    result_url=result, result_path=local_path(suite, result))
    else:
        return Skip(test_id, "unknown")
    # Only evaluating SERVICE needs the network; a syntax test with SERVICE runs (issue 11).
    if case.kind == "evaluation" and (graph.value(action, QT.serviceData) is not None
                                      or _SERVICE.search(case.query_path.read_text("utf-8"))):
        return Skip(test_id, "federation")
    return case


def write_dataset(suite: Path, cases: list[Case], target: Path) -> Path:
    """Write every data file the cases use into one N-Quads file, each in a graph named by its URL."""
    store = ox.Store()
    urls = sorted({url for case in cases for url in case.data + case.graph_data})
    for url in urls:
        # Loaded one file at a time, so blank nodes stay apart across files as in an RDF merge.
        store.load(path=local_path(suite, url), base_iri=url, to_graph=ox.NamedNode(url))
    store.dump(target, format=ox.RdfFormat.N_QUADS)
    return target
