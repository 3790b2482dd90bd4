"""Server configuration: one DEFAULTS mapping; each key can be set as KG_<KEY> in the environment."""

from graph import project

DEFAULTS = {
    # Store directory served when no FILES are given (see graph/store.py for its layout).
    "STORE": str(project.DEFAULT_STORE),
    # RDF files to serve instead of the store (kommunalgraph serve FILE ...).
    "FILES": [],
    # Base of the IRIs the graph mints; resources are served under its path.
    "BASE_IRI": project.DEFAULT_BASE_IRI,
    # Folder of named queries (*.rq).
    "QUERIES_DIR": str(project.QUERIES_DIR),
    # Query worker processes: also the number of queries that run at the same time.
    "QUERY_WORKERS": 2,
    # Seconds a query may run before its worker is killed and the client gets 503.
    "QUERY_TIMEOUT": 30.0,
    # Seconds a query may wait for a free worker before the client gets 503.
    "QUEUE_TIMEOUT": 10.0,
    # Largest serialised result in bytes; larger results get 422.
    "MAX_RESULT_BYTES": 64 * 1024 * 1024,
    # Largest request body in bytes for queries (Flask's MAX_CONTENT_LENGTH); larger get 413.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # Origins allowed by CORS; "*" lets any web page query the endpoint.
    "CORS_ORIGINS": "*",
    # Threads of the WSGI server (waitress) that accept requests.
    "HTTP_THREADS": 8,
    # Largest form field in bytes (a query or update sent as a form); larger get 413.
    "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
    # Writers: {name: bearer token}, or "name:token,name:token" in KG_WRITE_TOKENS. Tokens need at
    # least 16 characters; the name is what the write log records. Empty: writes are disabled (403).
    "WRITE_TOKENS": {},
    # Seconds a write (update or upload, validation included) may run before it is stopped (503).
    "WRITE_TIMEOUT": 120.0,
    # Largest Graph Store Protocol upload (PUT/POST /store) in bytes; larger get 413.
    "MAX_UPLOAD_BYTES": 512 * 1024 * 1024,
    # Requests per second each client may make on average; 0 turns rate limiting off.
    "RATE_LIMIT": 20.0,
    # Requests a client may make at once before RATE_LIMIT applies (the bucket size).
    "RATE_BURST": 100,
    # Client addresses that are never rate-limited (comma-separated); by default this machine.
    "RATE_LIMIT_EXEMPT": "127.0.0.1,::1",
    # Address of a reverse proxy whose headers waitress trusts for the client address; empty: none.
    "TRUSTED_PROXY": "",
    # Which headers of TRUSTED_PROXY carry the client address (waitress' trusted_proxy_headers).
    "TRUSTED_PROXY_HEADERS": "x-forwarded-for",
    # Serve Prometheus metrics at /metrics.
    "METRICS_ENABLED": True,
}
