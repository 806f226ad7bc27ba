"""Study pages and their JSON twins: the flashcard queue and review, review statistics, lessons and
cheat sheets.

A rating or an answer carries the card version it was shown with; a stale one (the card was
reviewed in another tab) is refused with 409 and nothing is written. The pages are plain forms
(POST, then 303 back to the review); ``static/study.js`` adds the keyboard (Space / Enter shows
the answer, 1-4 rate) and moves ordering steps without a round trip.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from certprep.services import cards, notes
from certprep.web import study_data
from certprep.web.deps import App, Now, PageUser, RequireUser
from certprep.web.formvalues import small_int
from certprep.web.params import OneLine
from certprep.web.render import render
from certprep.web.study_data import (
    AnswerIn,
    AnswerOut,
    CardOut,
    CheatSheetPageOut,
    CheatSheetsOut,
    LessonPageOut,
    LessonsOut,
    LimitsIn,
    LimitsOut,
    QueueOut,
    RatingIn,
    RatingOut,
    StatsOut,
    StudyRequestError,
    UndoOut,
)

__all__ = ["TWINS", "router"]

router = APIRouter()
TWINS = {
    "/cards": "/api/cards/queue",
    "/cards/review": "/api/cards/queue",
    "/cards/stats": "/api/cards/stats",
    "/lessons": "/api/lessons",
    "/lessons/{lesson_id}": "/api/lessons/{lesson_id}",
    "/cheatsheets": "/api/cheatsheets",
    "/cheatsheets/{sheet_id}": "/api/cheatsheets/{sheet_id}",
}

ItemId = Annotated[str, Path(max_length=80, description="A flashcard id, or the id of a missed question."), OneLine]
LessonId = Annotated[str, Path(max_length=80), OneLine]
SheetId = Annotated[str, Path(max_length=80), OneLine]
ExamFilter = Annotated[str | None, Query(max_length=32, description="Only items of this exam, e.g. MLA-C02."), OneLine]
KindFilter = Annotated[
    str | None,
    Query(max_length=16, description="all (default), cards (flashcards only) or missed (missed questions only)."),
    OneLine,
]
DomainFilter = Annotated[
    str | None, Query(max_length=8, description="Only items of this domain (its number, e.g. 2)."), OneLine
]
ShowItem = Annotated[str | None, Query(max_length=80, description="Show this item of the queue first."), OneLine]
ORDER_MOVES = ("up", "down")


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        404: "Not found, or not yours.",
        409: "The card was reviewed elsewhere since it was shown (a stale `expected_version`); nothing was saved.",
        422: "Invalid request or answer.",
    }
    return {code: {"description": text[code]} for code in codes}


def _status(exc: Exception) -> int:
    return 409 if isinstance(exc, cards.CardStateChanged | cards.NothingToUndo) else 422


@contextmanager
def _refusals() -> Iterator[None]:
    """The services' refusals as HTTP errors: 409 for a stale version, 422 for a bad request."""
    try:
        yield
    except (cards.CardStateChanged, cards.ReviewRequestError, cards.NothingToUndo, StudyRequestError) as exc:
        raise HTTPException(status_code=_status(exc), detail=str(exc)) from exc


def _where(app: App, kind: str | None, exam: str | None, domain: str | None) -> cards.QueueFilter:
    with _refusals():
        return study_data.queue_filter(app, kind, exam, domain)


def _queried(
    app: App, kind: KindFilter = None, exam: ExamFilter = None, domain: DomainFilter = None
) -> cards.QueueFilter:
    """The queue's filter from the query string (422 naming a bad value)."""
    return _where(app, kind, exam, domain)


FilterForm = Annotated[str, Form(max_length=32)]


def _posted_filter(
    app: App, kind: FilterForm = "", exam: FilterForm = "", domain: FilterForm = ""
) -> cards.QueueFilter:
    """The queue's filter from a form's hidden fields, so the review goes on in the same queue."""
    return _where(app, kind, exam, domain)


QueryWhere = Annotated[cards.QueueFilter, Depends(_queried)]
FormWhere = Annotated[cards.QueueFilter, Depends(_posted_filter)]


# --- JSON -----------------------------------------------------------------------------------------


@router.get("/api/cards/queue", tags=["cards"], responses=_errors(422))
def queue_json(app: App, user: RequireUser, now: Now, where: QueryWhere, show: ShowItem = None) -> QueueOut:
    """Today's queue (cards back from a learning step, due items up to the daily review limit, new
    cards up to the daily new limit spread among them), its first item and the rating that can be
    undone."""
    return study_data.queue_data(app, user, now=now, where=where, show=show)


@router.get("/api/cards/settings", tags=["cards"])
def limits_json(app: App, user: RequireUser) -> LimitsOut:
    """Your daily limits: new flashcards and reviews a day."""
    return study_data.limits_out(cards.limits(app, user.id))


@router.put("/api/cards/settings", tags=["cards"], responses=_errors(422))
def save_limits_json(app: App, user: RequireUser, now: Now, body: LimitsIn) -> LimitsOut:
    """Set your daily limits (the web app and `certprep cards review` both keep them)."""
    with _refusals():
        return study_data.save_limits(app, user, body, now=now)


@router.post("/api/cards/undo", tags=["cards"], responses=_errors(409))
def undo_json(app: App, user: RequireUser, now: Now) -> UndoOut:
    """Undo your last rating: the card's previous schedule comes back and the review leaves the log
    (409 when there is nothing to undo: only the last rating, once)."""
    with _refusals():
        return study_data.undo(app, user, now=now)


@router.get("/api/cards/stats", tags=["cards"])
def stats_json(app: App, user: RequireUser, now: Now) -> StatsOut:
    """Reviews per day (26 weeks), due cards for the next 30 days, true against desired retention."""
    return study_data.stats_data(app, user, now=now)


@router.get("/api/cards/{item_id}", tags=["cards"], responses=_errors(404))
def card_json(app: App, user: RequireUser, now: Now, item_id: ItemId) -> CardOut:
    """A flashcard (front, back, the next interval of each rating) or one of your missed questions
    (stem and shuffled choices; no key until it is answered)."""
    return study_data.card_data(app, user, item_id, now=now)


@router.post("/api/cards/{item_id}/rating", tags=["cards"], responses=_errors(404, 409, 422))
def rating_json(app: App, user: RequireUser, now: Now, item_id: ItemId, body: RatingIn) -> RatingOut:
    """Rate a flashcard 1 Again, 2 Hard, 3 Good or 4 Easy (409 when ``expected_version`` is stale)."""
    with _refusals():
        return study_data.rate(app, user, item_id, body, now=now)


@router.post("/api/cards/{item_id}/answer", tags=["cards"], responses=_errors(404, 409, 422))
def answer_json(app: App, user: RequireUser, now: Now, item_id: ItemId, body: AnswerIn) -> AnswerOut:
    """Answer a missed question in place (in screen positions of the card's ``choices``): right
    rates it Good, wrong Again; the answer carries the key and every choice's rationale."""
    with _refusals():
        return study_data.answer(app, user, item_id, body, now=now)


@router.get("/api/lessons", tags=["lessons"])
def lessons_json(app: App, user: RequireUser) -> LessonsOut:
    """Every exam's domains and task statements with the lessons that cover them."""
    return study_data.lessons_data(app)


@router.get("/api/lessons/{lesson_id}", tags=["lessons"], responses=_errors(404))
def lesson_json(app: App, user: RequireUser, lesson_id: LessonId) -> LessonPageOut:
    """A lesson (Markdown), its task statements with their question counts, its flashcards' fronts."""
    return study_data.lesson_data(app, lesson_id)


@router.get("/api/cheatsheets", tags=["lessons"])
def cheatsheets_json(app: App, user: RequireUser) -> CheatSheetsOut:
    """The cheat sheets, one per exam domain."""
    return study_data.cheatsheets_data(app)


@router.get("/api/cheatsheets/{sheet_id}", tags=["lessons"], responses=_errors(404))
def cheatsheet_json(app: App, user: RequireUser, sheet_id: SheetId) -> CheatSheetPageOut:
    """A cheat sheet (Markdown, mostly comparison tables) and the lessons of its domain."""
    return study_data.cheatsheet_data(app, sheet_id)


# --- pages: cards ---------------------------------------------------------------------------------


def _query(where: cards.QueueFilter, **extra: str) -> str:
    """The filter (and ``extra``) as a query string, "" when there is nothing to say."""
    pairs = {"kind": where.kind if where.kind != "all" else "", "exam": where.exam or "", "domain": where.domain or ""}
    pairs.update(extra)
    text = "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs.items() if v)
    return f"?{text}" if text else ""


def _review(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    where: cards.QueueFilter,
    *,
    status_code: int = 200,
    card: CardOut | None = None,
    draft: dict[str, Any] | None = None,
    result: AnswerOut | None = None,
    error: str = "",
    show: str | None = None,
    note: notes.QuestionNote | None = None,
) -> HTMLResponse:
    data = study_data.queue_data(app, user, now=now, where=where, show=show)
    return render(
        request,
        "study/review.html",
        data,
        status_code=status_code,
        card=card or data.next,
        draft=draft or {},
        result=result,
        error=error,
        query=_query(where),
        note=note,
    )


@router.get("/cards", response_class=HTMLResponse, include_in_schema=False)
def cards_page(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    where: QueryWhere,
    saved: Annotated[str, Query(max_length=1, description="1: the limits were just saved.")] = "",
) -> HTMLResponse:
    return _cards(request, app, user, now, where, saved=saved == "1")


def _cards(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    where: cards.QueueFilter,
    *,
    status_code: int = 200,
    error: str = "",
    limits_draft: dict[str, str] | None = None,
    saved: bool = False,
) -> HTMLResponse:
    data = study_data.queue_data(app, user, now=now, where=where)
    return render(
        request,
        "study/cards.html",
        data,
        status_code=status_code,
        query=_query(where),
        error=error,
        limits_draft=limits_draft or {},
        saved=saved,
    )


@router.get("/cards/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(
    request: Request, app: App, user: PageUser, now: Now, where: QueryWhere, show: ShowItem = None
) -> HTMLResponse:
    return _review(request, app, user, now, where, show=show)


@router.post("/cards/settings", response_class=HTMLResponse, include_in_schema=False)
def limits_form(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    where: FormWhere,
    new_per_day: Annotated[str, Form(max_length=12)] = "",
    reviews_per_day: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    try:
        body = LimitsIn.model_validate({"new_per_day": _whole(new_per_day), "reviews_per_day": _whole(reviews_per_day)})
    except ValidationError:
        error = (
            f"Not saved: new cards a day must be a whole number from 0 to {cards.MAX_NEW_PER_DAY}, "
            f"reviews a day from 0 to {cards.MAX_REVIEWS_PER_DAY}."
        )
        draft = {"new_per_day": new_per_day, "reviews_per_day": reviews_per_day}
        return _cards(request, app, user, now, where, status_code=422, error=error, limits_draft=draft)
    study_data.save_limits(app, user, body, now=now)
    return RedirectResponse("/cards" + _query(where, saved="1"), status_code=303)


@router.post("/cards/undo", response_class=HTMLResponse, include_in_schema=False)
def undo_form(request: Request, app: App, user: PageUser, now: Now, where: FormWhere) -> Response:
    try:
        undone = study_data.undo(app, user, now=now)
    except cards.NothingToUndo as exc:
        return _review(request, app, user, now, where, status_code=409, error=f"Not undone: {exc}.")
    return RedirectResponse("/cards/review" + _query(where, show=undone.item_id), status_code=303)


@router.get("/cards/export.apkg", include_in_schema=False)
def export_page(app: App, user: PageUser, exam: ExamFilter = None, domain: DomainFilter = None) -> Response:
    """The flashcards (of one exam or domain) as an Anki package, downloaded."""
    where = _where(app, None, exam, domain)
    data, name = study_data.anki_package(app, where)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _whole(value: str) -> int | str:
    """A form field as a whole number when it is one (otherwise the schema refuses it)."""
    number = small_int(value, max_digits=9)
    return value if number is None else number


@router.post("/cards/{item_id}/rating", response_class=HTMLResponse, include_in_schema=False)
def rating_form(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    where: FormWhere,
    item_id: ItemId,
    rating: Annotated[str, Form(max_length=8)] = "",
    expected_version: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    try:
        body = RatingIn.model_validate({"rating": _whole(rating), "expected_version": _whole(expected_version)})
        study_data.rate(app, user, item_id, body, now=now)
    except ValidationError:
        return _review(
            request, app, user, now, where, status_code=422, error="Not saved: choose Again, Hard, Good or Easy."
        )
    except (cards.CardStateChanged, cards.ReviewRequestError, StudyRequestError) as exc:
        return _review(request, app, user, now, where, status_code=_status(exc), error=_not_saved(exc))
    return RedirectResponse("/cards/review" + _query(where), status_code=303)


def _not_saved(exc: Exception) -> str:
    if isinstance(exc, cards.CardStateChanged):
        return f"Not saved: {exc}. The page now shows the queue as it is."
    return f"Not saved: {exc}"


def _position(value: str, size: int) -> int:
    position = small_int(value)
    if position is None or not 0 <= position < size:
        raise StudyRequestError(f"invalid answer: choice {value[:12]!r} is not on screen")
    return position


def _posted(card: CardOut, answer: list[str], order: list[str], omit: list[str], match: list[str]) -> Any:
    """The form's answer in screen positions (what the JSON API takes)."""
    size = len(card.choices)
    if card.type == "single":
        if not answer:
            raise StudyRequestError("choose an answer first")
        return _position(answer[-1], size)
    if card.type == "multiple":
        chosen = sorted({_position(v, size) for v in answer})
        if not chosen:
            raise StudyRequestError("choose your answers first")
        return chosen
    if card.type == "ordering":
        left_out = {_position(v, size) for v in omit}
        steps = [p for p in (_position(v, size) for v in order) if p not in left_out]
        if len(set(steps)) != len(steps):
            raise StudyRequestError("invalid answer: a step is placed twice")
        if not steps:
            raise StudyRequestError("keep at least one step in your order")
        return steps
    if len(match) > len(card.prompts):
        raise StudyRequestError("invalid answer: more matches than prompts")
    matched = {str(i): _position(v, size) for i, v in enumerate(match) if v.strip()}
    if not matched:
        raise StudyRequestError("match at least one item first")
    return matched


def _draft(card: CardOut, answer: list[str], order: list[str], omit: list[str], match: list[str]) -> dict[str, Any]:
    """What the form held, to show it again (an ordering move, or an answer that was refused)."""
    size = len(card.choices)
    valid = [n for n in map(small_int, order) if n is not None and n < size]
    placed = list(dict.fromkeys(valid))
    placed += [p for p in range(size) if p not in placed]
    return {
        "order": placed,
        "omit": [n for n in map(small_int, omit) if n is not None],
        "answer": [n for n in map(small_int, answer) if n is not None],
        "match": {str(i): n for i, n in enumerate(map(small_int, match)) if n is not None},
    }


@router.post("/cards/{item_id}/answer", response_class=HTMLResponse, include_in_schema=False)
def answer_form(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    where: FormWhere,
    item_id: ItemId,
    expected_version: Annotated[str, Form(max_length=12)] = "",
    do: Annotated[str, Form(max_length=16)] = "submit",
    answer: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    order: Annotated[list[str], Form()] = [],  # noqa: B006
    omit: Annotated[list[str], Form()] = [],  # noqa: B006
    match: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    card = study_data.card_data(app, user, item_id, now=now)  # 404 for an item that is not yours
    version = _whole(expected_version)
    if not isinstance(version, int):
        return _review(
            request, app, user, now, where, status_code=422, error="Not saved: reload the page and answer again."
        )
    if version != card.version:
        stale = cards.CardStateChanged(version, card.version)
        return _review(request, app, user, now, where, status_code=409, error=_not_saved(stale))
    op, _, arg = do.partition(":")
    if op in ORDER_MOVES:
        # Without JavaScript, Up and Down come here: show the new order; nothing is stored.
        draft = _draft(card, answer, order, omit, match)
        steps: list[int] = draft["order"]
        moved = small_int(arg)
        if moved is not None and moved in steps:
            at = steps.index(moved)
            to = at - 1 if op == "up" else at + 1
            if 0 <= to < len(steps):
                steps[at], steps[to] = steps[to], steps[at]
        draft["focus"] = f"step-{arg}-{op}"
        return _review(request, app, user, now, where, card=card, draft=draft)
    try:
        response = _posted(card, answer, order, omit, match)
        body = AnswerIn.model_validate({"response": response, "expected_version": version})
        result = study_data.answer(app, user, item_id, body, now=now)
    except (cards.CardStateChanged, cards.ReviewRequestError, StudyRequestError) as exc:
        draft = _draft(card, answer, order, omit, match)
        shown = card if not isinstance(exc, cards.CardStateChanged) else None
        return _review(
            request, app, user, now, where, status_code=_status(exc), card=shown, draft=draft, error=_not_saved(exc)
        )
    note = notes.notes_on(app, user.id, [item_id]).get(item_id)  # shown again after the answer, not before
    return _review(request, app, user, now, where, result=result, note=note)


@router.get("/cards/stats", response_class=HTMLResponse, include_in_schema=False)
def stats_page(request: Request, app: App, user: PageUser, now: Now) -> HTMLResponse:
    data = study_data.stats_data(app, user, now=now)
    return render(request, "study/stats.html", data, cells=study_data.heatmap(data))


# --- pages: lessons and cheat sheets --------------------------------------------------------------


@router.get("/lessons", response_class=HTMLResponse, include_in_schema=False)
def lessons_page(request: Request, app: App, user: PageUser) -> HTMLResponse:
    return render(request, "study/lessons.html", study_data.lessons_data(app))


@router.get("/lessons/{lesson_id}", response_class=HTMLResponse, include_in_schema=False)
def lesson_page(request: Request, app: App, user: PageUser, lesson_id: LessonId) -> HTMLResponse:
    return render(request, "study/lesson.html", study_data.lesson_data(app, lesson_id))


@router.get("/cheatsheets", response_class=HTMLResponse, include_in_schema=False)
def cheatsheets_page(request: Request, app: App, user: PageUser) -> HTMLResponse:
    return render(request, "study/cheatsheets.html", study_data.cheatsheets_data(app))


@router.get("/cheatsheets/{sheet_id}", response_class=HTMLResponse, include_in_schema=False)
def cheatsheet_page(request: Request, app: App, user: PageUser, sheet_id: SheetId) -> HTMLResponse:
    return render(request, "study/cheatsheet.html", study_data.cheatsheet_data(app, sheet_id))
