"""Fuzzing the extractor with report texts (issue 6): a draft that passes the record schema,
or a ReportParseError with a message; never another exception."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import ReportParseError
from graph.extraction.extractor import Extractor
from graph.records.record import check

CORPUS = Path(__file__).parent / "corpus"
SEEDS = sorted(p.read_text("utf-8") for p in CORPUS.rglob("*") if p.suffix in (".txt", ".md", ".html"))
EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "40"))
FRAGMENTS = ["am 3. März 2023 ", "Bild 4\n", "© Foto: X\n", "in der VG Musterhausen ", "Prof. Dr. ", "<p>", "</div>",
             "# Überschrift\n", "„Titel“ ", "11.5.", " bis 12. ", "Landkreis ", "\x00", "\ufeff", "ehem. ", "\n\n"]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def texts() -> st.SearchStrategy:
    """Corpus texts cut, spliced and sprinkled with fragments and random characters."""
    seed = st.sampled_from(SEEDS)
    spliced = st.tuples(seed, st.integers(0, 5000), st.integers(0, 5000), st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=8)).map(
        lambda t: t[0][: t[1]] + "".join(t[3]) + t[0][t[2]:])
    return st.one_of(spliced, st.text(max_size=300))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(text=texts(), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_any_text_gives_a_valid_draft_or_a_clear_error(extractor, tmp_path_factory, text, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"bericht{suffix}"
    path.write_text(text, "utf-8", errors="surrogatepass")
    try:
        record = extractor.extract(path)
    except ReportParseError as exc:
        assert str(exc)
        return
    assert check(record, str(path), draft=True) == [], "the draft must pass the record schema (as a draft)"
    for index, event in enumerate(record["events"]):   # a draft without a place asks the steward for one
        assert "municipality" in event or f"events[{index}].municipality: kein Ort gefunden / no place found" in record["review"]
