"""Issue 15: every published version is a release with its exact diff (RDF Patch); `kommunalgraph diff`."""

from __future__ import annotations

import gzip
import shutil
import subprocess

import pytest

from graph.publish.dumps import dumps_root
from graph.store import releases as log
from tests.helpers import BASE_IRI, KOMMUNALGRAPH


def dump_lines(path) -> set[bytes]:
    with gzip.open(path, "rb") as handle:
        return set(handle.read().splitlines())


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


def test_gzip_headers_name_no_file_and_carry_no_time(history):
    """Patches, states and dumps are written under staging names; a header naming them would bring that name
    back with `gunzip -N`. Like `gzip -n`: no name, mtime 0."""
    store, _ = history
    written = [*store.root.rglob("*.gz")]
    assert any(p.name.endswith(".rdfp.gz") for p in written) and any(p.name.endswith(".nq.gz") for p in written)
    for path in written:
        header = path.read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08", path
        assert header[3] & 0x08 == 0, f"{path.name}: the gzip header names a file"
        assert header[4:8] == b"\0\0\0\0", f"{path.name}: the gzip header carries a time"


def test_summary_names_what_changed(history):
    store, _ = history
    found = log.list_releases(store.root)
    workshop = "https://w3id.org/kommunalgraph/ontology#Workshop"
    assert found[2].summary[workshop]["new"] == 1 and found[3].summary[workshop]["new"] == 1
    assert found[4].summary == {workshop: {"new": 0, "changed": 1, "removed": 1}}
    assert found[4].graphs[BASE_IRI + "graph/report/test"] == {"added": 1, "removed": 8}


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
    ours = [line for line in removed if "/graph/report/test>" in line]
    assert len(ours) == 8 and sum("Werkstatt r1" in line for line in ours) == 1
    assert all("/workshop/r2>" in line for line in ours if "Werkstatt r1" not in line)


@pytest.mark.parametrize("start, end, name", [("1", "99", "99"), ("v123", "2", "v123"), ("", "2", "")])
def test_diff_of_unknown_releases_is_a_clear_error(history, start, end, name):
    store, _ = history
    done = run("diff", start, end, "--store", str(store.root))
    assert done.returncode == 2
    assert f"no release '{name}'" in done.stderr and "Traceback" not in done.stderr


def test_diff_in_an_empty_store_is_a_clear_error(tmp_path):
    done = run("diff", "1", "2", "--store", str(tmp_path / "nothing"))
    assert done.returncode == 2 and "no release '1'" in done.stderr


def test_releases_list_as_rdf_and_page(client, history):
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCTERMS

    store, _ = history
    from tests.web.conftest import rdf_graph

    graph = rdf_graph(client.get("/releases", headers={"Accept": "application/ld+json"}).data, "application/ld+json")
    versions = set(graph.objects(URIRef(BASE_IRI + "dataset"), URIRef("http://www.w3.org/ns/dcat#hasVersion")))
    assert versions == {URIRef(f"{BASE_IRI}release/{n}") for n in range(1, 6)}
    assert str(graph.value(URIRef(BASE_IRI + "release/5"), DCTERMS.identifier)) == store.current()
    turtle = Graph().parse(data=client.get("/releases.ttl").data, format="turtle")
    assert len(turtle) == len(graph)
    page = client.get("/releases", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert page.count('href="/releases/') >= 5 and "1 Workshop geändert, 1 Workshop entfernt" in page
    assert "Stand:" in page, "the as-of date in the footer"


def test_release_page_json_and_patch(client, history):
    store, _ = history
    body = client.get("/releases/5", headers={"Accept": "application/json"}).get_json()
    assert body["seq"] == 5 and body["summary"]["en"] == "1 Workshop changed, 1 Workshop removed"
    assert body["graphs"][BASE_IRI + "graph/report/test"] == {"added": 1, "removed": 8}
    page = client.get("/releases/5?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "1 Workshop changed" in page and "RDF Patch" in page
    with client.get("/releases/5.rdfp") as download:
        assert download.status_code == 200
        patch = gzip.decompress(download.data).decode()
    assert patch.startswith("H id <urn:kommunalgraph:version:") and "TX ." in patch and "Werkstatt Eins" in patch


@pytest.mark.parametrize("path", ["/releases/99", "/releases/0.rdfp", "/releases/5.pdf", "/releases/x"])
def test_unknown_release_is_404(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 404 and b"Traceback" not in response.data


def test_conditional_requests_answer_304(client):
    first = client.get("/releases", headers={"Accept": "text/turtle"})
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/releases", headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get("/releases/5", headers={"Accept": "application/json",
                                               "If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = client.get("/releases", headers={"Accept": "text/turtle", "If-None-Match": '"stale"'})
    assert other.status_code == 200


def test_catalogue_dates_come_from_the_releases(client, history):
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCTERMS

    from graph.publish.releases import release_time

    store, _ = history
    found = log.list_releases(store.root)
    graph = Graph().parse(data=client.get("/catalog.ttl").data, format="turtle")
    dataset = URIRef(BASE_IRI + "dataset")
    assert graph.value(dataset, DCTERMS.issued).toPython() == release_time(found[0])
    assert graph.value(dataset, DCTERMS.modified).toPython() == release_time(found[-1]).replace(microsecond=0)


def test_erasure_hook_removes_a_resource_from_every_patch_and_state(history, tmp_path):
    """The rewrite issue 14's suppression uses: after it, no stored history mentions the resource,
    and each release's count of feed members follows its states."""
    from graph.store.history import rewrite_history
    from graph.store.states import read

    store, _ = history
    copy = tmp_path / "store"
    shutil.copytree(store.root / "releases", copy / "releases")
    gone = f"<{BASE_IRI}id/workshop/r1>".encode()
    rewritten = rewrite_history(copy, lambda lines: lambda line: None if gone in line else line)
    found = log.list_releases(copy)
    assert len(rewritten) == 2 * len(found)
    before = {r.version: r.members for r in log.list_releases(store.root)}
    assert [before[r.version] - r.members for r in found] == [0, 0, 1, 0, 1]  # r1's members in releases 3 and 5
    for release in found:
        added, removed = log.read_patch(log.patch_path(copy, release))
        assert not any(gone in line for line in added + removed)
        assert all(resource.value != gone.decode()[1:-1] for resource, _ in read(log.states_path(copy, release)))
    # Other changes stay: release 4 still adds r2.
    added, _ = log.read_patch(log.patch_path(copy, found[3]))
    assert any(b"/workshop/r2>" in line for line in added)


def test_the_one_pass_states_of_a_large_release_equal_the_per_resource_states(history, tmp_path):
    """Builds that touch more than states.ONE_PASS_FROM resources read the store once; the states
    they write must be those the lookup per resource gives (on the seed, below that threshold)."""
    import pyoxigraph as ox

    from graph.store import states

    store, _ = history
    opened = store.open_read()
    resources = {q.subject.value for q in opened if isinstance(q.subject, ox.NamedNode)}
    assert len(resources) > 100
    index = states.lines_by_subject(opened, {})
    with_index, per_resource = tmp_path / "index.nq.gz", tmp_path / "lookups.nq.gz"
    assert states.write(with_index, resources, opened, index) == states.write(per_resource, resources, opened)
    assert list(states.read(with_index)) == list(states.read(per_resource))
    assert any(triples and any(isinstance(t.object, ox.BlankNode) for t in triples)
               for _, triples in states.read(with_index))  # blank nodes were followed
