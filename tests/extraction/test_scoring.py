"""The scorer's district: what the text names, not the gazetteer's district a draft carries for its chain."""

from __future__ import annotations

from tests.extraction.scoring import facts


class NoTopics:
    def resolve(self, _):
        return None


def _districts(event: dict) -> set:
    return facts([event], NoTopics())["district"]


GROUP = {"name": "Maifeld", "kind": "Verbandsgemeinde", "district": "Mayen-Koblenz"}


def test_a_drafted_district_counts_only_with_evidence_in_the_text():
    evidence = [{"field": "municipality", "start": 0, "end": 7, "value": "Maifeld"}]
    assert _districts({"municipality": dict(GROUP), "evidence": evidence}) == set()
    named = evidence + [{"field": "district", "start": 20, "end": 33, "value": "Mayen-Koblenz"}]
    assert _districts({"municipality": dict(GROUP), "evidence": named}) == {("maifeld", "mayen koblenz")}


def test_an_annotated_district_always_counts():
    assert _districts({"municipality": "Maifeld", "district": "Landkreis Mayen-Koblenz"}) == {("maifeld", "mayen koblenz")}
    assert _districts({"municipality": dict(GROUP)}) == {("maifeld", "mayen koblenz")}
