"""The exam JSON API: enough on its own to take an exam (start, act, submit, report, review, retake).

Every change carries the session's CSRF token (``X-CSRF-Token``); every attempt is the user's own
(another user's id is a 404). Service refusals become status codes in one table,
``web/errors.py: EXAM_ERROR_STATUS``: 409 for a stale version, a finished attempt or a report
asked too early; 422 for an invalid answer or request.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import Response

from certprep.services.exams import AttemptList, AttemptReport, AttemptView, PracticeExams, Review
from certprep.web import exam_data
from certprep.web.attempt_schemas import ActionIn, ErrorOut, RetakeIn, StartIn
from certprep.web.deps import App, Now, RequireUser, Rng
from certprep.web.params import OneLine

__all__ = ["TWINS", "router", "view_response"]

router = APIRouter(tags=["attempts"])
TWINS: dict[str, str] = {}  # JSON only; the pages are in routes/runner.py

AttemptId = Annotated[str, Path(max_length=64, description="The attempt's id (a UUID)."), OneLine]


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        404: "Not found, or not yours.",
        409: "Conflict: a stale `expected_version` (another tab), a finished attempt, or not finished yet.",
        422: "Invalid request or answer.",
    }
    return {code: {"model": ErrorOut, "description": text[code]} for code in codes}


@router.get("/api/exams/{code}/practice-exams", tags=["exams"], responses=_errors(404))
def practice_exams_json(
    app: App, user: RequireUser, now: Now, code: Annotated[str, Path(max_length=32), OneLine]
) -> PracticeExams:
    """Practice Exam 1..6 of an exam (the same for every user), with your best scaled score on each
    and `open_attempt_id`: your exam-mode attempt at it still in progress (resume it; starting the
    same form again returns it, with `resumed: true`)."""
    return exam_data.practice_exams_data(app, user, code, now=now)


@router.post("/api/attempts", status_code=201, responses=_errors(422))
def start_json(app: App, user: RequireUser, now: Now, rng: Rng, body: StartIn) -> AttemptView:
    """Start an attempt; the answer is its view (the first question, the palette, the time left)."""
    return exam_data.start(app, user, body, now=now, rng=rng)


@router.get("/api/attempts")
def attempts_json(
    app: App, user: RequireUser, now: Now, exam: Annotated[str | None, Query(max_length=32), OneLine] = None
) -> AttemptList:
    """Your attempts, newest first (an open one past its deadline is submitted first)."""
    return exam_data.attempts_data(app, user, now=now, exam=exam)


def view_response(view: AttemptView) -> Response:
    """The view as JSON, serialised once: the busiest answers of the API (the view is already
    validated when it is built, so FastAPI's second validation of the return value is skipped)."""
    return Response(view.model_dump_json(), media_type="application/json")


@router.get("/api/attempts/{attempt_id}", response_model=AttemptView, responses=_errors(404))
def attempt_json(app: App, user: RequireUser, now: Now, attempt_id: AttemptId) -> Response:
    """The attempt as you see it: the question on screen, the palette, the time left from the
    server's deadline (reading it past the deadline submits it)."""
    return view_response(exam_data.view_data(app, user, attempt_id, now=now))


@router.post("/api/attempts/{attempt_id}/actions", response_model=AttemptView, responses=_errors(404, 409, 422))
def action_json(app: App, user: RequireUser, now: Now, attempt_id: AttemptId, body: ActionIn) -> Response:
    """Answer, clear, flag, unflag, navigate, pause, resume or submit; stored before it is answered.

    409 when ``expected_version`` is not the attempt's version (nothing is changed: reload and try
    again) or when the attempt is finished; 422 for an answer that does not fit the question.
    """
    return view_response(exam_data.act(app, user, attempt_id, body, now=now))


@router.get("/api/attempts/{attempt_id}/report", responses=_errors(404, 409))
def report_json(app: App, user: RequireUser, now: Now, attempt_id: AttemptId) -> AttemptReport:
    """The score report and every question with its key and rationales (409 while in progress)."""
    return exam_data.report_data(app, user, attempt_id, now=now)


@router.get("/api/attempts/{attempt_id}/review", responses=_errors(404, 409))
def review_json(
    app: App,
    user: RequireUser,
    now: Now,
    attempt_id: AttemptId,
    show: Literal["all", "wrong", "flagged"] = "all",
    domain: Annotated[str | None, Query(max_length=16), OneLine] = None,
) -> Review:
    """The questions of a finished attempt for review: all, wrong (or unanswered) or flagged; a domain."""
    return exam_data.review_data(app, user, attempt_id, now=now, show=show, domain=domain or None)


@router.post("/api/attempts/{attempt_id}/retake-missed", status_code=201, responses=_errors(404, 409, 422))
def retake_json(
    app: App,
    user: RequireUser,
    now: Now,
    rng: Rng,
    attempt_id: AttemptId,
    body: Annotated[RetakeIn | None, Body()] = None,
) -> AttemptView:
    """A new attempt of the questions missed (wrong or unanswered) in a finished one; practice by default."""
    mode = body.mode if body is not None else "practice"
    return exam_data.retake_missed(app, user, attempt_id, now=now, rng=rng, mode=mode)
