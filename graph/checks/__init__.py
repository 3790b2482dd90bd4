"""Checks on the graph: SHACL (pyshacl and the fast verdict), OWL reasoning and rules, loading the ontology."""
