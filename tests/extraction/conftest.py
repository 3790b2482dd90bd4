"""Fixtures for the extraction tests: one extractor per session; skip when the municipality list is missing."""

from __future__ import annotations

import pytest

from graph.settings import current


@pytest.fixture(scope="session")
def extractor():
    """The extractor with the imported municipality list (skips without it)."""
    if not (current().reference_dir / "gazetteer.csv").exists():
        pytest.skip("data/reference/gazetteer.csv is missing: run `kommunalgraph gazetteer import` (make install does)")
    from graph.extraction.extractor import Extractor
    from tests.extraction.evaluate import CORPUS_DAY

    return Extractor(today=CORPUS_DAY)


@pytest.fixture
def extract_text(extractor, tmp_path):
    """Draft a record from a report text written to a file, as `kommunalgraph extract` reads it."""
    def extract(text: str) -> dict:
        path = tmp_path / "report.txt"
        path.write_text(text, "utf-8")
        return extractor.extract(path)
    return extract
