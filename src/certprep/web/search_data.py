"""Data of the search page, a seen question's own page (with the user's note and bookmark) and the
bookmarks list, and their JSON twins: one pydantic model per page."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from certprep.app import Certprep
from certprep.content.schema import Question, QuestionType
from certprep.services import notes, search
from certprep.services.accounts import User
from certprep.web.params import Lines

__all__ = [
    "BookmarksOut",
    "NoteIn",
    "NoteOut",
    "QuestionPageOut",
    "SearchOut",
    "bookmarks_data",
    "question_data",
    "save_note",
    "search_data",
]

KIND_TITLES = {
    "question": "Questions you have seen",
    "lesson": "Lessons",
    "cheatsheet": "Cheat sheets",
    "flashcard": "Flashcards",
}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class SearchHitOut(_Out):
    kind: Literal["question", "lesson", "cheatsheet", "flashcard"]
    id: str
    title: str
    snippet: str
    url: str


class SearchGroupOut(_Out):
    kind: Literal["question", "lesson", "cheatsheet", "flashcard"]
    title: str
    hits: list[SearchHitOut]


class SearchOut(_Out):
    """Results grouped by kind (questions only among those you have seen graded), best first."""

    q: str
    words: list[str] = Field(description="The words searched (lower case, accents removed); empty: nothing searched.")
    total: int
    questions_searched: int = Field(description="How many questions you have seen, the only ones searched.")
    groups: list[SearchGroupOut]


class NoteIn(BaseModel):
    """Your note (Markdown-free plain text, line breaks allowed) and bookmark on a question."""

    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=notes.MAX_NOTE * 2), Lines] = ""
    bookmarked: StrictBool = False


class NoteOut(_Out):
    question_id: str
    note: str
    bookmarked: bool
    updated_at: datetime | None


class ChoiceOut(_Out):
    text: str
    correct: bool
    rationale: str | None


class MatchOut(_Out):
    prompt: str
    answer: str
    rationale: str | None


class QuestionPageOut(_Out):
    """A question you have seen graded, with its answer and rationales, and your note and bookmark."""

    id: str
    type: str
    stem: str
    exams: list[str]
    choices: list[ChoiceOut] = Field(description="Single and multiple response: every option, right or not.")
    right_order: list[ChoiceOut] = Field(description="Ordering: the steps in order, then the steps that do not belong.")
    matches: list[MatchOut]
    unused: list[ChoiceOut] = Field(description="Matching: the responses that match no prompt.")
    references: list[dict[str, str]]
    note: NoteOut


class BookmarkOut(_Out):
    question_id: str
    title: str
    note: str
    updated_at: datetime | None


class BookmarksOut(_Out):
    bookmarks: list[BookmarkOut]


def _card_lessons(app: Certprep) -> dict[str, str]:
    """Each flashcard's lesson (the first lesson of one of its task statements), once per pack."""
    key = "search-card-lessons"
    if key not in app.cache:
        by_task: dict[tuple[str, str], str] = {}
        for lesson in app.pack.lessons:
            for e in lesson.exams:
                by_task.setdefault((e.exam, e.task), lesson.id)
        app.cache[key] = {
            c.id: found
            for c in app.pack.flashcards
            if (found := next((by_task[(e.exam, e.task)] for e in c.exams if (e.exam, e.task) in by_task), None))
        }
    lessons: dict[str, str] = app.cache[key]
    return lessons


def _url(app: Certprep, kind: str, item_id: str) -> str:
    """Where a hit leads: the question's page, the lesson, the cheat sheet; a flashcard's lesson."""
    if kind == "question":
        return f"/questions/{item_id}"
    if kind == "lesson":
        return f"/lessons/{item_id}"
    if kind == "cheatsheet":
        return f"/cheatsheets/{item_id}"
    lesson = _card_lessons(app).get(item_id)
    return f"/lessons/{lesson}" if lesson else "/cards"


def search_data(app: Certprep, user: User, q: str) -> SearchOut:
    """Search (``search.SearchRequestError`` for a query over the length limit)."""
    found = search.search(app, user.id, q)
    groups = [
        SearchGroupOut(
            kind=kind,
            title=KIND_TITLES[kind],
            hits=[
                SearchHitOut(kind=h.kind, id=h.id, title=h.title, snippet=h.snippet, url=_url(app, h.kind, h.id))
                for h in hits
            ],
        )
        for kind, hits in found.hits.items()
    ]
    return SearchOut(
        q=found.query,
        words=list(found.words),
        total=sum(len(g.hits) for g in groups),
        questions_searched=found.questions_searched,
        groups=groups,
    )


def _note_out(n: notes.QuestionNote) -> NoteOut:
    return NoteOut(question_id=n.question_id, note=n.note, bookmarked=n.bookmarked, updated_at=n.updated_at)


def _choices(q: Question) -> tuple[list[ChoiceOut], list[ChoiceOut], list[MatchOut]]:
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return [ChoiceOut(text=o.text, correct=o.correct, rationale=o.rationale) for o in q.options], [], []
    if q.type is QuestionType.ORDERING:
        steps = [ChoiceOut(text=s.text, correct=True, rationale=s.rationale) for s in q.steps]
        steps += [ChoiceOut(text=s.text, correct=False, rationale=s.rationale) for s in q.distractor_steps]
        return [], steps, []
    return [], [], [MatchOut(prompt=p.prompt, answer=p.response, rationale=p.rationale) for p in q.pairs]


def question_data(app: Certprep, user: User, question_id: str) -> QuestionPageOut:
    """A seen question's page (``NotFound`` for one not seen, as for one that does not exist)."""
    q = notes.seen_question(app, user.id, question_id)
    choices, order, matches = _choices(q)
    return QuestionPageOut(
        id=q.id,
        type=q.type.value,
        stem=q.stem,
        exams=[f"{e.exam} {e.task}" for e in q.exams],
        choices=choices,
        right_order=order,
        matches=matches,
        unused=[ChoiceOut(text=e.text, correct=False, rationale=e.rationale) for e in q.extra_responses],
        references=[{"title": r.title, "url": str(r.url)} for r in q.references],
        note=_note_out(notes.note(app, user.id, question_id)),
    )


def save_note(app: Certprep, user: User, question_id: str, body: NoteIn, *, now: datetime) -> NoteOut:
    saved = notes.save_note(app, user.id, question_id, text=body.note, bookmarked=body.bookmarked, now=now)
    return _note_out(saved)


def bookmarks_data(app: Certprep, user: User) -> BookmarksOut:
    marks = notes.bookmarks(app, user.id)
    return BookmarksOut(
        bookmarks=[
            BookmarkOut(
                question_id=m.question_id,
                title=" ".join(app.pack.question(m.question_id).stem.split())[:120],
                note=m.note,
                updated_at=m.updated_at,
            )
            for m in marks
        ]
    )
