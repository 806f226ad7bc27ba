"""Which task statements come first: domain weight x weakness, with thin evidence counting as weak.

weakness = 1 - mean + UNCERTAINTY x k / (n + k)

The second term is an uncertainty penalty that fades as answers accumulate (k = EVIDENCE_K). A
task never practised (the prior: mean 0.5, n 0) gets weakness 0.75, as if it stood at 25%: it
comes before a task at 50% over 10 answers (0.58) but after one at 30% over 10 answers (0.78).
Weakness rises strictly as the mean falls and strictly as the evidence thins, so "weaker" and
"less evidence" both move a task earlier. A task is *mastered* when its evidence-adjusted mastery
(1 - weakness) reaches MASTERED_AT: it then needs no lesson, only the occasional drill.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from certprep.content.schema import Blueprint, Lesson
from certprep.planner.model import TaskMastery, TaskPriority

__all__ = ["EVIDENCE_K", "MASTERED_AT", "UNCERTAINTY", "lessons_by_task", "prioritise", "weakness"]

EVIDENCE_K = 5.0
UNCERTAINTY = 0.25
MASTERED_AT = 0.8


def weakness(mastery: TaskMastery) -> float:
    """1 - mean, plus a penalty for thin evidence (UNCERTAINTY at n = 0, fading as n grows)."""
    return 1.0 - mastery.mean + UNCERTAINTY * EVIDENCE_K / (mastery.n + EVIDENCE_K)


def prioritise(blueprint: Blueprint, mastery: Mapping[str, TaskMastery]) -> tuple[TaskPriority, ...]:
    """Every task of the blueprint, highest priority first (ties: blueprint order)."""
    unknown = sorted(set(mastery) - set(blueprint.task_ids))
    if unknown:
        raise ValueError(f"mastery names task(s) {', '.join(unknown)} that {blueprint.code} does not have")
    rows: list[TaskPriority] = []
    for domain in blueprint.domains:
        for task in domain.tasks:
            m = mastery.get(task.id, TaskMastery())
            weak = weakness(m)
            rows.append(
                TaskPriority(
                    task=task.id,
                    title=task.title,
                    domain=domain.id,
                    weight=domain.weight,
                    mean=m.mean,
                    n=m.n,
                    weakness=weak,
                    priority=domain.weight / 100 * weak,
                    mastered=1.0 - weak >= MASTERED_AT,
                    answers=m.answers,
                )
            )
    order = {t: i for i, t in enumerate(blueprint.task_ids)}
    return tuple(sorted(rows, key=lambda r: (-r.priority, order[r.task])))


def lessons_by_task(lessons: Iterable[Lesson], exam: str) -> dict[str, tuple[str, ...]]:
    """Task id -> the ids of the lessons that teach it for ``exam`` (sorted, for determinism)."""
    out: dict[str, set[str]] = {}
    for lesson in lessons:
        for ref in lesson.exams:
            if ref.exam == exam:
                out.setdefault(ref.task, set()).add(lesson.id)
    return {task: tuple(sorted(ids)) for task, ids in sorted(out.items())}
