"""Responses, correctness, raw and scaled scores. docs/scoring.md explains the numbers.

Responses are always kept in CANONICAL indexes, independent of the order the choices were shown
in (``FormItem.presentation``), so that a score never depends on the presentation:

==========  ======================  ==================================================  ====================
type        Python value            meaning                                             JSON
==========  ======================  ==================================================  ====================
single      ``int``                 index of the chosen option                          ``2``
multiple    ``frozenset[int]``      indexes of the chosen options                       ``[0, 3]`` (sorted)
ordering    ``tuple[int, ...]``     step keys in the learner's order; ``0..len(steps)-1``  ``[1, 0, 2]``
                                    are the real steps in key order, then distractors
matching    ``Mapping[int, int]``   prompt index -> index into ``Question.responses``   ``{"0": 2, "1": 0}``
==========  ======================  ==================================================  ====================

A browser shows positions, not canonical indexes (in exam mode a canonical step key would give
the order away), so the service converts with ``from_presented`` before it stores an answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeAlias

from certprep.content.schema import Blueprint, Question, QuestionType
from certprep.exam.forms import Form

__all__ = [
    "RawScore",
    "Response",
    "ResponseError",
    "cut_percent",
    "from_presented",
    "is_correct",
    "is_full_length",
    "key_response",
    "raw_score",
    "response_from_json",
    "response_to_json",
    "scaled_score",
    "to_presented",
    "validate_response",
]

Response: TypeAlias = int | frozenset[int] | tuple[int, ...] | Mapping[int, int]


class ResponseError(ValueError):
    """A response that does not fit its question (wrong shape, index out of range, repeats)."""


# --- shape and range --------------------------------------------------------------------------


def _index(value: object, what: str) -> int:
    # bool is an int in Python; True as "option 1" is a client bug, not an answer
    if isinstance(value, bool) or not isinstance(value, int):
        raise ResponseError(f"{what} must be a whole number, got {value!r}")
    return value


def _digit_key(value: object) -> int:
    if isinstance(value, str) and value.isdecimal() and len(value) <= 9:
        return int(value)
    return _index(value, "a prompt index")


def _shape(qtype: QuestionType, raw: object) -> Response:
    """Normalise ``raw`` (a Python value or its JSON form) to the canonical type; shape only."""
    if qtype is QuestionType.SINGLE:
        return _index(raw, "a single-answer response")
    if qtype is QuestionType.MULTIPLE:
        if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Sequence | frozenset | set):
            raise ResponseError(f"a multiple-response answer is a list of option indexes, got {raw!r}")
        chosen = [_index(v, "an option index") for v in raw]
        if len(set(chosen)) != len(chosen):
            raise ResponseError("a multiple-response answer lists an option twice")
        if not chosen:
            raise ResponseError("a multiple-response answer selects at least one option (clear the answer instead)")
        return frozenset(chosen)
    if qtype is QuestionType.ORDERING:
        if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Sequence):
            raise ResponseError(f"an ordering answer is a list of step keys, got {raw!r}")
        keys = tuple(_index(v, "a step key") for v in raw)
        if len(set(keys)) != len(keys):
            raise ResponseError("an ordering answer lists a step twice")
        if not keys:
            raise ResponseError("an ordering answer places at least one step (clear the answer instead)")
        return keys
    if not isinstance(raw, Mapping):
        raise ResponseError(f'a matching answer maps prompt indexes to response indexes, e.g. {{"0": 2}}, got {raw!r}')
    pairs = {_digit_key(k): _index(v, "a response index") for k, v in raw.items()}
    if len(pairs) != len(raw):
        raise ResponseError("a matching answer names a prompt twice")
    if not pairs:
        raise ResponseError("a matching answer matches at least one prompt (clear the answer instead)")
    return MappingProxyType(dict(sorted(pairs.items())))


def _choices(question: Question) -> int:
    """How many canonical choices the question has (options, step keys or responses)."""
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return len(question.options)
    if question.type is QuestionType.ORDERING:
        return len(question.steps) + len(question.distractor_steps)
    return len(question.responses)


def validate_response(question: Question, response: object) -> Response:
    """Check ``response`` (Python or JSON form) against ``question``; return it in canonical form.

    Raises ``ResponseError`` (a ``ValueError``) naming what is wrong, so a bad request is refused
    before anything is stored.
    """
    value = _shape(question.type, response)
    size = _choices(question)
    if isinstance(value, Mapping):
        for prompt, chosen in value.items():
            if not 0 <= prompt < len(question.pairs):
                raise ResponseError(f"prompt {prompt} does not exist (the question has {len(question.pairs)})")
            if not 0 <= chosen < size:
                raise ResponseError(f"response {chosen} does not exist (the question has {size})")
        return value
    indexes = (value,) if isinstance(value, int) else tuple(value)
    noun = "step key" if question.type is QuestionType.ORDERING else "option"
    for index in indexes:
        if not 0 <= index < size:
            raise ResponseError(f"{noun} {index} does not exist (the question has {size})")
    return value


def response_from_json(qtype: QuestionType | str, data: object) -> Response:
    """Decode a stored response (shape only; ``validate_response`` checks it against a question)."""
    return _shape(QuestionType(qtype), data)


def response_to_json(response: Response) -> Any:
    """The JSON form of a canonical response (see the module docstring)."""
    if isinstance(response, int):
        return response
    if isinstance(response, frozenset):
        return sorted(response)
    if isinstance(response, tuple):
        return list(response)
    return {str(k): v for k, v in sorted(response.items())}


# --- presentation -----------------------------------------------------------------------------


def _unpermute(presentation: Sequence[int], position: int) -> int:
    if not 0 <= position < len(presentation):
        raise ResponseError(f"position {position} is not on screen (there are {len(presentation)})")
    return presentation[position]


def from_presented(qtype: QuestionType | str, presentation: Sequence[int], presented: object) -> Response:
    """Turn a response given in screen positions into canonical indexes.

    ``presented`` has the shape of a response, but each option / step / matching response is its
    position on screen (``FormItem.presentation``). Matching prompts are not shuffled.
    """
    kind = QuestionType(qtype)
    value = _shape(kind, presented)
    if isinstance(value, int):
        return _unpermute(presentation, value)
    if isinstance(value, frozenset):
        return frozenset(_unpermute(presentation, p) for p in value)
    if isinstance(value, tuple):
        return tuple(_unpermute(presentation, p) for p in value)
    return MappingProxyType({k: _unpermute(presentation, p) for k, p in value.items()})


def to_presented(presentation: Sequence[int], response: Response) -> Response:
    """The inverse of ``from_presented``: canonical indexes to screen positions."""
    where = {canonical: position for position, canonical in enumerate(presentation)}

    def at(canonical: int) -> int:
        if canonical not in where:
            raise ResponseError(f"choice {canonical} is not on screen")
        return where[canonical]

    if isinstance(response, int):
        return at(response)
    if isinstance(response, frozenset):
        return frozenset(at(c) for c in response)
    if isinstance(response, tuple):
        return tuple(at(c) for c in response)
    return MappingProxyType({k: at(c) for k, c in response.items()})


# --- correctness ------------------------------------------------------------------------------


def key_response(question: Question) -> Response:
    """The correct response in canonical form."""
    if question.type is QuestionType.SINGLE:
        return question.correct_indexes[0]
    if question.type is QuestionType.MULTIPLE:
        return frozenset(question.correct_indexes)
    if question.type is QuestionType.ORDERING:
        return tuple(range(len(question.steps)))
    responses = question.responses
    return MappingProxyType({i: responses.index(pair.response) for i, pair in enumerate(question.pairs)})


def is_correct(question: Question, response: object | None) -> bool:
    """All-or-nothing credit, as the exam guides state (exams.md section 2).

    single: the one right option; multiple: exactly the right set; ordering: exactly the real steps
    in order, no distractor; matching: every prompt matched right. None (unanswered) is wrong.
    Raises ``ResponseError`` for a response that does not fit the question.
    """
    if response is None:
        return False
    value = validate_response(question, response)
    key = key_response(question)
    if isinstance(key, Mapping) and isinstance(value, Mapping):
        return dict(value) == dict(key)
    return value == key


# --- scores -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawScore:
    """Correct scored items out of all scored items on the form."""

    correct: int
    max_raw: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.max_raw if self.max_raw else 0.0


def raw_score(form: Form, questions_by_id: Mapping[str, Question], answers: Mapping[str, object]) -> RawScore:
    """Score the scored items of ``form`` (unscored items are left out); unanswered is wrong."""
    correct = 0
    scored = 0
    for item in form.items:
        if not item.scored:
            continue
        scored += 1
        if is_correct(questions_by_id[item.question_id], answers.get(item.question_id)):
            correct += 1
    return RawScore(correct=correct, max_raw=scored)


def cut_percent(blueprint: Blueprint) -> Fraction:
    """The raw percent we take as the pass mark: the passing score read as a share of the top of
    the scale (720 of 1000 -> 72%, 750 -> 75%). AWS publishes no such figure; it is our estimate."""
    return Fraction(blueprint.passing_score * 100, blueprint.score_max)


def is_full_length(mode: str, question_count: int, blueprint: Blueprint) -> bool:
    """Whether an attempt is a full mock: exam mode with the exam's full question count.

    Only these get a pass/fail and a scaled score (and make the score trend and the readiness
    checklist's mocks): a scaled score read off two or four questions means nothing. Shorter
    attempts and practice mode report "n of m right" and feed mastery (docs/scoring.md)."""
    return mode == "exam" and question_count >= blueprint.questions_total


def scaled_score(raw: int, max_raw: int, blueprint: Blueprint) -> int:
    """Estimate a scaled score from a raw score: two straight lines through three points.

    0% -> ``score_min``, the cut (``cut_percent``) -> ``passing_score``, 100% -> ``score_max``;
    exact arithmetic, rounded down, so a raw score below the cut never shows a passing score and
    one at or above it always does. An ESTIMATE: AWS sets the cut by modified Angoff, equates
    forms, and publishes no mapping.
    """
    if max_raw <= 0:
        raise ValueError("max_raw must be positive")
    if not 0 <= raw <= max_raw:
        raise ValueError(f"raw score {raw} is outside 0..{max_raw}")
    percent = Fraction(raw * 100, max_raw)
    cut = cut_percent(blueprint)
    low, passing, high = blueprint.score_min, blueprint.passing_score, blueprint.score_max
    if percent < cut:
        value = low + (passing - low) * percent / cut
    else:
        value = passing + (high - passing) * (percent - cut) / (100 - cut) if cut < 100 else Fraction(high)
    return int(value)  # floor: value is never negative
