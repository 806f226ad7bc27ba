from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.content.schema import Blueprint, Question
from certprep.exam.forms import Form, FormItem, assemble_form
from certprep.exam.scoring import (
    RawScore,
    ResponseError,
    cut_percent,
    from_presented,
    is_correct,
    key_response,
    raw_score,
    response_from_json,
    response_to_json,
    scaled_score,
    to_presented,
    validate_response,
)

from .conftest import MLA, MLS, make_bank


def _q(data: dict[str, Any]) -> Question:
    base = {
        "revision": 1,
        "exams": [{"exam": "MLA-C01", "task": "3.1"}],
        "difficulty": 2,
        "references": [{"title": "Docs", "url": "https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html"}],
    }
    return Question.model_validate({**base, **data})


SINGLE = _q(
    {
        "id": "gold-single",
        "type": "single",
        "stem": "Which option?",
        "options": [
            {"text": "A", "rationale": "no"},
            {"text": "B", "rationale": "no"},
            {"text": "C", "correct": True, "rationale": "yes"},
            {"text": "D", "rationale": "no"},
        ],
    }
)
MULTIPLE = _q(
    {
        "id": "gold-multiple",
        "type": "multiple",
        "stem": "Which two? (Select TWO.)",
        "options": [
            {"text": "A", "correct": True, "rationale": "yes"},
            {"text": "B", "rationale": "no"},
            {"text": "C", "rationale": "no"},
            {"text": "D", "correct": True, "rationale": "yes"},
            {"text": "E", "rationale": "no"},
        ],
    }
)
ORDERING = _q(
    {
        "id": "gold-ordering",
        "type": "ordering",
        "stem": "Put the steps in order; leave one out.",
        "steps": [{"text": f"step {i}", "rationale": f"step {i}"} for i in range(4)],
        "distractor_steps": [{"text": "distractor", "rationale": "does not belong"}],
    }
)
MATCHING = _q(
    {
        "id": "gold-matching",
        "type": "matching",
        "stem": "Match each workload to an option.",
        "pairs": [
            {"prompt": "steady, 100 ms", "response": "Real-time", "rationale": "r"},
            {"prompt": "a few calls an hour", "response": "Serverless", "rationale": "s"},
            {"prompt": "1 GB payloads", "response": "Asynchronous", "rationale": "a"},
            {"prompt": "nightly table", "response": "Batch transform", "rationale": "b"},
        ],
        "extra_responses": [{"text": "Multi-model endpoint", "rationale": "not asked"}],
    }
)
# two prompts share a response: responses = (Real-time, Batch transform, Serverless)
SHARED = _q(
    {
        "id": "gold-matching-shared",
        "type": "matching",
        "stem": "Match each workload to an option; options may repeat.",
        "pairs": [
            {"prompt": "fraud check", "response": "Real-time", "rationale": "r"},
            {"prompt": "nightly scores", "response": "Batch transform", "rationale": "b"},
            {"prompt": "ad ranking", "response": "Real-time", "rationale": "r"},
        ],
        "extra_responses": [{"text": "Serverless", "rationale": "s"}],
    }
)

GOLDEN: list[tuple[Question, Any, bool]] = [
    (SINGLE, 2, True),
    (SINGLE, 0, False),
    (SINGLE, 3, False),
    (SINGLE, None, False),
    (MULTIPLE, frozenset({0, 3}), True),
    (MULTIPLE, [3, 0], True),  # JSON form, any order
    (MULTIPLE, {0}, False),  # too few
    (MULTIPLE, {0, 3, 4}, False),  # too many: all or nothing
    (MULTIPLE, {1, 2}, False),
    (MULTIPLE, None, False),
    (ORDERING, (0, 1, 2, 3), True),
    (ORDERING, [0, 1, 2, 3], True),
    (ORDERING, (1, 0, 2, 3), False),  # wrong order
    (ORDERING, (0, 1, 2), False),  # a step missing
    (ORDERING, (0, 1, 2, 3, 4), False),  # the distractor included
    (ORDERING, (0, 1, 4, 3), False),  # distractor in place of a step
    (ORDERING, None, False),
    (MATCHING, {0: 0, 1: 1, 2: 2, 3: 3}, True),
    (MATCHING, {"0": 0, "1": 1, "2": 2, "3": 3}, True),  # JSON form
    (MATCHING, {0: 0, 1: 1, 2: 3, 3: 2}, False),  # two swapped
    (MATCHING, {0: 0, 1: 1, 2: 2}, False),  # one prompt unmatched
    (MATCHING, {0: 0, 1: 1, 2: 2, 3: 4}, False),  # the extra response used
    (MATCHING, None, False),
    (SHARED, {0: 0, 1: 1, 2: 0}, True),
    (SHARED, {0: 0, 1: 1, 2: 2}, False),
]


@pytest.mark.parametrize(("question", "response", "expected"), GOLDEN)
def test_golden_correctness(question: Question, response: Any, expected: bool) -> None:
    assert is_correct(question, response) is expected


@pytest.mark.parametrize(
    ("question", "key"),
    [(SINGLE, 2), (MULTIPLE, [0, 3]), (ORDERING, [0, 1, 2, 3]), (MATCHING, {"0": 0, "1": 1, "2": 2, "3": 3})],
)
def test_key_response(question: Question, key: Any) -> None:
    assert response_to_json(key_response(question)) == key
    assert is_correct(question, key_response(question))


@pytest.mark.parametrize(
    ("question", "response", "message"),
    [
        (SINGLE, 4, "option 4 does not exist"),
        (SINGLE, -1, "option -1 does not exist"),
        (SINGLE, True, "whole number"),
        (SINGLE, "2", "whole number"),
        (SINGLE, [2], "whole number"),
        (MULTIPLE, 1, "list of option indexes"),
        (MULTIPLE, "03", "list of option indexes"),
        (MULTIPLE, [0, 0], "twice"),
        (MULTIPLE, [], "at least one"),
        (MULTIPLE, [0, 9], "option 9 does not exist"),
        (ORDERING, {0, 1}, "list of step keys"),
        (ORDERING, [0, 5], "step key 5 does not exist"),
        (ORDERING, [1, 1], "twice"),
        (ORDERING, [], "at least one"),
        (MATCHING, [0, 1, 2, 3], "maps prompt indexes"),
        (MATCHING, {4: 0}, "prompt 4 does not exist"),
        (MATCHING, {0: 5}, "response 5 does not exist"),
        (MATCHING, {"x": 0}, "prompt index must be a whole number"),
        (MATCHING, {0: 1, "0": 1}, "names a prompt twice"),
        (MATCHING, {}, "at least one"),
    ],
)
def test_bad_responses_are_refused(question: Question, response: Any, message: str) -> None:
    with pytest.raises(ResponseError, match=message):
        validate_response(question, response)
    with pytest.raises(ValueError, match=message):  # what the service catches
        is_correct(question, response)


@pytest.mark.parametrize(("question", "response", "expected"), [g for g in GOLDEN if g[1] is not None])
def test_response_json_round_trip(question: Question, response: Any, expected: bool) -> None:
    value = validate_response(question, response)
    text = json.dumps(response_to_json(value))
    again = response_from_json(question.type, json.loads(text))
    assert again == value
    assert is_correct(question, again) is expected


# --- presentation never changes a score ---------------------------------------------------------


def _size(question: Question) -> int:
    return {"single": 4, "multiple": 5, "ordering": 5, "matching": len(question.responses)}[question.type.value]


@given(st.data())
def test_score_unchanged_when_presentation_is_shuffled(data: st.DataObject) -> None:
    question = data.draw(st.sampled_from([SINGLE, MULTIPLE, ORDERING, MATCHING, SHARED]))
    presentation = tuple(data.draw(st.permutations(range(_size(question)))))
    candidates = [validate_response(q, r) for q, r, _ in GOLDEN if q is question and r is not None]
    canonical = data.draw(st.sampled_from(candidates))
    # the browser sends positions; the service turns them back into canonical indexes
    on_screen = to_presented(presentation, canonical)
    assert from_presented(question.type, presentation, response_to_json(on_screen)) == canonical
    assert is_correct(question, from_presented(question.type, presentation, on_screen)) is is_correct(
        question, canonical
    )


@given(seed=st.integers(0, 2**32))
def test_learner_picking_by_text_scores_the_same_on_any_form(seed: int) -> None:
    """Two forms of the same questions show options in different places; a learner who clicks the
    right texts gets full marks on both."""
    bank = [SINGLE, MULTIPLE, ORDERING, MATCHING, SHARED]
    form = assemble_form(bank, MLA, 5, random.Random(seed))
    by_id = {q.id: q for q in bank}
    answers = {}
    for item in form.items:
        q = by_id[item.question_id]
        answers[q.id] = from_presented(q.type, item.presentation, to_presented(item.presentation, key_response(q)))
    assert raw_score(form, by_id, answers) == RawScore(5, 5)


def test_from_presented_refuses_positions_off_screen() -> None:
    with pytest.raises(ResponseError, match="position 4 is not on screen"):
        from_presented("single", (3, 2, 1, 0), 4)
    with pytest.raises(ResponseError, match="choice 7 is not on screen"):
        to_presented((3, 2, 1, 0), 7)


# --- raw and scaled scores ----------------------------------------------------------------------


def test_raw_score_leaves_unscored_items_out() -> None:
    bank = make_bank(MLA, 20, prefix="raw")
    by_id = {q.id: q for q in bank}
    form = assemble_form(bank, MLA, 20, random.Random(1), unscored=5)
    unscored = [i.question_id for i in form.items if not i.scored]
    scored = [i.question_id for i in form.items if i.scored]
    only_unscored = {qid: key_response(by_id[qid]) for qid in unscored}
    assert raw_score(form, by_id, only_unscored) == RawScore(0, 15)
    half = {qid: key_response(by_id[qid]) for qid in scored[:6]}
    assert raw_score(form, by_id, half) == RawScore(6, 15)
    assert raw_score(form, by_id, half).percent == pytest.approx(40.0)


def test_raw_score_of_an_empty_form_section() -> None:
    item = FormItem("gold-single", 1, SINGLE.type, "3.1", "3", False, (0, 1, 2, 3))
    assert raw_score(Form("MLA-C01", 1, (item,)), {"gold-single": SINGLE}, {}) == RawScore(0, 0)
    assert RawScore(0, 0).percent == 0.0


@pytest.mark.parametrize(
    ("blueprint", "raw", "max_raw", "scaled"),
    [
        (MLA, 0, 50, 100),
        (MLA, 10, 50, 272),
        (MLA, 25, 50, 530),
        (MLA, 35, 50, 702),
        (MLA, 36, 50, 720),  # 72%: the cut lands exactly on 720
        (MLA, 37, 50, 740),
        (MLA, 40, 50, 800),
        (MLA, 50, 50, 1000),
        (MLS, 0, 50, 100),
        (MLS, 37, 50, 741),  # 74%: below the 75% cut, so below 750
        (MLS, 38, 50, 760),
        (MLS, 3, 4, 750),  # exactly 75%
        (MLS, 50, 50, 1000),
        (MLA, 18, 25, 720),
        (MLA, 47, 65, 723),  # 72.3%
        (MLA, 46, 65, 709),  # 70.8%
    ],
)
def test_scaled_score_golden(blueprint: Blueprint, raw: int, max_raw: int, scaled: int) -> None:
    assert scaled_score(raw, max_raw, blueprint) == scaled


@given(blueprint=st.sampled_from([MLA, MLS]), max_raw=st.integers(1, 200), data=st.data())
def test_scaled_score_is_monotone_and_cut_exact(blueprint: Blueprint, max_raw: int, data: st.DataObject) -> None:
    raw = data.draw(st.integers(0, max_raw))
    value = scaled_score(raw, max_raw, blueprint)
    assert blueprint.score_min <= value <= blueprint.score_max
    if raw < max_raw:
        assert scaled_score(raw + 1, max_raw, blueprint) >= value
    # pass on the scaled score exactly when the raw percent reaches the cut
    assert (value >= blueprint.passing_score) == (raw * 100 >= cut_percent(blueprint) * max_raw)


def test_cut_percent() -> None:
    assert cut_percent(MLA) == 72
    assert cut_percent(MLS) == 75


def test_scaled_score_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="positive"):
        scaled_score(0, 0, MLA)
    with pytest.raises(ValueError, match="outside"):
        scaled_score(51, 50, MLA)
