"""SPARQL around the engine: named queries, parameter binding, the federation allow-list, update targets."""
