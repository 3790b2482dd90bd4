"""Where the project's data folders are, and the documented defaults."""

from __future__ import annotations

import os
from pathlib import Path

# The library runs from a checkout (make install uses an editable install), so the
# data folders sit next to the package.
PROJECT_DIR = Path(os.environ.get("KG_PROJECT_DIR", Path(__file__).resolve().parent.parent))
ONTOLOGY_DIR = PROJECT_DIR / "ontology"
SHAPES_DIR = PROJECT_DIR / "shapes"
QUERIES_DIR = PROJECT_DIR / "queries"
DATA_DIR = PROJECT_DIR / "data"
RECORDS_DIR = DATA_DIR / "records"
REFERENCE_DIR = DATA_DIR / "reference"
LINKS_DIR = DATA_DIR / "links"

# One documented default store location; every command takes --store to override it.
DEFAULT_STORE = Path(os.environ.get("KG_STORE", PROJECT_DIR / "var" / "store"))

# IRIs of the data are minted under this base; KG_BASE_IRI or --base-iri changes it.
DEFAULT_BASE_IRI = os.environ.get("KG_BASE_IRI", "https://w3id.org/kommunalgraph/")
