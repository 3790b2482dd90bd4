"""Record files and their reference data: reading and schema checks, the gazetteer and its importer, synthetic records."""
