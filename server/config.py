"""Server configuration: one DEFAULTS mapping; each key can be set as KG_<KEY> in the environment."""

from graph.settings import Settings
from graph.sparql.federation import DEFAULT_ENDPOINTS

# The library's defaults, without the environment: create_app reads KG_* itself.
_LIBRARY = Settings()

DEFAULTS = {
    # Store directory served when no FILES are given (see graph/store/versions.py for its layout).
    "STORE": str(_LIBRARY.store),
    # RDF files to serve instead of the store (kommunalgraph serve FILE ...).
    "FILES": [],
    # Base of the IRIs the graph mints; resources are served under its path.
    "BASE_IRI": _LIBRARY.base_iri,
    # Folder of named queries (*.rq).
    "QUERIES_DIR": str(_LIBRARY.queries_dir),
    # The review page (/review): the drafts waiting for review (uploads go to its inbox/).
    "DRAFTS_DIR": str(_LIBRARY.data_dir / "drafts"),
    # The review page: where an accepted draft is written as a record.
    "RECORDS_DIR": str(_LIBRARY.records_dir),
    # The review page's "publish": the record folders it builds into STORE, as `make build` does
    # (folders that do not exist are left out; RECORDS_DIR should be one of them).
    "PUBLISH_RECORDS": [str(_LIBRARY.records_dir), str(_LIBRARY.data_dir / "reports")],
    # Query worker processes: also the number of queries that run at the same time.
    "QUERY_WORKERS": 2,
    # Named-query pages read by an index (a label, a page number) run in the request's thread instead of
    # a worker (graph/store/server_lane.py): 1 ms less each. False: every query goes to a worker.
    "LOOKUPS_IN_SERVER": True,
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
    # SPARQL endpoints that SERVICE in /sparql may call (a list, or IRIs separated by spaces);
    # any other SERVICE is refused with 403 and cannot leave the machine (query workers have no
    # network; see README, Security). The query time limit (QUERY_TIMEOUT) covers the remote call.
    "FEDERATION_ENDPOINTS": list(DEFAULT_ENDPOINTS),
    # Reconciliation (/reconcile): most queries in one batch (larger batches get 413), and most
    # entity ids in one data extension request.
    "RECONCILE_BATCH_SIZE": 50,
    # Most entity ids in one data extension request (more get 413).
    "RECONCILE_MAX_EXTEND_IDS": 500,
    # The reconciliation service that owns Wikidata items, named in data extension results so
    # clients can treat our Wikidata links as Wikidata entities (the one OpenRefine uses);
    # empty: give the QIDs as plain strings.
    "RECONCILE_WIKIDATA_SERVICE": "https://wikidata.reconci.link/en/api",
    # Public address of the server (https://…), used in the catalogue's and VoID's absolute URLs;
    # empty: the address each request came to.
    "PUBLIC_URL": "",
    # Licence of the data, from the DCAT-AP.de licence list (http://dcat-ap.de/def/licenses/).
    "DATASET_LICENSE": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    # Publisher named in the catalogue (foaf:name), and its web address (optional).
    "DATASET_PUBLISHER": "Kommunalgraph",
    # Web address of the publisher (optional).
    "DATASET_PUBLISHER_URL": "",
    # Contact point of the dataset; without an e-mail address the landing page is given.
    "DATASET_CONTACT_NAME": "Kommunalgraph-Redaktion",
    # E-mail address of the contact point (optional).
    "DATASET_CONTACT_EMAIL": "",
    # GovData contributor URI (http://dcat-ap.de/def/contributors/…), only when delivering directly.
    "DATASET_CONTRIBUTOR_ID": "",
    # Datasets per page of the catalogue (Hydra paging for harvesters).
    "CATALOG_PAGE_SIZE": 100,
    # Days the change feed (/feed, LDES) keeps members of; 0 keeps every release's members.
    "FEED_RETENTION_DAYS": 0,
    # Members per page of the change feed.
    "FEED_PAGE_SIZE": 250,
    # "embedded" (the store directory, Oxigraph) or "remote" (a SPARQL 1.1 store; issue 6).
    "BACKEND": "embedded",
    # Query endpoint of the remote store, e.g. http://127.0.0.1:8890/sparql (Virtuoso).
    "REMOTE_QUERY_URL": "",
    # Update endpoint of the remote store (often the same URL); empty: read-only.
    "REMOTE_UPDATE_URL": "",
    # HTTP basic auth for the remote store; empty: none.
    "REMOTE_USER": "",
    # Its password.
    "REMOTE_PASSWORD": "",
    # Graph that holds our default graph in the remote store (kommunalgraph push --default-graph),
    # queried as the default graph when a request names no dataset; needed for stores whose
    # default graph is the union of all graphs (Virtuoso). Empty: the store's own default graph.
    "REMOTE_DEFAULT_GRAPH": "",
    # Bytes of query results kept per store version (ETag/304, issue 6); 0 turns the cache off.
    "CACHE_BYTES": 256 * 1024 * 1024,
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
    # Run every named query with its defaults in the background when a store version appears,
    # so the cache answers their first callers (0 turns it off).
    "WARM_CACHE": True,
    # Reconciliation queries compare every entity by name (fuzzy) up to this many entities; above it,
    # only the candidates the search index finds (issue 14), since a full scan grows with the graph.
    "RECONCILE_SCAN_LIMIT": 20000,
    # Map data (municipality points, state outlines; issue 14); empty: data/reference/geo.json.
    "GEO_FILE": "",
}
