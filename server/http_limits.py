"""Per-route body limits inside waitress, so a large body is refused before it is read (issue 10).

Waitress reads a whole request body (spooling it to disk) before it calls the app, and has one
body limit for all routes. Uploads to /store may be large (MAX_UPLOAD_BYTES); everything else
is small (MAX_CONTENT_LENGTH). The parser below learns the route once the headers are in and
swaps in that route's limit, so waitress itself answers 413: at once from the Content-Length,
or as soon as a chunked body passes the limit.
"""

from __future__ import annotations

import copy
import json
from typing import Callable

import waitress
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from server.hardening import DEFAULT_CSP, HEADERS


class JsonErrorTask(ErrorTask):
    """Waitress' own refusals (413, 400 for a broken request) in the app's error shape and headers."""

    def execute(self):
        """Write the refusal as JSON with the security headers (instead of waitress' plain text)."""
        error = self.request.error
        self.status = f"{error.code} {error.reason}"
        body = json.dumps({"error": f"{error.reason}: {error.body}", "status": error.code}).encode()
        self.response_headers.extend([("Content-Type", "application/json"), *HEADERS.items(),
                                      ("Content-Security-Policy", DEFAULT_CSP)])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


def serve(app, limit: Callable[[str, str], int], **settings) -> None:
    """Run `app` with waitress; `limit(method, path)` gives each request's largest body in bytes."""

    class RouteParser(HTTPRequestParser):
        def parse_header(self, header_plus):
            super().parse_header(header_plus)
            # The parser compares against max_request_body_size right after this returns.
            adj = copy.copy(self.adj)
            adj.max_request_body_size = limit(self.command, self.path) + 1
            self.adj = adj

    class RouteChannel(HTTPChannel):
        parser_class = RouteParser
        error_task_class = JsonErrorTask

    sockets: dict = {}
    server = waitress.create_server(app, map=sockets, **settings)
    for dispatcher in list(sockets.values()):
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = RouteChannel
    server.print_listen("Serving on http://{}:{}")
    server.run()
