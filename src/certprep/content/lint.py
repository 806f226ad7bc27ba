"""Quality figures for a content pack: coverage, key balance, item-writing flaws.

Errors come from the loader (a pack with errors loads nothing); this module adds warnings and
figures over a loaded pack. docs/content-lint.md explains each figure.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

from certprep.content.gauges import gauge_problems, gauges
from certprep.content.loader import Issue, Pack, check_pack
from certprep.content.schema import Question
from certprep.exam.forms import practice_exams

__all__ = ["LintReport", "lint_pack", "near_duplicates"]

NEAR_DUPLICATE_THRESHOLD = 0.6
# How a key's rationale says its service is closed (AWS documentation uses the second wording).
CLOSURE_NOTICES = ("closed to new customers", "no longer open to new customers")


@dataclass
class LintReport:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        def issues(items: list[Issue]) -> list[dict[str, Any]]:
            return [{"file": i.file, "line": i.line, "message": i.message} for i in items]

        return {"errors": issues(self.errors), "warnings": issues(self.warnings), **self.figures}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = _words(text)
    return frozenset(pairwise(words)) if len(words) > 1 else frozenset((w,) for w in words)


def near_duplicates(
    questions: tuple[Question, ...], threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> list[dict[str, Any]]:
    """Pairs of questions whose stems share most word pairs (Jaccard of word bigrams)."""
    shingles = [(q.id, _shingles(q.stem)) for q in questions]
    pairs = []
    for (id_a, a), (id_b, b) in combinations(shingles, 2):
        if not a or not b:
            continue
        # Cheap bound first: Jaccard <= min/max of the set sizes.
        if min(len(a), len(b)) / max(len(a), len(b)) < threshold:
            continue
        similarity = len(a & b) / len(a | b)
        if similarity >= threshold:
            pairs.append({"a": id_a, "b": id_b, "similarity": round(similarity, 3)})
    return pairs


def _rationale_gaps(q: Question) -> int:
    parts: list[Any] = [*q.options, *q.steps, *q.distractor_steps, *q.pairs, *q.extra_responses]
    return sum(1 for part in parts if not part.rationale)


def lint_pack(root: Path) -> LintReport:
    """Validate the pack at ``root`` and compute its quality figures."""
    pack, errors = check_pack(root)
    report = LintReport(errors=list(errors))
    if pack is None:
        report.figures = {"questions": {"total": 0, "by_type": {}}, "flashcards": 0, "exams": {}, "quality": {}}
        return report
    _figures(pack, report)
    return report


def _currency_warnings(pack: Pack, q: Question) -> list[str]:
    """What the key of ``q`` names that an exam it serves does not allow (each exam's own rules)."""
    if not q.options:
        return []
    keyed = [q.options[i] for i in q.correct_indexes]
    text = " ".join(o.text.lower() for o in keyed)
    notices = " ".join((o.rationale or "").lower() for o in keyed)
    problems = [
        f"the key names a service shut down for everyone ({name})"
        for name in pack.info.shut_down_services
        if name.lower() in text
    ]
    for ref in q.exams:
        closed = pack.blueprints[ref.exam].closed_services
        problems += [
            f"the key names {name}, which {ref.exam} never keys (closed to new customers)"
            for name in closed.never
            if name.lower() in text
        ]
        problems += [
            f"the key names {name}: for {ref.exam} its rationale must say it is closed to new customers"
            for name in closed.with_notice
            if name.lower() in text and not any(phrase in notices for phrase in CLOSURE_NOTICES)
        ]
    return problems


def _skill_coverage(pack: Pack, code: str) -> dict[str, Any]:
    """Questions per skill of ``code`` and, per task, the share of questions on the skills this
    version of the exam added (it should be at least the new skills' share of the task's skills)."""
    bp = pack.blueprints[code]
    if not bp.skills:
        return {}
    per_skill: Counter[str] = Counter()
    tasks: dict[str, dict[str, Any]] = {}
    for domain in bp.domains:
        for task in domain.tasks:
            new_ids = {s.id for s in task.skills if s.new}
            total = on_new = 0
            for q in pack.questions:
                for ref in q.exams:
                    if ref.exam == code and ref.task == task.id:
                        total += 1
                        per_skill.update(ref.skills)
                        on_new += bool(new_ids & set(ref.skills))
            tasks[task.id] = {
                "questions": total,
                "on_new_skills": on_new,
                "new_skill_share": round(on_new / total, 3) if total else 0.0,
                "required_share": round(len(new_ids) / len(task.skills), 3) if task.skills else 0.0,
            }
    return {
        "questions_per_skill": {skill_id: per_skill[skill_id] for skill_id in bp.skills},
        "skills_without_questions": [skill_id for skill_id in bp.skills if per_skill[skill_id] == 0],
        "new_skills": sum(1 for s in bp.skills.values() if s.new),
        "tasks": tasks,
    }


def _form_gauges(pack: Pack, code: str) -> dict[str, Any]:
    """The gauges of each fixed practice exam of ``code``, and what is past a limit in each."""
    bp = pack.blueprints[code]
    bank = pack.questions_for(code)
    if not bank:
        return {}
    out: dict[str, Any] = {}
    for form in practice_exams(bank, bp):
        figures = gauges([pack.question(qid) for qid in form.question_ids])
        out[form.title] = {**figures, "problems": gauge_problems(figures)}
    return out


def _figures(pack: Pack, report: LintReport) -> None:
    def warn(item_id: str, message: str) -> None:
        file, line = pack.sources.get(item_id, ("?", 1))
        report.warnings.append(Issue(file, line, f"{item_id}: {message}"))

    by_type: Counter[str] = Counter(q.type.value for q in pack.questions)
    by_type["case_study"] = len(pack.case_studies)
    difficulty: Counter[str] = Counter(str(q.difficulty) for q in pack.questions)

    missing_rationales = 0
    missing_references = 0
    for q in pack.questions:
        gaps = _rationale_gaps(q)
        if gaps:
            missing_rationales += gaps
            warn(q.id, f"{gaps} option(s) without a rationale")
        if not q.references:
            missing_references += 1
            warn(q.id, "no reference")
        for problem in _currency_warnings(pack, q):
            warn(q.id, problem)
    for card in pack.flashcards:
        if len(re.findall(r"\S+", card.back)) > 60:
            warn(card.id, "the back of the card is over 60 words")

    duplicates = near_duplicates(pack.questions)
    for pair in duplicates:
        warn(pair["a"], f"stem is a near-duplicate of {pair['b']} ({pair['similarity']})")

    exams: dict[str, Any] = {}
    forms: dict[str, Any] = {}
    for code, bp in pack.blueprints.items():
        blueprint_file = pack.sources.get(code, ("?", 1))[0]
        tasks: dict[str, dict[str, int]] = {t: {"questions": 0, "flashcards": 0, "lessons": 0} for t in bp.task_ids}
        for kind, items in (("questions", pack.questions), ("flashcards", pack.flashcards), ("lessons", pack.lessons)):
            for item in items:
                for ref in item.exams:
                    if ref.exam == code:
                        tasks[ref.task][kind] += 1
        for task_id, counts_ in tasks.items():
            if counts_["questions"] == 0:
                report.warnings.append(Issue(blueprint_file, 1, f"{code} {task_id}: no questions"))
        skills = _skill_coverage(pack, code)
        for skill_id in skills.get("skills_without_questions", []):
            report.warnings.append(Issue(blueprint_file, 1, f"{code} skill {skill_id}: no questions"))
        for task_id, share in skills.get("tasks", {}).items():
            if share["questions"] and share["new_skill_share"] < share["required_share"]:
                report.warnings.append(
                    Issue(
                        blueprint_file,
                        1,
                        f"{code} {task_id}: {share['new_skill_share']:.0%} of its questions are on new skills,"
                        f" below the new skills' share of the task ({share['required_share']:.0%})",
                    )
                )
        exams[code] = {
            "status": bp.status,
            "questions": sum(1 for q in pack.questions if any(e.exam == code for e in q.exams)),
            "tasks": tasks,
            "skills": skills,
            "cheatsheets": sum(1 for s in pack.cheatsheets if s.exam == code),
        }
        forms[code] = _form_gauges(pack, code)
        for title, figures in forms[code].items():
            for problem in figures["problems"]:
                report.warnings.append(Issue(blueprint_file, 1, f"{code} {title}: {problem}"))

    bank = gauges(pack.questions)
    for problem in gauge_problems(bank):
        report.warnings.append(Issue("(bank)", 0, problem))
    report.figures = {
        "pack": {"id": pack.info.id, "version": pack.info.version},
        "questions": {
            "total": len(pack.questions),
            "by_type": dict(sorted(by_type.items())),
            "by_difficulty": dict(sorted(difficulty.items())),
        },
        "flashcards": len(pack.flashcards),
        "lessons": len(pack.lessons),
        "cheatsheets": len(pack.cheatsheets),
        "exams": exams,
        "quality": {
            **bank,
            "missing_rationales": missing_rationales,
            "missing_references": missing_references,
            "near_duplicate_pairs": duplicates,
            "forms": forms,
        },
    }
