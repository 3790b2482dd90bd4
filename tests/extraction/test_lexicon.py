"""Names learned by keyphraseness (graph/extraction/lexicon.py) and the organisers drafted from them."""

from __future__ import annotations

import json

from graph.extraction import details
from graph.extraction.lexicon import Example, Lexicon, fit, name_pattern
from graph.text.documents import load_document
from graph.text.sentences import split


def test_names_are_kept_by_keyphraseness_in_their_usual_spelling():
    examples = [Example("Die Digitalakademie@bw lud ein.", {"Digitalakademie@bw"}),
                Example("Mit der Digitalakademie@BW.", {"Digitalakademie@BW", "Landratsamt"}),
                Example("Die Digitalakademie@bw war nicht dabei.", set()),
                Example("Das Landratsamt informierte.", {"Landratsamt"}),
                Example("Das Landratsamt und die Gemeinde.", set()),
                Example("Im Landratsamt tagte man.", set()),
                Example("Einmal genannt: Verein Eins.", {"Verein Eins"})]
    learned = fit(examples)
    # 2 of 3 naming texts record the academy; 1 of 3 record the Landratsamt (one record names it without the
    # text naming it); 'Verein Eins' is recorded by one text only.
    assert learned.names == ["Digitalakademie@bw"]
    assert learned.keyphraseness == {"Digitalakademie@bw": 0.667}


def test_a_name_is_found_across_spaces_hyphens_and_as_a_compound_start():
    pattern = name_pattern("Smarte Grenzregion")
    assert pattern.search("Projekt Smarte-Grenzregion-Workshop")
    assert pattern.search("die smarte  Grenzregionen")
    assert not pattern.search("unsmarte Grenzregion")
    assert Lexicon(["Mobilität"]).found("Zur Mobilität und Mobilität") == [("Mobilität", 4, 13)]


def test_saved_lexicon_loads_alike_and_a_missing_file_is_none(tmp_path):
    learned = Lexicon(["Stiftung Digitale Chancen"], {"Stiftung Digitale Chancen": 0.5})
    learned.save(tmp_path / "organisers.json")
    loaded = Lexicon.load(tmp_path / "organisers.json")
    assert loaded.names == learned.names and loaded.keyphraseness == learned.keyphraseness
    assert json.loads((tmp_path / "organisers.json").read_text("utf-8")) == {"Stiftung Digitale Chancen": 0.5}
    assert Lexicon.load(tmp_path / "missing.json") is None and Lexicon.load(None) is None


def test_learned_organisers_join_the_rules_without_duplicates(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Die Stiftung Digitale Chancen veranstaltete mit der Gemeinde Gleichen eine Konferenz. "
                    "Die Stiftung Digitale Chancen zog Bilanz.\n", "utf-8")
    doc = load_document(path)
    sentences = split(doc, list(doc.blocks))
    names = Lexicon(["Stiftung Digitale Chancen", "Hochschule Mittweida"], {"Stiftung Digitale Chancen": 0.5})
    found = details.with_learned_organisers([], names, sentences)
    assert [(f.value, doc.clean[f.start:f.end], f.confidence) for f in found] == [
        ("Stiftung Digitale Chancen", "Stiftung Digitale Chancen", 0.5)]
    ruled = details.Fact("Stiftung Digitale Chancen e.V.", 4, 34)
    assert details.with_learned_organisers([ruled], names, sentences) == [ruled]


def test_a_broken_organisers_file_is_a_clear_error_before_anything_is_written(tmp_path):
    import pytest

    from graph.errors import KommunalgraphError
    from graph.extraction.drafts import draft_records

    report = tmp_path / "report.txt"
    report.write_text("Am 3. März 2022 fand in Köln ein Workshop statt.\n", "utf-8")
    model = tmp_path / "model"
    model.mkdir()
    for broken in ('{"Stiftung": ', '["a list"]', '{"Stiftung": "hoch"}'):
        (model / "organisers.json").write_text(broken, "utf-8")
        with pytest.raises(KommunalgraphError, match="organisers.json is unreadable.*make model"):
            draft_records([report], tmp_path / "out", None, warn=lambda message: None, model_dir=model)
        assert not (tmp_path / "out").exists()


def test_an_adjective_of_a_name_is_found_in_any_case():
    """Issue 12: the theme 'Digitale Bildung' is named 'zur digitalen Bildung', 'Ländlicher Raum' 'im ländlichen Raum'."""
    assert name_pattern("Digitale Bildung").search("Angebote zur digitalen Bildung")
    assert name_pattern("Ländlicher Raum").search("Leben im ländlichen Raum")
    assert name_pattern("Bayerischer Gemeindetag").search("Vertreter des Bayerischen Gemeindetags")
    assert not name_pattern("Digitale Bildung").search("Digitalbildung")
    assert name_pattern("Senioren").search("für Senioren") and not name_pattern("Senioren").search("Seniorin")
