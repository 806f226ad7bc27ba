"""SQLAlchemy tables. The schema changes only through Alembic migrations (store/migrations)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = [
    "UTCDateTime",
    "attempts",
    "card_states",
    "content_items",
    "content_revisions",
    "meta",
    "metadata",
    "problem_reports",
    "responses",
    "review_log",
    "users",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite (naive text) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; certprep stores aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(128), nullable=False),
    Column("password_hash", String(256), nullable=True),  # None: the local profile (no sign-in)
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("is_local", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Content as synced from packs. Every revision ever seen is kept, so past responses always point
# at the text the learner saw.
content_items = Table(
    "content_items",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("kind", String(16), nullable=False),  # blueprint, question, case_study, flashcard, lesson, cheatsheet
    Column("current_revision", Integer, nullable=False),
    Column("active", Boolean, nullable=False, default=True),  # False: no longer in the pack
    Column("pack_id", String(64), nullable=False),
)

content_revisions = Table(
    "content_revisions",
    metadata,
    Column("item_id", String(80), ForeignKey("content_items.id"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("body", JSON, nullable=False),
    Column("synced_at", UTCDateTime, nullable=False),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("exam_code", String(16), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),  # bumped on every write; stale writes are refused
    # The pure AttemptState as JSON, without its form (migration 0005): the state is written on
    # every answer, the form (some 95 % of the two) only when the attempt is created.
    Column("state", JSON, nullable=False),
    Column("form", JSON, nullable=True),  # the attempt's Form; null only in a database being migrated
    Column("started_at", UTCDateTime, nullable=False),
    Column("deadline", UTCDateTime, nullable=True),
    Column("submitted_at", UTCDateTime, nullable=True),
    Column("raw_score", Integer, nullable=True),
    Column("raw_max", Integer, nullable=True),
    Column("scaled_score", Integer, nullable=True),
    Column("passed", Boolean, nullable=True),
    # Per-domain results and time per question, written when the attempt ends (migration 0003),
    # so that trends never rebuild every report.
    Column("summary", JSON, nullable=True),
    Index("ix_attempts_user_started", "user_id", "started_at"),
)

# Append-only log of everything a learner did in an attempt; the attempt's state is derived from
# it and written in the same transaction.
responses = Table(
    "responses",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("attempt_id", String(36), ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("event", String(16), nullable=False),  # answer, clear, flag, unflag, navigate, submit, expire...
    Column("item_index", Integer, nullable=True),
    Column("question_id", String(80), nullable=True),
    Column("question_revision", Integer, nullable=True),
    Column("payload", JSON, nullable=True),
    Column("correct", Boolean, nullable=True),  # filled for answers once known (practice or on submit)
    Column("recorded_at", UTCDateTime, nullable=False),
    UniqueConstraint("attempt_id", "seq", name="uq_responses_attempt_seq"),
    ForeignKeyConstraint(
        ["question_id", "question_revision"],
        ["content_revisions.item_id", "content_revisions.revision"],
        name="fk_responses_question_revision",
    ),
    Index("ix_responses_user_question", "user_id", "question_id"),
)

card_states = Table(
    "card_states",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", String(80), ForeignKey("content_items.id"), primary_key=True),
    Column("item_kind", String(16), nullable=False),  # flashcard or question (a missed question)
    Column("state", JSON, nullable=False),
    Column("due", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_card_states_user_due", "user_id", "due"),
)

review_log = Table(
    "review_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", String(80), ForeignKey("content_items.id"), nullable=False),
    Column("item_revision", Integer, nullable=False),
    Column("rating", Integer, nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=False),
    Column("state_version", Integer, nullable=False),
    Column("details", JSON, nullable=True),
    Index("ix_review_log_user_time", "user_id", "reviewed_at"),
)

# --- flashcard settings, notes and bookmarks (migration 0009) ---
# card_settings: a user's daily limits of the review queue (NULL: the defaults), and ``undo_floor``: the id of the last
# review that was undone (only a review made after it can be undone: one undo, not a chain).
# question_notes: a user's note and bookmark on a question.

__all__ += ["card_settings", "question_notes"]

card_settings = Table(
    "card_settings",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("new_per_day", Integer, nullable=True),
    Column("reviews_per_day", Integer, nullable=True),
    Column("undo_floor", BigInteger().with_variant(Integer, "sqlite"), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)

question_notes = Table(
    "question_notes",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(80), primary_key=True),
    Column("note", Text, nullable=False),
    Column("bookmarked", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)


problem_reports = Table(
    "problem_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("question_id", String(80), nullable=False),
    Column("question_revision", Integer, nullable=False),
    Column("attempt_id", String(36), ForeignKey("attempts.id", ondelete="SET NULL"), nullable=True),
    Column("category", String(32), nullable=False),
    Column("message", Text, nullable=False),
    Column("status", String(16), nullable=False, default="open"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime, nullable=True),
    ForeignKeyConstraint(
        ["question_id", "question_revision"],
        ["content_revisions.item_id", "content_revisions.revision"],
        name="fk_problem_reports_question_revision",
    ),
)

# --- accounts and sessions (migration 0002) ---
# Both live in the database, not in process memory, so several workers share them.

__all__ += ["login_attempts", "sessions"]

# A browser session. The cookie carries a random token; only its SHA-256 is stored, so a leaked
# database does not hand out live sessions. user_id is NULL for a visitor who has not signed in
# yet (the sign-in form needs a CSRF token too).
sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Index("ix_sessions_user_id", "user_id"),
    Index("ix_sessions_expires_at", "expires_at"),
)

# Failed sign-ins, for rate limiting per username and client address.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("attempted_at", UTCDateTime, nullable=False),
    Index("ix_login_attempts_username_ip_time", "username", "ip", "attempted_at"),
)

# --- lab check runs (migration 0006) ---
# One row per `certprep labs check`: the results of every check as JSON (labs/api.py CheckResult).

__all__ += ["lab_runs"]

lab_runs = Table(
    "lab_runs",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("lab_id", String(80), nullable=False),
    Column("checked_at", UTCDateTime, nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("results", JSON, nullable=False),
    Index("ix_lab_runs_user_lab_time", "user_id", "lab_id", "checked_at"),
)

# --- exam goals (migration 0008) ---
# Each user's exam date per exam, with the hours a week they plan to study: the study plan's
# defaults and the dashboard's countdown.

__all__ += ["exam_goals"]

exam_goals = Table(
    "exam_goals",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("exam_code", String(32), primary_key=True),
    Column("exam_date", Date, nullable=False),
    Column("hours_per_week", Float, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)
