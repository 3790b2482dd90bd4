"""Links to Wikidata: the client, matching, the link file, enrichment, reconciliation."""
