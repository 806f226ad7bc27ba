"""The exam pages: start from a form, the runner, the review screen before submitting, the score
report, the review of every question, and the list of attempts.

Every answer, flag, navigation, pause and submission is a form POST to
``/attempts/{id}/actions``, stored by the service before the page shows it. Without JavaScript
the POST answers 303 and the browser loads the page again; ``static/runner.js`` sends the same
form with ``X-Certprep-Runner: 1`` and gets the runner's fragment back (or
``X-Certprep-Location`` when the next page is another one), one request at a time.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from certprep.exam.attempt import AttemptClosedError, StaleStateError
from certprep.services import notes
from certprep.services.exams import AttemptConflictError, AttemptView, ExamRequestError, QuestionView
from certprep.web import exam_data
from certprep.web.attempt_schemas import ActionIn, StartIn
from certprep.web.deps import App, Now, PageUser, Rng
from certprep.web.errors import exam_error_status
from certprep.web.formvalues import small_int
from certprep.web.home import exams_data
from certprep.web.params import OneLine
from certprep.web.render import render
from certprep.web.schemas import categories

__all__ = ["RUNNER_HEADER", "TWINS", "router"]

router = APIRouter()
TWINS = {
    "/attempts": "/api/attempts",
    "/attempts/{attempt_id}": "/api/attempts/{attempt_id}",
    "/attempts/{attempt_id}/finish": "/api/attempts/{attempt_id}",
    "/attempts/{attempt_id}/report": "/api/attempts/{attempt_id}/report",
    "/attempts/{attempt_id}/review": "/api/attempts/{attempt_id}/review",
}

RUNNER_HEADER = "X-Certprep-Runner"  # sent by runner.js: answer with the fragment, not a redirect
LOCATION_HEADER = "X-Certprep-Location"  # the page runner.js should load next
AttemptId = Annotated[str, Path(max_length=64), OneLine]
ORDER_OPS = ("up", "down", "add", "remove")
CONFIRM_SUBMIT = "Tick the box to confirm that you want to submit: answers cannot be changed afterwards."
CONFIRM_ABANDON = "Tick the box to confirm that you want to discard this attempt."


class _Redirect(Exception):
    def __init__(self, target: str) -> None:
        self.target = target


def _from_runner_js(request: Request) -> bool:
    return request.headers.get(RUNNER_HEADER) == "1"


def _go(request: Request, target: str) -> Response:
    if _from_runner_js(request):
        return Response(status_code=204, headers={LOCATION_HEADER: target})
    return RedirectResponse(target, status_code=303)


def _closed(attempt_id: str, view: AttemptView | None = None) -> str:
    """Where a finished attempt's pages lead: its report, or the list for an abandoned one."""
    return "/attempts" if view is not None and view.status == "abandoned" else f"/attempts/{attempt_id}/report"


def _report_form(view: AttemptView) -> dict[str, Any]:
    q = view.question
    if q is None:
        return {}
    return {
        "question_id": q.id,
        "revision": q.revision,
        "attempt_id": view.id,
        "categories": categories(),
        "errors": {},
        "values": {},
    }


def _runner(
    request: Request, view: AttemptView, *, status_code: int = 200, message: str = "", error: str = "", focus: str = ""
) -> HTMLResponse:
    fragment = _from_runner_js(request)
    template = "_runner.html" if fragment else "runner.html"
    return render(
        request,
        template,
        None,
        status_code=status_code,
        view=view,
        message=message,
        error=error,
        focus=focus,
        report_form=_report_form(view),
    )


# --- starting -----------------------------------------------------------------------------------


def _int_or_none(value: str, name: str) -> int | None:
    if not value.strip():
        return None
    number = small_int(value)
    if number is None:
        raise ExamRequestError(f"{name} must be a whole number")
    return number


@router.post("/attempts", response_class=HTMLResponse, include_in_schema=False)
def start_form(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    rng: Rng,
    exam: Annotated[str, Form(max_length=32), OneLine],
    selection: Annotated[str, Form(max_length=16)] = "assembled",
    mode: Annotated[str, Form(max_length=16)] = "",
    form: Annotated[str, Form(max_length=8)] = "",
    count: Annotated[str, Form(max_length=8)] = "",
    time_limit_minutes: Annotated[str, Form(max_length=8)] = "",
    domains: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    tasks: Annotated[list[str], Form()] = [],  # noqa: B006
    types: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    try:
        body = StartIn.model_validate(
            {
                "exam": exam,
                "selection": selection,
                "mode": mode or None,
                "form": _int_or_none(form, "the practice exam number"),
                "count": _int_or_none(count, "the number of questions"),
                "time_limit_minutes": _int_or_none(time_limit_minutes, "the time limit"),
                "domains": domains,
                "tasks": tasks,
                "types": types,
            }
        )
        view = exam_data.start(app, user, body, now=now, rng=rng)
    except ValidationError as exc:
        lines = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return _exams_with_error(request, app, user, now, exam, "; ".join(lines))
    except ExamRequestError as exc:
        return _exams_with_error(request, app, user, now, exam, str(exc))
    return RedirectResponse(f"/attempts/{view.id}", status_code=303)


def _exams_with_error(request: Request, app: App, user: PageUser, now: Now, exam: str, message: str) -> HTMLResponse:
    data = exams_data(app, user, now)
    return render(request, "exams.html", data, status_code=422, start_error=message, start_error_exam=exam)


# --- the runner -----------------------------------------------------------------------------------


@router.get("/attempts/{attempt_id}", response_class=HTMLResponse, include_in_schema=False)
def runner_page(request: Request, app: App, user: PageUser, now: Now, attempt_id: AttemptId) -> Response:
    view = exam_data.view_data(app, user, attempt_id, now=now)
    if view.question is None:  # submitted, or expired just now: the report is ready (abandoned: the list)
        return RedirectResponse(_closed(attempt_id, view), status_code=303)
    return _runner(request, view)


@router.get("/attempts/{attempt_id}/finish", response_class=HTMLResponse, include_in_schema=False)
def finish_page(request: Request, app: App, user: PageUser, now: Now, attempt_id: AttemptId) -> Response:
    """The review screen before submitting: unanswered and flagged questions, then submit."""
    view = exam_data.view_data(app, user, attempt_id, now=now)
    if view.question is None:
        return RedirectResponse(_closed(attempt_id, view), status_code=303)
    return render(request, "finish.html", None, view=view, error="")


def _position(value: str, q: QuestionView) -> int:
    position = small_int(value)
    if position is None or not 0 <= position < len(q.choices):
        raise ExamRequestError(f"invalid answer: choice {value[:12]!r} is not on screen")
    return position


def _posted_response(
    q: QuestionView, do: str, answer: list[str], order: list[str], match: list[str]
) -> int | list[int] | dict[str, int] | None:
    """The answer the form holds, in screen positions (ordering: after the button's move)."""
    if q.type == "single":
        return _position(answer[-1], q) if answer else None
    if q.type == "multiple":
        return sorted({_position(v, q) for v in answer}) or None
    if q.type == "ordering":
        steps = [_position(v, q) for v in order]
        if len(set(steps)) != len(steps):
            raise ExamRequestError("invalid answer: a step is placed twice")
        op, _, arg = do.partition(":")
        if op in ORDER_OPS:
            _move(steps, op, _position(arg, q))
        return steps or None
    prompts = q.prompts or []
    if len(match) > len(prompts):
        raise ExamRequestError("invalid answer: more matches than prompts")
    return {str(i): _position(v, q) for i, v in enumerate(match) if v.strip()} or None


def _move(steps: list[int], op: str, step: int) -> None:
    if op == "add" and step not in steps:
        steps.append(step)
    elif op == "remove" and step in steps:
        steps.remove(step)
    elif op in ("up", "down") and step in steps:
        at = steps.index(step)
        to = at - 1 if op == "up" else at + 1
        if 0 <= to < len(steps):
            steps[at], steps[to] = steps[to], steps[at]


def _apply(
    app: App, user: PageUser, now: Now, view: AttemptView, do: str, version: int, posted: Any, has_fields: bool
) -> tuple[AttemptView, str, str]:
    """Store the form's answer if it changed, then do what the button asked.

    Returns the new view, a status message and the element to focus; raises ``_Redirect`` when
    the next page is another one.
    """
    q = view.question
    assert q is not None

    def act(kind: str, **fields: Any) -> AttemptView:
        nonlocal version
        body = ActionIn.model_validate({"type": kind, "expected_version": version, **fields})
        new = exam_data.act(app, user, view.id, body, now=now)
        version = new.version
        return new

    message = ""
    focus = ""
    if has_fields and do != "clear" and posted != q.response:
        if posted is None:
            view = act("clear", index=q.index)
            message = f"Answer to question {q.number} cleared."
        else:
            view = act("answer", index=q.index, response=posted)
            message = f"Answer to question {q.number} saved."
    op, _, arg = do.partition(":")
    if do == "check":
        if view.question is None or view.question.response is None:
            raise ExamRequestError(f"choose an answer to question {q.number} before checking it")
        view = act("check", index=q.index)
        right = view.question is not None and view.question.feedback is not None and view.question.feedback.correct
        message = f"Question {q.number} checked: {'correct' if right else 'not quite'}. The answer is locked."
        focus = "feedback-heading"
    elif do == "clear":
        if q.response is not None:
            view = act("clear", index=q.index)
        message = f"Answer to question {q.number} cleared."
    elif do in ("flag", "unflag"):
        view = act(do, index=q.index)
        message = f"Question {q.number} {'flagged for review' if do == 'flag' else 'no longer flagged'}."
        focus = "btn-flag"
    elif do in ("next", "prev") or op == "go":
        if op == "go":
            number = small_int(arg)
            target = -1 if number is None else number
            if not 0 <= target < view.count:
                raise ExamRequestError(f"there is no question {arg}")
        else:
            target = q.index + (1 if do == "next" else -1)
        if target >= view.count:
            raise _Redirect(f"/attempts/{view.id}/finish")
        if 0 <= target != view.current:
            view = act("navigate", index=target)
        focus = "question-heading"
    elif do == "finish":
        raise _Redirect(f"/attempts/{view.id}/finish")
    elif do in ("pause", "resume"):
        view = act(do)
        message = "Paused: the clock is stopped." if do == "pause" else "Resumed: the clock runs again."
        focus = "btn-pause"
    elif do == "submit":
        act("submit")
        raise _Redirect(f"/attempts/{view.id}/report")
    elif do == "abandon":
        act("abandon")
        raise _Redirect("/attempts?abandoned=1")
    elif do != "save" and op not in ORDER_OPS:
        raise ExamRequestError(f"unknown button {do!r}")
    elif op in ORDER_OPS:
        focus = f"step-{arg}-{op}"
    return view, message, focus


@router.post("/attempts/{attempt_id}/actions", response_class=HTMLResponse, include_in_schema=False)
def action_form(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    attempt_id: AttemptId,
    expected_version: Annotated[int, Form()],
    do: Annotated[str, Form(max_length=32)] = "save",
    fields: Annotated[str, Form(max_length=16)] = "",
    index: Annotated[int | None, Form(ge=0)] = None,
    back: Annotated[Literal["runner", "finish"], Form()] = "runner",
    confirm: Annotated[str, Form(max_length=8)] = "",
    answer: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies form defaults
    order: Annotated[list[str], Form()] = [],  # noqa: B006
    match: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    view = exam_data.view_data(app, user, attempt_id, now=now)
    if view.question is None:
        return _go(request, _closed(attempt_id, view))
    try:
        if expected_version != view.version:
            raise StaleStateError(expected_version, view.version)
        if do == "submit" and confirm != "yes":
            raise ExamRequestError(CONFIRM_SUBMIT)
        if do == "abandon" and confirm != "yes":
            raise ExamRequestError(CONFIRM_ABANDON)
        has_fields = bool(fields) and not view.paused
        if has_fields and index is not None and index != view.current:
            # runner.js sends queued clicks with the latest version: an answer made on the page of
            # question 3 must not land on question 4, which the navigation before it put on screen.
            raise AttemptConflictError(
                f"that answer was for question {index + 1}, but question {view.current + 1} is on screen now; "
                "answer it again"
            )
        posted = _posted_response(view.question, do, answer, order, match) if has_fields else None
        view, message, focus = _apply(app, user, now, view, do, expected_version, posted, has_fields)
    except _Redirect as redirect:
        return _go(request, redirect.target)
    except AttemptClosedError:
        return _go(request, f"/attempts/{attempt_id}/report")
    except (ExamRequestError, StaleStateError, ValueError) as exc:
        status = exam_error_status(exc) or 422
        fresh = exam_data.view_data(app, user, attempt_id, now=now)
        if fresh.question is None:
            return _go(request, _closed(attempt_id, fresh))
        if expected_version == view.version != fresh.version:  # the answer went in, then the button was refused
            error = f"Your answer is saved, but {exc}."
        elif status == 409:
            error = f"Not saved: {exc}. This page now shows what is stored."
        else:
            error = str(exc)
        if back == "finish" and not _from_runner_js(request):
            return render(request, "finish.html", None, status_code=status, view=fresh, error=error)
        return _runner(request, fresh, status_code=status, error=error, focus="runner-error")
    if _from_runner_js(request):
        return _runner(request, view, message=message, focus=focus)
    return RedirectResponse(f"/attempts/{attempt_id}", status_code=303)


# --- after submitting -------------------------------------------------------------------------------


@router.get("/attempts/{attempt_id}/report", response_class=HTMLResponse, include_in_schema=False)
def report_page(request: Request, app: App, user: PageUser, now: Now, attempt_id: AttemptId) -> HTMLResponse:
    report = exam_data.report_data(app, user, attempt_id, now=now)
    blueprint = app.pack.blueprints.get(report.exam)
    return render(request, "attempt_report.html", None, report=report, blueprint=blueprint)


@router.get("/attempts/{attempt_id}/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    attempt_id: AttemptId,
    show: Literal["all", "wrong", "flagged"] = "all",
    domain: Annotated[str | None, Query(max_length=16), OneLine] = None,
) -> HTMLResponse:
    review = exam_data.review_data(app, user, attempt_id, now=now, show=show, domain=domain or None)
    mine = notes.notes_on(app, user.id, [item.question_id for item in review.items])
    return render(request, "attempt_review.html", None, review=review, notes=mine)


@router.post("/attempts/{attempt_id}/retake-missed", response_class=HTMLResponse, include_in_schema=False)
def retake_form(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    rng: Rng,
    attempt_id: AttemptId,
    mode: Annotated[Literal["practice", "exam"], Form()] = "practice",
) -> Response:
    view = exam_data.retake_missed(app, user, attempt_id, now=now, rng=rng, mode=mode)
    return RedirectResponse(f"/attempts/{view.id}", status_code=303)


@router.get("/attempts", response_class=HTMLResponse, include_in_schema=False)
def attempts_page(
    request: Request, app: App, user: PageUser, now: Now, abandoned: Annotated[str, Query(max_length=4)] = ""
) -> HTMLResponse:
    message = "The attempt is discarded: it stays listed here as abandoned and counts in no score or figure."
    data = exam_data.attempts_data(app, user, now=now)
    return render(request, "attempts.html", data, message=message if abandoned else "")
