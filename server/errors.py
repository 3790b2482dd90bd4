"""Every error becomes one JSON shape, {"error": message, "status": code}, in one place."""

from __future__ import annotations

from flask import Flask, Response, g, has_request_context, jsonify, request
from werkzeug.exceptions import HTTPException

from graph.errors import (EngineBusy, EvaluationError, GraphNotFound, NotAcceptable, ParameterError,
                          QuerySyntaxError, QueryTimeout, ReadOnlyGraph, RemoteWriteFailed, ReportParseError,
                          ResultTooLarge, ServiceNotAllowed, StoreError, SuppressedPerson, UnknownQuery, UnknownResource,
                          UnsupportedQuery, UnprovableUpdate, UnsupportedRdfFormat, UpdateError, WriteRejected,
                          WriteTimeout, ReviewConflict)

# Domain exception → HTTP status. Order matters: the first matching class wins.
STATUS = [
    (QuerySyntaxError, 400),
    (ParameterError, 400),
    (ReportParseError, 400),
    (UnsupportedQuery, 400),
    # 403, not 400: the query is well-formed; the policy refuses it (issue 11, syntax-service-*).
    (ServiceNotAllowed, 403),
    (UpdateError, 400),
    (ReadOnlyGraph, 403),
    (SuppressedPerson, 403),
    (UnprovableUpdate, 403),
    (UnknownQuery, 404),
    (UnknownResource, 404),
    (GraphNotFound, 404),
    (NotAcceptable, 406),
    # 409: the write is well-formed but conflicts with the shapes the store enforces.
    (WriteRejected, 409),
    # 409: another steward saved or decided on the draft first (graph/records/review.py).
    (ReviewConflict, 409),
    (UnsupportedRdfFormat, 415),
    (ResultTooLarge, 422),
    (QueryTimeout, 503),
    (WriteTimeout, 503),
    (EngineBusy, 503),
    (StoreError, 503),
    (EvaluationError, 502),
    # 502: the remote store behind us failed a write; the message says whether any of it is there.
    (RemoteWriteFailed, 502),
]
RETRY_AFTER = {QueryTimeout: "30", WriteTimeout: "30", EngineBusy: "5", StoreError: "30"}
# Headers an HTTPException carries that the JSON error response must keep.
KEPT_HEADERS = ("WWW-Authenticate", "Retry-After")


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
    g.kg_error = type(exc).__name__
    response = error_response(exc.description or exc.name, exc.code or 500)
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    for name, value in exc.get_headers():
        if name in KEPT_HEADERS:
            response.headers[name] = value
    return response


def handle_domain(exc: Exception):
    """Domain errors with the status their kind stands for."""
    g.kg_error = type(exc).__name__
    for cls, status in STATUS:
        if isinstance(exc, cls):
            extra = {}
            if isinstance(exc, QuerySyntaxError):
                extra = {"line": exc.line, "column": exc.column}
            elif isinstance(exc, ParameterError):
                extra = {"parameter": exc.parameter}
            elif isinstance(exc, (NotAcceptable, UnsupportedRdfFormat)):
                extra = {"available": exc.available}
            elif isinstance(exc, ServiceNotAllowed):
                extra = {"service": exc.service}
            elif isinstance(exc, WriteRejected):
                return rejected_write(exc, status)
            response = error_response(str(exc), status, **extra)
            if cls in RETRY_AFTER:
                response.headers["Retry-After"] = RETRY_AFTER[cls]
            return response
    raise exc


def rejected_write(exc: WriteRejected, status: int):
    """The SHACL results as JSON (German and English), or the SHACL report graph as Turtle if preferred."""
    turtle = request.accept_mimetypes.quality("text/turtle")
    if turtle and turtle > request.accept_mimetypes.quality("application/json"):
        return Response(exc.report_turtle, status=status, content_type="text/turtle; charset=utf-8")
    return error_response(str(exc), status, conforms=False, results=exc.results)


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
