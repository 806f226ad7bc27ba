"""Golden sequences: fixed ratings at fixed times give exact due dates (FSRS-6 defaults, 0.9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from certprep.srs import Rating, SrsConfig, is_due, new_card, next_intervals, retrievability, review

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)

# (minutes after the previous review, rating, expected due, expected FSRS state)
GOLDEN = [
    (0, Rating.GOOD, "2026-01-01T09:10:00+00:00", 1),  # learning step 2 (10 min)
    (11, Rating.GOOD, "2026-01-03T09:11:00+00:00", 2),  # graduates to Review
    (60 * 24, Rating.GOOD, "2026-01-09T09:11:00+00:00", 2),
    (60 * 24 * 5, Rating.AGAIN, "2026-01-07T09:21:00+00:00", 3),  # lapse: relearning (10 min)
    (60 * 24 * 6, Rating.GOOD, "2026-01-20T09:11:00+00:00", 2),
]


def test_golden_sequence() -> None:
    card = new_card("fc-golden", START)
    now = START
    for minutes, rating, due, state in GOLDEN:
        now += timedelta(minutes=minutes)
        card, log = review(card, rating, now)
        assert (card["due"], card["state"]) == (due, state)
        assert log["rating"] == rating.value


def test_same_inputs_same_outputs_and_no_mutation() -> None:
    card = new_card("fc-x", START)
    frozen = dict(card)
    a = review(card, Rating.EASY, START)
    b = review(card, Rating.EASY, START)
    assert a == b and card == frozen


def test_next_intervals_grow_with_the_rating() -> None:
    card = new_card("fc-y", START)
    card, _ = review(card, Rating.GOOD, START)
    card, _ = review(card, Rating.GOOD, START + timedelta(minutes=11))
    intervals = next_intervals(card, START + timedelta(days=2))
    assert intervals[1] < intervals[2] <= intervals[3] < intervals[4]


def test_higher_desired_retention_gives_shorter_intervals() -> None:
    card = new_card("fc-z", START)
    card, _ = review(card, Rating.GOOD, START)
    card, _ = review(card, Rating.GOOD, START + timedelta(minutes=11))
    later = START + timedelta(days=3)
    relaxed = next_intervals(card, later, SrsConfig(desired_retention=0.8))[3]
    strict = next_intervals(card, later, SrsConfig(desired_retention=0.95))[3]
    assert strict < relaxed


def test_due_and_retrievability() -> None:
    card = new_card("fc-r", START)
    assert is_due(card, START)
    card, _ = review(card, Rating.GOOD, START)
    card, _ = review(card, Rating.GOOD, START + timedelta(minutes=11))
    soon, late = retrievability(card, START + timedelta(days=1)), retrievability(card, START + timedelta(days=30))
    assert 0 < late < soon <= 1


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        SrsConfig(desired_retention=0.5)
    with pytest.raises(ValueError):
        new_card("fc-n", datetime(2026, 1, 1))
