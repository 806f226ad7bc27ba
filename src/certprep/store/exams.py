"""Attempt rows, the response log and per-user question history.

Functions take a Connection and never commit: services own the transactions. Every read of an
attempt is scoped to its user, so another user's id finds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, func, select, update

from certprep.store.tables import attempts, content_revisions, responses

__all__ = [
    "FinishedAttempt",
    "GradedAnswer",
    "QuestionHistory",
    "append_events",
    "finished_attempts",
    "flag_events",
    "get_attempt",
    "graded_responses",
    "insert_attempt",
    "list_attempts",
    "load_revisions",
    "question_history",
    "update_attempt",
]


def insert_attempt(conn: Connection, row: Mapping[str, Any]) -> None:
    conn.execute(attempts.insert().values(**row))


# The statements of every answer, built once (their parameters bound per call): building a
# statement costs more than running it on this path.
_THE_USERS_ATTEMPT = and_(attempts.c.id == bindparam("b_id"), attempts.c.user_id == bindparam("b_user_id"))
_GET_ATTEMPT = select(attempts).where(_THE_USERS_ATTEMPT)
_GET_ATTEMPT_NO_FORM = select(*(c for c in attempts.c if c.name != "form")).where(_THE_USERS_ATTEMPT)
_SAME_VERSION = and_(attempts.c.id == bindparam("b_id"), attempts.c.version == bindparam("b_version"))
_UPDATE_ATTEMPT = update(attempts).where(_SAME_VERSION)
_LAST_SEQ = select(func.max(responses.c.seq)).where(responses.c.attempt_id == bindparam("b_id"))
# One event (most actions): its number is computed by the INSERT itself, one statement instead of two.
_EVENT_COLUMNS = ("item_index", "question_id", "question_revision", "payload", "correct")
_NEXT_SEQ = (
    select(func.coalesce(func.max(responses.c.seq), 0) + 1)
    .where(responses.c.attempt_id == bindparam("b_id"))
    .scalar_subquery()
)
_INSERT_NEXT_EVENT = responses.insert().values(seq=_NEXT_SEQ)


def get_attempt(conn: Connection, user_id: int, attempt_id: str, *, form: bool = True) -> dict[str, Any] | None:
    """The user's attempt row; ``form=False`` leaves out its form (the caller holds it already)."""
    statement = _GET_ATTEMPT if form else _GET_ATTEMPT_NO_FORM
    row = conn.execute(statement, {"b_id": attempt_id, "b_user_id": user_id}).mappings().first()
    return dict(row) if row is not None else None


def update_attempt(conn: Connection, attempt_id: str, expected_version: int, values: Mapping[str, Any]) -> bool:
    """Write only if nobody wrote since ``expected_version`` (optimistic concurrency); the keys of
    ``values`` are the columns set."""
    return conn.execute(_UPDATE_ATTEMPT, {**values, "b_id": attempt_id, "b_version": expected_version}).rowcount == 1


def append_events(conn: Connection, attempt_id: str, user_id: int, events: Iterable[Mapping[str, Any]]) -> None:
    """Append to the response log with consecutive sequence numbers."""
    rows = list(events)
    if not rows:
        return
    blank = dict.fromkeys(_EVENT_COLUMNS)
    if len(rows) == 1:
        conn.execute(
            _INSERT_NEXT_EVENT, {**blank, "b_id": attempt_id, "attempt_id": attempt_id, "user_id": user_id, **rows[0]}
        )
        return
    last = conn.execute(_LAST_SEQ, {"b_id": attempt_id}).scalar()
    start = (last or 0) + 1
    conn.execute(
        responses.insert(),
        [
            {**blank, "attempt_id": attempt_id, "user_id": user_id, "seq": start + i, **row}
            for i, row in enumerate(rows)
        ],
    )


def list_attempts(
    conn: Connection, user_id: int, exam_code: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    cols = [c for c in attempts.c if c.name not in ("state", "form")]
    query = select(*cols).where(attempts.c.user_id == user_id)
    if exam_code:
        query = query.where(attempts.c.exam_code == exam_code)
    query = query.order_by(attempts.c.started_at.desc()).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


@dataclass(frozen=True)
class QuestionHistory:
    seen: dict[str, int]  # question id -> times answered
    last_correct: dict[str, bool]  # question id -> whether the latest graded answer was right


# Graded answers that count: not of an abandoned attempt (it leaves every figure), oldest first.
_COUNTED_GRADES = (
    select(
        responses.c.question_id, responses.c.correct, responses.c.recorded_at, attempts.c.mode, responses.c.attempt_id
    )
    .join(attempts, attempts.c.id == responses.c.attempt_id)
    .where(
        and_(
            responses.c.user_id == bindparam("b_user_id"),
            responses.c.event == "graded",
            attempts.c.status != "abandoned",
        )
    )
    .order_by(responses.c.recorded_at, responses.c.id)
)


def _first_grades(conn: Connection, user_id: int) -> list[Any]:
    """The first graded answer to each question of each attempt: a later grade of the same question
    in the same attempt (a log written before answers were locked once checked) does not count."""
    done: set[tuple[str, str]] = set()
    out = []
    for row in conn.execute(_COUNTED_GRADES, {"b_user_id": user_id}):
        key = (row.attempt_id, row.question_id)
        if key not in done:
            done.add(key)
            out.append(row)
    return out


def question_history(conn: Connection, user_id: int) -> QuestionHistory:
    """What the user has answered, in every mode, from the append-only log (first grades only)."""
    seen: dict[str, int] = {}
    last: dict[str, bool] = {}
    for row in _first_grades(conn, user_id):
        seen[row.question_id] = seen.get(row.question_id, 0) + 1
        last[row.question_id] = bool(row.correct)
    return QuestionHistory(seen=seen, last_correct=last)


def flag_events(conn: Connection, user_id: int) -> list[Any]:
    """Flag and unflag events of the user, oldest first (the last one per question wins)."""
    return list(
        conn.execute(
            select(responses.c.question_id, responses.c.event)
            .where(and_(responses.c.user_id == user_id, responses.c.event.in_(("flag", "unflag"))))
            .order_by(responses.c.recorded_at, responses.c.id)
        )
    )


def load_revisions(conn: Connection, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any]]:
    wanted = set(keys)
    if not wanted:
        return {}
    ids = {k[0] for k in wanted}
    rows = conn.execute(
        select(content_revisions.c.item_id, content_revisions.c.revision, content_revisions.c.body).where(
            content_revisions.c.item_id.in_(ids)
        )
    )
    return {(r.item_id, r.revision): r.body for r in rows if (r.item_id, r.revision) in wanted}


class GradedAnswer(NamedTuple):
    question_id: str
    correct: bool
    recorded_at: datetime
    mode: str  # the attempt's: "exam" or "practice"


class FinishedAttempt(NamedTuple):
    id: str
    mode: str
    submitted_at: datetime
    raw_score: int | None
    raw_max: int | None
    scaled_score: int | None
    passed: bool | None
    summary: dict[str, Any] | None


def graded_responses(conn: Connection, user_id: int) -> list[GradedAnswer]:
    """The user's graded answers that count, oldest first: question_id, correct, recorded_at and
    the attempt's mode (the first grade per question and attempt; none of an abandoned attempt)."""
    return [
        GradedAnswer(row.question_id, bool(row.correct), row.recorded_at, row.mode)
        for row in _first_grades(conn, user_id)
    ]


def finished_attempts(conn: Connection, user_id: int, exam: str) -> list[FinishedAttempt]:
    """The user's submitted or expired attempts of ``exam`` with their scores and summaries."""
    return [
        FinishedAttempt(*row)
        for row in conn.execute(
            select(
                attempts.c.id,
                attempts.c.mode,
                attempts.c.submitted_at,
                attempts.c.raw_score,
                attempts.c.raw_max,
                attempts.c.scaled_score,
                attempts.c.passed,
                attempts.c.summary,
            ).where(
                and_(
                    attempts.c.user_id == user_id,
                    attempts.c.exam_code == exam,
                    attempts.c.submitted_at.is_not(None),
                    attempts.c.status != "abandoned",  # never submitted anyway; said here for the reader
                )
            )
        )
    ]
