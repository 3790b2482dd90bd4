"""Who may write: named bearer tokens from WRITE_TOKENS, checked before a write touches anything."""

from __future__ import annotations

import hashlib
import hmac
from typing import Mapping

from flask import Flask, current_app, g, jsonify, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from graph.writes.write_log import WriteResult

_KEY = "kommunalgraph.tokens"
MIN_TOKEN_LENGTH = 16


def parse_tokens(value) -> dict[str, str]:
    """WRITE_TOKENS as {token: name}: a mapping {name: token}, or text "name:token,name:token".

    :raises ValueError: if a token is shorter than 16 characters or used twice.
    """
    if isinstance(value, str):
        pairs = []
        for item in filter(None, (part.strip() for part in value.split(","))):
            name, sep, token = item.partition(":")
            if not sep or not name.strip():
                raise ValueError("WRITE_TOKENS must look like 'name:token,name:token'")
            pairs.append((name.strip(), token.strip()))
    elif isinstance(value, Mapping):
        pairs = [(str(name), str(token)) for name, token in value.items()]
    else:
        raise ValueError("WRITE_TOKENS must be a mapping of names to tokens")
    tokens: dict[str, str] = {}
    for name, token in pairs:
        if len(token) < MIN_TOKEN_LENGTH:
            raise ValueError(f"the write token of {name!r} is shorter than {MIN_TOKEN_LENGTH} characters")
        if token in tokens:
            raise ValueError(f"{name!r} and {tokens[token]!r} have the same write token")
        tokens[token] = name
    return tokens


def init_app(app: Flask) -> None:
    """Read the write tokens once; no tokens means writes are disabled."""
    app.extensions[_KEY] = parse_tokens(app.config["WRITE_TOKENS"] or {})
    if app.extensions[_KEY] and not app.secret_key:
        # The review page's session cookie is signed with a key every worker process derives alike
        # from the tokens: a changed token ends all sessions.
        app.secret_key = hashlib.sha256(("kommunalgraph-review|" + "|".join(sorted(app.extensions[_KEY])))
                                        .encode()).hexdigest()
    app.config.update(SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True)


def steward_for(token: str) -> str | None:
    """The name of the holder of write token `token`, or None."""
    for known, name in current_app.extensions[_KEY].items():
        if token and hmac.compare_digest(known.encode(), token.encode()):
            return name
    return None


def writes_enabled(app: Flask) -> bool:
    """Whether any write token is configured."""
    return bool(app.extensions.get(_KEY))


def require_writer() -> str:
    """The name of the token holder making this request.

    Raises 403 when writes are disabled or the token is wrong, 401 when there is none.
    """
    g.kg_write_attempt = True
    tokens = current_app.extensions[_KEY]
    if not tokens or current_app.extensions["kommunalgraph"].writer is None:
        raise Forbidden("writes are not enabled on this server (no write token is configured, it serves "
                        "files instead of a store, or its remote store has no KG_REMOTE_UPDATE_URL)")
    auth = request.authorization
    if auth is None or auth.type != "bearer" or not auth.token:
        raise Unauthorized("this write needs a bearer token: send 'Authorization: Bearer <token>'",
                           www_authenticate=WWWAuthenticate("bearer", {"realm": "kommunalgraph"}))
    for token, name in tokens.items():
        if hmac.compare_digest(token.encode(), auth.token.encode()):
            return name
    raise Forbidden("the write token is not valid")


def write_response(result: WriteResult, status: int = 200):
    """A write's outcome as JSON."""
    body = {"changed": result.changed, "operation": result.operation, "graphs": result.graphs,
            "added": result.added, "removed": result.removed, "store_version": result.version,
            "warnings": result.warnings, "seconds": result.seconds}
    response = jsonify(body)
    response.status_code = status
    return response
