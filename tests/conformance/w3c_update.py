"""The W3C SPARQL 1.1 Update tests: in-process on pyoxigraph, and over HTTP on `kommunalgraph serve`
with a write token (issue 11).

Over HTTP each test starts from the server's own reset (every named graph deleted through the
Graph Store Protocol), puts its named graphs with PUT, sends the update, and reads every graph
back. The server's default graph is derived from the named graphs (union plus inference), so a
test that writes or expects its own default graph cannot pass there: that is the design, and the
expected-failure list in tests/test_w3c_update.py says so per test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import requests
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.compare import isomorphic

from .manifest import BASE, DAWGT, MF, NEGATIVE_SYNTAX, POSITIVE_SYNTAX, local_path, manifest_entries

UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DEFAULT = ""  # the default graph's key in a dataset
_POSITIVE = POSITIVE_SYNTAX | {MF.PositiveUpdateSyntaxTest11}
_NEGATIVE = NEGATIVE_SYNTAX | {MF.NegativeUpdateSyntaxTest11}


@dataclass(frozen=True)
class UpdateCase:
    """One update test: an evaluation test (data before, update, data after) or a syntax test."""

    id: str
    kind: str                                     # "evaluation", "positive syntax", "negative syntax"
    request_url: str
    request_path: Path
    before: tuple[tuple[str, str], ...] = ()      # (graph IRI or DEFAULT, file URL)
    after: tuple[tuple[str, str], ...] = ()

    @property
    def folder(self) -> str:
        """The suite folder the test belongs to."""
        return self.id.split("/", 1)[0]

    def update(self) -> str:
        """The update text; an evaluation test's gets a BASE of its own URL, as the query tests do."""
        text = self.request_path.read_text(encoding="utf-8")
        return text if self.kind != "evaluation" else f"BASE <{self.request_url}>\n" + text


def read_update_suite(suite: Path) -> list[UpdateCase]:
    """Every approved update evaluation and update syntax test, in manifest order."""
    cases = []
    for graph, test, test_id in manifest_entries(suite):
        kind = graph.value(test, RDF.type)
        if graph.value(test, DAWGT.approval) in (DAWGT.Withdrawn, DAWGT.Rejected):
            continue
        action = graph.value(test, MF.action)
        if kind == MF.UpdateEvaluationTest:
            request = str(graph.value(action, UT.request))
            result = graph.value(test, MF.result)
            cases.append(UpdateCase(test_id, "evaluation", request, local_path(suite, request),
                                    _dataset(graph, action), _dataset(graph, result)))
        elif kind in _POSITIVE | _NEGATIVE and str(action).endswith(".ru"):
            syntax = "positive syntax" if kind in _POSITIVE else "negative syntax"
            cases.append(UpdateCase(test_id, syntax, str(action), local_path(suite, str(action))))
    return cases


def _dataset(graph: Graph, node) -> tuple[tuple[str, str], ...]:
    """(graph IRI or DEFAULT, file URL) pairs of an action or result node."""
    if node is None:
        return ()
    parts = [(DEFAULT, str(data)) for data in graph.objects(node, UT.data)]
    for item in graph.objects(node, UT.graphData):
        parts.append((str(graph.value(item, RDFS.label)), str(graph.value(item, UT.graph))))
    return tuple(sorted(parts))


# -- datasets as {graph: rdflib Graph} --------------------------------------------------------------

def expected_dataset(suite: Path, parts: tuple[tuple[str, str], ...]) -> dict[str, Graph]:
    """The dataset a list of (graph, file) pairs describes; files of one graph are merged."""
    dataset: dict[str, Graph] = {}
    for name, url in parts:
        data = local_path(suite, url).read_bytes()
        triples = ox.parse(data, format=_format(url), base_iri=url)
        target = dataset.setdefault(name, Graph())
        target.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") or " ", format="nt")
    return {name: g for name, g in dataset.items() if len(g)}


def _format(url: str) -> ox.RdfFormat:
    return ox.RdfFormat.from_extension(url.rsplit(".", 1)[-1])


def store_dataset(store: ox.Store) -> dict[str, Graph]:
    """Every non-empty graph of an in-memory store."""
    found: dict[str, Graph] = {}
    for quad in store:
        key = DEFAULT if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        text = ox.serialize([ox.Triple(quad.subject, quad.predicate, quad.object)], format=ox.RdfFormat.N_TRIPLES)
        found.setdefault(key, Graph()).parse(data=text.decode("utf-8"), format="nt")
    return found


def dataset_mismatch(expected: dict[str, Graph], actual: dict[str, Graph]) -> str | None:
    """None if both datasets hold the same graphs up to blank-node renaming, else what differs."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name, Graph()), actual.get(name, Graph())
        if not isomorphic(want, got):
            label = "default graph" if name == DEFAULT else f"<{name}>"
            problems.append(f"{label}: expected {len(want)} triples, found {len(got)}")
    return "; ".join(problems) or None


# -- the two ways of running a test -------------------------------------------------------------------

def check_in_process(suite: Path, case: UpdateCase) -> str | None:
    """Run one test on a fresh in-memory pyoxigraph store; None if it passed."""
    store = ox.Store()
    for name, url in case.before:
        target = ox.DefaultGraph() if name == DEFAULT else ox.NamedNode(name)
        store.load(path=local_path(suite, url), format=_format(url), base_iri=url, to_graph=target)
    try:
        store.update(case.update(), base_iri=case.request_url if case.kind != "evaluation" else None)
    except SyntaxError as exc:
        return None if case.kind == "negative syntax" else f"syntax error: {exc}"
    except (OSError, RuntimeError, ValueError) as exc:
        if case.kind == "negative syntax":
            return "parsed, but must be rejected"
        return None if case.kind == "positive syntax" else f"update failed: {exc}"
    if case.kind == "negative syntax":
        return "parsed, but must be rejected"
    if case.kind == "positive syntax":
        return None
    return dataset_mismatch(expected_dataset(suite, case.after), store_dataset(store))


class Endpoint:
    """The server's SPARQL endpoint and graph store, with a writer's token."""

    def __init__(self, session: requests.Session, root: str, token: str):
        self.session, self.root = session, root
        self.auth = {"Authorization": f"Bearer {token}"}

    def named_graphs(self) -> list[str]:
        """The named graphs holding at least one triple."""
        response = self.session.get(self.root + "/sparql", timeout=60,
                                    params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"},
                                    headers={"Accept": "application/sparql-results+json"})
        response.raise_for_status()
        return [row["g"]["value"] for row in response.json()["results"]["bindings"]]

    def reset(self) -> None:
        """Delete every named graph (the default graph, derived from them, empties with them)."""
        for name in self.named_graphs():
            response = self.session.delete(self.root + "/store", params={"graph": name}, headers=self.auth, timeout=60)
            if response.status_code >= 300:
                raise RuntimeError(f"reset: DELETE <{name}> answered {response.status_code}: {response.text[:200]}")

    def dataset(self) -> dict[str, Graph]:
        """Every non-empty graph, read through the query endpoint."""
        found = {}
        queries = {DEFAULT: "CONSTRUCT WHERE { ?s ?p ?o }"}
        queries.update({name: f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
                        for name in self.named_graphs()})
        for name, query in queries.items():
            response = self.session.get(self.root + "/sparql", params={"query": query}, timeout=60,
                                        headers={"Accept": "application/n-triples"})
            response.raise_for_status()
            graph = Graph().parse(data=response.text or " ", format="nt")
            if len(graph):
                found[name] = graph
        return found


def check_http(suite: Path, endpoint: Endpoint, case: UpdateCase) -> str | None:
    """Run one test over HTTP (see the module docstring); None if it passed."""
    endpoint.reset()
    for name, url in case.before:
        if name == DEFAULT:
            return "set-up: the test needs its own default graph; the server's is derived from the named graphs"
        response = endpoint.session.put(endpoint.root + "/store", params={"graph": name}, timeout=60,
                                        data=local_path(suite, url).read_bytes(),
                                        headers={**endpoint.auth, "Content-Type": _format(url).media_type})
        if response.status_code >= 300:
            return f"set-up: PUT <{name}> answered {response.status_code}: {response.text[:200]}"
    response = endpoint.session.post(endpoint.root + "/sparql", data=case.update().encode("utf-8"), timeout=120,
                                     headers={**endpoint.auth, "Content-Type": "application/sparql-update"})
    if case.kind == "negative syntax":
        return None if response.status_code == 400 else f"HTTP {response.status_code}, not 400: {response.text[:200]}"
    if response.status_code >= 300:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    if case.kind == "positive syntax":
        return None
    return dataset_mismatch(expected_dataset(suite, case.after), endpoint.dataset())


def empty_store(root: Path) -> Path:
    """A store directory with one empty version, for `kommunalgraph serve --store`."""
    from graph.store.versions import VersionedStore

    store = VersionedStore(root)
    with store.writer() as version:
        version.add_graph(ox.NamedNode(BASE + "empty-dataset"))
    return root


@dataclass
class UpdateReport:
    """Which update tests passed in-process and over HTTP, and why the others failed."""

    cases: list[UpdateCase]
    in_process: dict[str, str | None]
    http: dict[str, str | None]
    protocol: dict[str, str | None]       # the protocol tests, over HTTP only

    def table(self) -> str:
        """Pass counts per kind of test and in total, for both paths."""
        lines = [f"{'update tests':<20}{'tests':>6}{'in-process':>17}{'HTTP':>17}"]
        groups = {kind: {c.id for c in self.cases if c.kind == kind}
                  for kind in ("evaluation", "positive syntax", "negative syntax")}
        groups["total"] = {c.id for c in self.cases}
        for label, ids in groups.items():
            cells = [f"{sum(1 for t in ids if results[t] is None)}" for results in (self.in_process, self.http)]
            lines.append(f"{label:<20}{len(ids):>6}{cells[0]:>17}{cells[1]:>17}")
        passed = sum(1 for why in self.protocol.values() if why is None)
        lines.append(f"{'protocol tests':<20}{len(self.protocol):>6}{'-':>17}{passed:>17}")
        return "\n".join(lines)

    def failures(self) -> str:
        """Each test that fails over HTTP, with why."""
        parts = []
        for label, results in (("Update", self.http), ("Protocol", self.protocol)):
            failed = sorted(t for t, why in results.items() if why is not None)
            parts.append(f"{label} tests failed over HTTP ({len(failed)}):"
                         + "".join(f"\n  {t}: {results[t]}" for t in failed))
        return "\n".join(parts)


def run_updates(suite: Path, workdir: Path, token: str = "w3c-writer-token-0123456789") -> UpdateReport:
    """Run every update test in-process and, with the protocol tests, against `kommunalgraph serve
    --store` with a write token."""
    from .w3c_protocol import run_protocol
    from .w3c_sparql import serving

    cases = read_update_suite(suite)
    in_process = {case.id: check_in_process(suite, case) for case in cases}
    store = empty_store(workdir / "update-store")
    http = {}
    with serving(None, workdir / "update-serve.log", args=("--store", str(store)),
                 env={"KG_WRITE_TOKENS": f"w3c:{token}"}) as url, requests.Session() as session:
        endpoint = Endpoint(session, url.removesuffix("/sparql"), token)
        for case in cases:
            http[case.id] = check_http(suite, endpoint, case)
        protocol = run_protocol(suite, endpoint)
    return UpdateReport(cases, in_process, http, protocol)
