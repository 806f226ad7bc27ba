from __future__ import annotations

import dataclasses
import json
import random
from datetime import timedelta

import pytest

from certprep.content.schema import Question
from certprep.exam.attempt import AttemptState, Mode, answer, navigate, start_attempt, submit
from certprep.exam.forms import Form, FormItem, assemble_form
from certprep.exam.report import MEETS, NEEDS_IMPROVEMENT, Reference, build_report, missed_question_ids
from certprep.exam.scoring import key_response

from .conftest import MLA, MLS, T0, make_bank
from .test_scoring import MATCHING, MULTIPLE, ORDERING, SINGLE

BANK = make_bank(MLA, 200, prefix="rep")
BY_ID = {q.id: q for q in BANK}


def _size(q: Question) -> int:
    return len(q.options) or len(q.steps) + len(q.distractor_steps) or len(q.responses)


def _form(ids_domains: list[tuple[Question, bool]]) -> Form:
    items = tuple(
        FormItem(
            question_id=q.id,
            revision=q.revision,
            type=q.type,
            task=q.exams[0].task,
            domain=q.exams[0].task.split(".")[0],
            scored=scored,
            presentation=tuple(range(_size(q))),
        )
        for q, scored in ids_domains
    )
    return Form("MLA-C01", 1, items, title="Hand-made")


def _finish(form: Form, answers: dict[str, object], seconds_each: int = 60) -> AttemptState:
    s = start_attempt(form, mode=Mode.EXAM, now=T0, time_limit=timedelta(minutes=130))
    by_id = {**BY_ID, SINGLE.id: SINGLE, MULTIPLE.id: MULTIPLE, ORDERING.id: ORDERING, MATCHING.id: MATCHING}
    for i, item in enumerate(form.items):
        if i:
            s = navigate(s, i, now=T0 + timedelta(seconds=seconds_each * i), expected_version=s.version)
        if item.question_id in answers:
            s = answer(
                s,
                by_id[item.question_id],
                answers[item.question_id],
                now=T0 + timedelta(seconds=seconds_each * i + 1),
                expected_version=s.version,
            )
    return submit(s, now=T0 + timedelta(seconds=seconds_each * len(form)), expected_version=s.version)


def test_report_of_a_full_form() -> None:
    form = assemble_form(BANK, MLA, 65, random.Random(8), unscored=15)
    scored = [i.question_id for i in form.items if i.scored]
    unscored = [i.question_id for i in form.items if not i.scored]
    right = set(scored[:36]) | set(unscored)  # 36/50 scored right = 72% = the cut
    answers = {qid: key_response(BY_ID[qid]) for qid in right}
    state = _finish(form, answers)
    report = build_report(state, BY_ID, MLA)
    assert (report.raw_correct, report.raw_max, report.scaled_score, report.passed) == (36, 50, 720, True)
    assert report.scaled_is_estimate
    assert report.cut_percent == 72.0
    assert report.answered == 36 + 15 and report.unanswered == 14
    assert sum(d.total for d in report.domains) == 50
    assert [d.id for d in report.domains] == ["1", "2", "3", "4"]
    assert sum(t.total for t in report.tasks) == 50
    assert [i.question_id for i in report.items if not i.scored] == unscored  # identified here only
    assert report.seconds_total == 65 * 60
    assert report.seconds_elapsed == 65 * 60
    assert missed_question_ids(report) == tuple(scored[36:])
    for domain in report.domains:
        assert domain.rating == (MEETS if domain.percent >= 72 else NEEDS_IMPROVEMENT)
    json.loads(report.to_json())  # the JSON twin

    one_less = dict(answers)
    del one_less[scored[0]]
    failed = build_report(_finish(form, one_less), BY_ID, MLA)
    assert (failed.raw_correct, failed.passed) == (35, False)
    assert failed.scaled_score < MLA.passing_score


def test_review_shows_response_key_and_every_rationale() -> None:
    form = _form([(SINGLE, True), (MULTIPLE, True), (ORDERING, True), (MATCHING, False)])
    by_id = {q.id: q for q in (SINGLE, MULTIPLE, ORDERING, MATCHING)}
    state = _finish(form, {SINGLE.id: 0, MULTIPLE.id: [0, 3], ORDERING.id: [1, 0, 4], MATCHING.id: {0: 0, 1: 4}})
    report = build_report(state, by_id, MLA)
    single, multiple, ordering, matching = report.items

    assert (single.correct, single.response, single.key) == (False, 0, 2)
    assert [(c.text, c.in_key, c.chosen) for c in single.choices] == [
        ("A", False, True),
        ("B", False, False),
        ("C", True, False),
        ("D", False, False),
    ]
    assert all(c.rationale for item in report.items for c in item.choices)

    assert multiple.correct and multiple.response == [0, 3]

    assert not ordering.correct
    steps = {c.text: (c.key_position, c.chosen_position, c.in_key) for c in ordering.choices}
    assert steps["step 0"] == (1, 2, True)
    assert steps["step 1"] == (2, 1, True)
    assert steps["step 3"] == (4, None, True)
    assert steps["distractor"] == (None, 3, False)

    assert not matching.scored and not matching.correct
    pairs = [(c.text, c.key_match, c.chosen_match) for c in matching.choices]
    assert pairs[0] == ("steady, 100 ms", "Real-time", "Real-time")
    assert pairs[1] == ("a few calls an hour", "Serverless", "Multi-model endpoint")
    assert pairs[2] == ("1 GB payloads", "Asynchronous", None)
    extra = matching.choices[-1]
    assert (extra.text, extra.in_key, extra.chosen) == ("Multi-model endpoint", False, True)
    assert single.references == (
        Reference(title="Docs", url="https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html"),
    )

    # 1 of 3 scored right: all in domain 3, task 3.1
    assert [(d.id, d.correct, d.total, d.rating) for d in report.domains] == [("3", 1, 3, NEEDS_IMPROVEMENT)]
    assert [(t.id, t.correct, t.total) for t in report.tasks] == [("3.1", 1, 3)]
    assert missed_question_ids(report) == (SINGLE.id, ORDERING.id, MATCHING.id)


def test_report_refuses_unfinished_or_mismatched_input() -> None:
    form = _form([(SINGLE, True)])
    state = start_attempt(form, mode=Mode.PRACTICE, now=T0)
    with pytest.raises(ValueError, match="still in progress"):
        build_report(state, {SINGLE.id: SINGLE}, MLA)
    done = submit(state, now=T0, expected_version=1)
    with pytest.raises(ValueError, match="not MLS-C01"):
        build_report(done, {SINGLE.id: SINGLE}, MLS)
    with pytest.raises(ValueError, match="missing"):
        build_report(done, {}, MLA)
    newer = SINGLE.model_copy(update={"revision": 2})
    with pytest.raises(ValueError, match="revision 2; the form used 1"):
        build_report(done, {SINGLE.id: newer}, MLA)


def test_review_choices_follow_the_attempts_screen_order() -> None:
    """The review lists the choices in the order the attempt showed them, so its letters are the
    runner's: choice C on screen is C in the review (issue 18, point 2)."""
    shown = {SINGLE.id: (2, 0, 3, 1), ORDERING.id: tuple(reversed(range(_size(ORDERING))))}
    base = _form([(SINGLE, True), (ORDERING, True)])
    form = dataclasses.replace(
        base, items=tuple(dataclasses.replace(i, presentation=shown[i.question_id]) for i in base.items)
    )
    state = _finish(form, {SINGLE.id: 0})
    single, ordering = build_report(state, BY_ID | {SINGLE.id: SINGLE, ORDERING.id: ORDERING}, MLA).items
    assert [c.text for c in single.choices] == [SINGLE.options[i].text for i in shown[SINGLE.id]]
    assert [c.chosen for c in single.choices] == [False, True, False, False]  # canonical 0 was 2nd on screen
    steps = [*ORDERING.steps, *ORDERING.distractor_steps]
    assert [c.text for c in ordering.choices] == [steps[i].text for i in shown[ORDERING.id]]
