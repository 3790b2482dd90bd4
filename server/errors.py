"""Every error becomes one JSON shape, {"error": message, "status": code}, in one place."""

from __future__ import annotations

from flask import Flask, has_request_context, jsonify
from werkzeug.exceptions import HTTPException

from graph.errors import (EngineBusy, EvaluationError, NotAcceptable, ParameterError, QuerySyntaxError,
                          QueryTimeout, ReportParseError, ResultTooLarge, ServiceNotAllowed, StoreError,
                          UnknownQuery, UnknownResource, UnsupportedQuery)

# Domain exception → HTTP status. Order matters: the first matching class wins.
STATUS = [
    (QuerySyntaxError, 400),
    (ParameterError, 400),
    (ReportParseError, 400),
    (UnsupportedQuery, 400),
    (ServiceNotAllowed, 400),
    (UnknownQuery, 404),
    (UnknownResource, 404),
    (NotAcceptable, 406),
    (ResultTooLarge, 422),
    (QueryTimeout, 503),
    (EngineBusy, 503),
    (StoreError, 503),
    (EvaluationError, 502),
]
RETRY_AFTER = {QueryTimeout: "30", EngineBusy: "5", StoreError: "30"}


def error_response(message: str, status: int, **extra):
    """The one error body shape; a page with the same message for browsers (they prefer HTML)."""
    from server.site import prefers_html, render
    if has_request_context() and prefers_html():
        return render("error.html", status=status, heading="not_found" if status == 404 else "error",
                      message=message, error_page=True)
    body = {"error": message, "status": status}
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    return response


def handle_http(exc: HTTPException):
    """404, 405, 413 … in the common shape."""
    response = error_response(exc.description or exc.name, exc.code or 500)
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def handle_domain(exc: Exception):
    """Domain errors with the status their kind stands for."""
    for cls, status in STATUS:
        if isinstance(exc, cls):
            extra = {}
            if isinstance(exc, QuerySyntaxError):
                extra = {"line": exc.line, "column": exc.column}
            elif isinstance(exc, ParameterError):
                extra = {"parameter": exc.parameter}
            elif isinstance(exc, NotAcceptable):
                extra = {"available": exc.available}
            elif isinstance(exc, ServiceNotAllowed):
                extra = {"service": exc.service}
            response = error_response(str(exc), status, **extra)
            if cls in RETRY_AFTER:
                response.headers["Retry-After"] = RETRY_AFTER[cls]
            return response
    raise exc


def handle_unexpected(exc: Exception):
    """Anything else is our fault: log the traceback, tell the client nothing internal."""
    from flask import current_app
    current_app.logger.exception("unhandled error")
    return error_response("internal server error", 500)


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http)
    for cls, _status in STATUS:
        app.register_error_handler(cls, handle_domain)
    app.register_error_handler(Exception, handle_unexpected)
