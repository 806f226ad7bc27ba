"""Analytics, pure: mastery, predicted score and P(pass), readiness checklist, trends, mistake log.

Nothing here reads the clock, a database or the global random generator: callers pass plain
data (``Observation``, ``AttemptRecord``, a ``Blueprint``) and an explicit ``now`` and get frozen
values back (docs/architecture.md, "Layers"). docs/readiness.md explains the model; its
calibration study and the learner simulation live in research/, outside the wheel.
"""

from certprep.analytics.mastery import DEFAULT_CONFIG, Estimate, Mastery, MasteryConfig, TaskEvidence, estimate_mastery
from certprep.analytics.mistakes import MistakeGroup, MistakeLog, QuestionTags, mistake_log
from certprep.analytics.observations import SOURCES, Observation, Source
from certprep.analytics.prediction import Prediction, predict_exam
from certprep.analytics.progress import ProgressFigures, progress_figures
from certprep.analytics.readiness import (
    DEFAULT_RULES,
    ChecklistItem,
    LabCount,
    Readiness,
    ReadinessRules,
    lab_counts,
    readiness_checklist,
)
from certprep.analytics.trends import (
    AttemptRecord,
    AttemptTime,
    DomainPoint,
    DomainSeries,
    ScorePoint,
    ScoreTrend,
    TimeStats,
    domain_trends,
    score_trend,
    time_per_question,
)

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_RULES",
    "SOURCES",
    "AttemptRecord",
    "AttemptTime",
    "ChecklistItem",
    "DomainPoint",
    "DomainSeries",
    "Estimate",
    "LabCount",
    "Mastery",
    "MasteryConfig",
    "MistakeGroup",
    "MistakeLog",
    "Observation",
    "Prediction",
    "ProgressFigures",
    "QuestionTags",
    "Readiness",
    "ReadinessRules",
    "ScorePoint",
    "ScoreTrend",
    "Source",
    "TaskEvidence",
    "TimeStats",
    "domain_trends",
    "estimate_mastery",
    "lab_counts",
    "mistake_log",
    "predict_exam",
    "progress_figures",
    "readiness_checklist",
    "score_trend",
    "time_per_question",
]
