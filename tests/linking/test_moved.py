"""IRIs that moved keep answering (data/links/moved.yaml): a 301 to the new IRI, never to an empty
page, and a malformed file is a clear problem that publishes nothing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from graph.build.pipeline import Sources, build
from graph.cli.group import make_cli
from graph.errors import RecordError
from graph.iri import Minter
from graph.linking.moved import MOVED_FILE, load_moved, redirects_to_known
from graph.store.versions import VersionedStore
from tests.helpers import BASE_IRI, ROOT

RECORD = """
report: {id: bericht-a, title: Bericht A, publisher: "Beispiel Digital"}
events:
  - type: Workshop
    title: Digitalwerkstatt A
    date: "2023-05-04"
    status: held
    municipality: {name: Achern, ags: "08317001"}
"""
ENTRY = '  - {kind: organisation, from: %s, to: %s, since: "2026-12-03", why: outlet dropped}\n'
MINTER = Minter(BASE_IRI)


def write_links(folder, *entries: tuple[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MOVED_FILE).write_text("moved:\n" + "".join(ENTRY % pair for pair in entries), "utf-8")


def organisation(key: str) -> URIRef:
    return MINTER.thing("organisation", key)


def test_entries_become_redirects_and_no_file_is_no_redirect(tmp_path):
    assert len(load_moved(tmp_path, MINTER)) == 0
    write_links(tmp_path, ("beispiel-digital-presse", "beispiel-digital"), ("alt", "neu"))
    graph = load_moved(tmp_path, MINTER)
    assert set(graph) == {(organisation("beispiel-digital-presse"), DCTERMS.isReplacedBy, organisation("beispiel-digital")),
                          (organisation("alt"), DCTERMS.isReplacedBy, organisation("neu"))}


def test_only_redirects_from_a_vanished_iri_to_a_resource_of_the_build_are_kept():
    moved = Graph()
    for old, new in (("gone", "here"), ("gone-too", "missing"), ("back-again", "here")):
        moved.add((organisation(old), DCTERMS.isReplacedBy, organisation(new)))
    kept = redirects_to_known(moved, {organisation("here"), organisation("back-again")})
    assert set(kept.subjects()) == {organisation("gone")}


@pytest.mark.parametrize("text, field, message", [
    ("moved: [\n", None, "not valid YAML"),
    ("links: []\n", None, "needs a list 'moved'"),
    ("moved:\n  - just a string\n", "moved[0]", "must be a mapping"),
    ('moved:\n  - {kind: town, from: a, to: b, since: "2026-12-03", why: x}\n', "moved[0].kind", "kind must be one of"),
    ('moved:\n  - {kind: organisation, from: "A B", to: b, since: "2026-12-03", why: x}\n', "moved[0].from", "IRI key"),
    ('moved:\n  - {kind: organisation, from: a, to: a, since: "2026-12-03", why: x}\n', "moved[0]", "cannot move to itself"),
    ('moved:\n  - {kind: organisation, from: a, to: b, since: gestern, why: x}\n', "moved[0].since", "YYYY-MM-DD"),
    ('moved:\n  - {kind: organisation, from: a, to: b, since: "2026-12-03"}\n', "moved[0].why", "why is missing"),
    ('moved:\n  - {kind: organisation, from: a, to: b, since: "2026-12-03", why: x}\n'
     '  - {kind: organisation, from: a, to: c, since: "2026-12-03", why: y}\n', "moved[1].from", "another target"),
])
def test_a_malformed_file_names_the_entry_and_field(tmp_path, text, field, message):
    (tmp_path / MOVED_FILE).write_text(text, "utf-8")
    with pytest.raises(RecordError) as raised:
        load_moved(tmp_path, MINTER)
    [problem] = raised.value.problems
    assert message in problem.english and problem.field == field and problem.german


def test_the_old_iri_answers_301_to_the_organisation(tmp_path, make_app):
    records, links = tmp_path / "records", tmp_path / "links"
    records.mkdir()
    (records / "bericht-a.yaml").write_text(RECORD, "utf-8")
    write_links(links, ("beispiel-digital-presse", "beispiel-digital"), ("nirgends-alt", "nirgends"))
    store = VersionedStore(tmp_path / "store")
    build(store, Sources(records=records, links=links), BASE_IRI, owl=False)
    client = make_app(STORE=str(store.root)).test_client()
    moved = client.get("/kommunalgraph/id/organisation/beispiel-digital-presse", headers={"Accept": "text/html"})
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/kommunalgraph/id/organisation/beispiel-digital")
    # An entry whose new IRI no record describes is not asserted: no redirect to an empty page.
    assert client.get("/kommunalgraph/id/organisation/nirgends-alt", headers={"Accept": "text/html"}).status_code == 404


def test_a_malformed_file_stops_validate_and_build_with_exit_1_and_publishes_nothing(tmp_path):
    records, links = tmp_path / "records", tmp_path / "links"
    records.mkdir()
    (records / "bericht-a.yaml").write_text(RECORD, "utf-8")
    links.mkdir()
    (links / MOVED_FILE).write_text('moved:\n  - {kind: organisation, from: a, to: a, since: "2026-12-03", why: x}\n')
    runner = CliRunner()
    for command in (["validate"], ["build", "--store", str(tmp_path / "store")]):
        done = runner.invoke(make_cli(), [*command, "--records", str(records), "--links", str(links)])
        assert done.exit_code == 1, done.output
        assert "cannot move to itself" in done.output or "kann nicht auf sich selbst" in done.output
        assert "Traceback" not in done.output
    assert VersionedStore(tmp_path / "store").current() is None


def test_the_checked_in_file_is_well_formed():
    graph = load_moved(ROOT / "data" / "links", MINTER)
    assert len(graph) >= 30
    assert all(str(new).startswith(f"{BASE_IRI}id/organisation/") for new in graph.objects())
