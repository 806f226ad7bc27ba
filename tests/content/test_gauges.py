"""The item-writing gauges: key length rank, absolute words, stem-key overlap, Select THREE share."""

from __future__ import annotations

from typing import Any

from certprep.content.gauges import (
    absolute_terms,
    gauge_problems,
    gauges,
    key_length_rank,
    key_shares_most_with_stem,
)
from certprep.content.schema import Question


def _q(options: list[str], key: int | list[int], stem: str = "A team must pick a store. Which one?") -> Question:
    keys = {key} if isinstance(key, int) else set(key)
    data: dict[str, Any] = {
        "id": f"g-{abs(hash((tuple(options), stem))) % 10**8}",
        "revision": 1,
        "type": "single" if len(keys) == 1 and len(options) == 4 else "multiple",
        "exams": [{"exam": "MLA-C02", "task": "1.1"}],
        "difficulty": 2,
        "stem": stem if len(keys) == 1 else f"{stem} (Select {'TWO' if len(keys) == 2 else 'THREE'}.)",
        "options": [{"text": t, "correct": i in keys, "rationale": "why"} for i, t in enumerate(options)],
    }
    return Question.model_validate(data)


FOUR = ["a" * 10, "b" * 20, "c" * 30, "d" * 40]


def test_key_length_rank_counts_options_strictly_longer_than_the_key() -> None:
    assert [key_length_rank(_q(FOUR, k)) for k in range(4)] == [3, 2, 1, 0]
    tie = _q(["x" * 10, "y" * 10, "z" * 5, "w" * 5], 0)
    assert key_length_rank(tie) == 0  # a tie for longest counts as longest


def test_rank_counts_and_warnings_when_one_rank_dominates() -> None:
    bank = [_q(FOUR, 2, stem=f"Case {i}: a team must pick a store. Which one?") for i in range(8)]
    figures = gauges(bank)
    assert figures["key_length_rank_counts"] == {"longest": 0, "second": 8, "third": 0, "shortest": 0}
    problems = " ".join(gauge_problems(figures))
    assert "second option in 100%" in problems and "longest option in 0%" in problems
    balanced = [_q(FOUR, i % 4, stem=f"Case {i}: which one?") for i in range(8)]
    assert not [p for p in gauge_problems(gauges(balanced)) if "option in" in p]


def test_absolute_words_in_keys_against_distractors() -> None:
    only_wrong = _q(["Use A", "Always use B", "Use C only", "Never use D"], 0)
    figures = absolute_terms([only_wrong])
    assert figures["keys"] == 0 and figures["distractors"] == 3 and figures["ratio"] == 0.0
    # Three words are too few to judge; nine (three such questions) are enough.
    assert not any("absolute words" in p for p in gauge_problems(gauges([only_wrong])))
    three = [_q(["Use A", "Always use B", "Use C only", "Never use D"], 0, stem=f"Case {i}?") for i in range(3)]
    assert any("absolute words" in p for p in gauge_problems(gauges(three)))
    even = _q(["Always use A", "Always use B", "Use C", "Use D"], 0)
    assert absolute_terms([even])["ratio"] == 3.0  # 1 per key option vs 1/3 per distractor
    none = _q(["Use A", "Use B", "Use C", "Use D"], 0)
    assert absolute_terms([none])["ratio"] is None and not any("absolute" in p for p in gauge_problems(gauges([none])))


def test_stem_key_overlap_counts_keys_that_echo_the_stem() -> None:
    echo = _q(
        ["Enable versioning on the bucket", "Turn on replication", "Add a lifecycle rule", "Use object lock"],
        0,
        stem="The team needs versioning on the bucket to recover objects. Which setting?",
    )
    fair = _q(
        ["Enable versioning", "Turn on replication", "Add a lifecycle rule", "Use object lock"],
        0,
        stem="The team must recover overwritten objects. Which setting?",
    )
    assert key_shares_most_with_stem(echo) and not key_shares_most_with_stem(fair)
    figures = gauges([echo, fair])
    assert figures["stem_key_overlap"] == 0.5
    assert any("shares the most words with the stem" in p for p in gauge_problems(figures))


def test_select_three_share() -> None:
    five = ["one", "two", "three", "four", "five"]
    two = _q(five, [0, 1])
    three = _q(five, [0, 1, 2], stem="Another team must pick stores. Which ones?")
    assert gauges([two, two])["select_three_share"] == 0.0
    assert any("Select THREE" in p for p in gauge_problems(gauges([two, two])))
    assert gauges([two, three])["select_three_share"] == 0.5
    assert not any("Select THREE" in p for p in gauge_problems(gauges([two, three])))
