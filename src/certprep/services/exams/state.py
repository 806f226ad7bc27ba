"""Loading, storing and settling one attempt inside a service's transaction.

``store`` writes the new state with an optimistic version check and appends the events to the
response log; an attempt that ends is scored and summarised in the same write. ``settled`` reads
an attempt without a write lock, and opens a write transaction only to submit one whose deadline
has passed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from certprep.content.schema import Question
from certprep.exam import attempt as machine
from certprep.exam.attempt import AttemptState, StaleStateError, Status
from certprep.exam.forms import Form
from certprep.exam.report import build_report
from certprep.exam.scoring import is_correct
from certprep.services.cards import record_missed
from certprep.services.errors import NotFound
from certprep.services.exams.content import FORM_CACHE_KEY, FormCache, form_questions
from certprep.store import exams as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["event", "graded", "load", "refresh", "settled", "store"]


def event(kind: str, now: datetime, **fields: Any) -> dict[str, Any]:
    return {"event": kind, "recorded_at": now, **fields}


def load(app: Certprep, conn: Connection, user_id: int, attempt_id: str) -> tuple[dict[str, Any], AttemptState]:
    """The user's attempt (``NotFound`` for another user's): its row and state. The form, which
    never changes, is read from the database only when it is not held already (``FormCache``)."""
    cache: FormCache = app.cache.setdefault(FORM_CACHE_KEY, FormCache())
    form = cache.get(attempt_id)
    row = repo.get_attempt(conn, user_id, attempt_id, form=form is None)
    if row is None:
        raise NotFound("attempt")
    if form is None:
        form = Form.from_dict(row["form"])
        cache.put(attempt_id, form)
    return row, AttemptState.from_dict(row["state"], form=form)


def _finish_events(
    app: Certprep, conn: Connection, state: AttemptState, questions: Mapping[str, Question], now: datetime
) -> list[dict[str, Any]]:
    """Graded events written when an attempt ends: every answered item of an exam; in practice the
    answers never checked (a checked one was graded when it was checked)."""
    events = []
    for index, item in enumerate(state.form.items):
        if item.question_id in state.answers and not state.feedback_shown(item.question_id):
            ok = is_correct(questions[item.question_id], state.answers[item.question_id])
            events.append(graded(index, item.question_id, item.revision, ok, now))
    kind = "expire" if state.status is Status.EXPIRED else "submit"
    events.append(event(kind, now))
    return events


def graded(index: int, question_id: str, revision: int, ok: bool, now: datetime) -> dict[str, Any]:
    return event("graded", now, item_index=index, question_id=question_id, question_revision=revision, correct=ok)


def store(
    app: Certprep,
    conn: Connection,
    row: dict[str, Any],
    before: AttemptState,
    after: AttemptState,
    events: list[dict[str, Any]],
    now: datetime,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "state": after.to_dict(with_form=False),
        "version": after.version,
        "status": after.status.value,
    }
    if after.deadline != before.deadline:
        values["deadline"] = after.deadline
    if before.is_open and after.status is Status.ABANDONED:
        events = [*events, event("abandon", now)]  # kept, unscored: every figure leaves it out
    elif before.is_open and not after.is_open:
        questions = form_questions(app, conn, after.form)
        report = build_report(after, questions, app.pack.blueprints[after.form.exam])
        events = events + _finish_events(app, conn, after, questions, now)
        values.update(
            submitted_at=after.finished_at,
            raw_score=report.raw_correct,
            raw_max=report.raw_max,
            scaled_score=report.scaled_score,
            passed=report.passed,
            summary={
                "question_count": len(after.form),
                "domains": {d.id: [d.correct, d.total] for d in report.domains},
                "seconds": [round(item.seconds, 1) for item in report.items],
            },
        )
    if not repo.update_attempt(conn, row["id"], before.version, values):
        raise StaleStateError(before.version, before.version + 1)
    repo.append_events(conn, row["id"], row["user_id"], events)
    for entry in events:  # a question answered wrong in any mode comes back on the review schedule
        if entry["event"] == "graded" and entry["correct"] is False:
            record_missed(conn, row["user_id"], entry["question_id"], now)
    row.update(values)
    return row


def refresh(app: Certprep, conn: Connection, row: dict[str, Any], state: AttemptState, now: datetime) -> AttemptState:
    """Submit at the deadline when it has passed (reads do this too).

    Two requests may find the deadline passed at once (on PostgreSQL both read the open attempt):
    the one whose write finds the version moved reads what the other stored instead of refusing a
    mere read."""
    expired = machine.expire_if_due(state, now)
    if expired is state:
        return state
    try:
        store(app, conn, row, state, expired, [], now)
    except StaleStateError:
        stored = repo.get_attempt(conn, int(row["user_id"]), str(row["id"]), form=False)
        if stored is None:
            raise NotFound("attempt") from None
        row.update(stored)
        again = AttemptState.from_dict(stored["state"], form=state.form)
        if machine.expire_if_due(again, now) is not again:  # still open: not a race we can settle here
            raise
        return again
    return expired


def _due(state: AttemptState, now: datetime) -> bool:
    """The attempt is open and its deadline has passed: only a write settles it."""
    return machine.expire_if_due(state, now) is not state


@contextmanager
def settled(
    app: Certprep, user_id: int, attempt_id: str, now: datetime
) -> Iterator[tuple[Connection, dict[str, Any], AttemptState]]:
    """The user's attempt as it stands at ``now``, with a connection for the caller's reads.

    A plain read, no write lock; only when the attempt is open past its deadline, a write
    transaction that reads it again and submits it first (``refresh``)."""
    with app.engine.connect() as conn:
        row, state = load(app, conn, user_id, attempt_id)
        if not _due(state, now):
            yield conn, row, state
            return
    with app.transaction() as conn:
        row, state = load(app, conn, user_id, attempt_id)
        yield conn, row, refresh(app, conn, row, state, now)
