"""Synthetic question banks for tests and benchmarks.

The questions are valid ``Question`` objects (they pass the schema's validators) with
placeholder text. Everything is derived from the arguments, so the same call gives the same bank.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from certprep.content.schema import Blueprint, Question, QuestionType

__all__ = ["synthetic_bank", "synthetic_question"]

_DIFFICULTY_CYCLE = (1, 2, 2, 3)  # the 25/50/25 mix the content guide asks for
_REFERENCE = {"title": "Synthetic reference", "url": "https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html"}


def synthetic_question(
    qid: str,
    qtype: QuestionType | str,
    exam: str,
    task: str,
    *,
    difficulty: int = 2,
    case_id: str | None = None,
    size: int = 4,
    extra: int = 1,
) -> Question:
    """One valid question of ``qtype`` for ``exam``/``task``.

    ``size`` is the number of options (multiple: 5+), steps (3-5) or pairs (3-7); ``extra`` the
    number of correct options beyond two (multiple), distractor steps (ordering) or extra
    responses (matching). Single questions always have 4 options with option 1 correct.
    """
    kind = QuestionType(qtype)
    data: dict[str, Any] = {
        "id": qid,
        "revision": 1,
        "type": kind.value,
        "exams": [{"exam": exam, "task": task}],
        "difficulty": difficulty,
        "stem": f"Synthetic question {qid}.",
        "references": [_REFERENCE],
        "case_id": case_id,
    }
    if kind is QuestionType.SINGLE:
        data["options"] = [
            {"text": f"{qid} option {i}", "correct": i == 1, "rationale": f"Why option {i}."} for i in range(4)
        ]
    elif kind is QuestionType.MULTIPLE:
        n_correct = 3 if extra else 2
        count = max(size, 5)
        data["stem"] += " Select THREE." if n_correct == 3 else " Select TWO."
        data["options"] = [
            {"text": f"{qid} option {i}", "correct": i % 2 == 0 and i // 2 < n_correct, "rationale": f"Why {i}."}
            for i in range(count)
        ]
    elif kind is QuestionType.ORDERING:
        data["steps"] = [{"text": f"{qid} step {i}", "rationale": f"Step {i}."} for i in range(min(max(size, 3), 5))]
        data["distractor_steps"] = [
            {"text": f"{qid} distractor {i}", "rationale": "Does not belong."} for i in range(min(extra, 2))
        ]
    else:
        data["pairs"] = [
            {"prompt": f"{qid} prompt {i}", "response": f"{qid} response {i}", "rationale": f"Pair {i}."}
            for i in range(min(max(size, 3), 7))
        ]
        data["extra_responses"] = [{"text": f"{qid} extra {i}", "rationale": "Matches nothing."} for i in range(extra)]
    return Question.model_validate(data)


def synthetic_bank(
    blueprint: Blueprint,
    count: int,
    *,
    prefix: str = "syn",
    case_every: int = 0,
    tasks: Sequence[str] | None = None,
    types: Sequence[QuestionType | str] | None = None,
) -> tuple[Question, ...]:
    """``count`` questions for ``blueprint``, spread round-robin over its task statements.

    Types cycle over ``types`` (default: the blueprint's standalone types); difficulties cycle
    1, 2, 2, 3 with each round over the task statements, so every task gets every difficulty.
    With ``case_every`` > 0, every ``case_every``-th slot starts a case study of 2-4 questions
    (sizes cycle 2, 3, 4) whose questions share a ``case_id`` and take consecutive task statements
    (so a case may span two domains); cases are only made when the blueprint allows ``case_study``.
    """
    task_ids = tuple(tasks) if tasks is not None else blueprint.task_ids
    kinds = (
        tuple(QuestionType(t) for t in types)
        if types
        else tuple(QuestionType(t) for t in blueprint.question_types if t != "case_study")
    )
    cases_allowed = case_every > 0 and "case_study" in blueprint.question_types
    out: list[Question] = []
    slot = 0
    case_no = 0
    while len(out) < count:
        task = task_ids[slot % len(task_ids)]
        # by round over the tasks, so every task gets every difficulty
        difficulty = _DIFFICULTY_CYCLE[(slot // len(task_ids)) % len(_DIFFICULTY_CYCLE)]
        if cases_allowed and slot % case_every == case_every - 1:
            size = min(2 + case_no % 3, count - len(out))
            if size >= 2:
                case_id = f"{prefix}-case-{case_no:05d}"
                for member in range(size):
                    qid = f"{case_id}-q{member}"
                    kind = kinds[(slot + member) % len(kinds)]
                    member_task = task_ids[(slot + member) % len(task_ids)]
                    out.append(
                        synthetic_question(
                            qid, kind, blueprint.code, member_task, difficulty=difficulty, case_id=case_id
                        )
                    )
                case_no += 1
                slot += 1
                continue
        qid = f"{prefix}-{slot:06d}"
        kind = kinds[slot % len(kinds)]
        out.append(synthetic_question(qid, kind, blueprint.code, task, difficulty=difficulty))
        slot += 1
    return tuple(out)
