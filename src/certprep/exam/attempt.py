"""The attempt state machine: pure, frozen, one function per transition.

Every transition takes the state, the time ``now`` (timezone-aware) and the ``expected_version``
the client saw, and returns a new state with ``version + 1``. The service stores the result in
the same transaction as the log entry (docs/architecture.md, "House rules").

Rules, in the order they are checked on every write:

1. Past the deadline (and not paused), the write is not applied: the attempt is auto-submitted
   at the deadline instead and that state is returned (``status == EXPIRED``). Check ``status``.
2. A submitted or expired attempt refuses writes: ``AttemptClosedError``.
3. A client that saw another version is refused: ``StaleStateError`` (two open tabs).
4. A paused attempt takes only ``resume`` and ``submit``.

Practice feedback comes only when the learner asks for it (``check``): the answer is graded then,
and that question is locked (``checked``): ``answer`` and ``clear`` on it are refused with
``QuestionLockedError``, so the first graded answer is the one that counts (docs/study.md).
An open attempt may be abandoned (``abandon``): it is kept, but leaves every figure.

Time per question comes from navigation: the item on screen collects the time until the learner
moves away, pauses, submits or the deadline passes.

In exam mode, ``FormItem.scored`` and anything about the key must not reach the client before the
attempt is finished; that is the service's job, this module holds no secrets of its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from certprep.content.schema import Question
from certprep.exam.forms import Form
from certprep.exam.scoring import Response, response_from_json, response_to_json, validate_response

__all__ = [
    "AttemptClosedError",
    "AttemptError",
    "AttemptState",
    "Mode",
    "QuestionLockedError",
    "Selection",
    "StaleStateError",
    "Status",
    "TransitionError",
    "abandon",
    "answer",
    "check",
    "clear",
    "expire_if_due",
    "flag",
    "navigate",
    "pause",
    "remaining",
    "resume",
    "start_attempt",
    "submit",
    "unflag",
]


class Mode(StrEnum):
    """``exam``: timed, no feedback, no pause. ``practice``: feedback, optional limit, pause."""

    EXAM = "exam"
    PRACTICE = "practice"


class Selection(StrEnum):
    """How the questions were chosen; it changes nothing in the state machine."""

    FIXED = "fixed"  # Practice Exam N, the same for everyone
    ASSEMBLED = "assembled"  # freshly assembled, domain-weighted, unseen-first
    DRILL = "drill"  # one domain or task statement
    MISSED = "missed"
    UNSEEN = "unseen"
    FLAGGED = "flagged"
    CUSTOM = "custom"


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    EXPIRED = "expired"  # auto-submitted at the deadline
    ABANDONED = "abandoned"  # discarded by the learner: kept, but counted nowhere


class AttemptError(Exception):
    """Base of the refusals below."""


class StaleStateError(AttemptError):
    """The client acted on a version of the attempt that has since changed."""

    def __init__(self, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"this attempt has changed since you loaded it (you saw version {expected}, it is now at "
            f"version {actual}), probably in another tab; reload it and try again"
        )


class AttemptClosedError(AttemptError):
    """The attempt is submitted or expired and takes no more changes."""


class TransitionError(AttemptError, ValueError):
    """A transition this attempt does not allow (pause in exam mode, a question not on the form...)."""


class QuestionLockedError(TransitionError):
    """The answer to a question whose feedback is shown (``check``) cannot change any more."""


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class AttemptState:
    """One attempt at a form. Mappings are read-only; transitions return new states."""

    mode: Mode
    selection: Selection
    form: Form
    started_at: datetime
    deadline: datetime | None
    answers: Mapping[str, Response] = field(default_factory=_empty)
    flags: frozenset[str] = frozenset()
    checked: frozenset[str] = frozenset()  # practice: graded and locked, feedback shown
    current: int = 0
    version: int = 1
    status: Status = Status.IN_PROGRESS
    paused_at: datetime | None = None
    paused_seconds: float = 0.0
    viewing_since: datetime | None = None  # when the current item got the screen; None when nobody is timing
    time_spent: Mapping[str, float] = field(default_factory=_empty)  # question id -> seconds on screen
    finished_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", MappingProxyType(dict(self.answers)))
        object.__setattr__(self, "time_spent", MappingProxyType(dict(self.time_spent)))
        object.__setattr__(self, "flags", frozenset(self.flags))
        object.__setattr__(self, "checked", frozenset(self.checked))
        for name in ("started_at", "deadline", "paused_at", "viewing_since", "finished_at"):
            value = getattr(self, name)
            if value is not None:
                _aware(value, name)
        if not 0 <= self.current < max(len(self.form), 1):
            raise ValueError(f"current item {self.current} is not on the form")

    # reading

    @property
    def is_open(self) -> bool:
        return self.status is Status.IN_PROGRESS

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def feedback_allowed(self) -> bool:
        """Practice shows right/wrong and rationales as you go; an exam shows nothing until the end."""
        return self.mode is Mode.PRACTICE

    def feedback_shown(self, question_id: str) -> bool:
        """Practice: the learner checked this answer, so it is graded, its feedback is shown and it
        is locked."""
        return self.feedback_allowed and question_id in self.checked

    @property
    def current_question_id(self) -> str:
        return self.form.items[self.current].question_id

    @property
    def unanswered(self) -> tuple[str, ...]:
        """Question ids without an answer, in form order (for the review screen)."""
        return tuple(qid for qid in self.form.question_ids if qid not in self.answers)

    # persistence

    def to_dict(self, *, with_form: bool = True) -> dict[str, Any]:
        """The state as JSON. ``with_form=False`` leaves out the form (most of its size): it never
        changes, so a store may keep it apart and pass it back to ``from_dict``."""
        data: dict[str, Any] = {
            "mode": self.mode.value,
            "selection": self.selection.value,
            "started_at": _iso(self.started_at),
            "deadline": _iso(self.deadline),
            "answers": {qid: response_to_json(r) for qid, r in self.answers.items()},
            "flags": sorted(self.flags),
            "checked": sorted(self.checked),
            "current": self.current,
            "version": self.version,
            "status": self.status.value,
            "paused_at": _iso(self.paused_at),
            "paused_seconds": self.paused_seconds,
            "viewing_since": _iso(self.viewing_since),
            "time_spent": dict(self.time_spent),
            "finished_at": _iso(self.finished_at),
        }
        if with_form:
            data["form"] = self.form.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, form: Form | None = None) -> AttemptState:
        """Read a stored state; ``form``: this attempt's form, when the caller holds it (parsed
        already, or kept apart: ``to_dict(with_form=False)``); otherwise it is read from ``data``."""
        try:
            form = form if form is not None else Form.from_dict(data["form"])
            answers = {qid: response_from_json(form.item(qid).type, raw) for qid, raw in data["answers"].items()}
            return cls(
                mode=Mode(data["mode"]),
                selection=Selection(data["selection"]),
                form=form,
                started_at=_parse(data["started_at"], "started_at"),
                deadline=_parse_opt(data.get("deadline"), "deadline"),
                answers=answers,
                flags=frozenset(str(f) for f in data.get("flags", ())),
                checked=frozenset(str(c) for c in data.get("checked", ())),
                current=int(data["current"]),
                version=int(data["version"]),
                status=Status(data["status"]),
                paused_at=_parse_opt(data.get("paused_at"), "paused_at"),
                paused_seconds=float(data.get("paused_seconds", 0.0)),
                viewing_since=_parse_opt(data.get("viewing_since"), "viewing_since"),
                time_spent={str(k): float(v) for k, v in data.get("time_spent", {}).items()},
                finished_at=_parse_opt(data.get("finished_at"), "finished_at"),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a valid attempt: {exc!r}") from exc

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> AttemptState:
        return cls.from_dict(json.loads(text))


# --- helpers ----------------------------------------------------------------------------------


def _aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be an ISO 8601 date and time, got {value!r}")
    return _aware(datetime.fromisoformat(value), name)


def _parse_opt(value: object, name: str) -> datetime | None:
    return None if value is None else _parse(value, name)


def _seconds(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds(), 0.0)  # clocks of two workers may disagree a little


def _charge(state: AttemptState, until: datetime) -> dict[str, float]:
    """Time spent, with the item on screen charged up to ``until``."""
    spent = dict(state.time_spent)
    if state.viewing_since is not None and state.form.items:
        qid = state.current_question_id
        spent[qid] = spent.get(qid, 0.0) + _seconds(state.viewing_since, until)
    return spent


def _next(state: AttemptState, **changes: Any) -> AttemptState:
    return replace(state, version=state.version + 1, **changes)


def _write(
    state: AttemptState, now: datetime, expected_version: int, *, paused_ok: bool = False
) -> AttemptState | None:
    """The checks every write makes, in order; returns the expired state when the deadline won."""
    _aware(now, "now")
    expired = expire_if_due(state, now)
    if expired is not state:
        return expired
    if state.status is not Status.IN_PROGRESS:
        raise AttemptClosedError(f"this attempt is {state.status.value}; it takes no more changes")
    if expected_version != state.version:
        raise StaleStateError(expected_version, state.version)
    if state.paused and not paused_ok:
        raise TransitionError("this attempt is paused; resume it first")
    return None


def _on_form(state: AttemptState, question_id: str) -> int:
    try:
        return state.form.index_of(question_id)
    except KeyError:
        raise TransitionError(f"question {question_id!r} is not on this form") from None


def _unlocked(state: AttemptState, question_id: str) -> int:
    index = _on_form(state, question_id)
    if question_id in state.checked:
        raise QuestionLockedError(f"question {index + 1} is checked: its answer is locked once the feedback is shown")
    return index


# --- transitions ------------------------------------------------------------------------------


def start_attempt(
    form: Form,
    *,
    mode: Mode | str,
    now: datetime,
    time_limit: timedelta | None = None,
    selection: Selection | str = Selection.ASSEMBLED,
) -> AttemptState:
    """A new attempt on ``form``, first question on screen. An exam needs a ``time_limit``
    (the blueprint's ``duration_minutes``); practice may have one."""
    mode = Mode(mode)
    _aware(now, "now")
    if not form.items:
        raise TransitionError("the form has no questions")
    if mode is Mode.EXAM and time_limit is None:
        raise TransitionError("an exam needs a time limit")
    if time_limit is not None and time_limit <= timedelta(0):
        raise TransitionError("the time limit must be positive")
    return AttemptState(
        mode=mode,
        selection=Selection(selection),
        form=form,
        started_at=now,
        deadline=None if time_limit is None else now + time_limit,
        viewing_since=now,
    )


def expire_if_due(state: AttemptState, now: datetime) -> AttemptState:
    """Auto-submit at the deadline when it has passed; otherwise return ``state`` itself.

    Call it on reads too, so a learner who closed the tab finds the attempt finished. The clock
    stops while a practice attempt is paused, so a paused attempt never expires.
    """
    _aware(now, "now")
    if state.status is not Status.IN_PROGRESS or state.paused or state.deadline is None or now < state.deadline:
        return state
    return _next(
        state,
        status=Status.EXPIRED,
        time_spent=_charge(state, state.deadline),
        viewing_since=None,
        finished_at=state.deadline,
    )


def answer(
    state: AttemptState, question: Question, response: object, *, now: datetime, expected_version: int
) -> AttemptState:
    """Record ``response`` (canonical indexes, Python or JSON form) for ``question``.

    Raises ``ResponseError`` (a ValueError) when the response does not fit the question.
    """
    if (done := _write(state, now, expected_version)) is not None:
        return done
    item = state.form.items[_unlocked(state, question.id)]
    if item.type is not question.type:
        raise TransitionError(
            f"question {question.id!r} is a {question.type.value} question now, not {item.type.value}"
        )
    value = validate_response(question, response)
    return _next(state, answers={**state.answers, question.id: value})


def clear(state: AttemptState, question_id: str, *, now: datetime, expected_version: int) -> AttemptState:
    """Remove the answer to ``question_id`` (it counts as unanswered again)."""
    if (done := _write(state, now, expected_version)) is not None:
        return done
    _unlocked(state, question_id)
    return _next(state, answers={k: v for k, v in state.answers.items() if k != question_id})


def check(state: AttemptState, question_id: str, *, now: datetime, expected_version: int) -> AttemptState:
    """Practice: grade the answer to ``question_id`` now, show its feedback and lock it."""
    if (done := _write(state, now, expected_version)) is not None:
        return done
    if state.mode is Mode.EXAM:
        raise TransitionError("an exam shows no feedback before it is submitted")
    index = _on_form(state, question_id)
    if question_id in state.checked:
        raise QuestionLockedError(f"question {index + 1} is checked already")
    if question_id not in state.answers:
        raise TransitionError(f"answer question {index + 1} before checking it")
    return _next(state, checked=state.checked | {question_id})


def flag(state: AttemptState, question_id: str, *, now: datetime, expected_version: int) -> AttemptState:
    """Mark ``question_id`` for review."""
    if (done := _write(state, now, expected_version)) is not None:
        return done
    _on_form(state, question_id)
    return _next(state, flags=state.flags | {question_id})


def unflag(state: AttemptState, question_id: str, *, now: datetime, expected_version: int) -> AttemptState:
    """Remove the review mark from ``question_id``."""
    if (done := _write(state, now, expected_version)) is not None:
        return done
    _on_form(state, question_id)
    return _next(state, flags=state.flags - {question_id})


def navigate(state: AttemptState, index: int, *, now: datetime, expected_version: int) -> AttemptState:
    """Show item ``index`` (0-based); the item that was on screen is charged its time."""
    if (done := _write(state, now, expected_version)) is not None:
        return done
    if isinstance(index, bool) or not 0 <= index < len(state.form):
        raise TransitionError(f"item {index} is not on the form (it has {len(state.form)})")
    return _next(state, current=index, time_spent=_charge(state, now), viewing_since=now)


def pause(state: AttemptState, *, now: datetime, expected_version: int) -> AttemptState:
    """Stop the clock (practice only; the real exam has no pause)."""
    if (done := _write(state, now, expected_version)) is not None:
        return done
    if state.mode is Mode.EXAM:
        raise TransitionError("an exam cannot be paused (the real exam has no pause)")
    return _next(state, paused_at=now, time_spent=_charge(state, now), viewing_since=None)


def resume(state: AttemptState, *, now: datetime, expected_version: int) -> AttemptState:
    """Restart the clock; the deadline moves by the length of the pause."""
    if (done := _write(state, now, expected_version, paused_ok=True)) is not None:
        return done
    if state.paused_at is None:
        raise TransitionError("this attempt is not paused")
    gap = max(now - state.paused_at, timedelta(0))
    return _next(
        state,
        paused_at=None,
        paused_seconds=state.paused_seconds + gap.total_seconds(),
        deadline=None if state.deadline is None else state.deadline + gap,
        viewing_since=now,
    )


def submit(state: AttemptState, *, now: datetime, expected_version: int) -> AttemptState:
    """Finish the attempt (from the review screen, or paused)."""
    return _close(state, Status.SUBMITTED, now=now, expected_version=expected_version)


def abandon(state: AttemptState, *, now: datetime, expected_version: int) -> AttemptState:
    """Discard an open attempt: it is kept (nothing is lost) but counts in no score or figure."""
    return _close(state, Status.ABANDONED, now=now, expected_version=expected_version)


def _close(state: AttemptState, status: Status, *, now: datetime, expected_version: int) -> AttemptState:
    """End an open attempt (paused or not) with ``status``, its time charged up to ``now``."""
    if (done := _write(state, now, expected_version, paused_ok=True)) is not None:
        return done
    return _next(
        state, status=status, time_spent=_charge(state, now), viewing_since=None, paused_at=None, finished_at=now
    )


def remaining(state: AttemptState, now: datetime) -> timedelta | None:
    """Time left (never negative), frozen while paused; None without a time limit."""
    _aware(now, "now")
    if state.deadline is None:
        return None
    if not state.is_open:
        return timedelta(0)
    clock = state.paused_at if state.paused_at is not None else now
    return max(state.deadline - clock, timedelta(0))
