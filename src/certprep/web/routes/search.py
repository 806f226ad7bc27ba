"""Search, a seen question's own page with your note and bookmark, and your bookmarks; their JSON
twins.

Only questions you have seen graded (practice feedback, an exam's review) are found, shown or
noted: any other question id is a 404, the same as one that does not exist. Notes are changed by a
form POST (CSRF token, like every change) or ``PUT /api/questions/{id}/note``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from certprep.services import notes, search
from certprep.web import search_data
from certprep.web.deps import App, Now, PageUser, RequireUser
from certprep.web.params import OneLine
from certprep.web.render import render
from certprep.web.search_data import BookmarksOut, NoteIn, NoteOut, QuestionPageOut, SearchOut

__all__ = ["TWINS", "router"]

router = APIRouter()
TWINS = {
    "/search": "/api/search",
    "/questions/{question_id}": "/api/questions/{question_id}",
    "/bookmarks": "/api/bookmarks",
}

# Longer than a search may be, so that the page can say so (a 422 with the limit) itself.
SearchQuery = Annotated[
    str, Query(max_length=1000, description="Words to find (at most 200 characters); empty finds nothing."), OneLine
]
QuestionId = Annotated[str, Path(max_length=80, description="A question you have seen graded."), OneLine]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such question, or one you have not seen graded yet."},
    422: {"description": "Invalid request (a search over 200 characters, control characters, a note too long)."},
}


def _searched(app: App, user: Any, q: str) -> SearchOut:
    try:
        return search_data.search_data(app, user, q)
    except search.SearchRequestError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


@router.get("/api/search", tags=["search"], responses=ERRORS)
def search_json(app: App, user: RequireUser, q: SearchQuery = "") -> SearchOut:
    """Search the questions you have seen, the lessons, the cheat sheets and the flashcards."""
    return _searched(app, user, q)


@router.get("/api/questions/{question_id}", tags=["search"], responses=ERRORS)
def question_json(app: App, user: RequireUser, question_id: QuestionId) -> QuestionPageOut:
    """A question you have seen graded: its answer and rationales, your note and bookmark."""
    return search_data.question_data(app, user, question_id)


@router.put("/api/questions/{question_id}/note", tags=["search"], responses=ERRORS)
def note_json(app: App, user: RequireUser, now: Now, question_id: QuestionId, body: NoteIn) -> NoteOut:
    """Keep your note and bookmark on a question you have seen (an empty note, not bookmarked,
    removes both)."""
    try:
        return search_data.save_note(app, user, question_id, body, now=now)
    except notes.NoteRequestError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


@router.get("/api/bookmarks", tags=["search"])
def bookmarks_json(app: App, user: RequireUser) -> BookmarksOut:
    """Your bookmarked questions, the latest first."""
    return search_data.bookmarks_data(app, user)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, app: App, user: PageUser, q: SearchQuery = "") -> HTMLResponse:
    try:
        data = search_data.search_data(app, user, q)
    except search.SearchRequestError as exc:
        empty = search_data.search_data(app, user, "")
        return render(request, "search.html", empty, status_code=422, error=str(exc), typed=q)
    return render(request, "search.html", data, error="", typed=q)


def _question_page(
    request: Request,
    app: App,
    user: PageUser,
    question_id: str,
    *,
    status_code: int = 200,
    error: str = "",
    draft: str | None = None,
    saved: bool = False,
) -> HTMLResponse:
    data = search_data.question_data(app, user, question_id)
    return render(request, "question.html", data, status_code=status_code, error=error, draft=draft, saved=saved)


@router.get("/questions/{question_id}", response_class=HTMLResponse, include_in_schema=False)
def question_page(
    request: Request, app: App, user: PageUser, question_id: QuestionId, saved: Annotated[str, Query(max_length=1)] = ""
) -> HTMLResponse:
    return _question_page(request, app, user, question_id, saved=saved == "1")


@router.post("/questions/{question_id}/note", response_class=HTMLResponse, include_in_schema=False)
def note_form(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    question_id: QuestionId,
    note: Annotated[str, Form(max_length=notes.MAX_NOTE * 2)] = "",
    bookmarked: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    try:
        body = NoteIn.model_validate({"note": note, "bookmarked": bookmarked == "1"})
        search_data.save_note(app, user, question_id, body, now=now)
    except (ValidationError, notes.NoteRequestError) as exc:
        message = str(exc) if isinstance(exc, notes.NoteRequestError) else "control characters are not allowed"
        return _question_page(
            request, app, user, question_id, status_code=422, error=f"Not saved: {message}.", draft=note
        )
    return RedirectResponse(f"/questions/{question_id}?saved=1", status_code=303)


@router.get("/bookmarks", response_class=HTMLResponse, include_in_schema=False)
def bookmarks_page(request: Request, app: App, user: PageUser) -> HTMLResponse:
    return render(request, "bookmarks.html", search_data.bookmarks_data(app, user))
