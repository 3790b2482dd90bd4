"""Issue 15: every published version is a release with its exact diff (RDF Patch); `kommunalgraph diff`."""

from __future__ import annotations

import gzip
import shutil
import subprocess

import pytest

from graph.build.pipeline import Sources, build
from graph.publish.dumps import dumps_root, write_dumps
from graph.store import releases as log
from graph.store.versions import VersionedStore
from graph.writes.gate import WriteGate
from tests.conftest import BASE_IRI, KOMMUNALGRAPH, workshop_update


def dump_lines(path) -> set[bytes]:
    with gzip.open(path, "rb") as handle:
        return set(handle.read().splitlines())


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Two builds and three gated writes on a new store; the first build's N-Quads dump kept aside."""
    root = tmp_path_factory.mktemp("releases") / "store"
    store = VersionedStore(root)
    build(store, Sources(), BASE_IRI)
    first = tmp_path_factory.mktemp("first") / "kommunalgraph.nq.gz"
    shutil.copy(dumps_root(store) / store.current() / "kommunalgraph.nq.gz", first)
    build(store, Sources(), BASE_IRI)
    gate = WriteGate(store)
    gate.update(workshop_update("r1"), "alice")
    gate.update(workshop_update("r2"), "bob")
    label = f"<{BASE_IRI}id/workshop/r1> <http://www.w3.org/2000/01/rdf-schema#label>"
    gate.update(f"DELETE DATA {{ GRAPH <{BASE_IRI}graph/report/test> {{ {label} \"Werkstatt r1\"@de }} }} ; "
                f"INSERT DATA {{ GRAPH <{BASE_IRI}graph/report/test> {{ {label} \"Werkstatt Eins\"@de }} }}", "alice")
    write_dumps(store)
    return store, first


def test_five_versions_make_five_numbered_releases_with_their_cause(history):
    store, _ = history
    found = log.list_releases(store.root)
    assert [r.seq for r in found] == [1, 2, 3, 4, 5]
    assert [r.cause["kind"] for r in found] == ["build", "build", "write", "write", "write"]
    assert [r.cause.get("who") for r in found[2:]] == ["alice", "bob", "alice"]
    assert found[-1].version == store.current()
    assert [r.previous for r in found[1:]] == [r.version for r in found[:-1]] and found[0].previous is None


def test_patches_applied_in_order_to_the_first_dump_give_the_last_dump(history):
    store, first = history
    state = dump_lines(first)
    found = log.list_releases(store.root)
    assert state == set(log.read_patch(log.patch_path(store.root, found[0]))[0])  # release 1 adds it all
    for release in found[1:]:
        added, removed = log.read_patch(log.patch_path(store.root, release))
        assert set(removed) <= state and not set(added) & state, "a patch applies to exactly its predecessor"
        state = (state - set(removed)) | set(added)
    assert state == dump_lines(dumps_root(store) / store.current() / "kommunalgraph.nq.gz")


def test_summary_names_what_changed(history):
    store, _ = history
    found = log.list_releases(store.root)
    workshop = "https://w3id.org/kommunalgraph/ontology#Workshop"
    assert found[2].summary[workshop]["new"] == 1 and found[3].summary[workshop]["new"] == 1
    assert found[4].summary == {workshop: {"new": 0, "changed": 1, "removed": 0}}
    assert found[4].graphs[BASE_IRI + "graph/report/test"] == {"added": 1, "removed": 1}


def test_net_change_across_releases_and_backwards(history):
    store, _ = history
    found = log.list_releases(store.root)
    added, removed = log.net_change(store.root, found[1], found[4])
    back_added, back_removed = log.net_change(store.root, found[4], found[1])
    assert added and (added, removed) == (back_removed, back_added)
    label = f"<{BASE_IRI}id/workshop/r1> <http://www.w3.org/2000/01/rdf-schema#label>".encode()
    assert not any(line.startswith(label) and b"Werkstatt r1" in line for line in added), \
        "added by release 3, removed by 5: no net change"


def run(*args):
    return subprocess.run([KOMMUNALGRAPH, *args], capture_output=True, text=True, timeout=120)


def test_diff_command_prints_the_summary(history):
    store, _ = history
    done = run("diff", "2", "4", "--store", str(store.root))
    assert done.returncode == 0, done.stderr
    assert "2 Workshop neu" in done.stdout and "2 Workshop new" in done.stdout
    assert f"{BASE_IRI}graph/report/test: +" in done.stdout


def test_diff_command_patch_is_the_net_change(history):
    store, _ = history
    done = run("diff", "4", "5", "--store", str(store.root), "--patch")
    assert done.returncode == 0, done.stderr
    removed = [line for line in done.stdout.splitlines() if line.startswith("D ")]
    assert [line for line in removed if "/graph/report/test>" in line] and all("Werkstatt r1" in line for line in removed)


@pytest.mark.parametrize("start, end, name", [("1", "99", "99"), ("v123", "2", "v123"), ("", "2", "")])
def test_diff_of_unknown_releases_is_a_clear_error(history, start, end, name):
    store, _ = history
    done = run("diff", start, end, "--store", str(store.root))
    assert done.returncode == 2
    assert f"no release '{name}'" in done.stderr and "Traceback" not in done.stderr


def test_diff_in_an_empty_store_is_a_clear_error(tmp_path):
    done = run("diff", "1", "2", "--store", str(tmp_path / "nothing"))
    assert done.returncode == 2 and "no release '1'" in done.stderr
