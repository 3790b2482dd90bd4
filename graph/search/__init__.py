"""Full-text search over the published graph (issue 14): analysis, index files, queries."""
