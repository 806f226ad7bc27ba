"""Spaced repetition over the `fsrs` library (FSRS-6), pure: explicit ``now``, no global state.

Card states and review logs are plain JSON dicts, so the service layer stores them as they are.
Fuzzing of intervals is off: it draws from the global random generator, and a scheduler that
answers the same inputs with the same outputs is what golden tests (and two workers) need.
"""

from certprep.srs.queue import (
    DayCounts,
    DueCard,
    QueueEntry,
    QueueLimits,
    SessionQueue,
    build_queue,
    count_today,
    is_learning,
)
from certprep.srs.schedule import (
    RATINGS,
    Rating,
    SrsConfig,
    card_id_for,
    is_due,
    new_card,
    next_intervals,
    retrievability,
    review,
)

__all__ = [
    "RATINGS",
    "DayCounts",
    "DueCard",
    "QueueEntry",
    "QueueLimits",
    "Rating",
    "SessionQueue",
    "SrsConfig",
    "build_queue",
    "card_id_for",
    "count_today",
    "is_due",
    "is_learning",
    "new_card",
    "next_intervals",
    "retrievability",
    "review",
]
