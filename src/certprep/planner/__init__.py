"""The study planner, pure: exam date, hours per week and what the learner knows -> a daily plan.

Nothing here reads the clock or a database: ``PlanRequest.today`` is the only "now", and equal
inputs give an equal plan, so re-planning is calling ``build_plan`` again (docs/planner.md).
"""

from certprep.planner.build import build_plan
from certprep.planner.model import (
    MockResult,
    Plan,
    PlanRequest,
    Session,
    SessionKind,
    TaskMastery,
    TaskPriority,
)
from certprep.planner.priority import lessons_by_task, prioritise, weakness

__all__ = [
    "MockResult",
    "Plan",
    "PlanRequest",
    "Session",
    "SessionKind",
    "TaskMastery",
    "TaskPriority",
    "build_plan",
    "lessons_by_task",
    "prioritise",
    "weakness",
]
