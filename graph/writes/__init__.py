"""Writes as transactions: the SHACL gate (embedded and remote), deltas, the derived default graph, the write worker."""
