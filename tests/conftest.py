"""Shared fixtures: a store built from the seed records, the app over it with its test client and
CLI runner, and real servers on 127.0.0.1 for what needs a process. Plain helpers are in helpers.py."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from graph.build.pipeline import Sources, build
from graph.store.versions import VersionedStore
from server.app import create_app
from tests.helpers import BASE_IRI, KOMMUNALGRAPH, ROOT, LiveServer, free_port


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> VersionedStore:
    """A store built from the project's records, once per test session."""
    store = VersionedStore(tmp_path_factory.mktemp("seed") / "store")
    build(store, Sources(), BASE_IRI)
    return store


@pytest.fixture(scope="session")
def embedded_server(seed_store, tmp_path_factory) -> LiveServer:
    """The real server on 127.0.0.1 over the seed store (the embedded Oxigraph back end)."""
    live = LiveServer(["--store", str(seed_store.root)], log=tmp_path_factory.mktemp("server") / "server.log")
    live.backend = "embedded"
    yield live
    live.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A throwaway Virtuoso on 127.0.0.1 (Debian's virtuoso-opensource), or skip when it is not installed."""
    from tests.virtuoso import throwaway

    with throwaway(tmp_path_factory.mktemp("virtuoso"), free_port(), free_port()) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(seed_store, virtuoso, tmp_path_factory) -> LiveServer:
    """The real server over the remote back end: the seed store pushed into Virtuoso (issue 6)."""
    pushed = subprocess.run([KOMMUNALGRAPH, "push", "--store", str(seed_store.root), "--update-url", virtuoso.url,
                             "--default-graph", BASE_IRI + "graph/default"], capture_output=True, text=True)
    assert pushed.returncode == 0, pushed.stderr
    live = LiveServer([], env={"KG_BACKEND": "remote", "KG_REMOTE_QUERY_URL": virtuoso.url,
                               "KG_REMOTE_DEFAULT_GRAPH": BASE_IRI + "graph/default",
                               "KG_STORE": str(seed_store.root)},
                      log=tmp_path_factory.mktemp("server") / "server.log")
    live.backend = "virtuoso"
    yield live
    live.stop()


@pytest.fixture(scope="session")
def server(request) -> LiveServer:
    """The real server on 127.0.0.1 over the seed store; with KG_TEST_BACKEND=virtuoso, over the
    same data in a throwaway Virtuoso (the remote back end, issue 6)."""
    backend = os.environ.get("KG_TEST_BACKEND", "embedded")
    return request.getfixturevalue(f"{backend}_server")


@pytest.fixture(scope="session", params=["embedded", "virtuoso"])
def any_backend_server(request) -> LiveServer:
    """The real server over each back end in turn: tests of the query protocol and the named
    queries use it (as `server`) so both back ends pass the same tests; Virtuoso skips when absent."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture()
def records_copy(tmp_path) -> Path:
    """A writable copy of the project's records folder."""
    target = tmp_path / "records"
    target.mkdir()
    for path in (ROOT / "data" / "records").glob("*.yaml"):
        (target / path.name).write_text(path.read_text("utf-8"), "utf-8")
    return target


@pytest.fixture()
def store_copy(seed_store, tmp_path) -> VersionedStore:
    """A private copy of the seed store that a test may write to."""
    return VersionedStore(seed_store.backup(tmp_path / "store"))


@pytest.fixture(scope="session")
def app(seed_store):
    """The app over the seed store (read-only, one query worker), shared by the session: tests
    that use it only read. Tests that write or change settings build their own with create_app."""
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True})
    yield app
    app.extensions["kommunalgraph"].close()


@pytest.fixture()
def client(app):
    """Flask's test client for `app`: the HTTP layer without a process or a socket."""
    return app.test_client()


@pytest.fixture()
def runner(app):
    """Flask's CLI runner for `app`."""
    return app.test_cli_runner()


@pytest.fixture()
def make_app():
    """Build apps with settings of their own (`create_app(config)`); their workers stop after the test."""
    made = []

    def make(**config):
        app = create_app({"QUERY_WORKERS": 1, "TESTING": True, **config})
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["kommunalgraph"].close()


# -- the slow marker (issue 11) -----------------------------------------------------------------------
# Measured with `pytest --durations=80` on the shared two-core machine: tests (or their set-up) over
# ~5 s. `make test` runs them all; `make test-fast` leaves them out. Any test that starts Virtuoso or
# Chromium, or kills servers, is slow by what it does.
SLOW_MODULES = {
    "tests/test_faults.py", "tests/test_fuzz.py", "tests/test_remote_writes.py", "tests/test_w3c_sparql.py",
    "tests/test_w3c_update.py", "tests/linking/test_federation.py", "tests/extraction/test_end_to_end.py",
    "tests/extraction/test_cli.py", "tests/extraction/test_quality.py", "tests/extraction/test_fuzz_texts.py",
    "tests/web/test_browser.py",
}
SLOW_TESTS = {
    "tests/test_limits.py::test_a_runaway_query_is_stopped_within_the_limit_while_others_are_served",
    "tests/test_limits.py::test_stopping_the_server_stops_a_running_query",
    "tests/test_limits.py::test_rate_limiting_per_client_with_retry_after",
    "tests/test_limits.py::test_loopback_is_exempt_and_untrusted_forwarding_headers_are_ignored",
    "tests/test_limits.py::test_concurrent_queries_past_the_cap_get_503_with_retry_after",
    "tests/test_limits.py::test_a_result_past_the_size_cap_is_422",
    "tests/test_records_fast_path.py::test_what_the_fast_path_accepts_the_careful_path_accepts_alike",
    "tests/test_records_fast_path.py::test_both_schema_validators_give_the_same_verdict",
    "tests/test_records_fast_path.py::test_every_string_field_with_each_edge_string_is_judged_alike",
    "tests/test_shacl_engines.py::test_mutated_reports_are_judged_alike",
    "tests/test_cli.py::test_backup_and_restore_commands",
    "tests/test_cli.py::test_serve_refuses_missing_or_broken_files",
    "tests/test_cli.py::test_query_errors_exit_2_with_a_message",
    "tests/test_cli.py::test_serve_files_instead_of_the_store",
    "tests/test_cache.py::test_a_new_store_version_changes_the_etag",
    "tests/test_cache.py::test_named_queries_are_warmed_for_each_new_version",
    "tests/test_remote.py::test_a_write_to_a_remote_store_that_is_down_is_503_and_logged",
    "tests/test_writes.py::test_the_default_graph_matches_a_full_rebuild_after_mixed_writes",
    "tests/test_build.py::test_broken_record_exits_1_and_leaves_the_store_as_it_was",
    "tests/test_build.py::test_validate_checks_without_writing",
    "tests/test_write_http.py::test_a_runaway_update_is_stopped_at_the_write_time_limit",
    "tests/linking/test_link.py::test_enrichment_goes_to_its_own_graph_for_linked_items_only",
    "tests/web/test_metadata.py::test_build_writes_dumps_of_the_new_version_and_drops_those_of_pruned_versions",
}
SLOW_FIXTURES = {"virtuoso", "browser"}


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests (see SLOW_MODULES, SLOW_TESTS and SLOW_FIXTURES)."""
    for item in items:
        module, _, name = item.nodeid.partition("::")
        if (module in SLOW_MODULES or f"{module}::{name.split('[')[0]}" in SLOW_TESTS
                or SLOW_FIXTURES & set(item.fixturenames)):
            item.add_marker(pytest.mark.slow)
