"""Validated, frozen content objects: blueprints, questions, case studies, flashcards, lessons,
cheat sheets.

The files are YAML (Markdown with YAML front matter for lessons and cheat sheets); this module
only knows the shapes. docs/content-format.md documents every field.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

__all__ = [
    "LESSON_SECTIONS",
    "TRUE_FALSE",
    "Blueprint",
    "CaseStudy",
    "CheatSheet",
    "Domain",
    "ExamRef",
    "ExtraResponse",
    "Flashcard",
    "Lesson",
    "MatchPair",
    "Option",
    "OrderStep",
    "Question",
    "QuestionType",
    "Reference",
    "Skill",
    "Task",
]

# The options of a true/false question imported as a single-answer one, in this order.
TRUE_FALSE = ("True", "False")

ItemId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]{2,79}$"),
]
ExamCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}-[A-Z]\d{2}$")]
TaskId = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+$")]
SkillId = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9 ./+&()-]*$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    ORDERING = "ordering"
    MATCHING = "matching"


# --- blueprints -------------------------------------------------------------------------------


class Skill(_Frozen):
    """One skill of a task statement, as the exam guide lists it; ``new`` marks a skill this
    version of the exam added."""

    id: SkillId
    text: Text
    new: bool = False


class Task(_Frozen):
    id: TaskId
    title: Text
    skills: tuple[Skill, ...] = ()

    @model_validator(mode="after")
    def _skills_in_task(self) -> Task:
        ids = [s.id for s in self.skills]
        if len(set(ids)) != len(ids):
            raise ValueError(f"task {self.id} lists a skill twice")
        for skill_id in ids:
            if skill_id.rsplit(".", 1)[0] != self.id:
                raise ValueError(f"skill {skill_id} does not belong to task {self.id}")
        return self


class Domain(_Frozen):
    id: Annotated[str, StringConstraints(pattern=r"^\d+$")]
    title: Text
    weight: Annotated[int, Field(gt=0, le=100)]
    tasks: Annotated[tuple[Task, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _tasks_in_domain(self) -> Domain:
        for task in self.tasks:
            if task.id.split(".")[0] != self.id:
                raise ValueError(f"task {task.id} does not belong to domain {self.id}")
        return self


class ClosedServices(_Frozen):
    never: tuple[Text, ...] = ()
    with_notice: tuple[Text, ...] = ()
    # What replaces them, named in rationales and lessons.
    replacements: tuple[Text, ...] = ()


class Blueprint(_Frozen):
    """One exam's published rules: counts, timing, scoring, domains and task statements."""

    kind: Literal["blueprint"] = "blueprint"
    code: ExamCode
    revision: Annotated[int, Field(ge=1)]
    title: Text
    status: Literal["current", "retired", "beta"]
    retired_on: date | None = None
    # What a candidate must know about the exam's availability, shown wherever the exam is named.
    availability: Text | None = None
    # Fields whose published value is not confirmed yet (e.g. duration_minutes); shown as such.
    unconfirmed: tuple[str, ...] = ()
    # Services this exam's own guide does not let be the key ("never"), and closed services its
    # guide still names, which may be the key when a rationale says they are closed ("with_notice").
    closed_services: ClosedServices = Field(default_factory=lambda: ClosedServices())
    questions_total: Annotated[int, Field(gt=0)]
    questions_scored: Annotated[int, Field(gt=0)]
    duration_minutes: Annotated[int, Field(gt=0)]
    passing_score: int
    score_min: int = 100
    score_max: int = 1000
    question_types: tuple[Literal["single", "multiple", "ordering", "matching", "case_study"], ...]
    domains: Annotated[tuple[Domain, ...], Field(min_length=1)]

    @property
    def questions_unscored(self) -> int:
        return self.questions_total - self.questions_scored

    @property
    def task_ids(self) -> tuple[str, ...]:
        return tuple(t.id for d in self.domains for t in d.tasks)

    @property
    def skills(self) -> dict[str, Skill]:
        """Every skill of the exam by id (empty when the blueprint lists none)."""
        return {s.id: s for d in self.domains for t in d.tasks for s in t.skills}

    def domain_of(self, task_id: str) -> Domain:
        for domain in self.domains:
            if any(t.id == task_id for t in domain.tasks):
                return domain
        raise KeyError(task_id)

    @model_validator(mode="after")
    def _consistent(self) -> Blueprint:
        if sum(d.weight for d in self.domains) != 100:
            raise ValueError("domain weights must add up to 100")
        if self.questions_scored > self.questions_total:
            raise ValueError("questions_scored exceeds questions_total")
        if not self.score_min < self.passing_score <= self.score_max:
            raise ValueError("passing_score must lie inside the score scale")
        if self.status == "retired" and self.retired_on is None:
            raise ValueError("a retired exam needs retired_on")
        ids = [d.id for d in self.domains]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate domain id")
        tasks = self.task_ids
        if len(set(tasks)) != len(tasks):
            raise ValueError("duplicate task id")
        known = set(type(self).model_fields)
        for name in self.unconfirmed:
            if name not in known:
                raise ValueError(f"unconfirmed names an unknown field: {name}")
        return self


# --- questions --------------------------------------------------------------------------------


class ExamRef(_Frozen):
    """An exam a question or card serves, and the task statement it tests there."""

    exam: ExamCode
    task: TaskId
    # The skills of the task statement that the item serves (ids from the blueprint), if it lists them.
    skills: tuple[SkillId, ...] = ()

    @model_validator(mode="after")
    def _skills_in_task(self) -> ExamRef:
        for skill_id in self.skills:
            if skill_id.rsplit(".", 1)[0] != self.task:
                raise ValueError(f"skill {skill_id} does not belong to task {self.task}")
        return self


class Reference(_Frozen):
    title: Text
    url: AnyHttpUrl


# A rationale is optional in the schema so that imported questions (GIFT, Aiken...) load; the
# linter counts every missing one and the bundled pack is held to zero.


class Option(_Frozen):
    text: Text
    correct: bool = False
    rationale: Text | None = None


class OrderStep(_Frozen):
    text: Text
    rationale: Text | None = None


class MatchPair(_Frozen):
    prompt: Text
    response: Text
    rationale: Text | None = None


class ExtraResponse(_Frozen):
    text: Text
    rationale: Text | None = None


_COUNT_WORDS = {2: "TWO", 3: "THREE", 4: "FOUR"}


class Question(_Frozen):
    """One question. Which answer fields are set depends on ``type``:

    - single / multiple: ``options`` (each with ``correct`` and ``rationale``)
    - ordering: ``steps`` in the correct order, optional ``distractor_steps``
    - matching: ``pairs`` (prompt -> response), optional ``extra_responses``
    """

    kind: Literal["question"] = "question"
    id: ItemId
    revision: Annotated[int, Field(ge=1)]
    type: QuestionType
    exams: Annotated[tuple[ExamRef, ...], Field(min_length=1)]
    difficulty: Literal[1, 2, 3]
    services: tuple[Tag, ...] = ()
    concepts: tuple[Tag, ...] = ()
    stem: Text
    options: tuple[Option, ...] = ()
    steps: tuple[OrderStep, ...] = ()
    distractor_steps: tuple[OrderStep, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    extra_responses: tuple[ExtraResponse, ...] = ()
    references: tuple[Reference, ...] = ()
    case_id: ItemId | None = None  # set by the loader for questions inside a case study

    @property
    def is_true_false(self) -> bool:
        """A true/false question of another tool, imported as a single-answer question whose
        options are "True" and "False" (``--true-false as-single``, docs/interop.md)."""
        return self.type is QuestionType.SINGLE and tuple(o.text for o in self.options) == TRUE_FALSE

    @property
    def correct_indexes(self) -> tuple[int, ...]:
        return tuple(i for i, o in enumerate(self.options) if o.correct)

    @property
    def responses(self) -> tuple[str, ...]:
        """Matching: every distinct response, in file order, extra responses last."""
        seen: dict[str, None] = {}
        for pair in self.pairs:
            seen.setdefault(pair.response, None)
        for extra in self.extra_responses:
            seen.setdefault(extra.text, None)
        return tuple(seen)

    @model_validator(mode="after")
    def _shape(self) -> Question:
        kind = self.type
        has = {
            "options": bool(self.options),
            "steps": bool(self.steps or self.distractor_steps),
            "pairs": bool(self.pairs or self.extra_responses),
        }
        wanted = {
            QuestionType.SINGLE: "options",
            QuestionType.MULTIPLE: "options",
            QuestionType.ORDERING: "steps",
            QuestionType.MATCHING: "pairs",
        }[kind]
        stray = [name for name, present in has.items() if present and name != wanted]
        if stray:
            raise ValueError(f"a {kind.value} question takes no {', '.join(stray)}")
        if kind is QuestionType.SINGLE:
            if len(self.options) != 4 and tuple(o.text for o in self.options) != TRUE_FALSE:
                raise ValueError("a single-answer question has exactly 4 options (or the 2 options True and False)")
            if len(self.correct_indexes) != 1:
                raise ValueError("a single-answer question has exactly 1 correct option")
        elif kind is QuestionType.MULTIPLE:
            if len(self.options) < 5:
                raise ValueError("a multiple-response question has at least 5 options")
            n = len(self.correct_indexes)
            if n not in (2, 3):
                raise ValueError("a multiple-response question has 2 or 3 correct options")
            if f"select {_COUNT_WORDS[n].lower()}" not in self.stem.lower():
                raise ValueError(f'the stem of a multiple-response question must say "Select {_COUNT_WORDS[n]}."')
        elif kind is QuestionType.ORDERING:
            if not 3 <= len(self.steps) <= 5:
                raise ValueError("an ordering question has 3 to 5 steps")
            if len(self.distractor_steps) > 2:
                raise ValueError("an ordering question has at most 2 distractor steps")
        else:
            if not 3 <= len(self.pairs) <= 7:
                raise ValueError("a matching question has 3 to 7 pairs")
            prompts = [p.prompt for p in self.pairs]
            if len(set(prompts)) != len(prompts):
                raise ValueError("matching prompts must be distinct")
            if {e.text for e in self.extra_responses} & {p.response for p in self.pairs}:
                raise ValueError("an extra response repeats a response used by a pair")
        texts = [o.text for o in self.options] + [s.text for s in self.steps + self.distractor_steps]
        if len(set(texts)) != len(texts):
            raise ValueError("options must be distinct")
        exams = [e.exam for e in self.exams]
        if len(set(exams)) != len(exams):
            raise ValueError("an exam is listed twice in exams")
        return self

    @field_validator("services", "concepts", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return tuple(v.lower() if isinstance(v, str) else v for v in value)
        return value


class CaseStudy(_Frozen):
    """A shared scenario with 2-4 questions, each scored on its own."""

    kind: Literal["case_study"] = "case_study"
    id: ItemId
    revision: Annotated[int, Field(ge=1)]
    title: Text
    scenario: Text
    questions: Annotated[tuple[Question, ...], Field(min_length=2, max_length=4)]


# --- study material ---------------------------------------------------------------------------


class Flashcard(_Frozen):
    kind: Literal["flashcard"] = "flashcard"
    id: ItemId
    revision: Annotated[int, Field(ge=1)]
    exams: Annotated[tuple[ExamRef, ...], Field(min_length=1)]
    front: Text
    back: Text
    tags: tuple[Tag, ...] = ()
    references: tuple[Reference, ...] = ()

    @field_validator("back")
    @classmethod
    def _short_back(cls, value: str) -> str:
        if len(re.findall(r"\S+", value)) > 90:
            raise ValueError("the back of a card is a short answer (at most 90 words)")
        return value


LESSON_SECTIONS = ("You will learn", "Main content", "Examples", "Common mistakes", "Mini exercises")


class Lesson(_Frozen):
    """Markdown body with YAML front matter; the body must hold the five sections, in order."""

    kind: Literal["lesson"] = "lesson"
    id: ItemId
    revision: Annotated[int, Field(ge=1)]
    title: Text
    exams: Annotated[tuple[ExamRef, ...], Field(min_length=1)]
    body: Text

    @field_validator("body")
    @classmethod
    def _sections(cls, body: str) -> str:
        headings = re.findall(r"^##\s+(.+?)\s*$", body, flags=re.MULTILINE)
        positions = []
        for section in LESSON_SECTIONS:
            if section not in headings:
                raise ValueError(f'a lesson needs a "## {section}" section')
            positions.append(headings.index(section))
        if positions != sorted(positions):
            raise ValueError("lesson sections must come in the order: " + ", ".join(LESSON_SECTIONS))
        return body


class CheatSheet(_Frozen):
    kind: Literal["cheatsheet"] = "cheatsheet"
    id: ItemId
    revision: Annotated[int, Field(ge=1)]
    title: Text
    exam: ExamCode
    domain: Annotated[str, StringConstraints(pattern=r"^\d+$")]
    body: Text
