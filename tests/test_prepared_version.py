"""The next write's version, started after the write before has answered (graph/store/prepared.py)."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from graph.errors import WriteRejected
from graph.store.versions import VersionedStore
from graph.writes.gate import WriteGate
from tests.helpers import BASE_IRI, KG, wait_until, workshop_update
from tests.test_writes import default_graph, recomputed_default


@pytest.fixture()
def gate(store_copy) -> WriteGate:
    return WriteGate(store_copy)


def prepared(store: VersionedStore) -> list[str]:
    return sorted(p.name for p in store.versions.glob(".tmp-*"))


def has_workshop(store: VersionedStore, name: str) -> bool:
    return store.open_read().query(f"ASK {{ <{BASE_IRI}id/workshop/{name}> a <{KG}Workshop> }}")


def test_a_write_takes_the_version_tidy_started_and_opens_nothing_more(gate, store_copy, monkeypatch):
    from graph.store import versions

    before = store_copy.current()
    gate.tidy()
    [started] = prepared(store_copy)
    opened = []
    monkeypatch.setattr(versions, "open_version", lambda path, real=versions.open_version: opened.append(path) or real(path))
    assert gate.update(workshop_update("ahead"), "alice").changed
    assert store_copy.current() == started.removeprefix(".tmp-")
    assert before not in [path.name for path in opened]   # the version written from was opened by tidy
    assert prepared(store_copy) == []
    store = store_copy.open_read()
    assert has_workshop(store_copy, "ahead")
    assert default_graph(store) == recomputed_default(store, gate.rules)


def test_a_version_published_by_another_writer_in_between_is_not_written_over(gate, store_copy):
    gate.tidy()
    # Another process (a second gate on the same directory) writes first; its writer removes our copy as stale.
    assert WriteGate(VersionedStore(store_copy.root)).update(workshop_update("other", BASE_IRI + "graph/report/other"),
                                                             "bob").changed
    assert gate.update(workshop_update("mine"), "alice").changed
    assert has_workshop(store_copy, "other") and has_workshop(store_copy, "mine")
    assert prepared(store_copy) == []


def test_a_prepared_version_removed_from_disk_is_made_again_by_the_write(gate, store_copy):
    gate.tidy()
    [started] = prepared(store_copy)
    shutil.rmtree(store_copy.versions / started)
    assert gate.update(workshop_update("again"), "alice").changed
    assert has_workshop(store_copy, "again") and prepared(store_copy) == []


def test_a_rejected_write_from_a_prepared_version_leaves_the_store_as_it_was(gate, store_copy):
    before = store_copy.current()
    gate.tidy()
    broken = f"INSERT DATA {{ GRAPH <{BASE_IRI}graph/report/broken> {{ <{BASE_IRI}id/workshop/x> a <{KG}Workshop> }} }}"
    with pytest.raises(WriteRejected):
        gate.update(broken, "alice")
    assert store_copy.current() == before and prepared(store_copy) == []
    gate.tidy()
    assert gate.update(workshop_update("after"), "alice").changed


def test_tidy_twice_keeps_one_prepared_version_and_close_removes_it(gate, store_copy):
    gate.tidy()
    first = prepared(store_copy)
    gate.tidy()
    assert prepared(store_copy) == first and len(first) == 1
    gate.close()
    assert prepared(store_copy) == []


def test_a_store_with_nothing_published_prepares_nothing(tmp_path):
    store = VersionedStore(tmp_path / "empty")
    store.prepare()
    assert prepared(store) == []


def test_a_small_write_is_published_with_its_log_and_every_copy_of_it_has_the_write(gate, store_copy, tmp_path):
    from graph.store.durable import log_bytes

    assert gate.update(workshop_update("logged"), "alice").changed
    assert log_bytes(store_copy.current_path()) > 0   # not flushed (FLUSH_FROM_BYTES)
    assert has_workshop(store_copy, "logged")          # a reader replays the log
    assert has_workshop(VersionedStore(store_copy.backup(tmp_path / "backup")), "logged")
    gate.tidy()   # the next write's copy replays it too
    assert gate.update(workshop_update("next"), "alice").changed
    assert has_workshop(store_copy, "logged") and has_workshop(store_copy, "next")


def test_a_write_with_a_large_log_is_flushed_before_it_is_published(gate, store_copy, tmp_path, monkeypatch):
    from graph.store import versions

    monkeypatch.setattr(versions, "FLUSH_FROM_BYTES", 0)
    assert gate.update(workshop_update("flushed"), "alice").changed
    # In table files: even Oxigraph's own backup of the version opened read-only (which leaves a log out) has it.
    store_copy.open_read().backup(str(tmp_path / "copy"))
    copy = ox.Store.read_only(str(tmp_path / "copy"))
    assert copy.query(f"ASK {{ <{BASE_IRI}id/workshop/flushed> a <{KG}Workshop> }}")


def test_a_new_write_worker_prepares_before_its_first_write_and_removes_the_copy_when_it_stops(store_copy):
    # The first write after a server starts must not pay for the copy either (graph/store/workers.py, serve).
    from graph.settings import current
    from graph.writes.worker import WriteWorker

    worker = WriteWorker(store_copy.root, current().shapes_dir, current().ontology_dir, timeout=60, queue_timeout=60,
                         use_sandbox=False)
    try:
        [started] = wait_until(lambda: prepared(store_copy), what="the worker's prepared version")
        result = worker.call("update", workshop_update("first"), "alice")
        assert result.changed
        assert store_copy.current() == started.removeprefix(".tmp-")
        assert has_workshop(store_copy, "first")
    finally:
        worker.close()
    assert prepared(store_copy) == []


def test_a_version_published_elsewhere_has_the_worker_prepare_from_it_before_the_next_write(store_copy):
    # A build or a second server publishes: the worker's copy of the old version would keep its files on disk.
    from graph.settings import current
    from graph.writes.worker import WriteWorker

    worker = WriteWorker(store_copy.root, current().shapes_dir, current().ontology_dir, timeout=60, queue_timeout=60,
                         use_sandbox=False, watch_seconds=0.05)
    try:
        [stale] = wait_until(lambda: prepared(store_copy), what="the worker's prepared version")
        assert WriteGate(VersionedStore(store_copy.root)).update(
            workshop_update("elsewhere", BASE_IRI + "graph/report/elsewhere"), "bob").changed
        # The other writer removed the stale copy from disk; the worker prepares from the new version unasked.
        [fresh] = wait_until(lambda: [p for p in prepared(store_copy) if p != stale],
                             what="a copy of the version published elsewhere")
        assert worker.call("update", workshop_update("next"), "alice").changed
        assert store_copy.current() == fresh.removeprefix(".tmp-")
        assert has_workshop(store_copy, "elsewhere") and has_workshop(store_copy, "next")
    finally:
        worker.close()
    assert prepared(store_copy) == []
