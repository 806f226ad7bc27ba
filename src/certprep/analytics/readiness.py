"""The readiness checklist: four plain rules, each met or not, with a sentence saying why, and the
hands-on labs passed per domain.

It complements P(pass) (certprep.analytics.prediction) with habits the probability cannot see:
recent full-length mocks under exam conditions, no weak domain hidden by strong ones (the exam
is compensatory, the learner's job may not be), every miss looked at again, enough evidence. The
lab lines ("labs passed: k of n" per domain) are practice the exam does not score: they are shown
with the rules but do not decide ``ready``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from certprep.analytics.figures import mastery_text
from certprep.analytics.trends import AttemptRecord, full_mocks
from certprep.content.schema import Blueprint

__all__ = [
    "DEFAULT_RULES",
    "ChecklistItem",
    "LabCount",
    "Readiness",
    "ReadinessRules",
    "lab_counts",
    "readiness_checklist",
]


@dataclass(frozen=True)
class ReadinessRules:
    mocks: int = 3  # the last N full-length exam-mode attempts...
    mock_percent: int = 80  # ...each at this raw percent or more
    domain_floor: float = 0.70  # every domain's mastery mean at least this
    min_answers: int = 150  # answers for this exam, all modes

    def __post_init__(self) -> None:
        if self.mocks < 1:
            raise ValueError("mocks must be at least 1")
        if not 0 <= self.mock_percent <= 100:
            raise ValueError("mock_percent must lie in 0..100")
        if not 0.0 <= self.domain_floor <= 1.0:
            raise ValueError("domain_floor must lie in 0..1")
        if self.min_answers < 0:
            raise ValueError("min_answers cannot be negative")


DEFAULT_RULES = ReadinessRules()


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # stable: "mocks", "domains", "missed", "evidence"
    label: str
    met: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "met": self.met, "detail": self.detail}


@dataclass(frozen=True)
class LabCount:
    """The labs of one domain of an exam (those serving one of its task statements) and how many of
    them the learner passed (their latest check run passed)."""

    domain: str
    title: str
    passed: tuple[str, ...]  # lab ids, in ``labs`` order
    labs: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"Domain {self.domain} ({self.title}) labs passed: {len(self.passed)} of {len(self.labs)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "title": self.title,
            "passed": len(self.passed),
            "total": len(self.labs),
            "label": self.label,
            "passed_labs": list(self.passed),
            "labs": list(self.labs),
        }


@dataclass(frozen=True)
class Readiness:
    exam: str
    items: tuple[ChecklistItem, ...]
    labs: tuple[LabCount, ...] = ()

    @property
    def ready(self) -> bool:
        return all(item.met for item in self.items)

    def item(self, key: str) -> ChecklistItem:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam": self.exam,
            "ready": self.ready,
            "items": [i.to_dict() for i in self.items],
            "labs": [count.to_dict() for count in self.labs],
        }


def _pct(share: float) -> str:
    """Rounded down, so a figure just under a threshold never reads as the threshold."""
    return f"{math.floor(100.0 * share + 1e-9)}%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _mocks(blueprint: Blueprint, attempts: Iterable[AttemptRecord], rules: ReadinessRules) -> ChecklistItem:
    full = full_mocks(attempts, blueprint)
    last = full[-rules.mocks :]
    label = f"The last {rules.mocks} full-length mocks in exam mode at {rules.mock_percent}% or more"
    scores = ", ".join(_pct(a.raw_score / a.raw_max) for a in reversed(last))
    high = [a for a in last if a.raw_score * 100 >= rules.mock_percent * a.raw_max]
    if len(last) < rules.mocks:
        taken = _plural(len(full), "full-length mock")
        detail = f"{taken} taken, {rules.mocks} needed" + (f" (latest first: {scores})" if last else "")
        return ChecklistItem("mocks", label, False, detail)
    met = len(high) == len(last)
    short = len(last) - len(high)
    verdict = f"all at {rules.mock_percent}% or more" if met else f"{short} under {rules.mock_percent}%"
    return ChecklistItem("mocks", label, met, f"latest first: {scores}; {verdict}")


def _domains(
    blueprint: Blueprint, domain_mastery: Mapping[str, float], answers: Mapping[str, int], rules: ReadinessRules
) -> ChecklistItem:
    label = f"No domain under {_pct(rules.domain_floor)} mastery"
    weak = []

    def figure(domain_id: str) -> str:
        return (
            mastery_text(domain_mastery[domain_id], answers[domain_id])
            if domain_id in answers
            else (f"mastery {_pct(domain_mastery[domain_id])}")
        )

    for domain in blueprint.domains:
        mean = domain_mastery.get(domain.id)
        if mean is None:
            weak.append(f"domain {domain.id} ({domain.title}): no estimate")
        elif mean < rules.domain_floor:
            weak.append(f"domain {domain.id} ({domain.title}): {figure(domain.id)}")
    if weak:
        return ChecklistItem("domains", label, False, "under the floor: " + "; ".join(weak))
    lowest = min(blueprint.domains, key=lambda d: (domain_mastery[d.id], d.id))
    detail = f"lowest: domain {lowest.id} ({lowest.title}): {figure(lowest.id)}"
    return ChecklistItem("domains", label, True, detail)


def _missed(missed_ids: Collection[str], reviewed_ids: Collection[str]) -> ChecklistItem:
    label = "Every missed question reviewed since"
    missed = set(missed_ids)
    waiting = missed - set(reviewed_ids)
    if not missed:
        return ChecklistItem("missed", label, True, "no missed questions")
    if not waiting:
        return ChecklistItem("missed", label, True, f"all {_plural(len(missed), 'missed question')} reviewed")
    return ChecklistItem(
        "missed", label, False, f"{len(waiting)} of {_plural(len(missed), 'missed question')} not reviewed yet"
    )


def _evidence(answers: int, rules: ReadinessRules) -> ChecklistItem:
    label = f"Enough evidence: at least {rules.min_answers} answers"
    met = answers >= rules.min_answers
    more = "" if met else f", {rules.min_answers - answers} to go"
    return ChecklistItem("evidence", label, met, f"{_plural(answers, 'answer')}{more}")


def lab_counts(
    blueprint: Blueprint, lab_tasks: Mapping[str, Collection[str]], passed: Collection[str]
) -> tuple[LabCount, ...]:
    """Per domain of ``blueprint``: the labs serving one of its task statements and those passed.

    ``lab_tasks``: lab id -> the task statement ids it serves in this exam (a lab serving tasks of
    two domains counts in both; task ids the blueprint does not know are ignored); ``passed``: the
    ids of the labs whose latest check run passed.
    """
    task_domain = {task.id: domain.id for domain in blueprint.domains for task in domain.tasks}
    done = set(passed)
    out = []
    for domain in blueprint.domains:
        labs = tuple(lab for lab, tasks in lab_tasks.items() if any(task_domain.get(t) == domain.id for t in tasks))
        out.append(LabCount(domain.id, domain.title, tuple(lab for lab in labs if lab in done), labs))
    return tuple(out)


def readiness_checklist(
    blueprint: Blueprint,
    *,
    attempts: Iterable[AttemptRecord],
    domain_mastery: Mapping[str, float],
    missed_ids: Collection[str],
    reviewed_ids: Collection[str],
    answers: int,
    domain_answers: Mapping[str, int] | None = None,
    rules: ReadinessRules = DEFAULT_RULES,
    lab_tasks: Mapping[str, Collection[str]] | None = None,
    passed_labs: Collection[str] = (),
) -> Readiness:
    """The checklist for ``blueprint``'s exam.

    - ``attempts``: finished attempts (any exam, any mode; the rule picks full-length exam-mode
      ones of this exam: ``question_count >= questions_total``);
    - ``domain_mastery``: domain id -> mastery mean in 0..1 (``Mastery.domains[d].mean``);
    - ``domain_answers``: domain id -> answers behind it, to word a domain as every page does
      (``analytics.figures.mastery_text``);
    - ``missed_ids`` / ``reviewed_ids``: questions missed, and those reviewed since their last miss;
    - ``answers``: answers given for this exam;
    - ``lab_tasks`` / ``passed_labs``: the labs and the task statements they serve in this exam,
      and the labs passed (``lab_counts``); no lab lines without ``lab_tasks``.
    """
    if answers < 0:
        raise ValueError("answers cannot be negative")
    return Readiness(
        exam=blueprint.code,
        items=(
            _mocks(blueprint, attempts, rules),
            _domains(blueprint, domain_mastery, domain_answers or {}, rules),
            _missed(missed_ids, reviewed_ids),
            _evidence(answers, rules),
        ),
        labs=lab_counts(blueprint, lab_tasks, passed_labs) if lab_tasks else (),
    )
