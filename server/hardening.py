"""Bounds on what an anonymous caller can make the server do, and headers on every response (issue 10).

- Bodies: each route has its limit (uploads to /store: MAX_UPLOAD_BYTES, everything else:
  MAX_CONTENT_LENGTH), refused from Content-Length before the body is read, and capped while
  streaming when it is chunked (server/http_limits.py does the same inside waitress).
- Text: query strings and query, update and form bodies must be valid UTF-8 (400, never U+FFFD
  stored); SPARQL texts and JSON parameters may nest brackets at most MAX_NESTING deep (400),
  so no parser recurses until a worker dies.
- Work: reconciliation takes a slot of the same concurrency cap and time limit as queries.
- Headers: nosniff, no framing (X-Frame-Options and CSP frame-ancestors), a referrer policy and a
  CSP on every response that has none yet.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from urllib.parse import unquote_to_bytes

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from graph.errors import EngineBusy, ParameterError

MAX_NESTING = 256
TEXT_BODIES = ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
DEFAULT_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
# The reconciliation preview exists to be framed by a client such as OpenRefine (Reconciliation
# API 0.2), so it allows any framing page but nothing else: no scripts, no requests.
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors *"
PREVIEW_ENDPOINT = "reconcile.preview"
_KEY = "kommunalgraph.compute"


def body_limit(method: str, path: str, config) -> int:
    """The largest body the route takes: uploads to the Graph Store, or everything else."""
    if method in ("PUT", "POST") and path.rstrip("/") == "/store":
        return int(config["MAX_UPLOAD_BYTES"])
    return int(config["MAX_CONTENT_LENGTH"])


def check_body() -> None:
    """Refuse a body over the route's limit before reading it; cap a chunked one while reading."""
    limit = body_limit(request.method, request.path, current_app.config)
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(f"the body has {request.content_length} bytes; this route takes at most {limit}")
    request.max_content_length = limit


def check_utf8() -> None:
    """Refuse a query string or text body that is not valid UTF-8 (percent-decoded), with 400."""
    _strict_utf8(unquote_to_bytes(request.query_string.replace(b"+", b" ")), "the query string")
    if request.method in ("POST", "PUT") and request.mimetype in TEXT_BODIES:
        raw = request.get_data(cache=True)  # form parsing later reads this cached copy
        if request.mimetype == TEXT_BODIES[0]:
            raw = unquote_to_bytes(raw.replace(b"+", b" "))
        _strict_utf8(raw, "the request body")


def _strict_utf8(data: bytes, where: str) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{where} is not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 4]!r}); "
                         f"send text as UTF-8") from None


def check_nesting(text: str, what: str, parameter: str | None = None, limit: int = MAX_NESTING) -> None:
    """Refuse `text` whose brackets ( [ { nest deeper than `limit`, counted on the raw text.

    Counting ignores strings on purpose: it is a bound on parser recursion, not a parse, and
    real queries stay far below it.
    """
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    message = f"{what} nests brackets deeper than {limit} levels"
                    raise ParameterError(message, parameter) if parameter else BadRequest(message)
        elif char in ")]}":
            depth = max(depth - 1, 0)


@contextmanager
def compute_slot(app: Flask | None = None):
    """One of QUERY_WORKERS slots for work done in a request thread (reconciliation), or 503.

    Yields the deadline (time.monotonic()) by which the work must stop: QUERY_TIMEOUT from now.
    """
    app = app or current_app
    slots = app.extensions[_KEY]
    if not slots.acquire(timeout=float(app.config["QUEUE_TIMEOUT"])):
        raise EngineBusy(f"all {app.config['QUERY_WORKERS']} slots for queries and reconciliation are busy")
    try:
        yield time.monotonic() + float(app.config["QUERY_TIMEOUT"])
    finally:
        slots.release()


def security_headers(response):
    """The headers every response carries; a page's own CSP (YASGUI's) is kept."""
    if request.endpoint == PREVIEW_ENDPOINT:
        response.headers["Content-Security-Policy"] = PREVIEW_CSP
        response.headers["X-Content-Type-Options"] = HEADERS["X-Content-Type-Options"]
        response.headers["Referrer-Policy"] = HEADERS["Referrer-Policy"]
        return response
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    csp = response.headers.get("Content-Security-Policy")
    if csp is None:
        response.headers["Content-Security-Policy"] = DEFAULT_CSP
    elif "frame-ancestors" not in csp:
        response.headers["Content-Security-Policy"] = csp.rstrip("; ") + "; frame-ancestors 'none'"
    return response


def init_app(app: Flask) -> None:
    """Install the checks (before everything else) and the headers."""
    app.extensions[_KEY] = threading.BoundedSemaphore(max(int(app.config["QUERY_WORKERS"]), 1))
    app.before_request_funcs.setdefault(None, []).insert(0, check_utf8)
    app.before_request_funcs[None].insert(0, check_body)
    app.after_request(security_headers)
