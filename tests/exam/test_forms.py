from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certprep.content.schema import Blueprint, Question, QuestionType
from certprep.exam.bank import ExamBank
from certprep.exam.forms import Form, FormItem, Shortfall, assemble_form, domain_counts, fixed_forms
from research.synthetic import synthetic_question

from .conftest import MLA, MLS, BankMaker, make_bank

# Banks built once: hypothesis varies seeds and sizes, not the (slow to validate) questions.
PLAIN_MLA = make_bank(MLA, 600, prefix="plain")
CASES_MLA = make_bank(MLA, 600, prefix="cases", case_every=6)
PLAIN_MLS = make_bank(MLS, 600, prefix="mls")
BY_ID = {q.id: q for q in (*PLAIN_MLA, *CASES_MLA, *PLAIN_MLS)}


# --- domain_counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blueprint", "n", "expected"),
    [
        (MLA, 65, {"1": 18, "2": 17, "3": 14, "4": 16}),
        (MLS, 65, {"1": 13, "2": 16, "3": 23, "4": 13}),
        (MLA, 50, {"1": 14, "2": 13, "3": 11, "4": 12}),
        (MLS, 50, {"1": 10, "2": 12, "3": 18, "4": 10}),
        (MLA, 15, {"1": 4, "2": 4, "3": 3, "4": 4}),
        (MLA, 1, {"1": 1, "2": 0, "3": 0, "4": 0}),
        (MLA, 0, {"1": 0, "2": 0, "3": 0, "4": 0}),
    ],
)
def test_domain_counts_golden(blueprint: Blueprint, n: int, expected: dict[str, int]) -> None:
    assert domain_counts(blueprint, n) == expected


def test_domain_counts_restricted_renormalises() -> None:
    # weights 28 and 22 -> 20 * 28/50 = 11.2, 20 * 22/50 = 8.8
    assert domain_counts(MLA, 20, domains=["1", "3"]) == {"1": 11, "3": 9}
    assert domain_counts(MLA, 7, domains=["2"]) == {"2": 7}


@given(st.sampled_from([MLA, MLS]), st.integers(0, 500))
def test_domain_counts_sum_and_closeness(blueprint: Blueprint, n: int) -> None:
    counts = domain_counts(blueprint, n)
    assert sum(counts.values()) == n
    for d in blueprint.domains:
        assert abs(counts[d.id] - d.weight * n / 100) < 1


def test_domain_counts_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="negative"):
        domain_counts(MLA, -1)
    with pytest.raises(ValueError, match="no domain 9"):
        domain_counts(MLA, 10, domains=["9"])
    with pytest.raises(ValueError, match="at least one domain"):
        domain_counts(MLA, 10, domains=[])


# --- assembly: invariants -----------------------------------------------------------------------


def _domains(form: Form) -> dict[str, int]:
    counts = Counter(item.domain for item in form.items)
    return {d: counts[d] for d in sorted(counts)}


def _assert_cases_adjacent(form: Form) -> None:
    positions: dict[str, list[int]] = {}
    for i, item in enumerate(form.items):
        if item.case_id is not None:
            positions.setdefault(item.case_id, []).append(i)
    for case_id, where in positions.items():
        assert where == list(range(where[0], where[0] + len(where))), case_id


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), blueprint=st.sampled_from([MLA, MLS]))
def test_assembly_honours_counts_for_any_seed(seed: int, blueprint: Blueprint) -> None:
    bank = PLAIN_MLA if blueprint is MLA else PLAIN_MLS
    form = assemble_form(bank, blueprint, 65, random.Random(seed), unscored=15)
    assert len(form) == 65
    assert _domains(form) == domain_counts(blueprint, 65)
    assert len(set(form.question_ids)) == 65
    assert form.shortfalls == ()
    scored = Counter(item.domain for item in form.items if item.scored)
    assert dict(sorted(scored.items())) == domain_counts(blueprint, 50)  # weights are % of scored content


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(1, 80), unscored_share=st.floats(0, 0.5))
def test_assembly_with_case_studies(seed: int, n: int, unscored_share: float) -> None:
    unscored = int(n * unscored_share)
    form = assemble_form(CASES_MLA, MLA, n, random.Random(seed), unscored=unscored)
    assert len(form) == n
    assert len(set(form.question_ids)) == n
    assert sum(not item.scored for item in form.items) == unscored
    _assert_cases_adjacent(form)
    # each case study comes whole
    for case_id in {item.case_id for item in form.items if item.case_id}:
        on_form = [i.question_id for i in form.items if i.case_id == case_id]
        assert on_form == [q.id for q in CASES_MLA if q.case_id == case_id]
    # a case may push a domain over by its size minus one (at most 3)
    target = domain_counts(MLA, n)
    for domain, count in _domains(form).items():
        assert abs(count - target[domain]) <= 3
    for item in form.items:
        q = BY_ID[item.question_id]
        assert item.revision == q.revision
        assert item.type is q.type
        assert item.task == q.exams[0].task
        assert item.domain == item.task.split(".")[0]


def test_case_study_counts_in_its_domains() -> None:
    form = assemble_form(CASES_MLA, MLA, 65, random.Random(3), unscored=15)
    assert any(item.case_id for item in form.items)
    assert sum(_domains(form).values()) == 65


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_task_statements_are_spread(seed: int) -> None:
    form = assemble_form(PLAIN_MLA, MLA, 65, random.Random(seed))
    tasks = Counter(item.task for item in form.items)
    for domain in MLA.domains:
        per_task = [tasks[t.id] for t in domain.tasks]
        assert max(per_task) - min(per_task) <= 1, (domain.id, per_task)


def test_difficulties_are_mixed() -> None:
    form = assemble_form(PLAIN_MLA, MLA, 65, random.Random(5))
    mix = Counter(BY_ID[item.question_id].difficulty for item in form.items)
    assert mix[1] >= 13 and mix[3] >= 13 and mix[2] >= 26, mix


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_presentation_is_a_permutation(seed: int) -> None:
    form = assemble_form(CASES_MLA, MLA, 65, random.Random(seed))
    for item in form.items:
        q = BY_ID[item.question_id]
        size = {
            QuestionType.SINGLE: len(q.options),
            QuestionType.MULTIPLE: len(q.options),
            QuestionType.ORDERING: len(q.steps) + len(q.distractor_steps),
            QuestionType.MATCHING: len(q.responses),
        }[q.type]
        assert sorted(item.presentation) == list(range(size))
        if q.type in (QuestionType.ORDERING, QuestionType.MATCHING):
            assert list(item.presentation) != sorted(item.presentation)  # never shown in key order


def test_same_seed_same_form_and_bank_index_is_equivalent() -> None:
    a = assemble_form(CASES_MLA, MLA, 65, random.Random(42), unscored=15)
    b = assemble_form(CASES_MLA, MLA, 65, random.Random(42), unscored=15)
    c = assemble_form(ExamBank.build(CASES_MLA, MLA), MLA, 65, random.Random(42), unscored=15)
    assert a == b == c
    assert assemble_form(CASES_MLA, MLA, 65, random.Random(43)) != a


def test_bank_built_for_another_exam_is_refused() -> None:
    with pytest.raises(ValueError, match="built for MLS-C01"):
        assemble_form(ExamBank.build(PLAIN_MLS, MLS), MLA, 10, random.Random(0))


# --- preference, filters, shortfalls ------------------------------------------------------------


def test_unseen_first() -> None:
    seen = {q.id: 1 + i % 3 for i, q in enumerate(PLAIN_MLA[:500])}  # 100 unseen questions left
    form = assemble_form(PLAIN_MLA, MLA, 65, random.Random(1), preference=seen)
    assert all(qid not in seen for qid in form.question_ids)


def test_lower_preference_first_even_against_task_spread() -> None:
    # every question seen, except the three of task 1.2: those three must all come first
    seen = {q.id: 1 for q in PLAIN_MLA}
    unseen_12 = [q.id for q in PLAIN_MLA if q.exams[0].task == "1.2"][:3]
    for qid in unseen_12:
        seen.pop(qid)
    form = assemble_form(PLAIN_MLA, MLA, 65, random.Random(2), preference=seen)
    assert set(unseen_12) <= set(form.question_ids)


def test_preference_order_does_not_matter() -> None:
    pref = {q.id: i % 4 for i, q in enumerate(PLAIN_MLA)}
    reversed_pref = dict(reversed(list(pref.items())))
    assert assemble_form(PLAIN_MLA, MLA, 65, random.Random(9), preference=pref) == assemble_form(
        PLAIN_MLA, MLA, 65, random.Random(9), preference=reversed_pref
    )


def test_case_study_preference_is_its_most_seen_question() -> None:
    cases = [q for q in CASES_MLA if q.case_id]
    first_case = cases[0].case_id
    # seen: one question of the first case, and every standalone question
    seen = {q.id: 5 for q in CASES_MLA if q.case_id is None}
    seen[cases[0].id] = 1
    form = assemble_form(CASES_MLA, MLA, 65, random.Random(4), preference=seen)
    assert first_case not in {item.case_id for item in form.items}
    assert all(item.case_id for item in form.items)  # enough unseen cases to fill the form


def test_domains_filter() -> None:
    form = assemble_form(PLAIN_MLA, MLA, 20, random.Random(1), domains=["3", "1"])
    assert _domains(form) == {"1": 11, "3": 9}


def test_types_filter() -> None:
    form = assemble_form(CASES_MLA, MLA, 30, random.Random(1), types=["ordering", "matching"])
    assert {item.type for item in form.items} == {QuestionType.ORDERING, QuestionType.MATCHING}
    assert all(item.case_id is None for item in form.items)
    cases_only = assemble_form(CASES_MLA, MLA, 30, random.Random(1), types=["case_study"])
    assert all(item.case_id for item in cases_only.items)
    with pytest.raises(ValueError, match="unknown question type"):
        assemble_form(CASES_MLA, MLA, 30, random.Random(1), types=["essay"])


def test_shortfall_in_one_domain_is_filled_from_the_others(bank_maker: BankMaker) -> None:
    rich = bank_maker(MLA, 300, tasks=["1.1", "2.1", "3.1", "4.1"])
    poor = [q for q in rich if q.exams[0].task != "3.1"] + [q for q in rich if q.exams[0].task == "3.1"][:5]
    form = assemble_form(poor, MLA, 65, random.Random(1))
    assert len(form) == 65
    assert _domains(form)["3"] == 5
    assert form.shortfalls == (Shortfall("3", 14, 5),)
    assert str(form.shortfalls[0]) == "domain 3: wanted 14 questions, the bank had 5"


def test_bank_too_small_gives_a_shorter_form(bank_maker: BankMaker) -> None:
    bank = bank_maker(MLA, 26)
    form = assemble_form(bank, MLA, 65, random.Random(1), unscored=15)
    assert len(form) == 26
    assert Shortfall(None, 65, 26) in form.shortfalls
    assert sum(not i.scored for i in form.items) == 15 * 26 // 65  # unscored shrinks in proportion


def test_questions_of_other_exams_and_duplicates_are_ignored() -> None:
    other = synthetic_question("other-exam-q", "single", "MLS-C01", "1.1")
    duplicate = PLAIN_MLA[0]
    form = assemble_form([*PLAIN_MLA[:40], other, duplicate, duplicate], MLA, 65, random.Random(1))
    assert len(form) == 40
    assert "other-exam-q" not in form.question_ids


def test_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least one question"):
        assemble_form(PLAIN_MLA, MLA, 0, random.Random(1))
    with pytest.raises(ValueError, match="unscored"):
        assemble_form(PLAIN_MLA, MLA, 10, random.Random(1), unscored=10)


# --- JSON ---------------------------------------------------------------------------------------


def test_form_json_round_trip() -> None:
    form = assemble_form(CASES_MLA[:40], MLA, 65, random.Random(7), unscored=15, title="Mock")
    assert form.shortfalls
    text = form.to_json()
    assert Form.from_json(text) == form
    assert Form.from_dict(json.loads(text)).to_json() == text
    with pytest.raises(ValueError, match="not a valid form"):
        Form.from_dict({"exam": "MLA-C01"})
    with pytest.raises(ValueError, match="twice"):
        item = FormItem("a-question", 1, QuestionType.SINGLE, "1.1", "1", True, (0, 1, 2, 3))
        Form("MLA-C01", 1, (item, item))


# --- fixed forms --------------------------------------------------------------------------------


def _fixed_ids(bank: tuple[Question, ...] | list[Question]) -> list[tuple[str, ...]]:
    return [form.question_ids for form in fixed_forms(bank, MLA)]


def test_fixed_forms_are_deterministic_and_independent_of_bank_order() -> None:
    first = fixed_forms(CASES_MLA, MLA)
    assert fixed_forms(CASES_MLA, MLA) == first
    shuffled = list(CASES_MLA)
    random.Random(0).shuffle(shuffled)
    assert fixed_forms(shuffled, MLA) == first
    assert [f.title for f in first] == [f"Practice Exam {i}" for i in range(1, 7)]
    for form in first:
        assert len(form) == MLA.questions_total
        assert sum(not i.scored for i in form.items) == MLA.questions_unscored
        _assert_cases_adjacent(form)


def test_fixed_forms_do_not_overlap_when_the_bank_allows() -> None:
    forms = fixed_forms(PLAIN_MLA, MLA)  # 600 >= 6 * 65
    used = Counter(qid for form in forms for qid in form.question_ids)
    assert max(used.values()) == 1


def test_fixed_forms_overlap_is_low_on_a_small_bank(bank_maker: BankMaker) -> None:
    bank = bank_maker(MLA, 200)  # 6 * 65 = 390 seats: each question used about twice
    forms = fixed_forms(bank, MLA)
    used = Counter(qid for form in forms for qid in form.question_ids)
    assert max(used.values()) <= 3
    for a, b in itertools.pairwise(forms):
        assert len(set(a.question_ids) & set(b.question_ids)) <= 40


def test_fixed_forms_same_in_another_process() -> None:
    """str hashes are salted per process; the forms must not depend on them."""
    code = (
        "import yaml\n"
        "from certprep.content import bundled_pack_path\n"
        "from certprep.content.schema import Blueprint\n"
        "from certprep.exam.forms import fixed_forms\n"
        "from research.synthetic import synthetic_bank\n"
        "path = bundled_pack_path() / 'blueprints' / 'MLA-C01.yaml'\n"
        "mla = Blueprint.model_validate(yaml.safe_load(path.read_text(encoding='utf-8')))\n"
        "print([f.to_json() for f in fixed_forms(synthetic_bank(mla, 300, case_every=5), mla, 2)])\n"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = set()
    for salt in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": salt, "PYTHONPATH": os.pathsep.join((str(root / "src"), str(root)))}
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    here = [f.to_json() for f in fixed_forms(make_bank(MLA, 300, case_every=5), MLA, 2)]
    assert outputs == {f"{here}\n"}
