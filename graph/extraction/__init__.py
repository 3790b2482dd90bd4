"""Drafting records from German report texts (`kommunalgraph extract`)."""
