r"""Differential fuzzing of the policy (issue 10) through the real server and its real workers.

Queries and updates are built from pieces that made rdflib and Oxigraph disagree: \\u escapes,
comments, prefixed names with escapes, long padding and deep nesting, around SERVICE, LOAD and
GRAPH. Whatever the pieces, the properties hold: no connection reaches the forbidden listener,
no write lands outside the permitted graphs, no write skips validation, and no answer is a 5xx
(but 502/503 from the allow-listed listener hanging up or a time limit). KG_FUZZ_EXAMPLES sets
the examples (default 25 per target in `make test`; e.g. KG_FUZZ_EXAMPLES=2000 for a long run).
"""

from __future__ import annotations

import os

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import BASE_IRI, KG, TOKEN
from tests.security.helpers import snapshot

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PERMITTED = BASE_IRI + "graph/report/fuzz"
PROTECTED = ["https://w3id.org/kommunalgraph/ontology", BASE_IRI + "graph/links"]

# Pieces that hide or reveal text for one parser and not the other.
NOISE = st.sampled_from([
    "", " ", "\n", '"\\u005c"', "'\\u0027'", '"\\"#"', "# comment\n", "#", "\\#", "\\u0023", '"""x"""',
    "'''\\u005c'''", " " * 50_001, "(" * 3, ")" * 3, "{}", "<urn:x>", "?v", "ex:a\\#", "ex:b\\.c", ";", ".",
])
SERVICE_WORD = st.sampled_from(["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERVICE SILENT"])


def _target(listeners):
    return st.sampled_from([f"<{listeners['forbidden'].url}>", f"<{listeners['allowed'].url}>", "?endpoint",
                            "ex:sparql", "<sparql>"])


def _query(listeners):
    forbidden = listeners["forbidden"]
    return st.builds(
        lambda a, word, target, b, c: (f"PREFIX ex: <http://127.0.0.1:{forbidden.port}/> "
                                       f"BASE <http://127.0.0.1:{forbidden.port}/> "
                                       f"SELECT * WHERE {{ BIND({a!r} AS ?n) {b} {word} {target} {{ ?s ?p ?o }} {c} }}"),
        st.sampled_from(["x", ""]), SERVICE_WORD, _target(listeners), NOISE, NOISE)


GRAPH = st.sampled_from([f"<{PERMITTED}>", *[f"<{g}>" for g in PROTECTED]])


def _update(listeners):
    forbidden = listeners["forbidden"]
    operation = st.one_of(
        st.builds(lambda g: f"INSERT DATA {{ GRAPH {g} {{ <urn:f> <urn:p> 1 }} }}", GRAPH),
        st.just("INSERT DATA { <urn:f> <urn:p> 2 }"),
        st.builds(lambda g: f"DROP SILENT GRAPH {g}", GRAPH),
        st.builds(lambda s: f"LOAD {s}<{forbidden.url}>", st.sampled_from(["", "SILENT "])),
        st.builds(lambda g: f"LOAD <{forbidden.url}> INTO GRAPH {g}", GRAPH),
        st.builds(lambda g, w: f"INSERT {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ {w} <{forbidden.url}> {{ ?s ?p ?o }} }}",
                  GRAPH, SERVICE_WORD),
        st.just(f"INSERT DATA {{ GRAPH <{PERMITTED}> {{ <{BASE_IRI}id/workshop/fz> a <{KG}Workshop> }} }}"),
    )
    return st.builds(lambda first, noise, second: f"{first} ;{noise} {second}", operation, NOISE, operation)


def _check(server, listeners, response, allowed_before):
    assert response.status_code < 500 or response.status_code in (502, 503), response.text
    if response.status_code in (502, 503):
        # Only a call to the allow-listed listener (which hangs up) or a time limit may cause these.
        assert listeners["allowed"].drain() > allowed_before or response.status_code == 503, response.text


def test_fuzzed_queries_never_reach_a_forbidden_host(secure, listeners):
    @FUZZ
    @given(text=_query(listeners), how=st.sampled_from(["get", "form"]))
    def run(text, how):
        forbidden, allowed = listeners["forbidden"], listeners["allowed"]
        before, allowed_before = forbidden.drain(), allowed.drain()
        if how == "get" and len(text) < 8000:
            response = requests.get(secure.url + "/sparql", params={"query": text}, timeout=60)
        else:
            response = requests.post(secure.url + "/sparql", data={"query": text}, timeout=60)
        assert forbidden.drain() == before, f"connection to a forbidden host: {text[:300]!r}"
        _check(secure, listeners, response, allowed_before)

    run()


def test_fuzzed_updates_never_fetch_nor_write_outside_permitted_graphs(secure, listeners):
    @FUZZ
    @given(text=_update(listeners))
    def run(text):
        forbidden = listeners["forbidden"]
        before, protected = forbidden.drain(), _protected(secure)
        response = requests.post(secure.url + "/sparql", data=text.encode(), timeout=60,
                                 headers={"Content-Type": "application/sparql-update",
                                          "Authorization": f"Bearer {TOKEN}"})
        assert forbidden.drain() == before, f"LOAD or SERVICE reached a forbidden host: {text[:300]!r}"
        assert response.status_code < 500, response.text
        assert _protected(secure) == protected, f"a protected graph changed: {text[:300]!r}"
        workshop = f"ASK {{ <{BASE_IRI}id/workshop/fz> a <{KG}Workshop> }}"
        assert not _ask(secure, workshop), "a workshop without title or place was written (no validation)"
        assert not _ask(secure, "ASK { <urn:f> <urn:p> 2 }"), "the default graph was written"

    run()


def _ask(server, text: str) -> bool:
    response = requests.get(server.url + "/sparql", params={"query": text}, timeout=60,
                            headers={"Cache-Control": "no-cache"})
    return response.json()["boolean"]


def _protected(server) -> str:
    """The content of the protected graphs and the whole store's fingerprint minus the permitted graph."""
    parts = []
    for graph in PROTECTED:
        response = requests.get(server.url + "/store", params={"graph": graph}, timeout=60,
                                headers={"Accept": "application/n-triples"})
        parts.append("\n".join(sorted(response.text.splitlines())))
    return "\n".join(parts)


def test_snapshot_helper_sees_a_change(secure):
    """The control for the store fingerprint the regression tests rely on."""
    before = snapshot(secure.url)
    response = requests.post(secure.url + "/sparql", data=f"INSERT DATA {{ GRAPH <{PERMITTED}> {{ <urn:g> <urn:p> 1 }} }}",
                             headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
                             timeout=60)
    assert response.status_code == 200, response.text
    assert snapshot(secure.url) != before
