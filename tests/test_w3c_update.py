"""W3C SPARQL 1.1 Update and Protocol tests against `kommunalgraph serve` with a write token (issue 11).

Every update test passes on plain pyoxigraph; over HTTP, the tests below are expected to fail, each
for the reason given. "by design" marks the server's write model (the default graph is derived
from the named graphs, writes are checked, nothing is fetched); "open" marks work still to do.
"""

from __future__ import annotations

import sys

import pytest

from tests.conformance.w3c_sparql import SUITE
from tests.conformance.w3c_update import UpdateReport, run_updates

pytestmark = [pytest.mark.skipif(
    not SUITE.is_dir(), reason="W3C SPARQL 1.1 suite not found at ../shared/w3c-sparql11 beside the repository")]

DEFAULT_DATA = "by design: the test starts from a default graph of its own; ours is derived from the named graphs"
DERIVED_DEFAULT = "by design: the default graph is the union of the named graphs (plus inference), not empty"
DEFAULT_READ_ONLY = "by design: the update writes the default graph, which writers cannot (403)"
NO_LOAD = "by design: LOAD is refused, the server does not fetch URLs (issue 10)"
RELATIVE_GRAPH = "open: relative graph IRIs in updates do not resolve against the endpoint's IRI yet"
NO_USING_PARAMS = "not implemented: the using-graph-uri / using-named-graph-uri protocol parameters (400)"
UPDATE_BASE = "open: relative IRIs in updates do not resolve against the endpoint's IRI yet"

EXPECTED_UPDATE_FAILURES = {
    **dict.fromkeys([
        "add/add01", "add/add02", "add/add03", "add/add04", "add/add05", "add/add06", "add/add07", "add/add08",
        "basic-update/insert-using-01", "basic-update/insert-where-01", "basic-update/insert-where-02",
        "basic-update/insert-where-03", "basic-update/insert-where-04", "basic-update/insert-where-same-bnode",
        "basic-update/insert-where-same-bnode2", "clear/dawg-clear-all-01", "clear/dawg-clear-default-01",
        "clear/dawg-clear-graph-01", "clear/dawg-clear-named-01", "copy/copy01", "copy/copy02", "copy/copy03",
        "copy/copy04", "copy/copy06", "copy/copy07", "delete-data/dawg-delete-data-01",
        "delete-data/dawg-delete-data-03", "delete-data/dawg-delete-data-05", "delete-data/dawg-delete-data-06",
        "delete-insert/dawg-delete-insert-01", "delete-insert/dawg-delete-insert-01b",
        "delete-insert/dawg-delete-insert-01c", "delete-insert/dawg-delete-insert-02",
        "delete-insert/dawg-delete-insert-04", "delete-insert/dawg-delete-insert-04b",
        "delete-insert/dawg-delete-insert-05b", "delete-insert/dawg-delete-insert-06b",
        "delete-insert/delete-insert-halloween-problem", "delete-where/dawg-delete-where-01",
        "delete-where/dawg-delete-where-03", "delete-where/dawg-delete-where-05",
        "delete-where/dawg-delete-where-06", "delete/dawg-delete-01", "delete/dawg-delete-03",
        "delete/dawg-delete-05", "delete/dawg-delete-06", "delete/dawg-delete-07",
        "delete/dawg-delete-using-01", "delete/dawg-delete-using-02a", "delete/dawg-delete-using-03",
        "delete/dawg-delete-using-04", "delete/dawg-delete-with-06", "drop/dawg-drop-all-01",
        "drop/dawg-drop-default-01", "drop/dawg-drop-graph-01", "drop/dawg-drop-named-01", "move/move01",
        "move/move02", "move/move03", "move/move04", "move/move06", "move/move07", "update-silent/clear-silent",
        "update-silent/drop-silent"
    ], DEFAULT_DATA),
    **dict.fromkeys([
        "basic-update/insert-05a", "basic-update/insert-data-same-bnode", "basic-update/insert-data-spo-named1",
        "basic-update/insert-data-spo-named2", "basic-update/insert-data-spo-named3",
        "delete-data/dawg-delete-data-02", "delete-data/dawg-delete-data-04",
        "delete-where/dawg-delete-where-02", "delete-where/dawg-delete-where-04", "delete/dawg-delete-02",
        "delete/dawg-delete-04", "delete/dawg-delete-using-05", "delete/dawg-delete-using-06a",
        "delete/dawg-delete-with-01", "delete/dawg-delete-with-02", "delete/dawg-delete-with-03",
        "delete/dawg-delete-with-04", "delete/dawg-delete-with-05", "update-silent/add-silent",
        "update-silent/copy-silent", "update-silent/create-silent", "update-silent/move-silent"
    ], DERIVED_DEFAULT),
    **dict.fromkeys([
        "basic-update/insert-data-spo1", "syntax-update-1/test_23", "syntax-update-1/test_25",
        "syntax-update-1/test_29", "syntax-update-1/test_31"
    ], DEFAULT_READ_ONLY),
    **dict.fromkeys([
        "syntax-update-1/test_1", "syntax-update-1/test_2", "syntax-update-1/test_3", "syntax-update-1/test_37",
        "syntax-update-1/test_4"
    ], NO_LOAD),
    **dict.fromkeys([
        "syntax-update-1/test_12", "syntax-update-1/test_13", "syntax-update-1/test_14",
        "syntax-update-1/test_18", "syntax-update-1/test_22", "syntax-update-1/test_24",
        "syntax-update-1/test_26", "syntax-update-1/test_28", "syntax-update-1/test_30",
        "syntax-update-1/test_36", "syntax-update-1/test_53", "syntax-update-1/test_8"
    ], RELATIVE_GRAPH),
}

EXPECTED_PROTOCOL_FAILURES = {
    **dict.fromkeys([
        "protocol/update_base_uri"
    ], UPDATE_BASE),
    **dict.fromkeys([
        "protocol/update_dataset_default_graph", "protocol/update_dataset_default_graphs",
        "protocol/update_dataset_full", "protocol/update_dataset_named_graphs"
    ], NO_USING_PARAMS),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> UpdateReport:
    """The update tests in-process and over HTTP, and the protocol tests over HTTP."""
    return run_updates(SUITE, tmp_path_factory.mktemp("w3c-update"))


def _unexpected(results: dict[str, str | None], expected: dict[str, str]) -> dict[str, str]:
    return {test: why for test, why in results.items() if why is not None and test not in expected}


def test_counts_are_printed_and_the_run_is_not_vacuous(report, capsys):
    with capsys.disabled():
        sys.stdout.write("\n" + report.table() + "\n")
    assert len(report.cases) == 157 and len(report.protocol) == 34
    assert all(why is None for why in report.in_process.values()), "plain pyoxigraph passes every update test"


def test_no_update_test_fails_but_the_expected_ones(report):
    assert _unexpected(report.http, EXPECTED_UPDATE_FAILURES) == {}
    assert set(EXPECTED_UPDATE_FAILURES) <= set(report.http), "every listed test exists in the suite"


def test_no_protocol_test_fails_but_the_expected_ones(report):
    assert _unexpected(report.protocol, EXPECTED_PROTOCOL_FAILURES) == {}
    assert set(EXPECTED_PROTOCOL_FAILURES) <= set(report.protocol), "every listed test exists in the suite"


def test_expected_failures_that_pass_now_are_reported(report, capsys):
    """A listed test that passes (say after the security branch's 403 for refused writes) is
    printed so its entry can go; it does not fail the run."""
    passing = sorted(t for t in EXPECTED_UPDATE_FAILURES if report.http.get(t) is None)
    passing += sorted(t for t in EXPECTED_PROTOCOL_FAILURES if report.protocol.get(t) is None)
    with capsys.disabled():
        sys.stdout.write(f"\nexpected to fail, passed: {', '.join(passing) or 'none'}\n")
    assert len(passing) < len(EXPECTED_UPDATE_FAILURES) + len(EXPECTED_PROTOCOL_FAILURES)
