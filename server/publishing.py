"""/review/publish and /review/suppress: what a steward's review puts into effect (issue 14).

Publishing builds the record folders into the served store in a child process
(graph/build/publish_job.py); removing a person enters them in suppressed.yaml, in force with the
next publish. Both need a server that builds and serves its own store, and a signed-in steward
(server/review.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, current_app, redirect, request, session

from graph.build import publish_job
from graph.errors import Problem, RecordError, ReviewConflict
from graph.records import review
from server.backend import get_backend
from server.review import check_form, drafts_folder, signed_in
from server.site import render

bp = Blueprint("publishing", __name__)


@bp.post("/review/publish")
def publish():
    """Build the record folders into the served store, in the background (graph/build/publish_job.py)."""
    steward = check_form()
    config = current_app.config
    _own_store()
    publish_job.start(drafts_folder(), Path(config["STORE"]), _publish_folders(), config["BASE_IRI"], steward)
    return redirect("/review/publish", 303)


@bp.get("/review/publish")
def publish_page():
    """How the last publish went; the page reloads itself while it runs."""
    if signed_in() is None:
        return redirect("/review", 303)
    return render("review_publish.html", job=publish_job.read_state(drafts_folder()), csrf=session["csrf"])


@bp.post("/review/suppress")
def suppress():
    """Remove a person on request (DSGVO Art. 17/21): an entry in suppressed.yaml, in force with the next publish."""
    from graph.iri import Minter
    from graph.records.suppressions import add_suppression

    check_form()
    _own_store()
    minter = Minter(current_app.config["BASE_IRI"])
    person = request.form.get("person", "").strip()
    try:
        name = _published_name(person, minter)
        done = add_suppression(Path(current_app.config["RECORDS_DIR"]).parent, minter, person,
                               request.form.get("reason", ""), name)
    except RecordError as exc:
        return render("review_list.html", status=422, steward=session["steward"], csrf=session["csrf"],
                      drafts=review.list_drafts(drafts_folder()), problems=exc.problems, person=person)
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
