"""Flashcards and missed questions on an FSRS schedule: the daily queue, reviews, statistics.

A review carries the card version it was made against; a review against a stale version (the
card was reviewed in another tab meanwhile) is refused with ``CardStateChanged`` and nothing is
written. Every review appends to ``review_log`` in the same transaction as the state update.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
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
from certprep.interop.anki import export_apkg
from certprep.services.errors import NotFound
from certprep.srs import (
    RATINGS,
    DueCard,
    QueueEntry,
    QueueLimits,
    Rating,
    SrsConfig,
    build_queue,
    count_today,
    new_card,
    next_intervals,
    review,
)
from certprep.store import cards as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "DEFAULT_REVIEWS_PER_DAY",
    "EVERY_ITEM",
    "QUEUE_KINDS",
    "AnkiPackage",
    "CardLimits",
    "CardQueue",
    "CardStateChanged",
    "NothingToUndo",
    "QueueFilter",
    "ReviewRequestError",
    "UndoableReview",
    "anki_package",
    "answer_question_item",
    "card_view",
    "check_filter",
    "format_interval",
    "limits",
    "presentation",
    "queue",
    "rate_card",
    "record_missed",
    "save_limits",
    "stats",
    "undo_last",
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


DEFAULT_REVIEWS_PER_DAY = 200
MAX_NEW_PER_DAY = 1000
MAX_REVIEWS_PER_DAY = 10000
QUEUE_KINDS = ("all", "cards", "missed")


@dataclass(frozen=True)
class QueueFilter:
    """Which items a session takes: ``kind`` "all", "cards" (flashcards only) or "missed" (missed
    questions only); ``exam`` (e.g. MLA-C02) and ``domain`` (its number, e.g. "2"; without an exam,
    that domain of any exam)."""

    kind: str = "all"
    exam: str | None = None
    domain: str | None = None

    def admits(self, kind: str, refs: Any) -> bool:
        if (self.kind == "cards" and kind != "flashcard") or (self.kind == "missed" and kind != "question"):
            return False
        if self.exam is None and self.domain is None:
            return True
        return any(
            (self.exam is None or ref.exam == self.exam)
            and (self.domain is None or ref.task.split(".")[0] == self.domain)
            for ref in refs
        )


@dataclass(frozen=True)
class CardLimits:
    """A user's daily limits: new flashcards started, reviews (``saved``: set by the user, not the
    defaults)."""

    new_per_day: int
    reviews_per_day: int
    saved: bool = False


@dataclass(frozen=True)
class UndoableReview:
    """The user's last rating, which can still be undone."""

    item_id: str
    kind: str
    rating: int
    reviewed_at: datetime


@dataclass(frozen=True)
class CardQueue:
    """The session's queue in order (``items``: learning steps, reviews and new cards spread among
    them), its counts, the day's limits and what was done today, and the rating that can be undone."""

    items: tuple[QueueEntry, ...]
    due: int
    learning: int
    reviews_held: int
    new: int
    limits: CardLimits
    new_introduced_today: int
    reviews_today: int
    undo: UndoableReview | None


class NothingToUndo(Exception):
    """No rating to undo (none yet, the last one was undone, or the card changed since)."""


EVERY_ITEM = QueueFilter()


def check_filter(app: Certprep, kind: str = "all", exam: str | None = None, domain: str | None = None) -> QueueFilter:
    """A queue filter checked against the pack (``ReviewRequestError`` naming the bad value)."""
    if kind not in QUEUE_KINDS:
        raise ReviewRequestError(f"unknown kind {kind[:20]!r}; choose all, cards or missed")
    exam, domain = exam or None, domain or None
    if exam is not None and exam not in app.pack.blueprints:
        raise ReviewRequestError(f"unknown exam {exam[:32]!r}; choose one of {', '.join(sorted(app.pack.blueprints))}")
    if domain is not None:
        blueprints = [app.pack.blueprints[exam]] if exam else list(app.pack.blueprints.values())
        known = sorted({d.id for bp in blueprints for d in bp.domains}, key=int)
        if domain not in known:
            where = f" of {exam}" if exam else ""
            raise ReviewRequestError(f"unknown domain {domain[:20]!r}{where}; choose one of {', '.join(known)}")
    return QueueFilter(kind=kind, exam=exam, domain=domain)


def _day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _limits(conn: Connection, app: Certprep, user_id: int) -> tuple[CardLimits, int | None]:
    row = repo.get_settings(conn, user_id)
    if row is None or row["new_per_day"] is None:
        defaults = CardLimits(app.settings.new_cards_per_day, DEFAULT_REVIEWS_PER_DAY)
        return defaults, None if row is None else row["undo_floor"]
    return CardLimits(row["new_per_day"], row["reviews_per_day"], saved=True), row["undo_floor"]


def limits(app: Certprep, user_id: int) -> CardLimits:
    """The user's daily limits (the defaults until they save their own)."""
    with app.engine.connect() as conn:
        return _limits(conn, app, user_id)[0]


def save_limits(app: Certprep, user_id: int, *, new_per_day: int, reviews_per_day: int, now: datetime) -> CardLimits:
    """Save the user's daily limits (``ReviewRequestError`` when out of range)."""
    if not 0 <= new_per_day <= MAX_NEW_PER_DAY:
        raise ReviewRequestError(f"new cards a day must be between 0 and {MAX_NEW_PER_DAY}")
    if not 0 <= reviews_per_day <= MAX_REVIEWS_PER_DAY:
        raise ReviewRequestError(f"reviews a day must be between 0 and {MAX_REVIEWS_PER_DAY}")
    with app.transaction() as conn:
        repo.put_settings(
            conn, user_id, {"new_per_day": new_per_day, "reviews_per_day": reviews_per_day, "updated_at": now}
        )
    return CardLimits(new_per_day, reviews_per_day, saved=True)


def _undoable(last: dict[str, Any] | None, floor: int | None) -> bool:
    return last is not None and (floor is None or last["id"] >= floor)


def _refs(app: Certprep, item_id: str, kind: str) -> Any:
    item = _flashcards(app).get(item_id) if kind == "flashcard" else _question(app, item_id)
    return None if item is None else item.exams


def queue(app: Certprep, user_id: int, *, now: datetime, where: QueueFilter = EVERY_ITEM) -> CardQueue:
    """The session's queue at ``now`` (``srs.build_queue``): items in their learning steps, then due
    reviews up to the daily review limit with new flashcards, up to the daily new limit, spread
    among them; ``where`` narrows it to a kind, an exam or a domain."""
    with app.engine.connect() as conn:
        rows = repo.card_rows(conn, user_id)
        today = repo.review_rows(conn, user_id, since=_day_start(now))
        day_limits, floor = _limits(conn, app, user_id)
        last = repo.last_review(conn, user_id)
    counts = count_today((r["state_version"], (r["details"] or {}).get("before") or {}) for r in today)
    scheduled = []
    for r in rows:
        refs = _refs(app, r["item_id"], r["item_kind"])
        if refs is not None and where.admits(r["item_kind"], refs):
            scheduled.append(DueCard(r["item_id"], r["item_kind"], r["due"], r["state"]))
    known = {r["item_id"] for r in rows}
    fresh = [c.id for c in app.pack.flashcards if c.id not in known and where.admits("flashcard", c.exams)]
    session = build_queue(
        scheduled,
        fresh,
        now=now,
        limits=QueueLimits(day_limits.new_per_day, day_limits.reviews_per_day),
        counts=counts,
    )
    undo = None
    if last is not None and _undoable(last, floor):
        kind = "flashcard" if last["item_id"] in _flashcards(app) else "question"
        undo = UndoableReview(last["item_id"], kind, last["rating"], last["reviewed_at"])
    return CardQueue(
        items=session.entries,
        due=session.learning + session.reviews,
        learning=session.learning,
        reviews_held=session.reviews_held,
        new=session.new,
        limits=day_limits,
        new_introduced_today=counts.new_done,
        reviews_today=counts.reviews_done,
        undo=undo,
    )


def undo_last(app: Certprep, user_id: int, *, now: datetime) -> UndoableReview:
    """Undo the user's last rating in one transaction: the card gets back the FSRS state it had
    before (a flashcard rated for the first time is new again) and the review leaves the log. Only
    the last rating: once undone, the one before it cannot be (``NothingToUndo``), nor one whose
    card changed since (a missed question missed again)."""
    with app.transaction() as conn:
        last = repo.last_review(conn, user_id)
        _, floor = _limits(conn, app, user_id)
        if last is None or not _undoable(last, floor):
            raise NothingToUndo("nothing to undo: only your last rating can be undone, once")
        item_id, version = last["item_id"], last["state_version"]
        before = (last["details"] or {}).get("before")
        row = repo.get_card(conn, user_id, item_id)
        if row is None or before is None or row["version"] != version + 1:
            raise NothingToUndo("nothing to undo: this card changed after your last rating")
        if version == 0:
            restored = repo.delete_card(conn, user_id, item_id, row["version"])
        else:
            restored = repo.update_card(
                conn,
                user_id,
                item_id,
                row["version"],
                {"state": before, "due": datetime.fromisoformat(before["due"]), "version": row["version"] + 1},
            )
        if not restored or not repo.delete_review(conn, user_id, last["id"]):
            raise NothingToUndo("nothing to undo: this card changed after your last rating")
        repo.put_settings(conn, user_id, {"undo_floor": last["id"], "updated_at": now})
    return UndoableReview(item_id, row["item_kind"], last["rating"], last["reviewed_at"])


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


@dataclass(frozen=True)
class AnkiPackage:
    """An Anki package (.apkg) in memory: its bytes, a file name, the number of notes."""

    data: bytes
    filename: str
    flashcards: int


def anki_package(app: Certprep, where: QueueFilter = EVERY_ITEM) -> AnkiPackage:
    """The flashcards of ``where``'s exam and domain as an Anki package (``interop.anki``, as
    ``certprep export anki`` writes it). Only flashcards: the questions' keys stay in the app, where
    a question is shown with its answer only after it was answered."""
    scope = "-".join(p for p in (where.exam, f"domain{where.domain}" if where.domain else None) if p)
    name = f"certprep-flashcards{f'-{scope}' if scope else ''}.apkg"
    with tempfile.TemporaryDirectory(prefix="certprep-anki-") as folder:
        path = Path(folder) / name
        counts = export_apkg(app.pack, path, exam=where.exam, domain=where.domain)
        return AnkiPackage(path.read_bytes(), name, counts["flashcards"])
