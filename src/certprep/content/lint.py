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

from certprep.content.loader import Issue, Pack, check_pack
from certprep.content.schema import Question, QuestionType

__all__ = ["LintReport", "lint_pack", "near_duplicates"]

NEAR_DUPLICATE_THRESHOLD = 0.6
LETTERS = "ABCDEFGH"


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


def _figures(pack: Pack, report: LintReport) -> None:
    def warn(item_id: str, message: str) -> None:
        file, line = pack.sources.get(item_id, ("?", 1))
        report.warnings.append(Issue(file, line, f"{item_id}: {message}"))

    by_type: Counter[str] = Counter(q.type.value for q in pack.questions)
    by_type["case_study"] = len(pack.case_studies)
    difficulty: Counter[str] = Counter(str(q.difficulty) for q in pack.questions)

    singles = [q for q in pack.questions if q.type is QuestionType.SINGLE]
    longest_correct = 0
    for q in singles:
        lengths = [len(o.text) for o in q.options]
        key = q.correct_indexes[0]
        if lengths[key] > max(length for i, length in enumerate(lengths) if i != key):
            longest_correct += 1
    key_positions: dict[str, dict[str, int]] = {}
    for kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        counts: Counter[str] = Counter()
        for q in pack.questions:
            if q.type is kind:
                counts.update(LETTERS[i] for i in q.correct_indexes)
        key_positions[kind.value] = dict(sorted(counts.items()))

    missing_rationales = 0
    missing_references = 0
    discontinued = tuple(s.lower() for s in pack.info.discontinued_services)
    for q in pack.questions:
        gaps = _rationale_gaps(q)
        if gaps:
            missing_rationales += gaps
            warn(q.id, f"{gaps} option(s) without a rationale")
        if not q.references:
            missing_references += 1
            warn(q.id, "no reference")
        if any(e.exam == "MLA-C01" for e in q.exams) and q.options:
            keyed = " ".join(q.options[i].text.lower() for i in q.correct_indexes)
            for name in discontinued:
                if name in keyed:
                    warn(q.id, f"the key names a discontinued service ({name})")
    for card in pack.flashcards:
        if len(re.findall(r"\S+", card.back)) > 60:
            warn(card.id, "the back of the card is over 60 words")

    duplicates = near_duplicates(pack.questions)
    for pair in duplicates:
        warn(pair["a"], f"stem is a near-duplicate of {pair['b']} ({pair['similarity']})")

    exams: dict[str, Any] = {}
    for code, bp in pack.blueprints.items():
        tasks: dict[str, dict[str, int]] = {t: {"questions": 0, "flashcards": 0, "lessons": 0} for t in bp.task_ids}
        for q in pack.questions:
            for ref in q.exams:
                if ref.exam == code:
                    tasks[ref.task]["questions"] += 1
        for card in pack.flashcards:
            for ref in card.exams:
                if ref.exam == code:
                    tasks[ref.task]["flashcards"] += 1
        for lesson in pack.lessons:
            for ref in lesson.exams:
                if ref.exam == code:
                    tasks[ref.task]["lessons"] += 1
        for task_id, counts_ in tasks.items():
            if counts_["questions"] == 0:
                report.warnings.append(Issue(pack.sources.get(code, ("?", 1))[0], 1, f"{code} {task_id}: no questions"))
        exams[code] = {
            "status": bp.status,
            "questions": sum(1 for q in pack.questions if any(e.exam == code for e in q.exams)),
            "tasks": tasks,
            "cheatsheets": sum(1 for s in pack.cheatsheets if s.exam == code),
        }

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
            "single_answer_questions": len(singles),
            "longest_option_correct_share": round(longest_correct / len(singles), 3) if singles else 0.0,
            "key_position_counts": key_positions,
            "missing_rationales": missing_rationales,
            "missing_references": missing_references,
            "near_duplicate_pairs": duplicates,
        },
    }
