"""/review in the browser (issue 14 part 1): sign in with a write token, see the report with its
extracted facts marked, correct the draft, accept it as a record or reject it.

The report is invented for the test (a real municipality, an invented event and a placeholder person).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from server.app import create_app
from tests.helpers import KOMMUNALGRAPH, TOKEN, WRITE_TOKENS, LiveServer

from .conftest import open_tab, parse_html, screenshot

REPORT = """Digitalwerkstatt in Rinchnach

Rinchnach, 18. November 2022. Am 17. November 2022 kamen in Rinchnach (Landkreis Regen, Bayern)
Gemeinderat und Verwaltung zu einer Digitalwerkstatt zusammen. Erika Musterfrau von der
Digitalagentur Beispiel hielt einen Impulsvortrag über Offene Daten.
"""


@pytest.fixture(scope="module")
def drafted(tmp_path_factory) -> Path:
    """A folder with the report and its draft, made by `kommunalgraph ingest` (copied per test)."""
    folder = tmp_path_factory.mktemp("review")
    (folder / "inbox").mkdir()
    (folder / "inbox" / "rinchnach.txt").write_text(REPORT, "utf-8")
    made = subprocess.run([KOMMUNALGRAPH, "ingest", str(folder / "inbox"), "--drafts", str(folder / "drafts")],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    return folder


@pytest.fixture()
def workspace(drafted, tmp_path) -> Path:
    import shutil
    shutil.copytree(drafted, tmp_path / "ws")
    return tmp_path / "ws"


@pytest.fixture()
def review_app(seed_store, workspace):
    app = create_app({"STORE": str(seed_store.root), "QUERY_WORKERS": 1, "TESTING": True, "WRITE_TOKENS": WRITE_TOKENS,
                      "DRAFTS_DIR": str(workspace / "drafts"), "RECORDS_DIR": str(workspace / "records")})
    yield app
    app.extensions["kommunalgraph"].close()


def signed_in(app):
    client = app.test_client()
    response = client.post("/review/signin", data={"token": TOKEN})
    assert response.status_code == 303
    page = client.get("/review/rinchnach")
    csrf = parse_html(page.get_data(as_text=True)).css_first("input[name=csrf]").attributes["value"]
    return client, csrf


def corrected(draft: str) -> str:
    """The steward's corrections: publisher and date filled, the review lists cleared."""
    yaml = YAML()
    data = yaml.load(draft)
    data["report"]["publisher"] = "Gemeinde Rinchnach"
    data.pop("review", None)
    for event in data["events"]:
        event.pop("review", None)
        event["date"] = "2022-11-17"
    from io import StringIO
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def form(client, csrf: str) -> dict:
    page = parse_html(client.get("/review/rinchnach").get_data(as_text=True))
    return {"csrf": csrf, "fingerprint": page.css_first("input[name=fingerprint]").attributes["value"],
            "draft": page.css_first("textarea#draft").text()}


def test_without_a_token_there_is_only_the_sign_in_form(review_app):
    client = review_app.test_client()
    assert "Schreib-Token" in client.get("/review").get_data(as_text=True)
    assert client.get("/review/rinchnach").status_code == 303
    assert client.post("/review/signin", data={"token": "wrong-token-0123456789"}).status_code == 403
    assert client.post("/review/rinchnach", data={"action": "accept"}).status_code == 403


def test_the_report_shows_every_extracted_fact_marked_with_its_confidence(review_app):
    client, _csrf = signed_in(review_app)
    page = parse_html(client.get("/review/rinchnach?lang=en").get_data(as_text=True))
    marks = page.css("pre.report-text mark.fact")
    assert len(marks) >= 3
    assert any(m.text() == "Rinchnach" for m in marks)
    assert all(re.fullmatch(r"[\w.\[\]]+: (\d\.\d\d|–)", m.attributes["title"]) for m in marks)
    assert page.css_first("ul.open-items") is not None, "what the extractor left open is listed"


def test_a_form_without_the_sessions_csrf_token_is_refused(review_app):
    client, _csrf = signed_in(review_app)
    response = client.post("/review/rinchnach", data={"action": "reject", "reason": "x", "csrf": "forged"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_open_items_block_accepting_and_the_problems_are_shown(review_app, workspace):
    client, csrf = signed_in(review_app)
    response = client.post("/review/rinchnach", data={**form(client, csrf), "action": "accept"})
    assert response.status_code == 422
    problems = parse_html(response.get_data(as_text=True)).css("section.problems li")
    assert problems and "offener Prüfpunkt" in problems[0].text()
    assert (workspace / "drafts" / "rinchnach.yaml").exists() and not (workspace / "records").exists()


def test_a_broken_correction_is_shown_next_to_its_field_and_nothing_is_written(review_app, workspace):
    client, csrf = signed_in(review_app)
    fields = form(client, csrf)
    broken = corrected(fields["draft"]).replace('date: "2022-11-17"', 'date: "2022-13-45"')
    broken = broken.replace("date: '2022-11-17'", "date: '2022-13-45'")
    response = client.post("/review/rinchnach", data={**fields, "draft": broken, "action": "accept"})
    assert response.status_code == 422
    listed = parse_html(response.get_data(as_text=True)).css("section.problems li")
    assert any("events[0].date" in item.text() or "date" in item.text() for item in listed), [i.text() for i in listed]
    assert not (workspace / "records").exists()


def test_a_corrected_draft_becomes_a_record_and_the_draft_is_kept(review_app, workspace):
    client, csrf = signed_in(review_app)
    fields = form(client, csrf)
    response = client.post("/review/rinchnach", data={**fields, "draft": corrected(fields["draft"]), "action": "accept"})
    assert response.status_code == 303 and "accepted" in response.headers["Location"]
    record = YAML(typ="safe").load((workspace / "records" / "rinchnach.yaml").read_text("utf-8"))
    assert record["report"]["publisher"] == "Gemeinde Rinchnach" and record["events"][0]["date"] == "2022-11-17"
    assert (workspace / "drafts" / "accepted" / "rinchnach.yaml").exists()
    assert client.get("/review/rinchnach").status_code == 404


def test_two_stewards_saving_the_same_draft_get_a_conflict(review_app, workspace):
    alice, alice_csrf = signed_in(review_app)
    bob, bob_csrf = signed_in(review_app)
    alice_form, bob_form = form(alice, alice_csrf), form(bob, bob_csrf)
    first = alice.post("/review/rinchnach", data={**alice_form, "draft": alice_form["draft"] + "# Alice\n",
                                                  "action": "save"})
    assert first.status_code == 303
    second = bob.post("/review/rinchnach", data={**bob_form, "draft": bob_form["draft"] + "# Bob\n", "action": "save"})
    assert second.status_code == 409 and "changed since you opened it" in second.get_data(as_text=True)
    text = (workspace / "drafts" / "rinchnach.yaml").read_text("utf-8")
    assert "# Alice" in text and "# Bob" not in text
    assert any("# Bob" in kept.read_text("utf-8") for kept in (workspace / "drafts").glob("*.conflict-*.txt"))


def test_rejecting_needs_a_reason_and_keeps_the_draft(review_app, workspace):
    client, csrf = signed_in(review_app)
    fields = form(client, csrf)
    assert client.post("/review/rinchnach", data={**fields, "action": "reject", "reason": "  "}).status_code == 422
    response = client.post("/review/rinchnach", data={**fields, "action": "reject", "reason": "kein Digitalthema"})
    assert response.status_code == 303
    kept = (workspace / "drafts" / "rejected" / "rinchnach.yaml").read_text("utf-8")
    assert "kein Digitalthema (alice)" in kept


def test_an_uploaded_report_becomes_a_draft_and_a_bad_file_is_refused(review_app, workspace):
    from io import BytesIO

    client, csrf = signed_in(review_app)
    made = client.post("/review/upload", content_type="multipart/form-data",
                       data={"csrf": csrf, "report": (BytesIO(REPORT.encode()), "Neu Bericht.txt")})
    assert made.status_code == 303 and made.headers["Location"].endswith("/review/neu_bericht")
    assert (workspace / "drafts" / "neu_bericht.yaml").exists()
    again = client.post("/review/upload", content_type="multipart/form-data",
                        data={"csrf": csrf, "report": (BytesIO(REPORT.encode()), "Neu Bericht.txt")})
    assert again.status_code == 409
    for name, content, status in (("bild.png", b"\x89PNG", 400), ("leer.txt", b"", 400),
                                  ("binaer.txt", b"\x00\x01" * 50, 400)):
        refused = client.post("/review/upload", content_type="multipart/form-data",
                              data={"csrf": csrf, "report": (BytesIO(content), name)})
        assert refused.status_code == status, (name, refused.get_data(as_text=True))
        assert not (workspace / "drafts" / "inbox" / name).exists(), "a refused file is not kept"


def test_an_upload_takes_the_publication_date_and_address_and_refuses_wrong_ones(review_app, workspace):
    from io import BytesIO

    client, csrf = signed_in(review_app)
    refused = client.post("/review/upload", content_type="multipart/form-data",
                          data={"csrf": csrf, "published": "31.12.2022", "report": (BytesIO(REPORT.encode()), "a.txt")})
    assert refused.status_code == 400 and "YYYY-MM-DD" in refused.get_data(as_text=True)
    assert not (workspace / "drafts" / "inbox" / "a.txt").exists() and not (workspace / "drafts" / "a.yaml").exists()
    made = client.post("/review/upload", content_type="multipart/form-data",
                       data={"csrf": csrf, "published": "2022-12", "report": (BytesIO(REPORT.encode()), "a.txt")})
    assert made.status_code == 303
    draft = YAML(typ="safe").load((workspace / "drafts" / "a.yaml").read_text("utf-8"))
    assert draft["report"]["date"] == "2022-12"
    refused = client.post("/review/upload", content_type="multipart/form-data",
                          data={"csrf": csrf, "source": "javascript:alert(1)",
                                "report": (BytesIO(REPORT.encode()), "b.txt")})
    assert refused.status_code == 400 and "http(s) address" in refused.get_data(as_text=True)
    assert not (workspace / "drafts" / "inbox" / "b.txt").exists() and not (workspace / "drafts" / "b.yaml").exists()
    address = "https://www.rinchnach.de/2022/11/digitalwerkstatt"
    made = client.post("/review/upload", content_type="multipart/form-data",
                       data={"csrf": csrf, "source": address, "report": (BytesIO(REPORT.encode()), "b.txt")})
    assert made.status_code == 303
    draft = YAML(typ="safe").load((workspace / "drafts" / "b.yaml").read_text("utf-8"))
    assert draft["report"]["source"] == address
    assert draft["report"]["date"] == "2022-11-18", "the report's own dateline comes before its address"


@pytest.mark.slow
def test_a_steward_goes_from_a_report_file_to_a_published_record_in_chromium(browser, seed_store, workspace,
                                                                              tmp_path):
    """Browser alone: upload the report, correct the draft (one correction), reject one extracted
    fact (the topic), accept, publish; the record is written and the new event is found on the site."""
    report = tmp_path / "rinchnach-werkstatt.txt"
    report.write_text(REPORT, "utf-8")
    store = tmp_path / "store"   # a copy: publishing makes a new version of the store it serves
    shutil.copytree(seed_store.root, store, symlinks=True)
    seed_records = Path(__file__).resolve().parents[2] / "data" / "records"
    server = LiveServer(["--store", str(store)], log=tmp_path / "server.log",
                        env={"KG_WRITE_TOKENS": WRITE_TOKENS, "KG_QUERY_WORKERS": "1",
                             "KG_DRAFTS_DIR": str(workspace / "drafts"), "KG_RECORDS_DIR": str(workspace / "records"),
                             "KG_PUBLISH_RECORDS": json.dumps([str(seed_records)])})
    tab = open_tab(browser, server)
    try:
        tab.goto(server.url + "/review")
        tab.get_by_label("Schreib-Token").fill(TOKEN)
        tab.get_by_role("button", name="Anmelden").click()
        tab.get_by_label("Berichtsdatei").set_input_files(str(report))
        tab.get_by_role("button", name="Hochladen und Entwurf erstellen").click()
        tab.wait_for_url("**/review/rinchnach-werkstatt")
        assert tab.locator("pre.report-text mark.fact").count() >= 3
        screenshot(tab, "review-draft")
        # The checks the other pages pass (tests/web/test_browser.py): one h1, every field labelled.
        assert tab.locator("h1").count() == 1
        assert tab.evaluate("""[...document.querySelectorAll('input, select, textarea')].filter(e =>
            e.type !== 'hidden' && !(e.id && document.querySelector('label[for="' + e.id + '"]'))).length""") == 0
        # One rejected fact, with its button: the extracted topic.
        tab.get_by_role("button", name=re.compile(r"^Verwerfen: topics ")).click()
        tab.wait_for_url("**/review/rinchnach-werkstatt?saved=1#facts")
        assert tab.get_by_role("button", name=re.compile(r"^Verwerfen: topics ")).count() == 0
        draft = tab.locator("textarea#draft")
        draft.fill(corrected(draft.input_value()))   # one correction: the date and the publisher
        tab.get_by_role("button", name="Prüfen und übernehmen").click()
        tab.wait_for_url("**/review?done=accepted:rinchnach-werkstatt")
        assert "Als Datensatz übernommen" in tab.locator("p.notice").inner_text()
        record = YAML(typ="safe").load((workspace / "records" / "rinchnach-werkstatt.yaml").read_text("utf-8"))
        event = record["events"][0]
        assert event["date"] == "2022-11-17" and "topics" not in event
        tab.get_by_role("button", name="Veröffentlichen").click()
        tab.wait_for_url("**/review/publish")
        # The status page reloads itself until the build's child process has finished.
        done = tab.wait_for_selector("[data-state=published], [data-state=failed]", timeout=240_000)
        assert done.get_attribute("data-state") == "published", done.inner_text()
        screenshot(tab, "review-published")
        tab.goto(server.url + "/search?q=Rinchnach")
        assert "Digitalwerkstatt in Rinchnach" in tab.locator("main").inner_text()
        assert tab.outside == [] and tab.errors == []
    finally:
        tab.context.close()
        server.stop()


def test_one_fact_is_rejected_with_its_button_and_its_evidence_and_review_item_go_too(review_app, workspace):
    client, csrf = signed_in(review_app)
    page = parse_html(client.get("/review/rinchnach").get_data(as_text=True))
    buttons = {b.attributes["aria-label"]: b.attributes["value"] for b in page.css("table.facts button")}
    topic = next(value for label, value in buttons.items() if label.startswith("Verwerfen: topics"))
    response = client.post("/review/rinchnach", data={**form(client, csrf), "action": topic})
    assert response.status_code == 303 and response.headers["Location"].endswith("?saved=1#facts")
    draft = YAML(typ="safe").load((workspace / "drafts" / "rinchnach.yaml").read_text("utf-8"))
    event = draft["events"][0]
    assert "topics" not in event
    assert all(e["field"] != "topics" for e in event.get("evidence", []))
    # Pressed again on the stale page: the fact is gone, the page says so, nothing else changes.
    before = (workspace / "drafts" / "rinchnach.yaml").read_text("utf-8")
    again = client.post("/review/rinchnach", data={**form(client, csrf), "action": topic.replace("|", "|9")})
    assert again.status_code == 422 and "Seite neu laden" in again.get_data(as_text=True)
    assert (workspace / "drafts" / "rinchnach.yaml").read_text("utf-8") == before


def test_an_event_is_rejected_with_its_button_and_unsaved_edits_are_kept(review_app, workspace):
    client, csrf = signed_in(review_app)
    sent = form(client, csrf)
    sent["draft"] = sent["draft"].replace("report:", "# Notiz der Redaktion\nreport:", 1)
    response = client.post("/review/rinchnach", data={**sent, "action": "reject-event:0"})
    assert response.status_code == 303
    text = (workspace / "drafts" / "rinchnach.yaml").read_text("utf-8")
    draft = YAML(typ="safe").load(text)
    assert draft["events"] == [] and "# Notiz der Redaktion" in text
    assert not any(str(item).startswith("events[0]") for item in draft.get("review") or [])
    bad = client.post("/review/rinchnach", data={**form(client, csrf), "action": "reject-event:x"})
    assert bad.status_code == 400


def test_a_draft_without_a_place_opens_with_its_facts_and_asks_for_the_place(review_app, workspace):
    """Issue 12: a page that names no town drafts its event without a place (a draft, not yet a record)."""
    inbox = workspace / "inbox-labor"
    inbox.mkdir()
    (inbox / "labor.txt").write_text("Unser Digitallabor\n\nAm 17. November 2022 fand im Begegnungshaus der erste "
                                     "Workshop unseres Digitallabors statt.\n", "utf-8")
    made = subprocess.run([KOMMUNALGRAPH, "ingest", str(inbox), "--drafts", str(workspace / "drafts")],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    client, _csrf = signed_in(review_app)
    response = client.get("/review/labor?lang=en")
    assert response.status_code == 200
    page = parse_html(response.get_data(as_text=True))
    assert page.css_first("section.problems") is None, "a draft without a place is no broken draft"
    items = [li.text() for li in page.css("ul.open-items li")]
    assert any("kein Ort gefunden / no place found" in item for item in items), items
    assert any(m.text() == "17. November 2022" for m in page.css("pre.report-text mark.fact"))


def test_a_fact_inside_a_wider_span_of_evidence_keeps_its_mark(tmp_path):
    """The report's title spans its heading; the municipality named in that heading is still marked."""
    from server.review import _marked_report

    (tmp_path / "r.txt").write_text("Digitalwerkstatt in Rinchnach\n\nAm 17. November 2022 …\n", "utf-8")
    data = {"report": {"text": "r.txt", "evidence": [{"field": "title", "start": 0, "end": 29, "confidence": 0.8}]},
            "events": [{"evidence": [{"field": "municipality", "start": 20, "end": 29, "confidence": 0.95},
                                     {"field": "date", "start": 34, "end": 51, "confidence": 0.95}]}]}
    html, count = _marked_report(tmp_path / "draft.yaml", data)
    marks = parse_html(f"<pre>{html}</pre>").css("mark.fact")
    assert [(m.text(), m.attributes["title"]) for m in marks] == [
        ("Rinchnach", "municipality: 0.95"), ("17. November 2022", "date: 0.95")]
    assert count == 2 and html.striptags().startswith("Digitalwerkstatt in Rinchnach")
