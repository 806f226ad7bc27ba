"""Request schemas of the exam API: what starts an attempt and what acts on it.

What comes back is the service's own model (``services/exams/schemas.py``: the learner's view,
the report, the review), returned as it is by the JSON routes and rendered by the pages.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from certprep.exam.report import ResponseJSON
from certprep.services.exams import StartRequest
from certprep.services.exams.schemas import Mode, SelectionName
from certprep.web.params import OneLine

__all__ = [
    "ACTION_TYPES",
    "MODES",
    "QUESTION_TYPES",
    "SELECTIONS",
    "ActionIn",
    "ErrorOut",
    "RetakeIn",
    "StartIn",
]

MODES = ("exam", "practice")
SELECTIONS = ("fixed", "assembled", "drill", "missed", "unseen", "flagged", "custom")
QUESTION_TYPES = ("single", "multiple", "ordering", "matching")
ACTION_TYPES = ("answer", "check", "clear", "flag", "unflag", "navigate", "pause", "resume", "submit", "abandon")

QuestionTypeName = Literal["single", "multiple", "ordering", "matching"]
ShortId = Annotated[str, StringConstraints(min_length=1, max_length=16), OneLine]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ErrorOut(_Out):
    detail: str


# --- in ---------------------------------------------------------------------------------------


class StartIn(BaseModel):
    """What to take. ``selection`` picks the questions, ``mode`` how they are taken:

    - fixed: Practice Exam ``form`` (1..6), full length; assembled: a fresh full-length exam,
      unseen questions first;
    - drill (``domains`` and/or ``tasks``), missed, unseen, flagged, custom (``count``,
      ``domains``, ``types``): ``count`` questions (default 20) from that pool.

    An exam is timed (the published time, or the same pace for a shorter set); practice is
    untimed unless ``time_limit_minutes`` is given.
    """

    model_config = ConfigDict(extra="forbid")

    exam: Annotated[str, StringConstraints(min_length=1, max_length=32), OneLine]
    selection: SelectionName = "assembled"
    mode: Mode | None = Field(
        default=None, description="Default: exam for fixed and assembled, practice for the other selections."
    )
    form: Annotated[int, Field(ge=1, le=6)] | None = None
    count: Annotated[int, Field(ge=1, le=200)] | None = None
    time_limit_minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    domains: Annotated[list[ShortId], Field(max_length=20)] = []
    tasks: Annotated[list[ShortId], Field(max_length=100)] = []
    types: Annotated[list[QuestionTypeName], Field(max_length=4)] = []

    def to_request(self) -> StartRequest:
        return StartRequest(
            exam=self.exam,
            selection=self.selection,
            mode=self.mode or ("exam" if self.selection in ("fixed", "assembled") else "practice"),
            form=self.form,
            count=self.count,
            time_limit_minutes=self.time_limit_minutes,
            domains=tuple(dict.fromkeys(self.domains)),
            tasks=tuple(dict.fromkeys(self.tasks)),
            types=tuple(dict.fromkeys(self.types)),
        )


class ActionIn(BaseModel):
    """One action on an attempt, made against the ``version`` the client last saw.

    - answer ``{index, response}``: the response in screen positions (the order of ``choices``):
      single ``2``; multiple ``[0, 3]``; ordering the positions in the chosen order, steps left
      out are not used ``[3, 0, 1]``; matching ``{"prompt index": choice position}``
    - check ``{index}`` (practice): grade the stored answer, show its feedback and lock it; only
      this first graded answer counts (an answer or clear on a checked question gets 409)
    - clear, flag, unflag ``{index}``; navigate ``{index}``; pause, resume (practice); submit;
      abandon (discard the attempt: it is kept but counts in no score or figure).

    ``index`` defaults to the question on screen. A stale ``expected_version`` gets 409.
    """

    model_config = ConfigDict(extra="forbid")

    type: Literal["answer", "check", "clear", "flag", "unflag", "navigate", "pause", "resume", "submit", "abandon"]
    index: Annotated[StrictInt, Field(ge=0)] | None = None
    response: ResponseJSON | None = None
    expected_version: Annotated[StrictInt, Field(ge=1)]

    def to_action(self) -> dict[str, Any]:
        action: dict[str, Any] = {"type": self.type}
        if self.index is not None:
            action["index"] = self.index
        if self.type == "answer":
            action["response"] = self.response
        return action


class RetakeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Mode = Field(default="practice", description="practice (feedback as you go) or exam (timed).")
