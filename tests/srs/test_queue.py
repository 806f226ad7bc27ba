"""The session's order (issue 18, point 7): new cards spread among the reviews as Anki does, learning
steps back after their step without starving new cards, daily limits; exact orders at a fixed now."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from certprep.srs import DayCounts, DueCard, QueueLimits, Rating, build_queue, count_today, new_card, review

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LIMITS = QueueLimits(new_per_day=20, reviews_per_day=1000)


def _missed(n: int) -> list[DueCard]:
    """``n`` missed questions put on the schedule at once, due over the last hours (never reviewed)."""
    return [
        DueCard(f"q{i:03}", "question", NOW - timedelta(minutes=n - i), new_card(f"q{i:03}", NOW - timedelta(hours=3)))
        for i in range(n)
    ]


def _learning(item_id: str, minutes_ago: int) -> DueCard:
    """A card rated Again a while ago: back from its one-minute learning step."""
    state, _ = review(new_card(item_id, NOW), Rating.AGAIN, NOW - timedelta(minutes=minutes_ago))
    return DueCard(item_id, "question", datetime.fromisoformat(state["due"]), state)


NEW = [f"fc{i:02}" for i in range(30)]


def test_new_cards_are_spread_among_234_reviews() -> None:
    """The issue's day: 234 reviews due after a failed mock used to pass before the first flashcard."""
    session = build_queue(_missed(234), NEW, now=NOW, limits=LIMITS)
    sources = [e.source for e in session.entries]
    assert (session.reviews, session.new, session.learning) == (234, 20, 0)
    places = [i for i, s in enumerate(sources) if s == "new"]
    # the k-th new card comes after ceil(k * 234 / 21) reviews: one every 11 or 12 reviews
    assert places[:4] == [12, 24, 36, 48] and places[-1] == 242
    gaps = {b - a for a, b in itertools.pairwise(places)}
    assert gaps <= {12, 13}
    assert [e.item_id for e in session.entries if e.source == "new"] == NEW[:20]  # in the pack's order
    assert [e.item_id for e in session.entries if e.source == "review"] == [f"q{i:03}" for i in range(234)]


def test_rebuilding_after_every_rating_does_not_push_new_cards_back() -> None:
    """The web app rebuilds the queue after each rating: the counts of the day keep the new cards'
    turns where they were (a new card every 12 or so reviews), not forever 12 ahead."""
    due = _missed(60)
    fresh = list(NEW[:10])
    counts = DayCounts()
    shown: list[str] = []
    while True:
        session = build_queue(due, fresh, now=NOW, limits=QueueLimits(10, 1000), counts=counts)
        if not session.entries:
            break
        first = session.entries[0]
        shown.append(first.source)
        if first.source == "new":
            fresh.remove(first.item_id)
            counts = DayCounts(counts.new_done + 1, counts.reviews_done)
        else:
            due = [c for c in due if c.item_id != first.item_id]
            counts = DayCounts(counts.new_done, counts.reviews_done + 1)
    places = [i for i, s in enumerate(shown) if s == "new"]
    assert len(shown) == 70 and places == [6, 12, 19, 25, 32, 38, 45, 51, 58, 64]
    once = build_queue(_missed(60), NEW[:10], now=NOW, limits=QueueLimits(10, 1000))
    assert shown == [e.source for e in once.entries]  # the same order as the queue built once


def test_a_failed_card_comes_back_after_its_step_without_starving_new_cards() -> None:
    failed = _learning("q-failed", minutes_ago=2)
    early = build_queue([failed, *_missed(3)], NEW[:2], now=failed.due - timedelta(seconds=1), limits=LIMITS)
    assert "q-failed" not in [e.item_id for e in early.entries]  # still in its step
    session = build_queue([failed, *_missed(3)], NEW[:2], now=NOW, limits=LIMITS)
    assert [(e.item_id, e.source) for e in session.entries] == [
        ("q-failed", "learning"),  # back first once its step is over
        ("q000", "review"),
        ("fc00", "new"),
        ("q001", "review"),
        ("fc01", "new"),
        ("q002", "review"),
    ]
    # with a whole day of reviews ahead, the failed card still does not move a new card's turn
    many = build_queue([failed, *_missed(40)], NEW[:4], now=NOW, limits=LIMITS)
    without = build_queue(_missed(40), NEW[:4], now=NOW, limits=LIMITS)
    placed = next(i for i, e in enumerate(many.entries) if e.source == "new")
    assert placed <= next(i for i, e in enumerate(without.entries) if e.source == "new") + 1


def test_daily_limits_count_what_was_done_today() -> None:
    limits = QueueLimits(new_per_day=5, reviews_per_day=50)
    failed = _learning("q-failed", minutes_ago=2)
    session = build_queue([failed, *_missed(80)], NEW, now=NOW, limits=limits, counts=DayCounts(3, 45))
    assert (session.new, session.reviews, session.reviews_held, session.learning) == (2, 5, 75, 1)
    assert [e.source for e in session.entries].count("learning") == 1  # learning steps are not limited
    done = build_queue([failed, *_missed(80)], NEW, now=NOW, limits=limits, counts=DayCounts(9, 70))
    assert [e.item_id for e in done.entries] == ["q-failed"]


def test_count_today() -> None:
    fresh = new_card("fc", NOW)
    learning, _ = review(fresh, Rating.AGAIN, NOW)
    graduated = {**learning, "state": 2}
    missed = new_card("q", NOW)
    counts = count_today([(0, fresh), (1, learning), (2, graduated), (1, missed)])
    assert counts == DayCounts(new_done=1, reviews_done=2)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_queue([], [], now=NOW.replace(tzinfo=None), limits=LIMITS)
