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
    # "embedded" (the store directory, Oxigraph) or "remote" (a SPARQL 1.1 store; issue 6).
    "BACKEND": "embedded",
    # Query endpoint of the remote store, e.g. http://127.0.0.1:8890/sparql (Virtuoso).
    "REMOTE_QUERY_URL": "",
    # Update endpoint of the remote store (often the same URL); empty: read-only.
    "REMOTE_UPDATE_URL": "",
    # HTTP basic auth for the remote store; empty: none.
    "REMOTE_USER": "",
    "REMOTE_PASSWORD": "",
    # Bytes of query results kept per store version (ETag/304, issue 6); 0 turns the cache off.
    "CACHE_BYTES": 256 * 1024 * 1024,
}
