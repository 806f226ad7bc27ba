"""A user's personal note and bookmark on a question, and the questions they may look at again.

A question can be noted, bookmarked, opened on its own page or found by search only once the user
has seen it graded in an attempt (feedback in practice, the review after an exam): its key and
rationales were shown then. Any other question is ``NotFound``, the same as one that does not
exist, so neither the page nor search tells unseen questions apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from certprep.content.schema import Question
from certprep.services.errors import NotFound
from certprep.store import notes as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "MAX_NOTE",
    "NoteRequestError",
    "QuestionNote",
    "bookmarks",
    "note",
    "notes_on",
    "save_note",
    "seen_question",
    "seen_questions",
]

MAX_NOTE = 4000  # characters
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class NoteRequestError(ValueError):
    """A note that cannot be kept (too long, control characters)."""


@dataclass(frozen=True)
class QuestionNote:
    """The user's note (possibly empty) and bookmark on a question; ``updated_at`` None when they
    have neither."""

    question_id: str
    note: str
    bookmarked: bool
    updated_at: datetime | None


def seen_questions(app: Certprep, user_id: int) -> set[str]:
    """The ids of the questions the user has seen graded."""
    with app.engine.connect() as conn:
        return repo.seen_questions(conn, user_id)


def seen_question(app: Certprep, user_id: int, question_id: str) -> Question:
    """The question, if the user has seen it graded (``NotFound`` otherwise)."""
    try:
        question = app.pack.question(question_id)
    except KeyError:
        raise NotFound("question") from None
    if question_id not in seen_questions(app, user_id):
        raise NotFound("question")
    return question


def _note(question_id: str, row: dict[str, object] | None) -> QuestionNote:
    if row is None:
        return QuestionNote(question_id, "", False, None)
    return QuestionNote(question_id, str(row["note"]), bool(row["bookmarked"]), row["updated_at"])  # type: ignore[arg-type]


def note(app: Certprep, user_id: int, question_id: str) -> QuestionNote:
    """The user's note and bookmark on a question they have seen."""
    seen_question(app, user_id, question_id)
    with app.engine.connect() as conn:
        return _note(question_id, repo.get_note(conn, user_id, question_id))


def notes_on(app: Certprep, user_id: int, question_ids: list[str]) -> dict[str, QuestionNote]:
    """The user's notes and bookmarks on these questions (those with one), for a review page."""
    with app.engine.connect() as conn:
        rows = repo.notes_for(conn, user_id, question_ids)
    return {qid: _note(qid, row) for qid, row in rows.items()}


def save_note(
    app: Certprep, user_id: int, question_id: str, *, text: str, bookmarked: bool, now: datetime
) -> QuestionNote:
    """Keep the user's note and bookmark on a question they have seen; an empty note without a
    bookmark removes both."""
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_NOTE:
        raise NoteRequestError(f"a note is at most {MAX_NOTE} characters (this one has {len(text)})")
    if _CONTROL_BUT_LINES.search(text):
        raise NoteRequestError("control characters (such as NUL) are not allowed in a note; line breaks are")
    seen_question(app, user_id, question_id)
    with app.transaction() as conn:
        if not text and not bookmarked:
            repo.delete_note(conn, user_id, question_id)
            return QuestionNote(question_id, "", False, None)
        repo.put_note(conn, user_id, question_id, {"note": text, "bookmarked": bookmarked, "updated_at": now})
    return QuestionNote(question_id, text, bookmarked, now)


def bookmarks(app: Certprep, user_id: int) -> list[QuestionNote]:
    """The user's bookmarked questions, the latest first (questions gone from the pack left out)."""
    with app.engine.connect() as conn:
        rows = repo.bookmarked(conn, user_id)
    known = app.pack.questions_by_id
    return [_note(r["question_id"], r) for r in rows if r["question_id"] in known]
