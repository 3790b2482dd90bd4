"""The versioned store: a failed write keeps the old version; backup and restore round-trip."""

from __future__ import annotations

import io
import os
import subprocess

import pyoxigraph as ox
import pytest

from graph.errors import StoreError
from graph.store import uploads
from graph.store.version_handles import open_version
from graph.store.versions import KEEP_VERSIONS, VersionedStore

EX = "http://example.org/"


def quad(n: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(EX + "p"), ox.Literal(n))


def test_empty_store_says_how_to_fill_it(tmp_path):
    with pytest.raises(StoreError, match="kommunalgraph build"):
        VersionedStore(tmp_path / "store").open_read()


def test_write_publishes_and_failed_write_keeps_the_old_version(tmp_path):
    store = VersionedStore(tmp_path / "store")
    with store.writer() as version:
        version.add(quad(1))
    first = store.current()
    with pytest.raises(RuntimeError):
        with store.writer(from_current=True) as version:
            version.add(quad(2))
            raise RuntimeError("crash in the middle of a write")
    assert store.current() == first
    assert len(store.open_read()) == 1
    assert not list(store.versions.glob(".tmp-*"))


def test_a_version_with_its_tables_gone_is_a_store_error_not_an_engine_crash(tmp_path):
    """Half removed (tables gone, manifest left), the engine reports corruption; readers get a StoreError (503)."""
    store = VersionedStore(tmp_path / "store")
    with store.writer() as version:
        version.add(quad(1))
    tables = list(store.current_path().glob("*.sst"))
    assert tables
    for table in tables:
        table.unlink()
    with pytest.raises(StoreError, match="damaged or being removed"):
        open_version(store.current_path())


def test_copy_on_write_versions_are_independent(tmp_path):
    store = VersionedStore(tmp_path / "store")
    with store.writer() as version:
        version.add(quad(1))
    reader = store.open_read()
    with store.writer(from_current=True) as version:
        version.add(quad(2))
    assert len(reader) == 1, "a reader keeps the version it opened"
    assert len(store.open_read()) == 2


def test_handle_is_closed_after_the_block(tmp_path):
    store = VersionedStore(tmp_path / "store")
    with store.writer() as version:
        version.add(quad(1))
    with pytest.raises(StoreError, match="closed"):
        version.add(quad(2))


class RecordingSink:
    """Notes what a version's release hands over, and when."""

    def __init__(self, store, fail_in: str | None = None):
        self.store, self.fail_in, self.calls = store, fail_in, []

    def take(self, graph, lines):
        self.calls.append(("take", graph, len(lines), lines == sorted(lines), self.store.current()))
        if self.fail_in == "take":
            raise StoreError("the disk is full")

    def close(self):
        self.calls.append(("close", self.store.current()))
        if self.fail_in == "close":
            raise StoreError("the disk is full")

    def abandon(self):
        self.calls.append(("abandon",))


def test_a_lines_sink_gets_every_graph_sorted_before_the_switch(tmp_path):
    store = VersionedStore(tmp_path / "store")
    sink = RecordingSink(store)
    with store.writer() as version:
        version.add(quad(1))
        version.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal(2), ox.NamedNode(EX + "g")))
        version.add(ox.Quad(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal(3), ox.NamedNode(EX + "g")))
        version.lines_sink = sink
    # The default graph first, every graph's lines sorted, all of it while the store still pointed at no version.
    assert sink.calls == [("take", "", 1, True, None), ("take", EX + "g", 2, True, None), ("close", None)]
    assert store.current() is not None


@pytest.mark.parametrize("fail_in, last_call", [("take", "abandon"), ("close", "close")])
def test_a_sink_that_fails_publishes_nothing(tmp_path, fail_in, last_call):
    store = VersionedStore(tmp_path / "store")
    with store.writer() as version:
        version.add(quad(1))
    first, releases = store.current(), sorted(p.name for p in (store.root / "releases").iterdir())
    sink = RecordingSink(store, fail_in)
    with pytest.raises(StoreError, match="disk is full"):
        with store.writer(from_current=True) as version:
            version.add(quad(2))
            version.lines_sink = sink
    assert sink.calls[-1][0] == last_call
    assert store.current() == first and len(store.open_read()) == 1
    assert not list(store.versions.glob(".tmp-*"))
    assert sorted(p.name for p in (store.root / "releases").iterdir()) == releases


def test_a_group_of_sinks_closes_every_sink_before_it_raises_the_first_failure(tmp_path):
    # A build's dumps and its search index take the release together: one failing must not leave the other open.
    from graph.store.version_handles import SinkGroup

    store = VersionedStore(tmp_path / "store")
    failing, healthy = RecordingSink(store, "close"), RecordingSink(store)
    with pytest.raises(StoreError, match="disk is full"):
        with store.writer() as version:
            version.add(quad(1))
            version.lines_sink = SinkGroup(failing, healthy)
    assert [call[0] for call in failing.calls] == ["take", "close"]
    assert [call[0] for call in healthy.calls] == ["take", "close"]
    assert store.current() is None and not list(store.versions.glob(".tmp-*"))
    taking = RecordingSink(store, "take")
    with pytest.raises(StoreError, match="disk is full"):
        with store.writer() as version:
            version.add(quad(1))
            version.lines_sink = SinkGroup(healthy, taking)
    assert healthy.calls[-1] == ("abandon",) and taking.calls[-1] == ("abandon",)
    assert store.current() is None


def test_old_versions_are_pruned(tmp_path):
    store = VersionedStore(tmp_path / "store")
    for n in range(KEEP_VERSIONS + 3):
        with store.writer(from_current=True) as version:
            version.add(quad(n))
    assert len([p for p in store.versions.iterdir() if p.is_dir()]) == KEEP_VERSIONS
    assert len(store.open_read()) == KEEP_VERSIONS + 3


def test_a_writer_may_leave_pruning_to_later(tmp_path):
    # The write worker removes old versions after it has answered, not inside the write.
    store = VersionedStore(tmp_path / "store")
    for n in range(KEEP_VERSIONS + 2):
        with store.writer(from_current=True, prune=False) as version:
            version.add(quad(n))
    assert len([p for p in store.versions.iterdir() if p.is_dir()]) == KEEP_VERSIONS + 2
    current = store.current()
    store.prune()
    assert len([p for p in store.versions.iterdir() if p.is_dir()]) == KEEP_VERSIONS
    assert store.current() == current and len(store.open_read()) == KEEP_VERSIONS + 2


def test_backup_and_restore_round_trip(tmp_path):
    store = VersionedStore(tmp_path / "store")
    with store.writer() as version:
        version.extend([quad(1), quad(2)])
    store.backup(tmp_path / "backup")
    with store.writer() as version:
        version.add(quad(9))
    store.restore(tmp_path / "backup")
    assert sorted(q.object.value for q in store.open_read()) == ["1", "2"]


def test_backup_refuses_an_existing_target(tmp_path):
    store = VersionedStore(tmp_path / "store")
    with store.writer() as version:
        version.add(quad(1))
    (tmp_path / "exists").mkdir()
    with pytest.raises(StoreError, match="already exists"):
        store.backup(tmp_path / "exists")


def test_restore_from_something_that_is_not_a_backup(tmp_path):
    (tmp_path / "junk").mkdir()
    with pytest.raises(StoreError):
        VersionedStore(tmp_path / "store").restore(tmp_path / "junk")


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_an_upload_is_spooled_in_the_store_and_named_after_its_server_process(tmp_path):
    path = uploads.spool(io.BytesIO(b"<http://ex/a> <http://ex/b> <http://ex/c> ."), tmp_path)
    assert path.parent == tmp_path / "uploads" and path.name.startswith(f"{os.getpid()}-")
    assert path.read_bytes().startswith(b"<http://ex/a>")


def test_orphaned_uploads_are_removed_and_uploads_in_flight_kept(tmp_path):
    folder = uploads.folder(tmp_path)
    folder.mkdir()
    orphan = folder / f"{dead_pid()}-abc.upload"
    in_flight = folder / f"{os.getppid()}-def.upload"   # a live process other than ours
    strange = folder / "not-from-a-server"
    for path in (orphan, in_flight, strange):
        path.write_bytes(b"x")
    assert sorted(uploads.remove_orphans(tmp_path)) == sorted([orphan.name, strange.name])
    assert [p.name for p in folder.iterdir()] == [in_flight.name]
    assert uploads.remove_orphans(tmp_path / "no-store-yet") == []


def test_an_upload_that_cannot_be_spooled_is_a_store_error_and_leaves_no_file(tmp_path):
    (tmp_path / "uploads").write_text("a file where the folder belongs")
    with pytest.raises(StoreError, match="uploads"):
        uploads.spool(io.BytesIO(b"x"), tmp_path)

    class Broken(io.BytesIO):
        def read(self, *args):
            raise OSError(28, "No space left on device")

    with pytest.raises(StoreError, match="full"):
        uploads.spool(Broken(), tmp_path / "other")
    assert not list((tmp_path / "other" / "uploads").iterdir())
