"""W3C SPARQL 1.1 query tests over HTTP: the server must pass every test plain pyoxigraph passes."""

from __future__ import annotations

import sys

import pytest

from tests.conformance.w3c_sparql import SUITE, Report, run

pytestmark = pytest.mark.skipif(
    not SUITE.is_dir(), reason="W3C SPARQL 1.1 suite not found at ../shared/w3c-sparql11 beside the repository")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Report:
    """Both runs of the suite: pyoxigraph in-process and `kommunalgraph serve` over HTTP."""
    return run(SUITE, tmp_path_factory.mktemp("w3c-sparql11"))


def test_http_loses_no_test_that_pyoxigraph_passes(report, capsys):
    """Section 5 of "first complete path": conformance is measured, not assumed."""
    with capsys.disabled():
        sys.stdout.write("\n" + report.text() + "\n")
    assert report.lost_over_http() == []


def test_the_measurement_is_not_vacuous(report):
    """Every kind of test ran, and pyoxigraph passes most of them, so the harness reads the suite right."""
    kinds = {case.kind for case in report.cases}
    assert kinds == {"evaluation", "positive syntax", "negative syntax"}
    assert len(report.passed(report.in_process)) >= 0.85 * len(report.cases)
