"""The on-disk versioned store and the query engines (embedded pool, cache, remote SPARQL store)."""
