"""Per-client rate limiting: a token bucket per client address, checked before every request.

Each client may make RATE_BURST requests at once and RATE_LIMIT per second after that; past
that it gets 429 with Retry-After. Clients are told apart by their address; behind a reverse
proxy named in TRUSTED_PROXY, waitress takes it from the proxy's X-Forwarded-For (and drops
that header from anyone else). Addresses in RATE_LIMIT_EXEMPT (by default this machine) are
not limited.
"""

from __future__ import annotations

import math
import threading
import time

from flask import Flask, current_app, request
from werkzeug.exceptions import TooManyRequests

_KEY = "kommunalgraph.rate"
MAX_CLIENTS = 100_000


class TokenBuckets:
    """Token buckets by client key, in memory, safe across the server's threads."""

    def __init__(self, rate: float, burst: float, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, max(burst, 1.0), clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token for `key`; return 0 if granted, else the seconds until one is free."""
        now = self.clock()
        with self._lock:
            tokens, stamp = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - stamp) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                if len(self._buckets) > MAX_CLIENTS:
                    self._forget_full(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: they hold no information, and memory stays bounded."""
        for key, (tokens, stamp) in list(self._buckets.items()):
            if tokens + (now - stamp) * self.rate >= self.burst:
                del self._buckets[key]


def check_rate() -> None:
    """Refuse the request with 429 when its client has used up its bucket."""
    # Behind a reverse proxy, waitress sets the address from the proxy's header (TRUSTED_PROXY).
    key = request.remote_addr or "unknown"
    if key in current_app.extensions[_KEY + ".exempt"]:
        return
    wait = current_app.extensions[_KEY].take(key)
    if wait:
        raise TooManyRequests(f"too many requests from {key}: at most {current_app.config['RATE_LIMIT']:g} "
                              f"per second; try again in {math.ceil(wait)} s", retry_after=math.ceil(wait))


def init_app(app: Flask) -> None:
    """Install the limiter unless RATE_LIMIT is 0."""
    rate = float(app.config["RATE_LIMIT"])
    if rate <= 0:
        return
    app.extensions[_KEY] = TokenBuckets(rate, float(app.config["RATE_BURST"]))
    exempt = app.config["RATE_LIMIT_EXEMPT"]
    if isinstance(exempt, str):
        exempt = exempt.split(",")
    app.extensions[_KEY + ".exempt"] = {e.strip() for e in exempt if e.strip()}
    app.before_request(check_rate)
