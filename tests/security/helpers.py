"""What the security tests share: a listener that counts connections exactly, and a store snapshot."""

from __future__ import annotations

import hashlib
import select
import socket
import threading
import time

import requests


class Listener:
    """A real listening socket on 127.0.0.1 that counts every connection that reaches it.

    A connection is complete in the kernel (in the accept backlog) before the client sends its
    request, so after our server has answered, `drain()` sees every attempt the answer depended
    on: no waiting on a clock. Accepted connections are closed at once, so a caller that did get
    through fails fast instead of hanging.
    """

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self._count = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.sock], [], [], 0.05)
            if ready:
                self.drain()

    def drain(self) -> int:
        """Accept everything in the backlog now; the number of connections seen so far."""
        with self._lock:
            while True:
                try:
                    conn, _ = self.sock.accept()
                except (BlockingIOError, OSError):
                    break
                self._count += 1
                conn.close()
            return self._count

    def wait_for(self, count: int, seconds: float = 20.0) -> int:
        """Wait until `count` connections arrived or the deadline passed (for the positive control)."""
        deadline = time.monotonic() + seconds
        while self.drain() < count and time.monotonic() < deadline:
            select.select([self.sock], [], [], 0.05)
        return self.drain()

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


def snapshot(url: str) -> str:
    """A fingerprint of the whole store as the server serves it: every quad, sorted."""
    response = requests.post(url + "/sparql", data={"query": "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION "
                                                    "{ GRAPH ?g { ?s ?p ?o } } }"},
                             headers={"Accept": "text/tab-separated-values", "Cache-Control": "no-cache"},
                             timeout=60)
    assert response.status_code == 200, response.text
    lines = sorted(response.text.splitlines()[1:])
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
