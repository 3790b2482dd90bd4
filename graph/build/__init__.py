"""The build pipeline: records → RDF → checks → a new store version, serially or in parallel."""
