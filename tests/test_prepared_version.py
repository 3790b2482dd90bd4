"""The next write's version, started after the write before has answered (graph/store/prepared.py)."""

from __future__ import annotations

import shutil

import pytest

from graph.errors import WriteRejected
from graph.store.versions import VersionedStore
from graph.writes.gate import WriteGate
from tests.helpers import BASE_IRI, KG, workshop_update
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
