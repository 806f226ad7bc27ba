"""Flashcards and missed questions on an FSRS schedule: the daily queue, reviews, statistics.

A review carries the card version it was made against; a review against a stale version (the
card was reviewed in another tab meanwhile) is refused with ``CardStateChanged`` and nothing is
written. Every review appends to ``review_log`` in the same transaction as the state update.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from certprep.content.schema import Flashcard, Question
from certprep.exam.forms import choice_rationales, choice_texts, shuffled_presentation
from certprep.exam.scoring import (
    ResponseError,
    from_presented,
    is_correct,
    key_response,
    response_to_json,
    to_presented,
    validate_response,
)
from certprep.services.errors import NotFound
from certprep.srs import RATINGS, Rating, SrsConfig, new_card, next_intervals, review
from certprep.store import cards as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "CardStateChanged",
    "ReviewRequestError",
    "answer_question_item",
    "card_view",
    "format_interval",
    "presentation",
    "queue",
    "rate_card",
    "record_missed",
    "stats",
]


class CardStateChanged(Exception):
    """The card changed since it was shown (reviewed elsewhere)."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            f"this card was reviewed elsewhere since you opened it (version {expected}, now {actual}); "
            "it was not rated again"
        )
        self.expected = expected
        self.actual = actual


class ReviewRequestError(ValueError):
    """A review request that does not fit (unknown rating, invalid answer)."""


def _config(app: Certprep) -> SrsConfig:
    return SrsConfig(desired_retention=app.settings.desired_retention)


def _flashcards(app: Certprep) -> dict[str, Flashcard]:
    key = "flashcards"
    if key not in app.cache:
        app.cache[key] = {c.id: c for c in app.pack.flashcards}
    cards: dict[str, Flashcard] = app.cache[key]
    return cards


def _question(app: Certprep, item_id: str) -> Question | None:
    try:
        return app.pack.question(item_id)
    except KeyError:
        return None


def format_interval(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def _serves(exams: Any, exam: str | None) -> bool:
    return exam is None or any(e.exam == exam for e in exams)


def record_missed(conn: Connection, user_id: int, question_id: str, now: datetime) -> None:
    """Put a missed question on the review schedule (due now), or bring its review forward."""
    row = repo.get_card(conn, user_id, question_id)
    if row is None:
        repo.insert_card(
            conn,
            {
                "user_id": user_id,
                "item_id": question_id,
                "item_kind": "question",
                "state": new_card(question_id, now),
                "due": now,
                "version": 1,
                "created_at": now,
            },
        )
    elif row["due"] > now:
        state = {**row["state"], "due": now.isoformat()}
        repo.update_card(
            conn, user_id, question_id, row["version"], {"state": state, "due": now, "version": row["version"] + 1}
        )


def _new_today(rows: list[dict[str, Any]], now: datetime) -> int:
    """Flashcards first rated today (a flashcard's state is created by its first rating); missed
    questions do not count against the limit of new cards."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return sum(1 for r in rows if r["item_kind"] == "flashcard" and r["created_at"] >= start)


def queue(app: Certprep, user_id: int, *, now: datetime, exam: str | None = None) -> dict[str, Any]:
    """Today's queue: due cards and missed questions first (most overdue first), then new cards
    up to the daily limit of new cards."""
    with app.engine.connect() as conn:
        rows = repo.card_rows(conn, user_id)
    new_today = _new_today(rows, now)
    flashcards = _flashcards(app)
    due = []
    for r in rows:
        if r["due"] > now:
            continue
        item = flashcards.get(r["item_id"]) if r["item_kind"] == "flashcard" else _question(app, r["item_id"])
        if item is not None and _serves(item.exams, exam):
            due.append((r["due"], r["item_id"], r["item_kind"]))
    due.sort()
    known = {r["item_id"] for r in rows}
    room = max(0, app.settings.new_cards_per_day - new_today)
    fresh = [c.id for c in app.pack.flashcards if c.id not in known and _serves(c.exams, exam)][:room]
    items = [{"item_id": i, "kind": k} for _, i, k in due] + [{"item_id": i, "kind": "flashcard"} for i in fresh]
    return {
        "due": len(due),
        "new": len(fresh),
        "new_limit": app.settings.new_cards_per_day,
        "new_introduced_today": new_today,
        "items": items,
    }


def presentation(q: Question, user_id: int, version: int) -> tuple[int, ...]:
    """The screen order of a missed question's choices (canonical indexes), fixed per user, item
    and card version, so the view that shows it and the answer to it agree without storing
    anything; ordering and matching never show the key order. Every interface (web, JSON, CLI)
    gets its choices in this order from ``card_view``."""
    return shuffled_presentation(q, random.Random(f"{user_id}/{q.id}/{version}"))  # a string seed is stable


def card_view(app: Certprep, user_id: int, item_id: str, *, now: datetime) -> dict[str, Any]:
    """What the review screen shows for one item, with the next interval of each rating."""
    with app.engine.connect() as conn:
        row = repo.get_card(conn, user_id, item_id)
    state = row["state"] if row else new_card(item_id, now)
    version = row["version"] if row else 0
    intervals = {str(k): format_interval(v) for k, v in next_intervals(state, now, _config(app)).items()}
    card = _flashcards(app).get(item_id)
    if card is not None:
        return {
            "item_id": item_id,
            "kind": "flashcard",
            "version": version,
            "front": card.front,
            "back": card.back,
            "tags": list(card.tags),
            "exams": [{"exam": e.exam, "task": e.task} for e in card.exams],
            "ratings": {str(k): {"label": v, "next": intervals[str(k)]} for k, v in RATINGS.items()},
        }
    q = _question(app, item_id)
    if q is None or row is None:
        raise NotFound("card")
    texts = choice_texts(q)
    return {
        "item_id": item_id,
        "kind": "question",
        "version": version,
        "type": q.type.value,
        "stem": q.stem,
        "choices": [texts[i] for i in presentation(q, user_id, version)],
        "prompts": [p.prompt for p in q.pairs],
        "select": len(q.correct_indexes) if q.type.value == "multiple" else None,
        "exams": [{"exam": e.exam, "task": e.task} for e in q.exams],
    }


def rate_card(
    app: Certprep, user_id: int, item_id: str, rating: int, *, expected_version: int, now: datetime
) -> dict[str, Any]:
    """Record a rating (1 Again, 2 Hard, 3 Good, 4 Easy) for a flashcard or a review item."""
    if rating not in RATINGS:
        raise ReviewRequestError("rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
    card = _flashcards(app).get(item_id)
    question = None if card is not None else _question(app, item_id)
    if card is None and question is None:
        raise NotFound("card")
    revision = card.revision if card is not None else question.revision  # type: ignore[union-attr]
    with app.transaction() as conn:
        row = repo.get_card(conn, user_id, item_id)
        actual = row["version"] if row else 0
        if actual != expected_version:
            raise CardStateChanged(expected_version, actual)
        if row is None and card is None:
            raise NotFound("card")
        before = row["state"] if row else new_card(item_id, now)
        after, log = review(before, Rating(rating), now, _config(app))
        due = datetime.fromisoformat(after["due"])
        if row is None:
            inserted = repo.insert_card(
                conn,
                {
                    "user_id": user_id,
                    "item_id": item_id,
                    "item_kind": "flashcard",
                    "state": after,
                    "due": due,
                    "version": 1,
                    "created_at": now,
                },
            )
            if not inserted:  # the same first rating from another tab got in first
                raise CardStateChanged(expected_version, 1)
        elif not repo.update_card(conn, user_id, item_id, actual, {"state": after, "due": due, "version": actual + 1}):
            raise CardStateChanged(expected_version, actual + 1)
        repo.append_review(
            conn,
            {
                "user_id": user_id,
                "item_id": item_id,
                "item_revision": revision,
                "rating": rating,
                "reviewed_at": now,
                "state_version": actual,
                "details": {"before": before, "after": after, "log": log},
            },
        )
    return {"item_id": item_id, "rating": rating, "due": after["due"], "version": actual + 1}


def answer_question_item(
    app: Certprep, user_id: int, item_id: str, response: Any, *, expected_version: int, now: datetime
) -> dict[str, Any]:
    """Answer a missed question in place: right rates it Good, wrong rates it Again.

    ``response`` is in screen positions of ``card_view``'s choices (the order of
    ``presentation`` for this version); the result gives the response, the key and every choice's
    rationale in that same screen order, so every interface shows the same letters."""
    q = _question(app, item_id)
    if q is None:
        raise NotFound("card")
    order = presentation(q, user_id, expected_version)
    try:
        value = validate_response(q, from_presented(q.type, order, response))
    except ResponseError as exc:
        raise ReviewRequestError(f"invalid answer: {exc}") from exc
    correct = is_correct(q, value)
    result = rate_card(
        app, user_id, item_id, Rating.GOOD if correct else Rating.AGAIN, expected_version=expected_version, now=now
    )
    rationales = choice_rationales(q)
    return {
        **result,
        "correct": correct,
        "response": response_to_json(to_presented(order, value)),
        "key": response_to_json(to_presented(order, key_response(q))),
        "rationales": [rationales[i] for i in order],
        "references": [{"title": r.title, "url": str(r.url)} for r in q.references],
    }


def stats(app: Certprep, user_id: int, *, now: datetime, days: int = 365) -> dict[str, Any]:
    """Reviews per day (for a heatmap), the due forecast for 30 days, and true retention over the
    last 30 days (reviews of cards in the Review state not rated Again) against the desired one."""
    with app.engine.connect() as conn:
        reviews = repo.review_rows(conn, user_id, since=now - timedelta(days=days))
        cards = repo.card_rows(conn, user_id)
    per_day = Counter(r["reviewed_at"].date().isoformat() for r in reviews)
    forecast: Counter[str] = Counter()
    today = now.date()
    for c in cards:
        offset = max(0, (c["due"].date() - today).days)
        if offset < 30:
            forecast[(today + timedelta(days=offset)).isoformat()] += 1
    window = [
        r
        for r in reviews
        if r["reviewed_at"] >= now - timedelta(days=30) and (r["details"] or {}).get("before", {}).get("state") == 2
    ]
    passed = sum(1 for r in window if r["rating"] != Rating.AGAIN)
    return {
        "reviews_per_day": dict(sorted(per_day.items())),
        "due_forecast": {
            (today + timedelta(days=i)).isoformat(): forecast.get((today + timedelta(days=i)).isoformat(), 0)
            for i in range(30)
        },
        "true_retention": round(passed / len(window), 3) if window else None,
        "retention_reviews": len(window),
        "desired_retention": app.settings.desired_retention,
        "cards_known": len(cards),
        "reviews_total": len(reviews),
    }
