"""The labs page and its JSON twin: each lab's goal, task statements, the user's status and last
check, and the commands that start and check it (labs run on the learner's machine, not here)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from certprep.labs import INSTALL_HINT, missing_modules
from certprep.services import labs as service
from certprep.web.deps import App, PageUser, RequireUser
from certprep.web.render import render

__all__ = ["TWINS", "ExtraOut", "LabCheckOut", "LabOut", "LabsOut", "TaskOut", "router"]

router = APIRouter()
TWINS = {"/labs": "/api/labs"}


class LabCheckOut(BaseModel):
    id: str
    title: str
    status: str  # passed, failed or error
    hint: str
    detail: str


class TaskOut(BaseModel):
    exam: str
    id: str
    title: str


class LabOut(BaseModel):
    id: str
    title: str
    goal: str
    domain: str
    minutes: int
    concepts: list[str]
    steps: list[str]
    tasks: list[TaskOut]
    status: str  # not checked, failing or passed (the last check)
    ever_passed: bool
    runs: int
    checked_at: datetime | None
    results: list[LabCheckOut]
    start_command: str
    check_command: str


class ExtraOut(BaseModel):
    """The ``labs`` extra: whether this server has it, and the command that installs it."""

    installed: bool
    install_command: str


class LabsOut(BaseModel):
    labs: list[LabOut]
    extra: ExtraOut


def labs_data(app: App, user_id: int) -> LabsOut:
    titles = service.task_titles(app)
    labs = [
        LabOut(
            id=s.lab.id,
            title=s.lab.title,
            goal=s.lab.goal,
            domain=s.lab.domain,
            minutes=s.lab.minutes,
            concepts=list(s.lab.concepts),
            steps=list(s.lab.steps),
            tasks=[
                TaskOut(exam=code, id=t, title=titles.get(code, {}).get(t, ""))
                for code, ids in s.lab.tasks.items()
                for t in ids
            ],
            status=s.status,
            ever_passed=s.ever_passed,
            runs=s.runs,
            checked_at=s.checked_at,
            results=[LabCheckOut(**r.to_json()) for r in s.results],
            start_command=f"certprep labs start {s.lab.id}",
            check_command=f"certprep labs check {s.lab.id}",
        )
        for s in service.overview(app, user_id)
    ]
    return LabsOut(labs=labs, extra=ExtraOut(installed=not missing_modules(), install_command=INSTALL_HINT))


@router.get("/api/labs", tags=["labs"])
def labs_json(app: App, user: RequireUser) -> LabsOut:
    """Every hands-on lab with your status and the results of your last `certprep labs check`."""
    return labs_data(app, user.id)


@router.get("/labs", response_class=HTMLResponse, include_in_schema=False)
def labs_page(request: Request, app: App, user: PageUser) -> HTMLResponse:
    return render(request, "labs.html", labs_data(app, user.id))
