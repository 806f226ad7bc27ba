from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certprep.content.schema import Question
from certprep.exam.attempt import (
    AttemptClosedError,
    AttemptState,
    Mode,
    QuestionLockedError,
    Selection,
    StaleStateError,
    Status,
    TransitionError,
    abandon,
    answer,
    check,
    clear,
    expire_if_due,
    flag,
    navigate,
    pause,
    remaining,
    resume,
    start_attempt,
    submit,
    unflag,
)
from certprep.exam.forms import Form, assemble_form
from certprep.exam.scoring import ResponseError, key_response

from .conftest import MLA, T0, make_bank

BANK = make_bank(MLA, 24, prefix="att", case_every=7)
BY_ID = {q.id: q for q in BANK}
FORM = assemble_form(BANK, MLA, 8, random.Random(11), unscored=2)
LIMIT = timedelta(minutes=MLA.duration_minutes)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def q(index: int) -> Question:
    return BY_ID[FORM.items[index].question_id]


def exam() -> AttemptState:
    return start_attempt(FORM, mode=Mode.EXAM, now=T0, time_limit=LIMIT, selection=Selection.FIXED)


def test_start() -> None:
    s = exam()
    assert (s.version, s.current, s.status, s.deadline) == (1, 0, Status.IN_PROGRESS, T0 + LIMIT)
    assert not s.feedback_allowed and not s.paused and s.is_open
    assert s.unanswered == FORM.question_ids
    practice = start_attempt(FORM, mode="practice", now=T0, selection="drill")
    assert practice.deadline is None and practice.feedback_allowed
    assert remaining(practice, at(10**6)) is None


def test_golden_sequence_with_time_per_item() -> None:
    """Replay fixed events at fixed times; assert the exact outcome (py-fsrs style)."""
    s = exam()
    s = answer(s, q(0), key_response(q(0)), now=at(30), expected_version=1)
    s = navigate(s, 1, now=at(60), expected_version=2)
    s = flag(s, q(1).id, now=at(70), expected_version=3)
    s = flag(s, q(2).id, now=at(75), expected_version=4)
    s = unflag(s, q(2).id, now=at(80), expected_version=5)
    s = navigate(s, 4, now=at(100), expected_version=6)
    s = answer(s, q(4), key_response(q(4)), now=at(130), expected_version=7)
    s = clear(s, q(4).id, now=at(140), expected_version=8)
    s = navigate(s, 0, now=at(160), expected_version=9)
    s = submit(s, now=at(200), expected_version=10)
    assert s.version == 11
    assert s.status is Status.SUBMITTED
    assert s.finished_at == at(200)
    assert dict(s.time_spent) == {q(0).id: 100.0, q(1).id: 40.0, q(4).id: 60.0}
    assert s.flags == {q(1).id}
    assert set(s.answers) == {q(0).id}
    assert s.viewing_since is None
    assert remaining(s, at(300)) == timedelta(0)


def test_stale_version_is_refused_with_a_clear_message() -> None:
    s = exam()
    tab_a = answer(s, q(0), key_response(q(0)), now=at(10), expected_version=1)
    with pytest.raises(StaleStateError, match=r"you saw version 1, it is now at version 2.*reload"):
        answer(tab_a, q(1), key_response(q(1)), now=at(20), expected_version=1)
    with pytest.raises(StaleStateError):
        submit(tab_a, now=at(20), expected_version=3)


def test_write_after_the_deadline_auto_submits_instead() -> None:
    s = navigate(exam(), 2, now=at(600), expected_version=1)
    late = answer(s, q(2), key_response(q(2)), now=T0 + LIMIT + timedelta(seconds=5), expected_version=2)
    assert late.status is Status.EXPIRED
    assert q(2).id not in late.answers  # the late answer was not taken
    assert late.finished_at == T0 + LIMIT
    assert late.time_spent[q(2).id] == LIMIT.total_seconds() - 600  # charged up to the deadline only
    assert late.version == 3
    with pytest.raises(AttemptClosedError, match="expired"):
        answer(late, q(2), key_response(q(2)), now=T0 + LIMIT + timedelta(seconds=6), expected_version=3)


def test_expire_if_due() -> None:
    s = exam()
    assert expire_if_due(s, T0 + LIMIT - timedelta(microseconds=1)) is s
    expired = expire_if_due(s, T0 + LIMIT)
    assert expired.status is Status.EXPIRED
    assert expire_if_due(expired, T0 + LIMIT * 2) is expired
    assert remaining(s, at(60)) == LIMIT - timedelta(seconds=60)
    assert remaining(s, T0 + LIMIT * 2) == timedelta(0)


def test_stale_writer_after_the_deadline_still_sees_the_expiry() -> None:
    s = exam()
    result = flag(s, q(0).id, now=T0 + LIMIT + timedelta(hours=1), expected_version=99)
    assert result.status is Status.EXPIRED


def test_submitted_attempt_takes_no_writes() -> None:
    s = submit(exam(), now=at(5), expected_version=1)
    for write in (
        lambda: navigate(s, 1, now=at(6), expected_version=2),
        lambda: flag(s, q(0).id, now=at(6), expected_version=2),
        lambda: submit(s, now=at(6), expected_version=2),
    ):
        with pytest.raises(AttemptClosedError, match="submitted"):
            write()


def test_exam_cannot_pause() -> None:
    with pytest.raises(TransitionError, match="cannot be paused"):
        pause(exam(), now=at(10), expected_version=1)


def test_practice_pause_stops_the_clock_and_moves_the_deadline() -> None:
    s = start_attempt(FORM, mode=Mode.PRACTICE, now=T0, time_limit=timedelta(minutes=10))
    s = pause(s, now=at(120), expected_version=1)
    assert s.paused
    assert remaining(s, at(1800)) == timedelta(minutes=8)
    assert expire_if_due(s, at(3600)) is s  # paused: never expires
    with pytest.raises(TransitionError, match="paused; resume it first"):
        answer(s, q(0), key_response(q(0)), now=at(130), expected_version=2)
    with pytest.raises(TransitionError, match="paused"):
        pause(s, now=at(130), expected_version=2)
    s = resume(s, now=at(1920), expected_version=2)  # paused for 30 minutes
    assert s.deadline == T0 + timedelta(minutes=40)
    assert s.paused_seconds == 1800.0
    assert remaining(s, at(1920)) == timedelta(minutes=8)
    s = navigate(s, 1, now=at(1980), expected_version=3)
    assert s.time_spent[q(0).id] == 180.0  # 120 before the pause + 60 after
    with pytest.raises(TransitionError, match="not paused"):
        resume(s, now=at(2000), expected_version=4)
    done = submit(pause(s, now=at(2000), expected_version=4), now=at(9000), expected_version=5)
    assert done.status is Status.SUBMITTED and not done.paused
    assert done.time_spent[q(1).id] == 20.0


def test_bad_input_is_refused_without_a_change() -> None:
    s = exam()
    stranger = make_bank(MLA, 1, prefix="stranger")[0]
    with pytest.raises(TransitionError, match="not on this form"):
        answer(s, stranger, 0, now=at(1), expected_version=1)
    with pytest.raises(TransitionError, match="not on this form"):
        flag(s, "no-such-question", now=at(1), expected_version=1)
    with pytest.raises(ResponseError):
        answer(s, q(0), 99, now=at(1), expected_version=1)
    with pytest.raises(TransitionError, match="item 8 is not on the form"):
        navigate(s, 8, now=at(1), expected_version=1)
    with pytest.raises(ValueError, match="timezone-aware"):
        navigate(s, 1, now=datetime(2026, 1, 1), expected_version=1)
    with pytest.raises(TransitionError, match="time limit"):
        start_attempt(FORM, mode="exam", now=T0)
    with pytest.raises(TransitionError, match="no questions"):
        start_attempt(Form("MLA-C01", 1, ()), mode="practice", now=T0)
    assert s == exam()


def test_state_is_read_only() -> None:
    s = answer(exam(), q(0), key_response(q(0)), now=at(1), expected_version=1)
    with pytest.raises(TypeError):
        s.answers[q(1).id] = 0  # type: ignore[index]
    with pytest.raises(AttributeError):
        s.version = 5  # type: ignore[misc]


def test_json_round_trip_keeps_other_timezones() -> None:
    plus_two = timezone(timedelta(hours=2))
    s = start_attempt(FORM, mode="practice", now=T0.astimezone(plus_two), time_limit=timedelta(minutes=5))
    s = answer(s, q(0), key_response(q(0)), now=at(3).astimezone(plus_two), expected_version=1)
    again = AttemptState.from_json(s.to_json())
    assert again == s
    assert again.started_at.utcoffset() == timedelta(hours=2)
    with pytest.raises(ValueError, match="not a valid attempt"):
        AttemptState.from_dict({"mode": "exam"})


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["answer", "check", "clear", "flag", "unflag", "navigate", "pause", "resume", "submit", "abandon", "read"]
        ),
        st.integers(0, len(FORM) - 1),
        st.integers(0, 900),
    ),
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(mode=st.sampled_from(list(Mode)), actions=ACTIONS)
def test_any_sequence_round_trips_and_keeps_invariants(mode: Mode, actions: list[tuple[str, int, int]]) -> None:
    now = T0
    s = start_attempt(FORM, mode=mode, now=now, time_limit=timedelta(minutes=30) if mode is Mode.EXAM else None)
    for name, index, step in actions:
        now += timedelta(seconds=step)
        question = q(index)
        before = s
        try:
            if name == "answer":
                s = answer(s, question, key_response(question), now=now, expected_version=s.version)
            elif name == "clear":
                s = clear(s, question.id, now=now, expected_version=s.version)
            elif name == "check":
                s = check(s, question.id, now=now, expected_version=s.version)
            elif name == "abandon":
                s = abandon(s, now=now, expected_version=s.version)
            elif name == "flag":
                s = flag(s, question.id, now=now, expected_version=s.version)
            elif name == "unflag":
                s = unflag(s, question.id, now=now, expected_version=s.version)
            elif name == "navigate":
                s = navigate(s, index, now=now, expected_version=s.version)
            elif name == "pause":
                s = pause(s, now=now, expected_version=s.version)
            elif name == "resume":
                s = resume(s, now=now, expected_version=s.version)
            elif name == "submit":
                s = submit(s, now=now, expected_version=s.version)
            else:
                s = expire_if_due(s, now)
        except (AttemptClosedError, TransitionError):
            assert s is before
        assert AttemptState.from_json(s.to_json()) == s
        assert s.version >= before.version
        assert s.checked <= set(s.answers) and (mode is Mode.PRACTICE or not s.checked)
        assert all(before.answers[qid] == s.answers[qid] for qid in before.checked)  # locked stays put
        elapsed = (now - T0).total_seconds() - s.paused_seconds
        assert sum(s.time_spent.values()) <= elapsed + 1e-6
        if s.deadline is not None and s.is_open and not s.paused:
            assert now < s.deadline


def practice() -> AttemptState:
    return start_attempt(FORM, mode=Mode.PRACTICE, now=T0, selection=Selection.CUSTOM)


def _wrong(question: Question) -> object:
    key = key_response(question)
    if isinstance(key, int):
        return (key + 1) % len(question.options)
    return None


def test_practice_feedback_only_after_check_then_the_answer_is_locked() -> None:
    s = practice()
    single = next(i for i in range(len(FORM)) if q(i).type.value == "single")
    question = q(single)
    s = answer(s, question, _wrong(question), now=at(5), expected_version=1)
    assert not s.feedback_shown(question.id)  # an answer alone shows nothing
    s = answer(s, question, key_response(question), now=at(6), expected_version=2)  # still free to change
    s = answer(s, question, _wrong(question), now=at(7), expected_version=3)
    s = check(s, question.id, now=at(8), expected_version=4)
    assert s.version == 5 and s.feedback_shown(question.id) and s.checked == {question.id}
    with pytest.raises(QuestionLockedError, match=f"question {single + 1} is checked"):
        answer(s, question, key_response(question), now=at(9), expected_version=5)
    with pytest.raises(QuestionLockedError, match="locked"):
        clear(s, question.id, now=at(9), expected_version=5)
    with pytest.raises(QuestionLockedError, match="checked already"):
        check(s, question.id, now=at(9), expected_version=5)
    assert s.answers[question.id] == _wrong(question)
    assert AttemptState.from_json(s.to_json()).checked == {question.id}
    # flags and navigation still work on a checked question
    s = flag(s, question.id, now=at(10), expected_version=5)
    assert s.version == 6


def test_check_needs_an_answer_and_practice_mode() -> None:
    s = practice()
    with pytest.raises(TransitionError, match="answer question 1 before checking it"):
        check(s, q(0).id, now=at(1), expected_version=1)
    e = answer(exam(), q(0), key_response(q(0)), now=at(1), expected_version=1)
    with pytest.raises(TransitionError, match="no feedback before it is submitted"):
        check(e, q(0).id, now=at(2), expected_version=2)
    old = practice().to_dict()
    del old["checked"]  # a state stored before checks existed reads as nothing checked
    assert AttemptState.from_dict(old).checked == frozenset()


def test_abandon_keeps_the_attempt_but_closes_it() -> None:
    s = answer(exam(), q(0), key_response(q(0)), now=at(10), expected_version=1)
    s = abandon(s, now=at(40), expected_version=2)
    assert s.status is Status.ABANDONED and not s.is_open and s.finished_at == at(40)
    assert dict(s.time_spent) == {q(0).id: 40.0} and q(0).id in s.answers
    with pytest.raises(AttemptClosedError, match="abandoned"):
        flag(s, q(0).id, now=at(41), expected_version=3)
    paused = pause(practice(), now=at(5), expected_version=1)
    assert abandon(paused, now=at(9), expected_version=2).status is Status.ABANDONED
