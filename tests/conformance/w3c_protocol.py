"""The W3C SPARQL 1.1 Protocol tests: scripted HTTP exchanges, sent to `kommunalgraph serve` with a
write token (issue 11).

Each test's requests are sent in order, as the manifest writes them, to the server's /sparql
(the manifest's paths start with /sparql/, which stands for whatever endpoint is tested). Before
a test, the server is reset and the test's named graphs are put through the Graph Store Protocol.
A response passes if its status is in an expected class and, where the test says, its format and
boolean answer are the expected ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import requests
from rdflib import RDF, RDFS, Graph, Namespace

from .manifest import DAWGT, MF, local_path, manifest_entries
from .w3c_update import UT, Endpoint, _format

HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
FORMATS = {"boolean": "results", "tabular": "results", "RDF": "graph"}


@dataclass(frozen=True)
class Exchange:
    """One request of a protocol test and what its response must be."""

    method: str
    path: str                              # after the endpoint, e.g. "?query=..."
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[int]               # expected status classes: 2, 3, 4, 5
    form: str | None = None                # "boolean", "tabular" or "RDF"
    boolean: bool | None = None


@dataclass(frozen=True)
class ProtocolCase:
    """One protocol test: the named graphs it needs and its exchanges."""

    id: str
    graphs: tuple[tuple[str, str], ...]    # (graph IRI, file URL)
    exchanges: tuple[Exchange, ...]


def read_protocol_suite(suite: Path) -> list[ProtocolCase]:
    """Every approved protocol test, in manifest order."""
    cases = []
    for graph, test, test_id in manifest_entries(suite):
        if graph.value(test, RDF.type) != MF.ProtocolTest or \
                graph.value(test, DAWGT.approval) in (DAWGT.Withdrawn, DAWGT.Rejected):
            continue
        graphs = tuple(sorted((str(graph.value(item, RDFS.label)), str(graph.value(item, UT.graph)))
                              for item in graph.objects(test, UT.graphData)))
        action = graph.value(test, MF.action)
        exchanges = tuple(_exchange(graph, request) for request in graph.items(graph.value(action, HT.requests)))
        cases.append(ProtocolCase(test_id, graphs, exchanges))
    return cases


def _exchange(graph: Graph, request) -> Exchange:
    headers = []
    for header in graph.items(graph.value(request, HT.headers)) if graph.value(request, HT.headers) else ():
        headers.append((str(graph.value(header, HT.fieldName)), str(graph.value(header, HT.fieldValue))))
    body = graph.value(request, HT.body)
    data = None
    if body is not None:
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        data = str(graph.value(body, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    statuses = frozenset(int(str(code).rsplit("StatusCode", 1)[1][0])
                         for code in graph.objects(response, MF.expectedStatus))
    form = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    path = str(graph.value(request, HT.absolutePath)).removeprefix("/sparql/")
    return Exchange(str(graph.value(request, HT.methodName)), path, tuple(headers), data, statuses,
                    str(form) if form is not None else None, boolean.toPython() if boolean is not None else None)


def check(suite: Path, endpoint: Endpoint, case: ProtocolCase) -> str | None:
    """Run one protocol test; None if every response was as expected, else the first that was not."""
    endpoint.reset()
    for name, url in case.graphs:
        response = endpoint.session.put(endpoint.root + "/store", params={"graph": name}, timeout=60,
                                        data=local_path(suite, url).read_bytes(),
                                        headers={**endpoint.auth, "Content-Type": _format(url).media_type})
        if response.status_code >= 300:
            return f"set-up: PUT <{name}> answered {response.status_code}: {response.text[:200]}"
    for number, exchange in enumerate(case.exchanges, 1):
        # requests would add a form Content-Type of its own to a body without one; the tests of a
        # missing Content-Type need none, so the body goes as bytes with exactly the given headers.
        response = endpoint.session.request(exchange.method, endpoint.root + "/sparql" + exchange.path,
                                            data=exchange.body, headers={**endpoint.auth, **dict(exchange.headers)},
                                            timeout=60, allow_redirects=False)
        problem = _response_problem(exchange, response)
        if problem:
            return f"request {number} ({exchange.method}): {problem}"
    return None


def _response_problem(exchange: Exchange, response: requests.Response) -> str | None:
    if response.status_code // 100 not in exchange.statuses:
        wanted = " or ".join(f"{n}xx" for n in sorted(exchange.statuses))
        return f"HTTP {response.status_code}, not {wanted}: {response.text[:200]}"
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if exchange.form is None:
        return None
    results = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
    graph = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if FORMATS[exchange.form] == "graph":
        return None if graph is not None else f"expected RDF, got {media_type or 'no Content-Type'}"
    if results is None:
        return f"expected {exchange.form} results, got {media_type or 'no Content-Type'}"
    answer = ox.parse_query_results(response.content, format=results)
    if exchange.form == "boolean" and not isinstance(answer, ox.QueryBoolean):
        return "expected a boolean result"
    if exchange.form == "tabular" and not isinstance(answer, ox.QuerySolutions):
        return "expected a table of solutions"
    if exchange.boolean is not None and bool(answer) != exchange.boolean:
        return f"expected {str(exchange.boolean).lower()}, got {str(bool(answer)).lower()}"
    return None


def run_protocol(suite: Path, endpoint: Endpoint) -> dict[str, str | None]:
    """Every protocol test against `endpoint`: test id -> None if passed, else why not."""
    return {case.id: check(suite, endpoint, case) for case in read_protocol_suite(suite)}
