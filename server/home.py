"""The landing page: what the dataset is, what it holds, pictures, examples and where to go next."""

from __future__ import annotations

from flask import Blueprint

from graph.publish import landing_page as overview
from graph.publish.resource_page import term_labels
from graph.publish.dumps import list_dumps
from server import diagrams, figures
from server.i18n import choose_language, translator
from server.site import cached, execute, render
from server.backend import get_backend

bp = Blueprint("home", __name__)


@bp.get("/")
def landing():
    """The landing page (German by default)."""
    lang, _ = choose_language()
    t = translator(lang)
    known = cached("term_labels", lambda: term_labels(execute))
    counts = cached("class_counts", lambda: overview.class_counts(execute))
    workshops = cached("workshops", lambda: overview.workshops(execute))
    topics = cached("topics-" + lang, lambda: overview.topic_counts(execute, lang))
    backend = get_backend()
    return render("landing.html", counts=counts, known=known, workshops=workshops,
                  germany_map=figures.germany_map(), workshop_timeline=figures.workshop_timeline(),
                  timeline=lambda link: diagrams.timeline(workshops, lang, link, t),
                  topic_bars=lambda link: diagrams.bars(topics, lang, link, t("topic_overview"),
                                                        t("topic_overview_desc")),
                  queries=list(backend.queries.values()), files=list_dumps(backend.store))
