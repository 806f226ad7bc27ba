"""Card scheduling state and the append-only review log. Functions never commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, delete, desc, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from certprep.store.tables import card_settings, card_states, review_log
from certprep.store.upsert import upsert

__all__ = [
    "QuestionReview",
    "append_review",
    "card_rows",
    "delete_card",
    "delete_review",
    "due_dates",
    "get_card",
    "get_settings",
    "insert_card",
    "last_review",
    "put_settings",
    "question_reviews",
    "review_rows",
    "update_card",
]


def get_card(conn: Connection, user_id: int, item_id: str) -> dict[str, Any] | None:
    row = (
        conn.execute(
            select(card_states).where(and_(card_states.c.user_id == user_id, card_states.c.item_id == item_id))
        )
        .mappings()
        .first()
    )
    return dict(row) if row is not None else None


def card_rows(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(card_states).where(card_states.c.user_id == user_id)).mappings()]


def insert_card(conn: Connection, row: Mapping[str, Any]) -> bool:
    """Insert a card's first state; False when one is already there (a concurrent first rating or
    miss got in first: on PostgreSQL both may have read "no row"), and nothing is changed."""
    if conn.dialect.name == "postgresql":  # psycopg's rowcount is -1 here: ask for the row back
        statement = (
            postgresql_insert(card_states)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["user_id", "item_id"])
            .returning(card_states.c.item_id)
        )
        return conn.execute(statement).first() is not None
    # SQLite: RETURNING needs 3.35, older systems still ship 3.34; its rowcount is exact.
    ignore = sqlite_insert(card_states).values(**row).on_conflict_do_nothing(index_elements=["user_id", "item_id"])
    return conn.execute(ignore).rowcount == 1


def update_card(conn: Connection, user_id: int, item_id: str, expected_version: int, values: Mapping[str, Any]) -> bool:
    result = conn.execute(
        update(card_states)
        .where(
            and_(
                card_states.c.user_id == user_id,
                card_states.c.item_id == item_id,
                card_states.c.version == expected_version,
            )
        )
        .values(**values)
    )
    return result.rowcount == 1


def append_review(conn: Connection, row: Mapping[str, Any]) -> None:
    conn.execute(review_log.insert().values(**row))


def review_rows(conn: Connection, user_id: int, since: datetime | None = None) -> list[dict[str, Any]]:
    query = select(review_log).where(review_log.c.user_id == user_id)
    if since is not None:
        query = query.where(review_log.c.reviewed_at >= since)
    return [dict(r) for r in conn.execute(query.order_by(review_log.c.reviewed_at, review_log.c.id)).mappings()]


class QuestionReview(NamedTuple):
    item_id: str
    rating: int
    reviewed_at: datetime


def question_reviews(conn: Connection, user_id: int) -> list[QuestionReview]:
    """The user's reviews of question cards (not flashcards), oldest first: item_id, rating,
    reviewed_at."""
    return [
        QuestionReview(*row)
        for row in conn.execute(
            select(review_log.c.item_id, review_log.c.rating, review_log.c.reviewed_at)
            .join(
                card_states,
                and_(card_states.c.user_id == review_log.c.user_id, card_states.c.item_id == review_log.c.item_id),
            )
            .where(and_(review_log.c.user_id == user_id, card_states.c.item_kind == "question"))
            .order_by(review_log.c.reviewed_at, review_log.c.id)
        )
    ]


def due_dates(conn: Connection, user_id: int) -> list[datetime]:
    """When each of the user's cards is due."""
    return list(conn.execute(select(card_states.c.due).where(card_states.c.user_id == user_id)).scalars().all())


def last_review(conn: Connection, user_id: int) -> dict[str, Any] | None:
    """The user's most recent review (the highest id: ids grow with time)."""
    row = (
        conn.execute(select(review_log).where(review_log.c.user_id == user_id).order_by(desc(review_log.c.id)).limit(1))
        .mappings()
        .first()
    )
    return dict(row) if row is not None else None


def delete_review(conn: Connection, user_id: int, review_id: int) -> bool:
    result = conn.execute(delete(review_log).where(and_(review_log.c.user_id == user_id, review_log.c.id == review_id)))
    return result.rowcount == 1


def delete_card(conn: Connection, user_id: int, item_id: str, expected_version: int) -> bool:
    result = conn.execute(
        delete(card_states).where(
            and_(
                card_states.c.user_id == user_id,
                card_states.c.item_id == item_id,
                card_states.c.version == expected_version,
            )
        )
    )
    return result.rowcount == 1


def get_settings(conn: Connection, user_id: int) -> dict[str, Any] | None:
    """The user's flashcard settings row (daily limits, undo floor), if they saved any."""
    row = conn.execute(select(card_settings).where(card_settings.c.user_id == user_id)).mappings().first()
    return dict(row) if row is not None else None


def put_settings(conn: Connection, user_id: int, values: Mapping[str, Any]) -> None:
    """Insert or update the user's settings row with ``values`` (all columns but user_id)."""
    upsert(conn, card_settings, {"user_id": user_id}, values)
