"""The input of the analytics: one graded answer to one question, for one exam.

The service layer builds ``Observation`` values from the ``responses`` rows with event "graded"
(exam and practice attempts) and from question reviews; nothing here reads a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeAlias

__all__ = ["SOURCES", "Observation", "Source"]

Source: TypeAlias = Literal["exam", "practice", "review"]
SOURCES: tuple[Source, ...] = ("exam", "practice", "review")


@dataclass(frozen=True, slots=True)
class Observation:
    """One answer: right or wrong, when, on which question, task statement, domain and exam.

    ``difficulty`` is the question's author-assigned level (1 easy, 2 medium, 3 hard);
    ``source`` says where the answer was given: an exam-mode attempt, a practice attempt, or a
    review of a question already missed. ``at`` is a timezone-aware datetime.
    """

    question_id: str
    task: str
    domain: str
    exam: str
    correct: bool
    at: datetime
    difficulty: Literal[1, 2, 3] = 2
    source: Source = "practice"

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError(f"observation of {self.question_id}: `at` must be timezone-aware")
        if self.difficulty not in (1, 2, 3):
            raise ValueError(
                f"observation of {self.question_id}: difficulty must be 1, 2 or 3, got {self.difficulty!r}"
            )
        if self.source not in SOURCES:
            raise ValueError(f"observation of {self.question_id}: unknown source {self.source!r}")
