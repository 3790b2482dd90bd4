"""The bootstrap intervals that say how far a score on a few dozen texts can be trusted (intervals.py)."""

from __future__ import annotations

import pytest

from tests.extraction.evaluate import evaluate, main
from tests.extraction.intervals import EVENTS, TextResult, bootstrap, interval_table, score


def text(municipality=(1, 0, 0), speaker=(0, 0, 0), events_right=True) -> TextResult:
    return TextResult({"municipality": municipality, "speaker name": speaker}, events_right)


def test_a_score_sums_the_counts_of_its_texts_before_it_divides():
    texts = [text((1, 0, 0)), text((0, 1, 1), events_right=False), text((3, 0, 1))]
    scores = score(texts)
    # tp 4, fp 1, fn 2: P .8, R .667 -> F1 .727, not the mean of the three texts' F1.
    assert scores["municipality"] == pytest.approx(2 * 0.8 * (4 / 6) / (0.8 + 4 / 6))
    assert scores[EVENTS] == pytest.approx(2 / 3)
    assert "speaker name" not in scores   # no text has a fact of it: nothing to score


def test_the_interval_holds_the_score_and_repeats_with_its_seed():
    texts = [text((1, 0, 0))] * 20 + [text((0, 1, 1), events_right=False)] * 10
    first, again = bootstrap(texts, rounds=500), bootstrap(texts, rounds=500)
    low, high = first["municipality"]
    assert first == again
    assert low < score(texts)["municipality"] < high
    assert 0 < high - low < 0.5
    assert first[EVENTS][0] < 2 / 3 < first[EVENTS][1]


def test_texts_that_are_all_right_leave_no_doubt_and_no_texts_no_interval():
    assert bootstrap([text((2, 0, 0))] * 5, rounds=200) == {"municipality": (1.0, 1.0), EVENTS: (1.0, 1.0)}
    assert bootstrap([]) == {}


def test_a_field_that_a_resample_lacks_is_not_counted_as_perfect():
    # One text in 30 has a speaker, and it is wrong: resamples without it must not pull the interval up to 1.
    texts = [text((1, 0, 0))] * 29 + [text((1, 0, 0), speaker=(0, 1, 1))]
    assert bootstrap(texts, rounds=300)["speaker name"] == (0.0, 0.0)


def test_the_per_text_results_add_up_to_the_table(extractor):
    per_text: dict = {}
    results = evaluate(extractor, parts=("tuned",), per_text=per_text)
    texts = per_text["tuned"]
    assert len(texts) == 17
    for name in ("municipality", "date", "speaker name"):
        total = results["tuned"][name]
        assert tuple(sum(t.counts[name][i] for t in texts) for i in range(3)) == (total.tp, total.fp, total.fn)
    assert "tuned     municipality" in interval_table(per_text, rounds=100)


def test_the_command_prints_the_intervals_after_the_table(capsys, extractor):
    assert main(["--parts", "tuned", "--intervals"]) == 0
    out = capsys.readouterr().out
    assert out.index("P      R     F1") < out.index("95 % interval")
    assert "tuned     events right" in out.split("95 % interval")[1]


def test_intervals_need_a_plain_run(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--cv-dev", "--intervals"])
    assert stopped.value.code == 2
    assert "--intervals goes with a plain run" in capsys.readouterr().err
