"""Report texts: documents read from plain text, HTML and Markdown, and their sentences (used by extraction and provenance)."""
