"""The bundled question bank meets the bar of the content guide (issue: first 240 questions)."""

from __future__ import annotations

from collections import Counter

import pytest

from certprep.content import bundled_pack_path
from certprep.content.lint import lint_pack
from certprep.exam.forms import domain_counts, fixed_forms
from tests.conftest import bundled_pack

PACK = bundled_pack()


def test_size_types_and_difficulty() -> None:
    questions = PACK.questions
    assert len(questions) >= 240
    types = Counter(q.type.value for q in questions)
    assert types["multiple"] >= 30 and types["ordering"] >= 12 and types["matching"] >= 12
    assert len(PACK.case_studies) >= 3
    for case in PACK.case_studies:
        assert 2 <= len(case.questions) <= 4
        assert {e.exam for q in case.questions for e in q.exams} == {"MLA-C01"}
    share = Counter(q.difficulty for q in questions)
    for level, target in ((1, 0.25), (2, 0.5), (3, 0.25)):
        assert abs(share[level] / len(questions) - target) <= 0.05


@pytest.mark.parametrize(("exam", "minimum"), [("MLA-C01", 12), ("MLS-C01", 6)])
def test_every_task_statement_is_covered(exam: str, minimum: int) -> None:
    counts = Counter(e.task for q in PACK.questions for e in q.exams if e.exam == exam)
    for task in PACK.blueprints[exam].task_ids:
        assert counts[task] >= minimum, (exam, task, counts[task])


def test_quality_figures() -> None:
    data = lint_pack(bundled_pack_path()).to_json()
    assert data["errors"] == [] and data["warnings"] == []
    quality = data["quality"]
    assert quality["longest_option_correct_share"] <= 0.35
    assert quality["missing_rationales"] == 0 and quality["missing_references"] == 0
    assert quality["near_duplicate_pairs"] == []
    single = quality["key_position_counts"]["single"]
    expected = sum(single.values()) / 4
    assert all(abs(single[letter] - expected) <= 0.2 * expected for letter in "ABCD")


@pytest.mark.parametrize("exam", ["MLA-C01", "MLS-C01"])
def test_six_fixed_forms_follow_the_blueprint(exam: str) -> None:
    bp = PACK.blueprints[exam]
    forms = fixed_forms(PACK.questions_for(exam), bp, 6)
    for form in forms:
        assert not form.shortfalls
        assert Counter(i.domain for i in form.items) == domain_counts(bp, bp.questions_total)
        assert Counter(i.domain for i in form.scored_items) == domain_counts(bp, bp.questions_scored)
