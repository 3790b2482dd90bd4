"""Publishing from /review (issue 14): the steward's accepted records become a new store version
without a terminal, built by the same checks as `make build`, one build at a time.

The publish runs as a real child process (graph/build/publish_job.py) into a copy of the seed store;
the tests wait on its state file with a deadline, never on a fixed sleep.
"""

from __future__ import annotations

import fcntl
import json
import shutil
from pathlib import Path

import pytest

from graph.build import publish_job
from graph.store.versions import VersionedStore
from server.app import create_app
from tests.helpers import TOKEN, WRITE_TOKENS, wait_until

from .conftest import parse_html

SEED_RECORDS = Path(__file__).resolve().parents[2] / "data" / "records"
# One more report, as a steward would have accepted it: a real municipality, an invented event.
ACCEPTED = """report:
  id: publish-test-rinchnach
  title: Digitalwerkstatt in Rinchnach
  publisher: Gemeinde Rinchnach
  language: de
  date: "2022-11-18"
events:
  - type: Workshop
    title: Digitalwerkstatt Rinchnach
    date: "2022-11-17"
    status: held
    municipality: {name: Rinchnach, district: Regen}
    state: Bayern
"""


@pytest.fixture()
def workspace(seed_store, tmp_path) -> Path:
    """A copy of the seed store, the seed records and one accepted record, and an empty drafts folder."""
    shutil.copytree(seed_store.root, tmp_path / "store", symlinks=True)
    shutil.copytree(SEED_RECORDS, tmp_path / "records")
    (tmp_path / "records" / "publish-test-rinchnach.yaml").write_text(ACCEPTED, "utf-8")
    (tmp_path / "drafts").mkdir()
    return tmp_path


@pytest.fixture()
def publish_app(workspace):
    app = create_app({"STORE": str(workspace / "store"), "QUERY_WORKERS": 1, "TESTING": True,
                      "WRITE_TOKENS": WRITE_TOKENS, "DRAFTS_DIR": str(workspace / "drafts"),
                      "RECORDS_DIR": str(workspace / "records"), "PUBLISH_RECORDS": [], "WARM_CACHE": False})
    yield app
    app.extensions["kommunalgraph"].close()


def signed_in(app):
    client = app.test_client()
    assert client.post("/review/signin", data={"token": TOKEN}).status_code == 303
    page = client.get("/review")
    return client, parse_html(page.get_data(as_text=True)).css_first("input[name=csrf]").attributes["value"]


def finished(drafts: Path) -> publish_job.PublishState:
    """The publish's state once it is no longer running (the build takes seconds to a minute)."""
    return wait_until(lambda: (s := publish_job.read_state(drafts)) and s.state != "running" and s,
                      timeout=240, what="the end of the publish")


def test_publishing_needs_a_signed_in_steward_and_the_forms_csrf_token(publish_app, workspace):
    anonymous = publish_app.test_client()
    assert anonymous.post("/review/publish", data={}).status_code == 403
    assert anonymous.get("/review/publish").status_code == 303
    client, _ = signed_in(publish_app)
    response = client.post("/review/publish", data={"csrf": "wrong"})
    assert response.status_code == 400 and "CSRF" in response.get_json()["error"]
    assert not (workspace / "drafts" / publish_job.STATE_FILE).exists()


def test_publishing_builds_the_accepted_records_into_a_new_version(publish_app, workspace):
    store = VersionedStore(workspace / "store")
    before = store.current()
    client, csrf = signed_in(publish_app)
    response = client.post("/review/publish", data={"csrf": csrf})
    assert response.status_code == 303 and response.headers["Location"].endswith("/review/publish")
    state = finished(workspace / "drafts")
    assert state.state == "published", (state.message, state.problems)
    assert state.version == store.current() != before and state.reports == 2
    asked = 'ASK { ?r <http://www.w3.org/2000/01/rdf-schema#label> "Digitalwerkstatt Rinchnach"@de }'
    assert store.open_read().query(asked)
    page = parse_html(client.get("/review/publish").get_data(as_text=True))
    assert page.css_first("[data-state=published]") is not None
    assert state.version in page.css_first("[data-state=published]").text()


def test_a_record_that_fails_the_checks_publishes_nothing_and_the_page_names_it(publish_app, workspace):
    (workspace / "records" / "broken.yaml").write_text("report:\n  id: broken\nevents: []\n", "utf-8")
    store = VersionedStore(workspace / "store")
    before = store.current()
    client, csrf = signed_in(publish_app)
    client.post("/review/publish", data={"csrf": csrf})
    state = finished(workspace / "drafts")
    assert state.state == "failed" and state.problems
    assert any("broken.yaml" in (p["file"] or "") for p in state.problems)
    assert store.current() == before
    page = client.get("/review/publish")
    assert page.status_code == 200
    failed = parse_html(page.get_data(as_text=True)).css_first("[data-state=failed]")
    assert failed is not None and "broken.yaml" in failed.text()


def test_a_second_publish_while_one_runs_is_a_conflict(publish_app, workspace):
    drafts = workspace / "drafts"
    with open(drafts / publish_job.LOCK_FILE, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)   # what a running publish's child holds
        client, csrf = signed_in(publish_app)
        response = client.post("/review/publish", data={"csrf": csrf})
    assert response.status_code == 409
    assert "already running" in response.get_json()["error"]
    assert not (drafts / publish_job.STATE_FILE).exists()


def test_a_publish_whose_process_died_reads_as_failed(publish_app, workspace):
    drafts = workspace / "drafts"
    (drafts / publish_job.STATE_FILE).write_text(json.dumps(
        {"state": "running", "steward": "anna", "started": "2026-12-03T10:00:00+00:00", "pid": 999999}), "utf-8")
    state = publish_job.read_state(drafts)
    assert state.state == "failed" and "without a result" in state.message
    (drafts / publish_job.STATE_FILE).write_text("{not json", "utf-8")
    assert publish_job.read_state(drafts).state == "failed"
    client, _ = signed_in(publish_app)
    assert client.get("/review/publish").status_code == 200


def test_a_server_of_rdf_files_cannot_publish(workspace):
    app = create_app({"FILES": [str(SEED_RECORDS.parents[1] / "ontology" / "kommunalgraph.ttl")], "TESTING": True,
                      "QUERY_WORKERS": 1, "WRITE_TOKENS": WRITE_TOKENS, "DRAFTS_DIR": str(workspace / "drafts"),
                      "RECORDS_DIR": str(workspace / "records"), "WARM_CACHE": False})
    try:
        client, csrf = signed_in(app)
        response = client.post("/review/publish", data={"csrf": csrf})
        assert response.status_code == 409 and "kommunalgraph build" in response.get_json()["error"]
    finally:
        app.extensions["kommunalgraph"].close()


def test_a_steward_removes_a_person_on_request_and_the_next_publish_erases_them(publish_app, workspace):
    """The review page's removal: an entry in suppressed.yaml (beside the records) with the reason, the
    date and the published name; the page's publish then leaves the person out of the store."""
    suppressed = workspace / "suppressed.yaml"
    suppressed.write_text("# kept: a steward's comment\n", "utf-8")
    client, csrf = signed_in(publish_app)
    response = client.post("/review/suppress", data={"csrf": csrf, "person": "marcus-ott",
                                                     "reason": "Widerspruch per Brief"})
    assert response.status_code == 303 and "done=suppressed:marcus-ott" in response.headers["Location"]
    notice = parse_html(client.get(response.headers["Location"]).get_data(as_text=True)).css_first("p.notice")
    assert "Zum Entfernen eingetragen" in notice.text() and "marcus-ott" in notice.text()
    text = suppressed.read_text("utf-8")
    assert text.startswith("# kept: a steward's comment")
    from ruamel.yaml import YAML
    entry = YAML(typ="safe").load(text)[0]
    assert entry["person"] == "marcus-ott" and entry["name"] == "Marcus Ott"
    assert entry["reason"] == "Widerspruch per Brief" and str(entry["date"]) == str(__import__("datetime").date.today())
    again = client.post("/review/suppress", data={"csrf": csrf, "person": "marcus-ott", "reason": "noch einmal"})
    assert again.status_code == 409 and "already" in again.get_json()["error"]
    client.post("/review/publish", data={"csrf": csrf})
    assert finished(workspace / "drafts").state == "published"
    store = VersionedStore(workspace / "store").open_read()
    assert not store.query('ASK { ?s ?p ?o FILTER(CONTAINS(STR(?s), "marcus-ott") || STR(?o) = "Marcus Ott") }')


@pytest.mark.parametrize("form, field, message", [
    ({"person": "nobody-here", "reason": "Widerspruch"}, "person", "is not a person of the published graph"),
    ({"person": "", "reason": "Widerspruch"}, "person", "is not a person of the published graph"),
    ({"person": "https://example.org/x", "reason": "Widerspruch"}, "person", "is not a person"),
    ({"person": "marcus-ott", "reason": "  "}, "reason", "reason (why the person is removed) is missing"),
], ids=["unknown person", "no person", "foreign IRI", "no reason"])
def test_a_removal_with_broken_input_is_refused_with_its_field_and_writes_nothing(publish_app, workspace, form,
                                                                                   field, message):
    client, csrf = signed_in(publish_app)
    response = client.post("/review/suppress?lang=en", data={"csrf": csrf, **form})
    assert response.status_code == 422
    problems = parse_html(response.get_data(as_text=True)).css_first("section.problems")
    assert problems is not None and message in problems.text() and field in problems.text()
    assert not (workspace / "suppressed.yaml").exists()


def test_a_malformed_suppression_file_is_named_and_left_as_it_was(publish_app, workspace):
    broken = "- person: [not, a, key]\n  reason: x\n"
    (workspace / "suppressed.yaml").write_text(broken, "utf-8")
    client, csrf = signed_in(publish_app)
    response = client.post("/review/suppress?lang=en", data={"csrf": csrf, "person": "marcus-ott",
                                                             "reason": "Widerspruch"})
    assert response.status_code == 422
    assert "entry 1" in parse_html(response.get_data(as_text=True)).css_first("section.problems").text()
    assert (workspace / "suppressed.yaml").read_text("utf-8") == broken
