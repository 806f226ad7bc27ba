"""FSRS scheduling wrapped as pure functions over JSON-able card states."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any

import fsrs

__all__ = [
    "RATINGS",
    "Rating",
    "SrsConfig",
    "card_id_for",
    "is_due",
    "new_card",
    "next_intervals",
    "retrievability",
    "review",
]


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


RATINGS = {r.value: r.name.capitalize() for r in Rating}


@dataclass(frozen=True)
class SrsConfig:
    """Scheduler settings: FSRS-6 default parameters, desired retention 0.9 unless configured."""

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval_days: int = 36500

    def __post_init__(self) -> None:
        if not 0.7 <= self.desired_retention <= 0.99:
            raise ValueError("desired retention must be between 0.70 and 0.99")

    def scheduler(self) -> fsrs.Scheduler:
        return fsrs.Scheduler(
            desired_retention=self.desired_retention,
            learning_steps=self.learning_steps,
            relearning_steps=self.relearning_steps,
            maximum_interval=self.maximum_interval_days,
            enable_fuzzing=False,
        )


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def card_id_for(item_id: str) -> int:
    """A stable integer id for an item (fsrs cards carry one; Anki export reuses it)."""
    return int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:6], "big")


def new_card(item_id: str, now: datetime) -> dict[str, Any]:
    """A card never reviewed, due ``now``."""
    card = fsrs.Card(card_id=card_id_for(item_id), due=_aware(now))
    return dict(card.to_dict())


def review(
    state: dict[str, Any], rating: Rating | int, now: datetime, config: SrsConfig = SrsConfig()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply one review; returns the new card state and the review log entry (both JSON dicts)."""
    card = fsrs.Card.from_dict(state)  # type: ignore[arg-type]
    new, log = config.scheduler().review_card(card, fsrs.Rating(int(Rating(rating))), review_datetime=_aware(now))
    return dict(new.to_dict()), dict(log.to_dict())


def next_intervals(state: dict[str, Any], now: datetime, config: SrsConfig = SrsConfig()) -> dict[int, timedelta]:
    """For each rating, how long until the card would be due again (shown on the buttons)."""
    out = {}
    for rating in Rating:
        new, _ = review(state, rating, now, config)
        out[rating.value] = datetime.fromisoformat(new["due"]) - now
    return out


def is_due(state: dict[str, Any], now: datetime) -> bool:
    return datetime.fromisoformat(state["due"]) <= _aware(now)


def retrievability(state: dict[str, Any], now: datetime, config: SrsConfig = SrsConfig()) -> float:
    """The probability of recalling the card at ``now`` (0 for a card never reviewed)."""
    card = fsrs.Card.from_dict(state)  # type: ignore[arg-type]
    return float(config.scheduler().get_card_retrievability(card, current_datetime=_aware(now)))
