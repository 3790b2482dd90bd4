"""Rejecting single facts and events of a draft (graph/records/facts.py, issue 14)."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from graph.errors import RecordError
from graph.records.facts import facts, reject_event, reject_fact

DRAFT = """# Kommentar der Redaktion
report:
  id: beispiel
  title: Zwei Werkstätten
  evidence:
  - {field: title, start: 0, end: 16, confidence: 0.8, value: Zwei Werkstätten}
events:
- type: Workshop
  topics: [Offene Daten, LoRaWAN]
  talks:
  - speakers:
    - name: Erika Musterfrau
      role: CDO
      evidence:
      - {field: name, start: 20, end: 36, confidence: 0.8, value: Erika Musterfrau}
      - {field: role, start: 38, end: 41, confidence: 0.5, value: CDO}
  - speakers:
    - name: Max Mustermann
      evidence:
      - {field: name, start: 50, end: 64, confidence: 0.9, value: Max Mustermann}
  evidence:
  - {field: topics, start: 70, end: 82, confidence: 0.7, value: Offene Daten}
  - {field: topics, start: 90, end: 97, confidence: 0.7, value: LoRaWAN}
  review: [date, 'talks[0].role', 'talks[1].organisation']
- type: Vortrag
  evidence:
  - {field: type, start: 100, end: 107, confidence: 0.4, value: Vortrag}
  review: [date]
review: ['events[0].date', 'events[0].talks[0].role: CDO (0.50)', 'events[0].talks[1].organisation', 'events[1].date']
"""


def load(text: str) -> dict:
    return YAML(typ="safe").load(text)


def test_every_fact_with_evidence_is_listed_with_where_it_sits():
    listed = [(f.owner, f.field, f.value) for f in facts(load(DRAFT))]
    assert listed == [("report", "title", "Zwei Werkstätten"), ("events[0]", "topics", "Offene Daten"),
                      ("events[0]", "topics", "LoRaWAN"), ("events[0].talks[0].speakers[0]", "name", "Erika Musterfrau"),
                      ("events[0].talks[0].speakers[0]", "role", "CDO"),
                      ("events[0].talks[1].speakers[0]", "name", "Max Mustermann"), ("events[1]", "type", "Vortrag")]


def test_a_rejected_list_value_leaves_the_others_and_the_comments():
    text = reject_fact(DRAFT, "events[0]|0")
    data = load(text)
    assert data["events"][0]["topics"] == ["LoRaWAN"]
    assert [e["value"] for e in data["events"][0]["evidence"]] == ["LoRaWAN"]
    assert text.startswith("# Kommentar der Redaktion")


def test_a_rejected_role_clears_its_review_items():
    data = load(reject_fact(DRAFT, "events[0].talks[0].speakers[0]|1"))
    assert "role" not in data["events"][0]["talks"][0]["speakers"][0]
    assert data["review"] == ["events[0].date", "events[0].talks[1].organisation", "events[1].date"]
    assert data["events"][0]["review"] == ["date", "talks[1].organisation"]


def test_a_rejected_name_removes_the_speaker_and_renumbers_the_later_talks():
    data = load(reject_fact(DRAFT, "events[0].talks[0].speakers[0]|0"))
    assert [t["speakers"][0]["name"] for t in data["events"][0]["talks"]] == ["Max Mustermann"]
    assert data["review"] == ["events[0].date", "events[0].talks[0].organisation", "events[1].date"]
    assert data["events"][0]["review"] == ["date", "talks[0].organisation"]


def test_a_rejected_event_goes_with_its_review_items_and_the_later_ones_are_renumbered():
    data = load(reject_event(DRAFT, 0))
    assert [e["type"] for e in data["events"]] == ["Vortrag"]
    assert data["review"] == ["events[0].date"]


@pytest.mark.parametrize("key", ["events[5]|0", "events[0]|9", "events[0]", "nonsense|x", "events[0].talks[7]|0"])
def test_a_fact_that_is_not_there_is_a_clear_problem(key):
    with pytest.raises(RecordError) as caught:
        reject_fact(DRAFT, key)
    assert "reload the page" in caught.value.problems[0].english


@pytest.mark.parametrize("index", [-1, 2, 40])
def test_an_event_that_is_not_there_is_a_clear_problem(index):
    with pytest.raises(RecordError):
        reject_event(DRAFT, index)
