"""/review: the steward's review of extraction drafts in the browser (issue 14, part 1).

The same decisions as `kommunalgraph review` (graph/records/review.py), behind the write tokens.
A steward signs in once with a write token; the session cookie is signed, HttpOnly and
SameSite=Strict, and every form carries a per-session CSRF token, so no other site can make a
signed-in browser accept or reject a draft. The page shows the report text with every extracted
fact marked at its offsets with its confidence, and the draft as YAML to correct; saving an edit
over a draft that changed since the page was opened is a conflict (409), not an overwrite.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from flask import Blueprint, current_app, redirect, request, session
from markupsafe import Markup, escape
from werkzeug.exceptions import BadRequest, Forbidden, NotFound
from werkzeug.utils import secure_filename

from graph.build import publish_job
from graph.errors import Problem, RecordError, ReviewConflict, ValidationFailed
from graph.records import review
from graph.records.record import careful_load
from server.auth import steward_for, writes_enabled
from server.backend import get_backend
from server.site import render

bp = Blueprint("review", __name__)
REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm")
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _drafts() -> Path:
    return Path(current_app.config["DRAFTS_DIR"])


def _signed_in() -> str | None:
    """The steward of this session, or None (also when writes are off on this server)."""
    return session.get("steward") if writes_enabled(current_app) else None


def _check_form() -> str:
    """The signed-in steward, after the form's CSRF token matched the session's."""
    steward = _signed_in()
    if steward is None:
        raise Forbidden("sign in with a write token first (/review)")
    sent = request.form.get("csrf", "")
    if not hmac.compare_digest(sent.encode(), session.get("csrf", "").encode()):
        raise BadRequest("the form is stale or came from another site (CSRF token missing or wrong); reload the page")
    return steward


def _draft_path(name: str) -> Path:
    if not name or not set(name) <= _NAME_CHARS or name.startswith("."):
        raise NotFound(f"no draft {name[:40]!r}")
    path = _drafts() / f"{name}.yaml"
    if not path.is_file():
        raise NotFound(f"no open draft {name!r}: it was accepted, rejected or never made")
    return path


@bp.get("/review")
def drafts_page():
    """The open drafts, or the sign-in form."""
    if not writes_enabled(current_app):
        raise Forbidden("review needs writes: no write token is configured on this server")
    steward = _signed_in()
    if steward is None:
        return render("review_signin.html")
    return render("review_list.html", steward=steward, drafts=review.list_drafts(_drafts()), csrf=session["csrf"],
                  done=request.args.get("done"), problems=[])


@bp.post("/review/signin")
def sign_in():
    """Exchange a write token for a signed session (the token itself is not stored in the cookie)."""
    if not writes_enabled(current_app):
        raise Forbidden("review needs writes: no write token is configured on this server")
    steward = steward_for(request.form.get("token", ""))
    if steward is None:
        return render("review_signin.html", status=403, error=True)
    session.clear()
    session.update(steward=steward, csrf=secrets.token_urlsafe(32))
    return redirect("/review", 303)


@bp.post("/review/upload")
def upload():
    """A report file from the steward's computer: kept in drafts/inbox, extracted into a new draft."""
    from graph.extraction.drafts import draft_records, write_records

    _check_form()
    sent = request.files.get("report")
    name = secure_filename(sent.filename or "") if sent else ""
    if not name or Path(name).suffix.lower() not in REPORT_SUFFIXES:
        raise BadRequest(f"send one report file ({', '.join(REPORT_SUFFIXES)}) in the field 'report'")
    stem = Path(name).stem.lower()
    inbox = _drafts() / "inbox"
    if stem in review.drafted_names(_drafts()) or (inbox / name).exists():
        raise ReviewConflict(f"a report named {name!r} was already drafted; rename the file")
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / f"{stem}{Path(name).suffix.lower()}"
    sent.save(path)
    try:
        made = draft_records([path], _drafts(), request.form.get("publisher") or None, warn=lambda message: None)
        write_records(made, _drafts(), "yaml", None)
    except BaseException:
        path.unlink(missing_ok=True)   # a report that gives no draft is not kept half-ingested
        raise
    return redirect(f"/review/{stem}", 303)


@bp.post("/review/signout")
def sign_out():
    """End the session."""
    _check_form()
    session.clear()
    return redirect("/review", 303)


@bp.post("/review/publish")
def publish():
    """Build the record folders into the served store, in the background (graph/build/publish_job.py)."""
    steward = _check_form()
    config = current_app.config
    _own_store()
    publish_job.start(_drafts(), Path(config["STORE"]), _publish_folders(), config["BASE_IRI"], steward)
    return redirect("/review/publish", 303)


@bp.get("/review/publish")
def publish_page():
    """How the last publish went; the page reloads itself while it runs."""
    if _signed_in() is None:
        return redirect("/review", 303)
    return render("review_publish.html", job=publish_job.read_state(_drafts()), csrf=session["csrf"])


@bp.post("/review/suppress")
def suppress():
    """Remove a person on request (DSGVO Art. 17/21): an entry in suppressed.yaml, in force with the next publish."""
    from graph.iri import Minter
    from graph.records.suppressions import add_suppression

    _check_form()
    _own_store()
    minter = Minter(current_app.config["BASE_IRI"])
    person = request.form.get("person", "").strip()
    try:
        name = _published_name(person, minter)
        done = add_suppression(Path(current_app.config["RECORDS_DIR"]).parent, minter, person,
                               request.form.get("reason", ""), name)
    except RecordError as exc:
        return render("review_list.html", status=422, steward=session["steward"], csrf=session["csrf"],
                      drafts=review.list_drafts(_drafts()), problems=exc.problems, person=person)
    return redirect(f"/review?done=suppressed:{done.person.rsplit('/', 1)[-1]}", 303)


def _published_name(person: str, minter) -> str | None:
    """The name the served graph gives `person` (an IRI or key), so texts that quote it are blanked too.

    :raises RecordError: if the served graph has no such person (a typo would suppress no one).
    """
    from graph.records.suppressions import person_iri

    iri = person_iri(person, minter)
    found = None
    if iri is not None:
        store = _own_store().open_read()
        found = next(iter(store.query(f"SELECT ?name {{ <{iri}> <http://xmlns.com/foaf/0.1/name> ?name }} LIMIT 1")),
                     None)
    if found is None:
        raise RecordError([Problem(f"{person[:80]!r} ist keine Person des veröffentlichten Graphen",
                                   f"{person[:80]!r} is not a person of the published graph", field="person")])
    return found["name"].value


def _own_store():
    """The store this server builds and serves.

    :raises ReviewConflict: on a server of RDF files or of a remote store, which the page cannot publish to.
    """
    if current_app.config["BACKEND"] != "embedded" or current_app.config["FILES"]:
        raise ReviewConflict("this server does not serve its own store (remote back end or RDF files): "
                             "publish with `kommunalgraph build` and `kommunalgraph push`")
    return get_backend().store


def _publish_folders() -> list[Path]:
    """PUBLISH_RECORDS (a list, or paths separated by os.pathsep) that exist, RECORDS_DIR first."""
    setting = current_app.config["PUBLISH_RECORDS"]
    named = setting.split(os.pathsep) if isinstance(setting, str) else list(setting)
    folders = [Path(current_app.config["RECORDS_DIR"])] + [Path(p) for p in named if p]
    unique = list(dict.fromkeys(path.resolve() for path in folders))
    return [path for path in unique if path.is_dir()]


@bp.get("/review/<name>")
def draft_page(name: str):
    """One draft: the report text with the extracted facts marked, and the draft to correct."""
    if _signed_in() is None:
        return redirect("/review", 303)
    path = _draft_path(name)
    text = path.read_text("utf-8")
    return _show(path, text, review.fingerprint(path), [])


@bp.post("/review/<name>")
def decide(name: str):
    """Save the corrected draft, accept it as a record, or reject it (the button pressed says which)."""
    steward = _check_form()
    path = _draft_path(name)
    action = request.form.get("action")
    if action == "reject":
        reason = " ".join(request.form.get("reason", "").split())
        if not reason:
            return _show(path, path.read_text("utf-8"), review.fingerprint(path),
                         [Problem("Bitte einen Grund angeben.", "Please give a reason.", field="reason")], 422)
        review.reject(path, f"{reason} ({steward})")
        return redirect(f"/review?done=rejected:{name}", 303)
    if action not in ("save", "accept"):
        raise BadRequest("action must be save, accept or reject")
    edited = request.form.get("draft", "").replace("\r\n", "\n")
    opened = request.form.get("fingerprint", "")
    if edited != path.read_text("utf-8") or opened != review.fingerprint(path):
        review.save_edit(path, edited, opened)   # raises ReviewConflict (409) if someone else saved
    if action == "save":
        return redirect(f"/review/{name}?saved=1", 303)
    from graph.build.pipeline import check_folder   # the build's modules load only when a steward accepts
    try:
        review.accept(path, Path(current_app.config["RECORDS_DIR"]),
                      lambda folder: check_folder(folder, current_app.config["BASE_IRI"]))
    except (ValidationFailed, RecordError) as exc:
        return _show(path, path.read_text("utf-8"), review.fingerprint(path), exc.problems, 422)
    return redirect(f"/review?done=accepted:{name}", 303)


def _show(path: Path, text: str, fingerprint: str, problems: list[Problem], status: int = 200):
    try:
        data = careful_load(text, path).data
    except RecordError as exc:
        data, problems = None, problems or exc.problems
    report_text, marks = _marked_report(path, data)
    return render("review_draft.html", status=status, name=path.stem, draft=text, fingerprint=fingerprint,
                  problems=problems, report=report_text, marks=marks, csrf=session["csrf"],
                  open_items=review.open_items(data) if data else [], saved=request.args.get("saved"))


def _marked_report(path: Path, data: dict | None) -> tuple[Markup | None, int]:
    """The report text with each piece of evidence as <mark> (field and confidence in its title)."""
    if not data or not data["report"].get("text"):
        return None, 0
    source = (path.parent / data["report"]["text"]).resolve()
    try:
        text = source.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None, 0
    spans = sorted({(e["start"], e["end"], e["field"], e.get("confidence"))
                    for e in _evidence(data) if 0 <= e["start"] < e["end"] <= len(text)})
    parts, at, count = [], 0, 0
    for start, end, field, confidence in spans:
        if start < at:
            continue   # overlapping evidence: the first span is marked, the table lists all
        sure = f"{confidence:.2f}" if isinstance(confidence, (int, float)) else "–"
        low = " low" if isinstance(confidence, (int, float)) and confidence < 0.6 else ""
        parts += [escape(text[at:start]),
                  Markup('<mark class="fact{}" title="{}: {}" data-field="{}">').format(low, field, sure, field),
                  escape(text[start:end]), Markup("</mark>")]
        at, count = end, count + 1
    parts.append(escape(text[at:]))
    return Markup("").join(parts), count


def _evidence(data: dict):
    """Every evidence entry of the draft, wherever it sits."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "evidence" and isinstance(value, list):
                    yield from (e for e in value if isinstance(e, dict) and "start" in e and "end" in e)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
