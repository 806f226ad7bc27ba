"""Item-writing gauges over a set of questions: can the options alone give the key away?

Pure functions over loaded questions; ``certprep content lint`` reports them for the whole bank and
for each fixed practice exam (docs/content-lint.md explains each figure and its limits).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from certprep.content.schema import Question, QuestionType

__all__ = [
    "ABSOLUTE_TERMS",
    "LIMITS",
    "RANK_NAMES",
    "absolute_terms",
    "content_words",
    "gauge_problems",
    "gauges",
    "key_length_rank",
    "key_shares_most_with_stem",
]

RANK_NAMES = ("longest", "second", "third", "shortest")

# Words that make an option sound over-sure; writers tend to put them only in wrong options.
ABSOLUTE_TERMS = (
    "always",
    "never",
    "exactly",
    "guarantee",
    "guaranteed",
    "guarantees",
    "only",
    "proven",
    "completely",
    "entirely",
    "impossible",
    "perfectly",
    "absolutely",
    "certainly",
    "none",
)
_ABSOLUTE = re.compile(r"\b(" + "|".join(ABSOLUTE_TERMS) + r")\b", re.IGNORECASE)

_STOP_WORDS = """a an and are as at be been by can for from has have in into is it its of on or that the their
them then there these this those to was were which while will with without each per use used using when what
who how than so not no do does more most less least also any all our your they you we one two three select"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Limits:
    rank_share_min: float = 0.15
    rank_share_max: float = 0.35
    absolute_ratio_min: float = 0.5
    absolute_ratio_max: float = 2.0
    stem_key_overlap_max: float = 0.35
    select_three_min: float = 0.25
    longest_correct_max: float = 0.35
    # A ratio of a handful of occurrences says nothing: judge it from this many words on.
    absolute_min_occurrences: int = 8


LIMITS = Limits()


def content_words(text: str) -> frozenset[str]:
    """Lower-case words of three or more letters that carry meaning (stop words left out)."""
    return frozenset(w for w in re.findall(r"[a-z0-9][a-z0-9-]+", text.lower()) if len(w) > 2 and w not in _STOP)


def key_length_rank(q: Question) -> int:
    """0 when the key of a single-answer question is the longest option, 3 when it is the shortest.

    The rank counts the options strictly longer than the key, so ties favour the longer rank."""
    key = q.correct_indexes[0]
    length = len(q.options[key].text)
    return sum(1 for i, o in enumerate(q.options) if i != key and len(o.text) > length)


def key_shares_most_with_stem(q: Question) -> bool:
    """True when a key shares strictly more content words with the stem than every distractor."""
    stem = content_words(q.stem)
    overlap = [len(content_words(o.text) & stem) for o in q.options]
    keys = [overlap[i] for i in q.correct_indexes]
    others = [n for i, n in enumerate(overlap) if i not in q.correct_indexes]
    return bool(others) and max(keys) > max(others)


def absolute_terms(questions: Iterable[Question]) -> dict[str, Any]:
    """Occurrences of absolute words in keyed options and in distractors, per option, and their ratio."""
    in_keys = in_distractors = keys = distractors = 0
    for q in questions:
        for option in q.options:
            n = len(_ABSOLUTE.findall(option.text))
            if option.correct:
                in_keys += n
                keys += 1
            else:
                in_distractors += n
                distractors += 1
    key_rate = in_keys / keys if keys else 0.0
    distractor_rate = in_distractors / distractors if distractors else 0.0
    ratio = round(key_rate / distractor_rate, 2) if distractor_rate else None
    return {
        "keys": in_keys,
        "distractors": in_distractors,
        "key_options": keys,
        "distractor_options": distractors,
        "ratio": ratio,
    }


def gauges(questions: Sequence[Question]) -> dict[str, Any]:
    """Every gauge over ``questions`` (the whole bank, or one form)."""
    singles = [q for q in questions if q.type is QuestionType.SINGLE]
    multiples = [q for q in questions if q.type is QuestionType.MULTIPLE]
    ranks = Counter(key_length_rank(q) for q in singles)
    positions: dict[str, dict[str, int]] = {}
    for kind, items in (("single", singles), ("multiple", multiples)):
        counts: Counter[str] = Counter("ABCDEFGH"[i] for q in items for i in q.correct_indexes)
        positions[kind] = dict(sorted(counts.items()))
    overlapping = sum(1 for q in singles if key_shares_most_with_stem(q))
    three = sum(1 for q in multiples if len(q.correct_indexes) == 3)
    return {
        "single_answer_questions": len(singles),
        "multiple_response_questions": len(multiples),
        "key_length_rank_counts": {name: ranks[i] for i, name in enumerate(RANK_NAMES)},
        "longest_option_correct_share": round(ranks[0] / len(singles), 3) if singles else 0.0,
        "key_position_counts": positions,
        "absolute_terms": absolute_terms(q for q in questions if q.options),
        "stem_key_overlap": round(overlapping / len(singles), 3) if singles else 0.0,
        "select_three_share": round(three / len(multiples), 3) if multiples else 0.0,
    }


def gauge_problems(figures: dict[str, Any], limits: Limits = LIMITS) -> list[str]:
    """What is past a limit in ``figures`` (the output of ``gauges``), in plain words."""
    problems: list[str] = []
    singles = figures["single_answer_questions"]
    if singles:
        for name, count in figures["key_length_rank_counts"].items():
            share = count / singles
            if not limits.rank_share_min <= share <= limits.rank_share_max:
                problems.append(
                    f"the key is the {name} option in {share:.0%} of single-answer questions"
                    f" (keep each rank between {limits.rank_share_min:.0%} and {limits.rank_share_max:.0%})"
                )
        if figures["stem_key_overlap"] > limits.stem_key_overlap_max:
            problems.append(
                f"the key shares the most words with the stem in {figures['stem_key_overlap']:.0%} of"
                f" single-answer questions (at most {limits.stem_key_overlap_max:.0%})"
            )
    absolute = figures["absolute_terms"]
    ratio = absolute["ratio"]
    enough = absolute["keys"] + absolute["distractors"] >= limits.absolute_min_occurrences
    if enough and ratio is not None and not limits.absolute_ratio_min <= ratio <= limits.absolute_ratio_max:
        problems.append(
            f"absolute words are {ratio}x as frequent in keys as in distractors"
            f" (keep between {limits.absolute_ratio_min} and {limits.absolute_ratio_max})"
        )
    if enough and ratio is None:
        problems.append("absolute words appear in keys but never in distractors")
    if figures["multiple_response_questions"] and figures["select_three_share"] < limits.select_three_min:
        problems.append(
            f'"Select THREE" is {figures["select_three_share"]:.0%} of multiple-response questions'
            f" (at least {limits.select_three_min:.0%})"
        )
    return problems
