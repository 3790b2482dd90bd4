"""The change feed over HTTP: /feed (the LDES description) and /feed/pages/<n> (TREE pages).

Pages whose members all belong to closed releases never change: they are served with
`Cache-Control: immutable`; every answer has an ETag and a Last-Modified date for conditional
requests (304)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import Gone

from graph.formats import content_type
from graph.publish.ldes import PAGE_SIZE, PageGone, layout, page_quads, stream_quads
from graph.publish.releases import release_time
from server.backend import get_backend
from server.site import negotiate, public_url

bp = Blueprint("feed", __name__)
# Pages carry named graphs (each member's statements): formats that can hold them.
FEED_TYPES = {"application/trig": ox.RdfFormat.TRIG, "application/n-quads": ox.RdfFormat.N_QUADS,
              "application/ld+json": ox.RdfFormat.JSON_LD}


def _answer(quads: list, etag: str, last, immutable: bool = False) -> Response:
    media_type = negotiate(tuple(FEED_TYPES))
    body = ox.serialize(quads, format=FEED_TYPES[media_type])
    response = Response(body, content_type=content_type(media_type))
    response.set_etag(f"{etag}-{media_type}")
    if last is not None:
        response.last_modified = release_time(last)
    response.vary.add("Accept")
    response.cache_control.public = True
    if immutable:
        response.cache_control.immutable = True
        response.cache_control.max_age = 31536000
    return response.make_conditional(request)


def _plan():
    return layout(get_backend().store.root, int(current_app.config.get("FEED_RETENTION_DAYS") or 0),
                  int(current_app.config.get("FEED_PAGE_SIZE") or PAGE_SIZE))


@bp.get("/feed")
def stream():
    """The event stream: what its members are versions of, by which time, and where to start."""
    plan = _plan()
    newest = plan.releases[-1] if plan.releases else None
    quads = stream_quads(current_app.config["BASE_IRI"], public_url("/feed"), plan,
                         int(current_app.config.get("FEED_RETENTION_DAYS") or 0))
    return _answer(quads, f"feed-{newest.version if newest else 'none'}-{plan.first_kept}", newest)


@bp.get("/feed/pages/<int:page>")
def page(page: int):
    """One page of members; past the last page 404, before the retained ones 410."""
    plan = _plan()
    try:
        quads = page_quads(get_backend().store.root, current_app.config["BASE_IRI"], public_url("/feed"), plan, page)
    except PageGone as exc:
        raise Gone(str(exc)) from None
    span = plan.span(page)
    last = span[-1][0] if span else (plan.releases[-1] if plan.releases else None)
    closed = plan.closed(page)
    etag = f"page-{page}-{plan.size}-" + (last.version if last else "none") + ("" if closed else f"-{plan.total}")
    return _answer(quads, etag, last, immutable=closed)
