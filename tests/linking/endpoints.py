"""Local endpoints for the linking tests: a scripted SPARQL endpoint and a silent TCP listener."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

STANDIN = Path(__file__).resolve().parent.parent / "data" / "wikidata-standin.ttl"


class ScriptedEndpoint:
    """A real SPARQL endpoint (pyoxigraph over HTTP) on 127.0.0.1 that first plays a script.

    Each request takes the next step of `script`: "429:<Retry-After>", "503", "sleep:<seconds>"
    (then answers), "html" (a 200 that is not SPARQL JSON); when the script is used up, queries
    are answered from the stand-in fixture.
    """

    def __init__(self, script: list[str] | None = None, update: str | None = None):
        self.script = list(script or [])
        self.store = ox.Store()
        self.store.load(path=str(STANDIN), format=ox.RdfFormat.TURTLE)
        if update:
            self.store.update(update)
        self.requests: list[dict] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                query = (urllib.parse.parse_qs(body).get("query") or [body])[0]
                endpoint.requests.append({"user_agent": self.headers.get("User-Agent"), "query": query,
                                          "accept": self.headers.get("Accept")})
                step = endpoint.script.pop(0) if endpoint.script else "ok"
                if step.startswith("429:"):
                    return self.reply(429, b"slow down", "text/plain", {"Retry-After": step[4:]})
                if step == "503":
                    return self.reply(503, b"unavailable", "text/plain")
                if step.startswith("sleep:"):
                    time.sleep(float(step[6:]))  # a slow endpoint is the behaviour under test
                if step == "html":
                    return self.reply(200, b"<html>maintenance</html>", "text/html")
                try:
                    solutions = endpoint.store.query(query)
                    data = solutions.serialize(format=ox.QueryResultsFormat.JSON)
                except SyntaxError as exc:
                    return self.reply(400, str(exc).encode(), "text/plain")
                self.reply(200, data, "application/sparql-results+json")

            def reply(self, status, body, media_type, headers=None):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", media_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up waiting (the timeout tests)

            def log_message(self, *args):
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


class SilentListener:
    """A TCP listener that records every connection attempt and answers nothing."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self.thread.join(5)
        self.sock.close()


def sparql_json(response_body: bytes) -> list[dict]:
    """Bindings of a SPARQL JSON result as {var: value}."""
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(response_body)["results"]["bindings"]]
