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
import secrets
from pathlib import Path

from flask import Blueprint, current_app, redirect, request, session
from markupsafe import Markup, escape
from werkzeug.exceptions import BadRequest, Forbidden, NotFound
from werkzeug.utils import secure_filename

from graph.errors import Problem, RecordError, ReviewConflict, ValidationFailed
from graph.records import facts, review
from graph.records.record import careful_load
from server.auth import steward_for, writes_enabled
from server.site import render

bp = Blueprint("review", __name__)
REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm")
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def drafts_folder() -> Path:
    """The folder of open drafts (DRAFTS_DIR)."""
    return Path(current_app.config["DRAFTS_DIR"])


def signed_in() -> str | None:
    """The steward of this session, or None (also when writes are off on this server)."""
    return session.get("steward") if writes_enabled(current_app) else None


def check_form() -> str:
    """The signed-in steward, after the form's CSRF token matched the session's."""
    steward = signed_in()
    if steward is None:
        raise Forbidden("sign in with a write token first (/review)")
    sent = request.form.get("csrf", "")
    if not hmac.compare_digest(sent.encode(), session.get("csrf", "").encode()):
        raise BadRequest("the form is stale or came from another site (CSRF token missing or wrong); reload the page")
    return steward


def _draft_path(name: str) -> Path:
    if not name or not set(name) <= _NAME_CHARS or name.startswith("."):
        raise NotFound(f"no draft {name[:40]!r}")
    path = drafts_folder() / f"{name}.yaml"
    if not path.is_file():
        raise NotFound(f"no open draft {name!r}: it was accepted, rejected or never made")
    return path


@bp.get("/review")
def drafts_page():
    """The open drafts, or the sign-in form."""
    if not writes_enabled(current_app):
        raise Forbidden("review needs writes: no write token is configured on this server")
    steward = signed_in()
    if steward is None:
        return render("review_signin.html")
    return render("review_list.html", steward=steward, drafts=review.list_drafts(drafts_folder()), csrf=session["csrf"],
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

    check_form()
    sent = request.files.get("report")
    name = secure_filename(sent.filename or "") if sent else ""
    if not name or Path(name).suffix.lower() not in REPORT_SUFFIXES:
        raise BadRequest(f"send one report file ({', '.join(REPORT_SUFFIXES)}) in the field 'report'")
    stem = Path(name).stem.lower()
    inbox = drafts_folder() / "inbox"
    if stem in review.drafted_names(drafts_folder()) or (inbox / name).exists():
        raise ReviewConflict(f"a report named {name!r} was already drafted; rename the file")
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / f"{stem}{Path(name).suffix.lower()}"
    sent.save(path)
    try:
        made = draft_records([path], drafts_folder(), request.form.get("publisher") or None, warn=lambda message: None,
                             published=request.form.get("published") or None,
                             source=(request.form.get("source") or "").strip() or None)
        write_records(made, drafts_folder(), "yaml", None)
    except BaseException:
        path.unlink(missing_ok=True)   # a report that gives no draft is not kept half-ingested
        raise
    return redirect(f"/review/{stem}", 303)


@bp.post("/review/signout")
def sign_out():
    """End the session."""
    check_form()
    session.clear()
    return redirect("/review", 303)


@bp.get("/review/<name>")
def draft_page(name: str):
    """One draft: the report text with the extracted facts marked, and the draft to correct."""
    if signed_in() is None:
        return redirect("/review", 303)
    path = _draft_path(name)
    text = path.read_text("utf-8")
    return _show(path, text, review.fingerprint(path), [])


@bp.post("/review/<name>")
def decide(name: str):
    """Save the corrected draft, accept it as a record, or reject it (the button pressed says which)."""
    steward = check_form()
    path = _draft_path(name)
    action = request.form.get("action")
    if action == "reject":
        reason = " ".join(request.form.get("reason", "").split())
        if not reason:
            return _show(path, path.read_text("utf-8"), review.fingerprint(path),
                         [Problem("Bitte einen Grund angeben.", "Please give a reason.", field="reason")], 422)
        review.reject(path, f"{reason} ({steward})")
        return redirect(f"/review?done=rejected:{name}", 303)
    decision, _, what = (action or "").partition(":")
    if decision not in ("save", "accept", "reject-fact", "reject-event"):
        raise BadRequest("action must be save, accept, reject, reject-fact:FACT or reject-event:N")
    edited = request.form.get("draft", "").replace("\r\n", "\n")
    opened = request.form.get("fingerprint", "")
    if edited != path.read_text("utf-8") or opened != review.fingerprint(path):
        review.save_edit(path, edited, opened)   # raises ReviewConflict (409) if someone else saved
    if decision.startswith("reject-"):
        return _reject_part(path, decision, what)
    if action == "save":
        return redirect(f"/review/{name}?saved=1", 303)
    from graph.build.pipeline import check_folder   # the build's modules load only when a steward accepts
    try:
        review.accept(path, Path(current_app.config["RECORDS_DIR"]),
                      lambda folder: check_folder(folder, current_app.config["BASE_IRI"]))
    except (ValidationFailed, RecordError) as exc:
        return _show(path, path.read_text("utf-8"), review.fingerprint(path), exc.problems, 422)
    return redirect(f"/review?done=accepted:{name}", 303)


def _reject_part(path: Path, decision: str, what: str):
    """Reject one fact (with its evidence) or one event of the saved draft (graph/records/facts.py)."""
    text, opened = path.read_text("utf-8"), review.fingerprint(path)
    try:
        if decision == "reject-fact":
            changed = facts.reject_fact(text, what)
        elif what.isdigit():
            changed = facts.reject_event(text, int(what))
        else:
            raise BadRequest("reject-event needs the event's number")
    except RecordError as exc:
        return _show(path, text, opened, exc.problems, 422)
    review.save_edit(path, changed, opened)
    return redirect(f"/review/{path.stem}?saved=1#facts", 303)


def _show(path: Path, text: str, fingerprint: str, problems: list[Problem], status: int = 200):
    try:
        data = careful_load(text, path, draft=True).data
    except RecordError as exc:
        data, problems = None, problems or exc.problems
    report_text, marks = _marked_report(path, data)
    return render("review_draft.html", status=status, name=path.stem, draft=text, fingerprint=fingerprint,
                  problems=problems, report=report_text, marks=marks, csrf=session["csrf"],
                  facts=facts.facts(data) if data else [], events=len((data or {}).get("events") or []),
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
    spans = {(e["start"], e["end"], e["field"], e.get("confidence"))
             for e in _evidence(data) if 0 <= e["start"] < e["end"] <= len(text)}
    # Overlapping evidence: the narrowest span is marked, so a fact inside a heading that is also the title
    # stays visible ('Rinchnach' in 'Digitalwerkstatt in Rinchnach'); the table lists all.
    chosen: list[tuple] = []
    for span in sorted(spans, key=lambda s: (s[1] - s[0], s[0])):
        if all(span[1] <= other[0] or other[1] <= span[0] for other in chosen):
            chosen.append(span)
    parts, at, count = [], 0, 0
    for start, end, field, confidence in sorted(chosen):
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
