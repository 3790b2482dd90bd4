"""Helpers the HTML views share: language, links to pages, per-version caching, rendering."""

from __future__ import annotations

from typing import Callable
from urllib.parse import urlencode

from flask import Response, current_app, render_template, request

from graph.publish.documents import Documents
from graph.errors import NotAcceptable, ParameterError
from graph.formats import content_type
from graph.publish.vocabulary import curie
from server.i18n import choose_language, translator
from server.backend import get_backend
from graph.formats import RDFLIB_NAMES

_CACHE_KEY = "kommunalgraph.cache"
# Pages load nothing from elsewhere and run only our own scripts (the editor's included).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def documents() -> Documents:
    """The IRI ↔ document mapping for the configured base."""
    if "kommunalgraph.documents" not in current_app.extensions:
        current_app.extensions["kommunalgraph.documents"] = Documents(current_app.config["BASE_IRI"])
    return current_app.extensions["kommunalgraph.documents"]


def execute(query_request):
    """Run a query on the app's engine."""
    return get_backend().engine.query(query_request)


def cached(name: str, build: Callable):
    """`build()` once per store version: a published version never changes."""
    version = get_backend().store.current()
    cache = current_app.extensions.setdefault(_CACHE_KEY, {})
    if (version, name) not in cache:
        for key in [k for k in cache if k[0] != version]:
            del cache[key]
        cache[(version, name)] = build()
    return cache[(version, name)]


def prefers_html() -> bool:
    """True when the client (a browser) prefers HTML to JSON; anything-goes clients get JSON."""
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def public_url(path: str) -> str:
    """The absolute URL of a path on this server (PUBLIC_URL, or the address the request used)."""
    root = current_app.config.get("PUBLIC_URL") or request.url_root
    return root.rstrip("/") + path


def render(template: str, status: int = 200, error_page: bool = False, **context) -> Response:
    """Render a page in the request's language with the helpers every template uses."""
    try:
        lang, explicit = choose_language()
    except ParameterError:
        if not error_page:
            raise
        lang, explicit = "de", False

    def href(path: str, **params) -> str:
        """A link to a page of this site that keeps an explicitly chosen language."""
        if explicit:
            params.setdefault("lang", lang)
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return f"{path}?{query}" if query else path

    def link(iri: str) -> str:
        """Where an IRI leads: its page if we mint it, our ontology documentation, or the IRI itself."""
        page = documents().page_path(iri)
        if page:
            return href(page)
        local = documents().local_path(iri)
        # Only web addresses become links: an IRI such as javascript:… or urn:… is no place to go.
        return local or (iri if iri.startswith(("http://", "https://")) else "#")

    def number(value: float, digits: int = 1, sign: bool = False) -> str:
        """A number as the page's language writes it: 8,3 in German, 8.3 in English."""
        text = f"{value:{'+' if sign else ''}.{digits}f}"
        return text.replace(".", ",") if lang == "de" else text

    switch = {**request.args.to_dict(), "lang": "en" if lang == "de" else "de"}
    body = render_template(template, status=status, lang=lang, t=translator(lang), href=href, link=link, curie=curie,
                           number=number,
                           switch_url=f"{request.path}?{urlencode(switch)}", **context)
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.headers["Content-Language"] = lang
    response.headers["Content-Security-Policy"] = CSP
    response.vary.update(("Accept", "Accept-Language"))
    return response




def negotiate(offered: tuple[str, ...], extension_type: str | None = None) -> str:
    """The media type fixed by an extension, else the offered type the client likes best.

    :raises NotAcceptable: if the client accepts none of them.
    """
    if extension_type:
        return extension_type
    best = request.accept_mimetypes.best_match(offered) if request.accept_mimetypes else offered[0]
    if best is None:
        raise NotAcceptable(f"available as {', '.join(offered)}", list(offered))
    return best


def graph_response(graph, media_type: str) -> Response:
    """An rdflib graph serialised in `media_type`."""
    response = Response(graph.serialize(format=RDFLIB_NAMES[media_type], encoding="utf-8"),
                        content_type=content_type(media_type))
    response.vary.add("Accept")
    return response
