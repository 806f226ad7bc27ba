"""The mistake log: wrong answers grouped by concept and by AWS service.

Each group carries the questions and task statements involved, so the web app can link to the
lesson of the task statement and the flashcards with the same tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from certprep.analytics.observations import Observation

__all__ = ["MistakeGroup", "MistakeLog", "QuestionTags", "mistake_log"]


@dataclass(frozen=True)
class QuestionTags:
    """A question's tags (``Question.concepts`` and ``Question.services``)."""

    concepts: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class MistakeGroup:
    """Wrong answers carrying one tag: how many, on which questions and tasks, the latest when."""

    tag: str
    count: int
    questions: tuple[str, ...]  # distinct question ids, sorted
    tasks: tuple[str, ...]  # distinct task statements, sorted
    latest: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "count": self.count,
            "questions": list(self.questions),
            "tasks": list(self.tasks),
            "latest": self.latest.isoformat(),
        }


@dataclass(frozen=True)
class MistakeLog:
    """Groups sorted by count (most first), then latest (most recent first), then tag.

    A wrong answer counts once in every group of its question's tags; ``untagged`` counts wrong
    answers whose question has no tag of that kind (or is unknown to ``tags``).
    """

    total: int  # wrong answers considered
    concepts: tuple[MistakeGroup, ...]
    services: tuple[MistakeGroup, ...]
    untagged_concepts: int
    untagged_services: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "concepts": [g.to_dict() for g in self.concepts],
            "services": [g.to_dict() for g in self.services],
            "untagged_concepts": self.untagged_concepts,
            "untagged_services": self.untagged_services,
        }


class _Group:
    __slots__ = ("count", "latest", "questions", "tasks")

    def __init__(self, at: datetime) -> None:
        self.count = 0
        self.latest = at
        self.questions: set[str] = set()
        self.tasks: set[str] = set()

    def add(self, o: Observation) -> None:
        self.count += 1
        if o.at > self.latest:
            self.latest = o.at
        self.questions.add(o.question_id)
        self.tasks.add(o.task)


def _freeze(groups: Mapping[str, _Group]) -> tuple[MistakeGroup, ...]:
    frozen = [
        MistakeGroup(tag, g.count, tuple(sorted(g.questions)), tuple(sorted(g.tasks)), g.latest)
        for tag, g in groups.items()
    ]
    frozen.sort(key=lambda g: (-g.count, -g.latest.timestamp(), g.tag))
    return tuple(frozen)


def mistake_log(
    observations: Iterable[Observation], tags: Mapping[str, QuestionTags], *, exam: str | None = None
) -> MistakeLog:
    """Group the wrong answers among ``observations`` (right ones are skipped) by tag.

    ``tags`` maps a question id to its tags; ``exam`` keeps one exam's answers only.
    """
    concepts: dict[str, _Group] = {}
    services: dict[str, _Group] = {}
    total = untagged_concepts = untagged_services = 0
    none = QuestionTags()
    for o in observations:
        if o.correct or (exam is not None and o.exam != exam):
            continue
        total += 1
        tagged = tags.get(o.question_id, none)
        for tag in dict.fromkeys(tagged.concepts):
            group = concepts.get(tag)
            if group is None:
                group = concepts[tag] = _Group(o.at)
            group.add(o)
        for tag in dict.fromkeys(tagged.services):
            group = services.get(tag)
            if group is None:
                group = services[tag] = _Group(o.at)
            group.add(o)
        untagged_concepts += not tagged.concepts
        untagged_services += not tagged.services
    return MistakeLog(total, _freeze(concepts), _freeze(services), untagged_concepts, untagged_services)
