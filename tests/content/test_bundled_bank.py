"""The bundled question bank meets the bar of the content guide (docs/content-guide.md)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest

from certprep.exam.forms import domain_counts, practice_exams
from tests.conftest import bundled_lint, bundled_pack

PACK = bundled_pack()
CURRENT = "MLA-C02"


def test_size_types_and_difficulty() -> None:
    questions = PACK.questions
    assert len(questions) >= 550
    types = Counter(q.type.value for q in questions)
    assert types["multiple"] >= 120 and types["ordering"] >= 12 and types["matching"] >= 12
    assert len(PACK.case_studies) >= 3
    for case in PACK.case_studies:
        assert 2 <= len(case.questions) <= 4
        assert {e.exam for q in case.questions for e in q.exams} == {"MLA-C01"}


@pytest.mark.parametrize(("exam", "minimum"), [(CURRENT, 30), ("MLA-C01", 12), ("MLS-C01", 6)])
def test_every_task_statement_is_covered(exam: str, minimum: int) -> None:
    counts = Counter(e.task for q in PACK.questions for e in q.exams if e.exam == exam)
    for task in PACK.blueprints[exam].task_ids:
        assert counts[task] >= minimum, (exam, task, counts[task])


def test_the_current_exam_covers_every_skill_and_its_new_skills() -> None:
    bp = PACK.blueprints[CURRENT]
    bank = PACK.questions_for(CURRENT)
    assert len(bank) >= 420
    assert {q.type.value for q in bank} == set(bp.question_types) == {"single", "multiple"}
    per_skill = Counter(s for q in bank for e in q.exams if e.exam == CURRENT for s in e.skills)
    assert [s for s in bp.skills if per_skill[s] == 0] == []
    for domain in bp.domains:
        for task in domain.tasks:
            new = {s.id for s in task.skills if s.new}
            refs = [e for q in bank for e in q.exams if e.exam == CURRENT and e.task == task.id]
            assert all(e.skills for e in refs), task.id  # every MLA-C02 question names its skills
            on_new = sum(1 for e in refs if new & set(e.skills))
            assert on_new / len(refs) >= len(new) / len(task.skills), task.id
    cards_on_new = [
        c for c in PACK.flashcards for e in c.exams if e.exam == CURRENT and any(bp.skills[s].new for s in e.skills)
    ]
    assert len(cards_on_new) >= 120


def test_quality_figures() -> None:
    data = bundled_lint()
    assert data["errors"] == []
    assert [w for w in data["warnings"] if "Practice Exam" not in w["message"]] == []
    quality = data["quality"]
    assert quality["missing_rationales"] == 0 and quality["missing_references"] == 0
    assert quality["near_duplicate_pairs"] == []
    for title, form in quality["forms"][CURRENT].items():
        assert form["problems"] == [], title


def test_six_practice_exams_of_the_current_exam_are_distinct() -> None:
    bp = PACK.blueprints[CURRENT]
    forms = practice_exams(PACK.questions_for(CURRENT), bp)
    assert len(forms) == 6
    for form in forms:
        assert not form.shortfalls
        assert Counter(i.domain for i in form.items) == domain_counts(bp, bp.questions_total)
        assert Counter(i.domain for i in form.scored_items) == domain_counts(bp, bp.questions_scored)
    assert max(len(set(a.question_ids) & set(b.question_ids)) for a, b in combinations(forms, 2)) <= 3


@pytest.mark.parametrize("exam", ["MLA-C01", "MLS-C01"])
def test_six_fixed_forms_of_the_earlier_exams_follow_their_blueprints(exam: str) -> None:
    bp = PACK.blueprints[exam]
    for form in practice_exams(PACK.questions_for(exam), bp):
        assert not form.shortfalls
        assert Counter(i.domain for i in form.items) == domain_counts(bp, bp.questions_total)
        assert Counter(i.domain for i in form.scored_items) == domain_counts(bp, bp.questions_scored)
