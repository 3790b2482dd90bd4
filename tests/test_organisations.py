"""Issue 14, part 2: one resource per real organisation across reports. Spellings of one name join;
look-alike names go to the steward, whose decisions no later run changes; the published data has
neither duplicates nor conflations."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import RDFS, URIRef
from rdflib.namespace import DCTERMS

from graph.build.pipeline import Sources, build
from graph.cli.group import make_cli
from graph.iri import slug
from graph.linking.organisation_file import ORGANISATIONS_FILE, decisions
from graph.linking import organisations
from graph.linking.organisations import Organisation, key_of, look_alike, normalise, resolve
from graph.linking.persons import name_parts
from graph.records.gazetteer import load_gazetteer
from graph.records.annotations import publisher_name
from graph.store.versions import VersionedStore
from tests.helpers import BASE_IRI, ROOT

KG = "https://w3id.org/kommunalgraph/ontology#"
RECORD = """
report: {{id: {key}, title: Bericht {key}, publisher: "{publisher}"}}
events:
  - type: Workshop
    id: achern-digitalwerkstatt-{key}   # one event per report: the key alone (year, place, kind) would join them
    title: Digitalwerkstatt {key}
    date: "2023-05-04"
    status: held
    municipality: {{name: Achern, ags: "08317001"}}
    organisers: ["{organiser}"]
    talks:
      - title: Impuls {key}
        speakers:
          - {{name: Anna Schmidt {key}, organisation: "{organiser}", role: CDO}}
"""


def write_record(folder, key: str, publisher: str, organiser: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{key}.yaml").write_text(RECORD.format(key=key, publisher=publisher, organiser=organiser), "utf-8")


# -- the normalised name ----------------------------------------------------------------------------

@pytest.mark.parametrize("first, second", [
    ("aconium", "aconium GmbH"), ("Digitalagentur Thüringen", "Digitalagentur Thüringen GmbH"),
    ("Entwicklungsagentur Rheinland-Pfalz", "Entwicklungsagentur Rheinland-Pfalz e.V."),
    ("atene KOM GmbH", "ateneKOM GmbH"), ("DigitalBüro OWL", "Digitalbüro OWL"),
    ("Initiative D21 e. V.", "Initiative D21"), ("Muster GmbH & Co. KG", "Muster"),
    ("Kommunale IT-UNION eG", "Kommunale IT UNION"), ("Beispiel gGmbH", "Beispiel"),
    ("Wirtschaftsförderung mbH", "Wirtschaftsfoerderung"), ("Stiftung Straße AG", "Stiftung Strasse"),
    ("Zweckverband KdöR", "Zweckverband"), ("Europa SE", "Europa"), ("Gemeinnützige eV", "gemeinnuetzige")])
def test_spellings_of_one_name_normalise_alike(first, second):
    assert normalise(first) == normalise(second)


@pytest.mark.parametrize("first, second", [
    ("Digitale Dörfer Niedersachsen", "Digitale Dörfer Sachsen"), ("Digitale Dörfer", "Digitale Dörfer Niedersachsen"),
    ("Stadt Halle", "Stadt Halle (Westf.)"), ("Stadt Hattersheim", "Stadt Hattersheim am Main"),
    ("Detecon", "Detecon International"), ("Gemeindetag", "Gemeindetag Baden-Württemberg"),
    ("Gemeindetag", "Gemeindet"), ("Landkreistag", "Landkreist"), ("Kreisverband Eg", "Kreisverband Egge")])
def test_different_names_stay_different(first, second):
    """Parentheses stay, and a legal form counts only as a whole word at the end ("Gemeindetag" keeps its "ag")."""
    assert normalise(first) != normalise(second)


def test_the_key_is_the_first_slug_without_the_legal_form_and_a_name_of_one_spelling_keeps_its_iri():
    assert key_of(["atene KOM GmbH", "ateneKOM GmbH"]) == "atene-kom"
    assert key_of(["aconium GmbH"]) == "aconium"
    for name in ("Stadt Ulm", "Digitalakademie@bw", "Stadt Krumbach (Schwaben)", "City & Bits", "Gemeindetag"):
        assert key_of([name]) == slug(name), name


def groups(*names: str) -> dict[str, Organisation]:
    return {normalise(name): Organisation({name: ["r"]}) for name in names}


def test_look_alike_names_are_candidates_and_others_are_not():
    found = {(a, b) for a, b, _ in look_alike(groups(
        "Stadt Hattersheim", "Stadt Hattersheim am Main", "Fraunhofer IESE",
        "Fraunhofer-Institut für Experimentelles Software Engineering (IESE)", "Landkreis Cham", "Landkreis Hof",
        "VHS Schleswig-Holstein", "Ministerium für Inneres, ländliche Räume und Integration des Landes Schleswig-Holstein",
        "Kompetenzzentrum Stadtumbau Sachsen-Anhalt", "Kompetenzzentrums Stadtumbau Sachsen-Anhalt"))}
    assert found == {("stadthattersheim", "stadthattersheimammain"),
                     ("fraunhoferiese", "fraunhoferinstitutfuerexperimentellessoftwareengineeringiese"),
                     ("kompetenzzentrumsstadtumbausachsenanhalt", "kompetenzzentrumstadtumbausachsenanhalt")}


def test_a_misspelling_is_found_among_many_names_that_share_a_common_word():
    """With thousands of "Gemeinde …" names, the common word no longer pairs every name with every
    other (issue 13: that took most of a national build); the rarest word's ends still pair a misspelling."""
    towns = [f"Gemeinde Ort{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{i}" for i in range(organisations.COMMON * 4)]
    found = {(a, b) for a, b, _ in look_alike(groups(*towns, "Gemeinde Adelsried", "Gemeinde Adelsriedt",
                                                     "Gemeinde Rieden", "Gemeinde"))}
    assert ("gemeindeadelsried", "gemeindeadelsriedt") in found
    assert not any("gemeindeort" in a and "gemeindeort" in b for a, b in found)   # different towns are no question
    assert ("gemeinde", "gemeindeadelsried") in found   # a name that is a run of another's words still is


def test_decisions_join_and_keep_apart():
    names = {"Detecon": ["a"], "Detecon International": ["b"], "DETECON GmbH": ["c"], "Detecon Schweiz": ["d"]}
    undecided = resolve(names)
    assert undecided.keys["Detecon"] == undecided.keys["DETECON GmbH"] == "detecon"
    assert {c.key for c in undecided.open} == {frozenset({"detecon", "deteconinternational"}),
                                               frozenset({"detecon", "deteconschweiz"})}
    decided = resolve(names, {frozenset({"detecon", "deteconinternational"}): "same",
                              frozenset({"detecon", "deteconschweiz"}): "different"})
    assert decided.open == [] and decided.organisations == 2
    assert decided.keys["Detecon International"] == "detecon" and decided.keys["Detecon Schweiz"] == "detecon-schweiz"
    contradicted = resolve(names, {frozenset({"detecon", "deteconinternational"}): "same",
                                   frozenset({"deteconschweiz", "deteconinternational"}): "same",
                                   frozenset({"detecon", "deteconschweiz"}): "different"})
    assert contradicted.contradictions == [("DETECON GmbH", "Detecon Schweiz")]   # the first spelling of each


def test_a_publisher_with_an_outlet_in_parentheses_is_the_organisation_before_it():
    gazetteer = load_gazetteer(ROOT / "data" / "reference")
    assert publisher_name("Hansestadt Lübeck (Pressestelle)", gazetteer) == "Hansestadt Lübeck"
    assert publisher_name("Stadt.Land.Digital (de.digital, BMWK)", gazetteer) == "Stadt.Land.Digital"
    assert publisher_name("Stadt Ulm", gazetteer) == "Stadt Ulm"
    if (ROOT / "data" / "reference" / "gazetteer.csv").exists():   # the official name has the parenthesis
        assert publisher_name("Stadt Krumbach (Schwaben)", gazetteer) == "Stadt Krumbach (Schwaben)"


# -- through the build ------------------------------------------------------------------------------

def organisations_in(store: VersionedStore) -> dict[str, set[str]]:
    """Organisation key → its labels."""
    rows = store.open_read().query(f"SELECT ?o ?l {{ ?o a <{KG}Organisation> ; <{RDFS.label}> ?l }}")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["o"].value.rsplit("/", 1)[1], set()).add(row["l"].value)
    return found


def test_x_gmbh_and_x_in_two_reports_are_one_organisation_with_both_labels(tmp_path):
    records, links = tmp_path / "records", tmp_path / "links"
    links.mkdir()
    write_record(records, "bericht-a", "Beispiel Digital GmbH", "Beispiel Digital GmbH")
    write_record(records, "bericht-b", "Stadt Achern", "Beispiel Digital")
    store = VersionedStore(tmp_path / "store")
    build(store, Sources(records=records, links=links), BASE_IRI, owl=False)
    found = organisations_in(store)
    assert found["beispiel-digital"] == {"Beispiel Digital GmbH", "Beispiel Digital"}
    assert "beispiel-digital-gmbh" not in found and found["stadt-achern"] == {"Stadt Achern"}
    view = store.open_read()
    organisation = f"{BASE_IRI}id/organisation/beispiel-digital"
    # One post for the role in the organisation, however the reports spell its name.
    posts = view.query(f"SELECT DISTINCT ?p {{ ?p <http://www.w3.org/ns/org#postIn> <{organisation}> }}")
    assert [row["p"].value for row in posts] == [f"{BASE_IRI}id/post/beispiel-digital-cdo"]
    # The IRI the name had before answers 301 to the organisation (a redirect, no resource).
    redirect = view.query(f"ASK {{ <{BASE_IRI}id/organisation/beispiel-digital-gmbh> <{DCTERMS.isReplacedBy}> "
                          f"<{organisation}> }}")
    assert redirect


def invoke(*args: str):
    return CliRunner().invoke(make_cli(), list(args), catch_exceptions=False)


@pytest.mark.slow
def test_the_steward_decides_and_the_build_and_the_command_follow(tmp_path):
    """An open candidate stays apart with one warning; the command adds it as open; a steward's
    `same` (with a comment) survives the next run and joins the two; `different` keeps them apart."""
    records, links = tmp_path / "records", tmp_path / "links"
    links.mkdir()
    write_record(records, "bericht-a", "Stadt Hattersheim", "Stadtarchiv Hattersheim")
    write_record(records, "bericht-b", "Stadt Hattersheim am Main", "Heinrich-Böll-Schule")
    store = VersionedStore(tmp_path / "store")
    result = build(store, Sources(records=records, links=links), BASE_IRI, owl=False)
    assert {"stadt-hattersheim", "stadt-hattersheim-am-main"} <= organisations_in(store).keys()
    assert any("1 possible duplicate organisations are open" in w.english for w in result.warnings)

    done = invoke("organisations", "--records", str(records), "--links", str(links), "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["added"] == 1
    assert json.loads(done.stdout)["open"] == [{"names": ["Stadt Hattersheim", "Stadt Hattersheim am Main"],
                                                "why": "one name contains the other"}]
    path = links / ORGANISATIONS_FILE
    text = path.read_text("utf-8")
    assert text.startswith("# Mögliche Dubletten von Organisationen") and "bericht-b" in text
    path.write_text(text.replace("decision: open", "decision: same  # Hattersheim am Main, Telefonat 2.12."), "utf-8")
    again = invoke("organisations", "--records", str(records), "--links", str(links), "--json")
    assert json.loads(again.stdout)["added"] == 0 and json.loads(again.stdout)["open"] == []
    assert "decision: same  # Hattersheim am Main, Telefonat 2.12." in path.read_text("utf-8")
    assert decisions(links) == {frozenset({"stadthattersheim", "stadthattersheimammain"}): "same"}

    result = build(store, Sources(records=records, links=links), BASE_IRI, owl=False)
    found = organisations_in(store)
    assert found["stadt-hattersheim"] == {"Stadt Hattersheim", "Stadt Hattersheim am Main"}
    assert "stadt-hattersheim-am-main" not in found
    assert not any("possible duplicate organisations" in w.english for w in result.warnings)

    path.write_text(path.read_text("utf-8").replace("decision: same", "decision: different"), "utf-8")
    result = build(store, Sources(records=records, links=links), BASE_IRI, owl=False)
    assert {"stadt-hattersheim", "stadt-hattersheim-am-main"} <= organisations_in(store).keys()
    assert not any("possible duplicate organisations" in w.english for w in result.warnings)


CONTRADICTION = ("- {names: [Stadt Ulm, Stadt Ulm (Donau)], decision: same}\n"
                 "- {names: [Stadt Ulm (Donau), Ulm], decision: same}\n- {names: [Stadt Ulm, Ulm], decision: different}\n")


def ulm_records(tmp_path, decision_file: str):
    records, links = tmp_path / "records", tmp_path / "links"
    links.mkdir()
    write_record(records, "bericht-a", "Stadt Ulm", "Stadt Ulm (Donau)")
    write_record(records, "bericht-b", "Ulm", "Stadt Ulm")
    (links / ORGANISATIONS_FILE).write_text(decision_file, "utf-8")
    return records, links


@pytest.mark.parametrize("text, message", [
    ("- [unclosed\n", "cannot read organisations.yaml"), ("names: x\n", "must be a list"),
    ("- {names: [Stadt Ulm], decision: same}\n", "two different organisation names"),
    ("- {names: [aconium, aconium GmbH], decision: same}\n", "two different organisation names"),
    ("- {names: [Stadt Ulm, Stadt Ulm (Donau)], decision: maybe}\n", "open, same or different"),
    ("- {names: [Stadt Ulm, Stadt Ulm (Donau)], decision: same}\n- {names: [Stadt Ulm (Donau), Stadt Ulm], "
     "decision: different}\n", "already decided otherwise"),
    (CONTRADICTION, "decided different, but same decisions join them")])
def test_a_malformed_decision_file_is_a_clear_problem_with_exit_1(tmp_path, text, message):
    records, links = ulm_records(tmp_path, text)
    done = invoke("organisations", "--records", str(records), "--links", str(links))
    assert done.exit_code == 1, done.output
    assert message in done.output and "Traceback" not in done.output


@pytest.mark.slow
def test_validate_and_build_refuse_a_malformed_decision_file(tmp_path):
    """The build's own check: the problem and exit 1, no traceback, nothing published."""
    records, links = ulm_records(tmp_path, CONTRADICTION)
    for command in (["validate", "--no-owl"], ["build", "--no-owl", "--store", str(tmp_path / "store")]):
        done = invoke(*command, "--records", str(records), "--links", str(links))
        assert done.exit_code == 1, (command, done.output)
        assert "decided different, but same decisions join them" in done.output, command
        assert "Traceback" not in done.output
    assert VersionedStore(tmp_path / "store").current() is None, "nothing published"


# -- the published data -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory) -> VersionedStore:
    """The default data built as `make build` builds it, with the checked-in decision files."""
    store = VersionedStore(tmp_path_factory.mktemp("published") / "store")
    data = ROOT / "data"
    build(store, Sources(records=data / "records", more_records=(data / "reports",), links=data / "links",
                         reference=data / "reference"), BASE_IRI)
    return store


def labels_in_reports(store: VersionedStore, cls: str, prop: URIRef = RDFS.label) -> dict[str, set[str]]:
    """Resource → the names the report graphs give it (not those of links or Wikidata facts)."""
    rows = store.open_read().query(
        f"SELECT ?x ?l {{ ?x a <{KG}{cls}> GRAPH ?g {{ ?x <{prop}> ?l }} "
        f"FILTER(STRSTARTS(STR(?g), '{BASE_IRI}graph/report/')) }}")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["x"].value, set()).add(row["l"].value)
    return found


@pytest.mark.slow
def test_the_published_data_has_no_duplicate_organisations(published):
    """Two resources whose names normalise alike, or look alike without a `different` decision."""
    labels = labels_in_reports(published, "Organisation")
    by_form: dict[str, set[str]] = {}
    for iri, names in labels.items():
        for name in names:
            by_form.setdefault(normalise(name), set()).add(iri)
    duplicates = [sorted(iris) for form, iris in by_form.items() if len(iris) > 1]
    decided = decisions(ROOT / "data" / "links")
    spelling = {normalise(name): Organisation({name: []}) for names in labels.values() for name in names}
    for a, b, why in look_alike(spelling):
        if by_form[a] != by_form[b] and decided.get(frozenset({a, b})) != "different":
            duplicates.append([spelling[a].name, spelling[b].name, why])
    assert duplicates == [], f"{len(duplicates)} candidate duplicates: {duplicates}"


@pytest.mark.slow
def test_the_published_data_conflates_no_organisations_or_persons(published):
    """One resource with two seats, with names no `same` decision joined, or a person with two surnames."""
    conflations = []
    seats = published.open_read().query(
        f"SELECT DISTINCT ?o ?a ?b {{ ?o a <{KG}Organisation> ; <{KG}seat> ?a, ?b FILTER(STR(?a) < STR(?b)) }}")
    conflations += [f"{row['o'].value}: seats {row['a'].value}, {row['b'].value}" for row in seats]
    joined = {form: form for form in {f for pair in decisions(ROOT / "data" / "links") for f in pair}}

    def root(form: str) -> str:
        while joined.get(form, form) != form:
            form = joined[form]
        return form

    for pair, decision in decisions(ROOT / "data" / "links").items():
        if decision == "same":
            a, b = sorted(pair)
            joined[root(a)] = root(b)
    for iri, names in labels_in_reports(published, "Organisation").items():
        if len({root(normalise(name)) for name in names}) > 1:
            conflations.append(f"{iri}: {sorted(names)}")
    for iri, names in labels_in_reports(published, "Person", URIRef("http://xmlns.com/foaf/0.1/name")).items():
        if len({name_parts(name)[1] for name in names}) > 1:
            conflations.append(f"{iri}: {sorted(names)}")
    assert conflations == [], f"{len(conflations)} candidate conflations: {conflations}"


@pytest.mark.slow
def test_the_published_data_has_fewer_organisations_than_names(published):
    """The five spellings, the outlets in parentheses and the steward's `same` decisions join resources."""
    labels = labels_in_reports(published, "Organisation")
    names = {name for found in labels.values() for name in found}
    assert len(labels) < len(names)
    assert {"aconium", "aconium GmbH"} <= labels[f"{BASE_IRI}id/organisation/aconium"]
    assert {"Stadt Hattersheim", "Stadt Hattersheim am Main"} <= labels[f"{BASE_IRI}id/organisation/stadt-hattersheim"]
    assert not any("(" in name for name in names if name.startswith(("Hansestadt Lübeck", "Stadt.Land.Digital")))


@pytest.mark.slow
def test_every_moved_publisher_iri_answers_in_the_published_data(published):
    """The IRIs publishers had with their outlet in parentheses (before issue 14) all redirect."""
    from graph.iri import Minter
    from graph.linking.moved import load_moved

    listed = set(load_moved(ROOT / "data" / "links", Minter(BASE_IRI)))
    rows = published.open_read().query(
        f"SELECT ?old ?new {{ GRAPH <{BASE_IRI}graph/links> {{ ?old <{DCTERMS.isReplacedBy}> ?new }} }}")
    asserted = {(URIRef(row["old"].value), DCTERMS.isReplacedBy, URIRef(row["new"].value)) for row in rows}
    assert len(listed) >= 30 and asserted == listed
