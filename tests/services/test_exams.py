"""Exam attempts through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from certprep.app import Certprep
from certprep.content.schema import QuestionType
from certprep.exam.attempt import AttemptClosedError, AttemptState, StaleStateError
from certprep.exam.forms import Form
from certprep.exam.scoring import key_response, to_presented
from certprep.services import exams
from certprep.services.errors import NotFound
from certprep.services.exams.content import fixed_forms
from certprep.store import exams as exam_store
from certprep.store.tables import attempts, responses
from tests.conftest import NOW
from tests.services.conftest import other_user


def _start(app: Certprep, user: int, seed: int = 1, **kw: Any) -> exams.AttemptView:
    req = exams.StartRequest(**{"exam": "MLA-C01", **kw})
    return exams.start_exam(app, user, req, now=NOW, rng=random.Random(seed))


def _key_presented(app: Certprep, view: exams.AttemptView) -> Any:
    """The right answer in screen positions, found the way a cheating client could not: from the pack."""
    q = app.pack.question(view.question.id)
    state_item = _form_item(app, view)
    value = to_presented(state_item.presentation, key_response(q))
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if not isinstance(value, int):
        return {str(k): v for k, v in value.items()}
    return value


def _stored(app: Certprep, view: exams.AttemptView) -> AttemptState:
    """The attempt's state as stored (its state and, apart, its form)."""
    with app.engine.connect() as conn:
        row = conn.execute(select(attempts.c.state, attempts.c.form).where(attempts.c.id == view.id)).one()
    return AttemptState.from_dict(row.state, form=Form.from_dict(row.form))


def _form_item(app: Certprep, view: exams.AttemptView) -> Any:
    return _stored(app, view).form.items[view.current]


def _answer(app: Certprep, user: int, view: exams.AttemptView, response: Any, now=NOW) -> exams.AttemptView:  # type: ignore[no-untyped-def]
    action = {"type": "answer", "index": view.current, "response": response}
    return exams.act(app, user, view.id, action, expected_version=view.version, now=now)


def _check(app: Certprep, user: int, view: exams.AttemptView) -> exams.AttemptView:
    action = {"type": "check", "index": view.current}
    return exams.act(app, user, view.id, action, expected_version=view.version, now=NOW)


def _go(app: Certprep, user: int, view: exams.AttemptView, index: int, now=NOW) -> exams.AttemptView:  # type: ignore[no-untyped-def]
    return exams.act(app, user, view.id, {"type": "navigate", "index": index}, expected_version=view.version, now=now)


def test_fixed_exam_follows_the_blueprint_and_hides_the_key(app: Certprep, user: int) -> None:
    view = _start(app, user, selection="fixed", form=1)
    assert view.count == 65 and view.title == "Practice Exam 1"
    assert view.deadline == NOW + timedelta(minutes=130)
    assert view.seconds_left == 130 * 60
    text = view.model_dump_json(exclude_none=True)  # a null field (feedback) reveals nothing
    for secret in ("rationale", "correct", "scored", "feedback", "key"):
        assert f'"{secret}' not in text, secret
    forms = fixed_forms(app, "MLA-C01")
    domains = Counter(item.domain for item in forms[0].items if item.scored)
    assert sum(domains.values()) == 50 and domains == {"1": 14, "2": 13, "3": 11, "4": 12}


def test_fixed_form_is_the_same_for_every_user(app: Certprep, user: int) -> None:
    bob = other_user(app)
    a = _start(app, user, selection="fixed", form=2, seed=1)
    b = _start(app, bob, selection="fixed", form=2, seed=99)
    assert a.question.id == b.question.id and a.question.choices == b.question.choices


def test_answers_score_and_report(app: Certprep, user: int) -> None:
    view = _start(app, user, selection="drill", mode="exam", tasks=("1.1",), count=5)
    assert view.count == 5
    right = 0
    for index in range(view.count):
        view = _go(app, user, view, index)
        if index % 2 == 0:
            view = _answer(app, user, view, _key_presented(app, view))
            right += 1
    view = exams.act(app, user, view.id, {"type": "submit"}, expected_version=view.version, now=NOW)
    assert view.status == "submitted" and view.question is None
    report = exams.attempt_report(app, user, view.id, now=NOW)
    assert report.raw_correct == right and report.raw_max == 5
    assert report.scaled_is_estimate is True
    assert all(item.choices for item in report.items)
    rationales = [c.rationale for item in report.items for c in item.choices if c.in_key or c.text]
    assert all(rationales)


def test_stale_write_is_refused_and_nothing_is_lost(app: Certprep, user: int) -> None:
    view = _start(app, user, selection="drill", mode="practice", tasks=("2.1",), count=3)
    tab1 = view
    tab2 = _go(app, user, view, 1)  # another tab moved on
    with pytest.raises(StaleStateError, match="reload"):
        _answer(app, user, tab1, _key_presented(app, tab1))
    fresh = exams.attempt_view(app, user, view.id, now=NOW)
    assert fresh.version == tab2.version and fresh.answered == 0


def test_deadline_submits_even_when_the_learner_comes_back_later(app: Certprep, user: int) -> None:
    view = _start(app, user, selection="fixed", form=3)
    view = _answer(app, user, view, _key_presented(app, view))
    later = NOW + timedelta(days=2)
    back = exams.attempt_view(app, user, view.id, now=later)
    assert back.status == "expired" and back.answered == 1
    report = exams.attempt_report(app, user, view.id, now=later)
    assert report.answered == 1 and report.unanswered == 64
    with pytest.raises(AttemptClosedError):
        _answer(app, user, view, 0, now=later)


def test_a_write_after_the_deadline_is_not_applied(app: Certprep, user: int) -> None:
    view = _start(app, user, selection="drill", mode="exam", tasks=("3.1",), count=2)
    late = NOW + timedelta(minutes=10)  # 2 questions at exam pace = 4 minutes
    with pytest.raises(AttemptClosedError):
        _answer(app, user, view, _key_presented(app, view), now=late)
    assert exams.attempt_view(app, user, view.id, now=late).answered == 0


def test_other_users_get_not_found(app: Certprep, user: int) -> None:
    view = _start(app, user, selection="fixed", form=1)
    bob = other_user(app)
    with pytest.raises(NotFound):
        exams.attempt_view(app, bob, view.id, now=NOW)
    with pytest.raises(NotFound):
        exams.act(app, bob, view.id, {"type": "flag"}, expected_version=view.version, now=NOW)
    with pytest.raises(NotFound):
        exams.attempt_report(app, bob, view.id, now=NOW)
    assert exams.list_attempts(app, bob, now=NOW) == []


def test_what_an_action_answers_is_what_a_fresh_read_finds(app: Certprep, user: int) -> None:
    """Each action's view is the stored state, and the log holds one numbered event per action."""
    view = _start(app, user, selection="fixed", form=5)
    for step in range(1, 6):
        view = _answer(app, user, view, _key_presented(app, view), now=NOW + timedelta(seconds=10 * step))
        view = exams.act(app, user, view.id, {"type": "flag"}, expected_version=view.version, now=NOW)
        view = _go(app, user, view, step, now=NOW + timedelta(seconds=10 * step + 5))
        assert exams.attempt_view(app, user, view.id, now=NOW + timedelta(seconds=10 * step + 5)) == view
    assert view.answered == 5 and sum(p.flagged for p in view.palette) == 5
    with app.engine.connect() as conn:
        query = select(responses.c.seq, responses.c.event).where(responses.c.attempt_id == view.id)
        rows = sorted(conn.execute(query).all())
    assert [seq for seq, _ in rows] == list(range(1, 17))
    assert [event for _, event in rows] == ["start"] + ["answer", "flag", "navigate"] * 5
    report = exams.act(app, user, view.id, {"type": "submit"}, expected_version=view.version, now=NOW)
    assert report.status == "submitted"
    assert exams.attempt_report(app, user, view.id, now=NOW).answered == 5


def test_another_worker_moves_the_attempt_on(app: Certprep, settings: Any, user: int) -> None:
    """Two processes on one database: a state one of them wrote but the other has moved on is
    never written over; the version check in the database decides."""
    from certprep.app import open_app

    other = open_app(settings, migrate=False, sync=False)
    try:
        view = _start(app, user, selection="fixed", form=1)
        seen = _go(app, user, view, 1)  # this process wrote version seen.version
        moved = _go(other, user, seen, 2)  # the other worker takes the next write
        with pytest.raises(StaleStateError):  # a tab still at `seen` is refused by this process too
            _go(app, user, seen, 3)
        assert exams.attempt_view(app, user, view.id, now=NOW) == moved  # nothing was written
        here = _go(app, user, moved, 3)  # the up-to-date client is served by either process
        there = _answer(other, user, here, _key_presented(other, here))
        back = _go(app, user, there, 4)
        assert back.version == view.version + 5 and back.answered == 1 and back.current == 4
    finally:
        other.close()


def test_an_attempt_this_process_just_wrote_is_still_not_found_for_another_user(app: Certprep, user: int) -> None:
    view = _go(app, user, _start(app, user, selection="fixed", form=2), 1)
    bob = other_user(app)
    with pytest.raises(NotFound):
        exams.act(app, bob, view.id, {"type": "flag"}, expected_version=view.version, now=NOW)
    with pytest.raises(NotFound):
        _go(app, bob, view, 2)


def test_practice_feedback_then_missed_and_retake(app: Certprep, user: int) -> None:
    view = _start(app, user, selection="drill", mode="practice", tasks=("4.3",), count=4)
    assert view.deadline is None
    wrong_ids = []
    for index in range(4):
        view = _go(app, user, view, index)
        q = app.pack.question(view.question.id)
        key = _key_presented(app, view)
        if index < 2 and q.type is QuestionType.SINGLE:
            wrong = (key + 1) % len(view.question.choices)
            view = _answer(app, user, view, wrong)
            assert view.question.feedback is None  # nothing before the learner checks
            view = _check(app, user, view)
            wrong_ids.append(q.id)
            assert view.question.feedback.correct is False
            assert all(view.question.feedback.rationales)
        else:
            view = _check(app, user, _answer(app, user, view, key))
            assert view.question.feedback.correct is True
    view = exams.act(app, user, view.id, {"type": "submit"}, expected_version=view.version, now=NOW)
    missed = _start(app, user, selection="missed", mode="practice", count=50, seed=5)
    assert set(wrong_ids) <= _ids(app, missed) and len(_ids(app, missed)) == len(wrong_ids)
    retake = exams.retake_missed(app, user, view.id, now=NOW, rng=random.Random(3))
    assert _ids(app, retake) == set(wrong_ids)


def _ids(app: Certprep, view: exams.AttemptView) -> set[str]:
    return set(_stored(app, view).form.question_ids)


def test_flag_navigation_and_log(app: Certprep, user: int) -> None:
    view = _start(app, user, selection="fixed", form=4)
    view = exams.act(app, user, view.id, {"type": "flag", "index": 0}, expected_version=view.version, now=NOW)
    view = _go(app, user, view, 5, now=NOW + timedelta(seconds=40))
    assert view.palette[0].flagged and view.current == 5
    flagged = _start(app, user, selection="flagged", mode="practice", seed=8)
    assert flagged.count == 1
    with app.engine.connect() as conn:
        events = [r.event for r in conn.execute(select(responses.c.event).where(responses.c.attempt_id == view.id))]
    assert events == ["start", "flag", "navigate"]


def test_the_log_is_numbered_without_gaps(app: Certprep, user: int) -> None:
    """Actions that log one event (flag, navigate, an answer) and several (checking a practice
    answer logs the check and its grade; submitting an exam grades every answer) number them
    1, 2, 3... per attempt, interleaved across two attempts."""
    exam = _start(app, user, selection="fixed", form=2)
    practice = _start(app, user, selection="fixed", form=3, mode="practice", seed=5)
    exam = _answer(app, user, exam, _key_presented(app, exam))
    practice = _check(app, user, _answer(app, user, practice, _key_presented(app, practice)))
    exam = _go(app, user, exam, 1)
    practice = exams.act(app, user, practice.id, {"type": "flag"}, expected_version=practice.version, now=NOW)
    exam = _answer(app, user, exam, _key_presented(app, exam))
    exams.act(app, user, exam.id, {"type": "submit"}, expected_version=exam.version, now=NOW)
    logs = {}
    with app.engine.connect() as conn:
        for attempt in (exam, practice):
            query = select(responses.c.seq, responses.c.event).where(responses.c.attempt_id == attempt.id)
            logs[attempt.id] = sorted(conn.execute(query).all())
    assert [event for _, event in logs[exam.id]] == [
        "start",
        "answer",
        "navigate",
        "answer",
        "graded",
        "graded",
        "submit",
    ]
    assert [event for _, event in logs[practice.id]] == ["start", "answer", "check", "graded", "flag"]
    for rows in logs.values():
        assert [seq for seq, _ in rows] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"exam": "XYZ-C01"}, "unknown exam"),
        ({"selection": "fixed", "form": 7}, "from 1 to 6"),
        ({"selection": "drill", "tasks": ("9.9",)}, "no task statement"),
        ({"selection": "custom", "types": ("ordering",), "exam": "MLS-C01"}, "no question type"),
        ({"selection": "missed"}, "no missed questions"),
        ({"mode": "timed"}, "is not a valid Mode"),
    ],
)
def test_bad_requests_are_clear(app: Certprep, user: int, kw: exams.AttemptView, message: str) -> None:
    with pytest.raises(exams.ExamRequestError, match=message):
        _start(app, user, **kw)


def test_invalid_answer_is_refused(app: Certprep, user: int) -> None:
    view = _start(app, user, selection="fixed", form=1)
    with pytest.raises(exams.ExamRequestError, match="invalid answer"):
        _answer(app, user, view, 17)
    with pytest.raises(exams.ExamRequestError, match="unknown action"):
        exams.act(app, user, view.id, {"type": "peek"}, expected_version=view.version, now=NOW)


def test_practice_exams_list_best_scores(app: Certprep, user: int) -> None:
    listed = exams.practice_exams(app, user, "MLS-C01", now=NOW).practice_exams
    assert [p.number for p in listed] == [1, 2, 3, 4, 5, 6] and all(p.questions == 65 for p in listed)
    view = _start(app, user, selection="fixed", form=1, exam="MLS-C01")
    exams.act(app, user, view.id, {"type": "submit"}, expected_version=view.version, now=NOW)
    listed = exams.practice_exams(app, user, "MLS-C01", now=NOW).practice_exams
    assert listed[0].attempts == 1 and listed[0].best_scaled_score == 100


def test_two_reads_past_the_deadline_at_once_both_see_the_submitted_attempt(
    app: Certprep, user: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL two requests can both find the deadline passed; the one whose write comes
    second reads what the first stored instead of answering a read with 409."""
    view = exams.start_exam(
        app, user, exams.StartRequest(exam="MLA-C01", selection="fixed", form=1), now=NOW, rng=random.Random(1)
    )
    late = NOW + timedelta(hours=3)
    real_update = exam_store.update_attempt
    calls = []

    def first_writer_wins(conn, attempt_id, expected_version, values):  # type: ignore[no-untyped-def]
        calls.append(expected_version)
        if len(calls) == 1:  # the other request expires it first, then ours finds the version moved
            assert real_update(conn, attempt_id, expected_version, values)
            return False
        return real_update(conn, attempt_id, expected_version, values)

    monkeypatch.setattr(exam_store, "update_attempt", first_writer_wins)
    seen = exams.attempt_view(app, user, view.id, now=late)
    assert seen.status == "expired" and seen.question is None
    assert calls == [view.version]


def test_the_report_shows_the_choices_with_the_runners_letters(
    app: Certprep, user: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Choice C on the exam screen is C in the report's review and in `certprep exam report
    --review` (issue 18, point 2)."""
    from certprep.cli.exam import _print_report

    view = _start(app, user, selection="drill", mode="exam", tasks=("1.1",), count=10)
    shown: dict[int, list[str]] = {}
    picked: dict[int, int] = {}
    for index in range(view.count):
        view = _go(app, user, view, index)
        q = view.question
        shown[index] = q.choices
        if q.type == "single":
            picked[index] = len(q.choices) - 1  # the last on screen
            view = _answer(app, user, view, picked[index])
    assert picked and any(_stored(app, view).form.items[i].presentation[picked[i]] != picked[i] for i in picked)
    view = exams.act(app, user, view.id, {"type": "submit"}, expected_version=view.version, now=NOW)
    report = exams.attempt_report(app, user, view.id, now=NOW)
    for index, item in enumerate(report.items):
        if item.type in ("single", "multiple", "ordering"):
            assert [c.text for c in item.choices] == shown[index]
        if index in picked:
            assert [c.chosen for c in item.choices].index(True) == picked[index]
    _print_report(report, review=True)
    out = capsys.readouterr().out
    index = min(picked)
    letter = "ABCDEFGHIJ"[picked[index]]
    assert f"  {letter}) {shown[index][picked[index]]}" in out


def test_only_the_first_grade_of_a_question_in_an_attempt_counts(app: Certprep, user: int) -> None:
    """A log written before answers were locked may grade one question twice in one attempt (wrong,
    then right after the key was shown): mastery, the mistake log and missed-only see the first."""
    view = _start(app, user, selection="custom", mode="practice", count=2)
    item = _form_item(app, view)
    later = NOW + timedelta(minutes=1)
    with app.transaction() as conn:
        exam_store.append_events(
            conn,
            view.id,
            user,
            [
                {"event": "graded", "recorded_at": NOW, "item_index": 0, "question_id": item.question_id,
                 "question_revision": item.revision, "correct": False},
                {"event": "graded", "recorded_at": later, "item_index": 0, "question_id": item.question_id,
                 "question_revision": item.revision, "correct": True},
            ],
        )  # fmt: skip
    with app.engine.connect() as conn:
        graded = exam_store.graded_responses(conn, user)
        history = exam_store.question_history(conn, user)
    assert [(g.question_id, g.correct) for g in graded] == [(item.question_id, False)]
    assert history.last_correct == {item.question_id: False} and history.seen == {item.question_id: 1}


def test_an_open_practice_exam_is_resumed_not_started_twice(app: Certprep, user: int) -> None:
    first = _start(app, user, selection="fixed", form=2, mode="exam")
    listed = {p.number: p for p in exams.practice_exams(app, user, "MLA-C01", now=NOW).practice_exams}
    assert listed[2].open_attempt_id == first.id and listed[1].open_attempt_id is None
    again = _start(app, user, selection="fixed", form=2, mode="exam", seed=9)
    assert again.id == first.id and again.resumed is True
    practice = _start(app, user, selection="fixed", form=2, mode="practice", seed=10)  # another mode: its own
    assert practice.id != first.id and practice.resumed is False
    assert len(exams.list_attempts(app, user, now=NOW)) == 2
    past = NOW + timedelta(hours=3)  # past the deadline: finished, so a new start is a new attempt
    listed = {p.number: p for p in exams.practice_exams(app, user, "MLA-C01", now=past).practice_exams}
    assert listed[2].open_attempt_id is None
    fresh = exams.start_exam(app, user, exams.StartRequest(exam="MLA-C01", selection="fixed", form=2), now=past,
                             rng=random.Random(4))  # fmt: skip
    assert fresh.id != first.id


def test_an_abandoned_attempt_is_kept_but_leaves_every_figure(app: Certprep, user: int) -> None:
    from certprep.services import readiness
    from certprep.services.exams import AttemptConflictError, ExamRequestError

    view = _start(app, user, selection="custom", mode="practice", count=2, types=("single",))
    wrong = (_key_presented(app, view) + 1) % len(view.question.choices)
    view = _check(app, user, _answer(app, user, view, wrong))
    assert view.question.feedback.correct is False
    with app.engine.connect() as conn:
        assert len(exam_store.graded_responses(conn, user)) == 1  # counted while it is open
    done = exams.act(app, user, view.id, {"type": "abandon"}, expected_version=view.version, now=NOW)
    assert done.status == "abandoned" and done.question is None
    with app.engine.connect() as conn:
        assert exam_store.graded_responses(conn, user) == []
        assert exam_store.question_history(conn, user).seen == {}
        events = [r.event for r in conn.execute(select(responses.c.event).where(responses.c.attempt_id == view.id))]
    assert events[-1] == "abandon" and "answer" in events  # nothing is lost
    listed = exams.list_attempts(app, user, now=NOW)
    assert [(a.id, a.status, a.scaled_score, a.submitted_at) for a in listed] == [(view.id, "abandoned", None, None)]
    ev = readiness.evidence(app, user, "MLA-C01")
    assert ev.observations == () and ev.attempts == () and ev.missed_ids == frozenset()
    with pytest.raises(AttemptConflictError, match="abandoned"):
        exams.attempt_report(app, user, view.id, now=NOW)
    with pytest.raises(AttemptConflictError, match="abandoned"):
        exams.retake_missed(app, user, view.id, now=NOW, rng=random.Random(1))
    with pytest.raises(ExamRequestError, match="no missed questions"):
        _start(app, user, selection="missed", mode="practice", seed=3)
    with pytest.raises(AttemptClosedError):
        exams.act(app, user, view.id, {"type": "flag"}, expected_version=done.version, now=NOW)
