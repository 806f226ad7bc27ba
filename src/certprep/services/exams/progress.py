"""The home page's progress per domain, pooled from the learner's latest finished attempts.

Each finished attempt keeps a summary written when it ended (``state.store``): per domain, the
scored questions right, the scored questions, and the scored questions answered. The progress is
summed from those summaries; an attempt finished before the summaries carried the answered count
(or before summaries existed) has its report built once instead, kept in ``Certprep.cache`` since a
finished attempt never changes. Unanswered questions count as wrong, like the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from certprep.exam.attempt import Status
from certprep.exam.scoring import cut_percent
from certprep.services.exams.reports import attempt_report
from certprep.services.exams.state import summary_domains
from certprep.store import exams as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["PROGRESS_ATTEMPTS", "DomainProgress", "domain_progress"]

PROGRESS_ATTEMPTS = 20  # the latest finished attempts pooled into progress per domain
_CACHE_KEY = "home-domain-results"
_CACHE_LIMIT = 4096

DomainFigures = tuple[str, str, int, int, int]  # exam, domain, scored questions, answered, right


class DomainProgress(BaseModel):
    """A domain's results over the user's latest finished attempts (scored questions only)."""

    model_config = ConfigDict(frozen=True)

    exam_code: str
    domain_id: str
    title: str
    weight: int
    attempts: int = Field(default=0, description="Finished attempts with scored questions of this domain.")
    questions: int = Field(default=0, description="Scored questions of this domain in those attempts.")
    answered: int = Field(default=0, description="Of those, how many were answered.")
    correct: int = Field(default=0, description="Of those, how many were right.")
    mastery: float | None = Field(default=None, description="correct / questions (0..1); None before any.")
    meets: bool | None = Field(default=None, description="Whether mastery reaches the exam's cut (docs/scoring.md).")
    cut_percent: float = Field(default=0.0, description="The exam's cut, the raw percent taken as the pass mark.")


def _from_summary(exam: str, summary: Mapping[str, Any] | None) -> list[DomainFigures] | None:
    domains = (summary or {}).get("domains")
    if not isinstance(domains, Mapping) or any(len(v) < 3 for v in domains.values()):
        return None
    return [(exam, d, int(v[1]), int(v[2]), int(v[0])) for d, v in domains.items()]


def _from_report(app: Certprep, user_id: int, attempt_id: str, now: datetime) -> list[DomainFigures]:
    cache: dict[str, list[DomainFigures]] = app.cache.setdefault(_CACHE_KEY, {})
    key = f"{user_id}:{attempt_id}"
    if key not in cache:
        try:
            report = attempt_report(app, user_id, attempt_id, now=now)
        except (ValueError, LookupError):  # a report that cannot be built is left out
            return []
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = [(report.exam, d, v[1], v[2], v[0]) for d, v in summary_domains(report.items).items()]
    return cache[key]


def domain_progress(app: Certprep, user_id: int, *, now: datetime) -> list[DomainProgress]:
    """Every domain of every exam of the pack with the user's pooled results (a plain read: call
    it after ``list_attempts``, which settles attempts past their deadline)."""
    with app.engine.connect() as conn:
        rows = repo.list_attempts(conn, user_id, limit=200)
    finished = [r for r in rows if r["status"] != Status.IN_PROGRESS][:PROGRESS_ATTEMPTS]
    totals: dict[tuple[str, str], list[int]] = {}
    for r in finished:
        figures = _from_summary(r["exam_code"], r["summary"])
        if figures is None:
            figures = _from_report(app, user_id, r["id"], now)
        for exam, domain, questions, answered, right in figures:
            row = totals.setdefault((exam, domain), [0, 0, 0, 0])
            row[0] += 1
            row[1] += questions
            row[2] += answered
            row[3] += right
    out = []
    for code, bp in ((c, app.pack.blueprints[c]) for c in app.pack.exam_codes):
        cut = float(cut_percent(bp)) / 100
        for d in bp.domains:
            attempts, questions, answered, right = totals.get((code, d.id), [0, 0, 0, 0])
            mastery = right / questions if questions else None
            out.append(
                DomainProgress(
                    exam_code=code,
                    domain_id=d.id,
                    title=d.title,
                    weight=d.weight,
                    attempts=attempts,
                    questions=questions,
                    answered=answered,
                    correct=right,
                    mastery=mastery,
                    meets=None if mastery is None else mastery >= cut,
                    cut_percent=cut * 100,
                )
            )
    return out
