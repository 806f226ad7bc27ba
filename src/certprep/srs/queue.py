"""The order of a day's review session, pure: which due items and new cards come, in what order.

As in Anki, new cards are spread through the day's reviews instead of waiting behind them: the
day's new cards are placed evenly among its reviews (one new card every ``reviews / (new + 1)``
reviews). The spread is computed over the whole day (what was done today plus what is left), so
the queue can be rebuilt after every rating and the next new card still comes when its turn is
due: rebuilding never pushes it back.

Items in their learning steps (a card that was reviewed and is in the Learning or Relearning
state, e.g. rated Again a minute ago) come back as soon as their step is over, before the other
reviews, and do not count against the daily review limit (a failed card is never stranded until
tomorrow). They never delay a new card whose turn it is: the new cards' places depend on counts,
not on what else is due.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "DayCounts",
    "DueCard",
    "QueueEntry",
    "QueueLimits",
    "SessionQueue",
    "build_queue",
    "count_today",
    "is_learning",
]

LEARNING_STATES = (1, 3)  # fsrs State.Learning, State.Relearning
Source = Literal["learning", "review", "new"]


def is_learning(state: Mapping[str, Any]) -> bool:
    """A card in its learning (or relearning) steps: reviewed at least once, not graduated yet. A
    missed question put on the schedule and never reviewed is not learning: it is a review."""
    return state.get("state") in LEARNING_STATES and state.get("last_review") is not None


@dataclass(frozen=True)
class DueCard:
    """A card the user has a schedule for: its id, kind ("flashcard" or "question"), due time and
    FSRS state (as stored)."""

    item_id: str
    kind: str
    due: datetime
    state: Mapping[str, Any]


@dataclass(frozen=True)
class QueueLimits:
    """Daily limits: new flashcards started, and reviews (learning steps are not counted)."""

    new_per_day: int
    reviews_per_day: int


@dataclass(frozen=True)
class DayCounts:
    """What the user already did today: new flashcards started and reviews counted by the limit."""

    new_done: int = 0
    reviews_done: int = 0


@dataclass(frozen=True)
class QueueEntry:
    item_id: str
    kind: str
    source: Source


@dataclass(frozen=True)
class SessionQueue:
    """The session's queue in order, with its counts: ``learning`` and ``reviews`` due now (reviews
    after the daily limit), ``new`` cards left for today, and ``reviews_held`` (due reviews over the
    limit, back tomorrow)."""

    entries: tuple[QueueEntry, ...]
    learning: int
    reviews: int
    new: int
    reviews_held: int
    counts: DayCounts


def count_today(log: Iterable[tuple[int, Mapping[str, Any]]]) -> DayCounts:
    """Today's counts from today's review log, as ``(state_version, state_before)`` pairs: a rating
    of a card that had no state yet (version 0) started a new card; a rating of a card in its
    learning steps is not a review against the limit; every other rating is."""
    new = reviews = 0
    for version, before in log:
        if version == 0:
            new += 1
        elif not is_learning(before):
            reviews += 1
    return DayCounts(new_done=new, reviews_done=reviews)


def build_queue(
    cards: Sequence[DueCard],
    new_ids: Sequence[str],
    *,
    now: datetime,
    limits: QueueLimits,
    counts: DayCounts = DayCounts(),
) -> SessionQueue:
    """The session at ``now``: ``cards`` are the user's scheduled items (only those due by ``now``
    are taken), ``new_ids`` the flashcards never started, in the order to introduce them."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    due = sorted((c for c in cards if c.due <= now), key=lambda c: (c.due, c.item_id))
    learning = [QueueEntry(c.item_id, c.kind, "learning") for c in due if is_learning(c.state)]
    waiting = [QueueEntry(c.item_id, c.kind, "review") for c in due if not is_learning(c.state)]
    review_room = max(0, limits.reviews_per_day - counts.reviews_done)
    reviews = waiting[:review_room]
    new_room = max(0, limits.new_per_day - counts.new_done)
    fresh = [QueueEntry(i, "flashcard", "new") for i in new_ids[:new_room]]
    stream = learning + reviews
    entries = _spread(stream, fresh, counts)
    return SessionQueue(
        entries=tuple(entries),
        learning=len(learning),
        reviews=len(reviews),
        new=len(fresh),
        reviews_held=len(waiting) - len(reviews),
        counts=counts,
    )


def _spread(stream: list[QueueEntry], fresh: list[QueueEntry], counts: DayCounts) -> list[QueueEntry]:
    """Place the new cards evenly among the day's reviews: the g-th new card of the day (counting
    those done) comes after ``ceil((g + 1) * R / (N + 1))`` of the day's R reviews."""
    day_reviews = counts.reviews_done + len(stream)
    day_new = counts.new_done + len(fresh)
    out: list[QueueEntry] = []
    taken = 0
    for k, card in enumerate(fresh):
        g = counts.new_done + k
        after = math.ceil((g + 1) * day_reviews / (day_new + 1)) - counts.reviews_done
        take = max(0, min(len(stream), after) - taken)
        out += stream[taken : taken + take]
        taken += take
        out.append(card)
    return out + stream[taken:]
