"""Records to RDF: the mapper, place IRIs, provenance of evidence, the topic scheme."""
