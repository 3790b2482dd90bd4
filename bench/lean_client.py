"""An HTTP client that costs next to nothing per request, to time a server rather than a client library.

`requests` spends 1.2–2.4 ms of its own on each 20–70 KB answer of a named query on this machine (measured
against the same server, request after request: 9.7 against 8.5 ms for workshops?state=Bayern at 1 M), which a
bench of the server's overhead would count as the server's. This client keeps one HTTP/1.1 connection open, as
`requests.Session` does, and reads each answer whole with the standard library's http.client, as curl or a
browser would. It offers only what bench/cold.py asks of a session: `get` with parameters and headers.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit


@dataclass
class LeanResponse:
    """The status and body of one answer."""

    status_code: int
    content: bytes

    def raise_for_status(self) -> None:
        """Raise for a 4xx or 5xx answer, as requests' Response does."""
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}: {self.content[:200]!r}")


class LeanSession:
    """One kept-alive connection to the server of the first URL asked; reconnects when the server closed it."""

    def __init__(self):
        self._connection: http.client.HTTPConnection | None = None

    def get(self, url: str, params: dict | None = None, headers: dict | None = None,
            timeout: float = 600) -> LeanResponse:
        """GET `url` with `params` as its query string; the answer read whole."""
        parts = urlsplit(url)
        if self._connection is None:
            self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        target = parts.path + ("?" + urlencode(params) if params else "")
        try:
            self._connection.request("GET", target, headers=headers or {})
            response = self._connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self._connection.close()   # a kept-alive connection the server has closed: once more on a new one
            self._connection.request("GET", target, headers=headers or {})
            response = self._connection.getresponse()
        return LeanResponse(response.status, response.read())

    def close(self) -> None:
        """Close the kept connection."""
        if self._connection is not None:
            self._connection.close()

    def __enter__(self) -> "LeanSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
