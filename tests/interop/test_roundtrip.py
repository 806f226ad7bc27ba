"""Export then import gives the same questions, per format and the types it holds: over generated
questions (hypothesis) and over the whole bundled bank (compared structurally, not by counts)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certprep.content.schema import CaseStudy, Question
from certprep.interop import aiken, csvfile, gift, markdown, moodlexml
from certprep.interop.build import ImportResult, assemble
from certprep.interop.common import Draft
from certprep.interop.formats import export_questions

from .strategies import KINDS, PACK, case_studies, comparable, kept, questions

PARSERS = {
    "gift": lambda b: gift.parse_gift(b.decode()),
    "moodle-xml": moodlexml.parse_moodle_xml,
    "aiken": lambda b: aiken.parse_aiken(b.decode()),
    "csv": lambda b: csvfile.parse_csv(b.decode()),
    "markdown": lambda b: markdown.parse_markdown(b.decode()),
}
FORMATS = list(PARSERS)


def _round_trip(fmt: str, qs: Sequence[Question], cases: dict[str, CaseStudy]) -> tuple[ImportResult, list[str]]:
    exported = export_questions(fmt, qs, cases)
    drafts: list[Draft] = PARSERS[fmt](exported.content)
    # Aiken carries no exam: the importer's --exam/--task place it.
    result = assemble(drafts, PACK.blueprints, exam="MLA-C01", task="1.1")
    return result, exported.lost


def _all(result: ImportResult) -> list[Question]:
    return result.questions + [q for c in result.case_studies for q in c.questions]


@pytest.mark.slow  # property-based and whole-bank round trips
@pytest.mark.parametrize("fmt", FORMATS)
def test_generated_questions_come_back(fmt: str) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(questions(KINDS[fmt]), min_size=1, max_size=4, unique_by=lambda q: q.id))
    def check(qs: list[Question]) -> None:
        result, _lost = _round_trip(fmt, qs, {})
        assert result.problems == [] and result.skipped == []
        assert [comparable(q, fmt) for q in _all(result)] == [kept(q, fmt) for q in qs]

    check()


@pytest.mark.slow  # property-based and whole-bank round trips
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "aiken"])
def test_generated_case_studies_come_back(fmt: str) -> None:
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(case_studies(KINDS[fmt]), min_size=1, max_size=2, unique_by=lambda c: c.id), questions(KINDS[fmt]))
    def check(cases: list[CaseStudy], loose: Question) -> None:
        qs = [cases[0].questions[0], *cases[0].questions[1:], loose] + [q for c in cases[1:] for q in c.questions]
        result, _lost = _round_trip(fmt, qs, {c.id: c for c in cases})
        assert result.problems == [] and [q.id for q in result.questions] == [loose.id]
        back = {c.id: c for c in result.case_studies}
        for case in cases:
            got = back[case.id]
            assert (got.title, got.scenario, got.revision) == (case.title, case.scenario, case.revision)
            assert [comparable(q, fmt) for q in got.questions] == [kept(q, fmt) for q in case.questions]

    check()


@pytest.mark.slow  # property-based and whole-bank round trips
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_bundled_bank_comes_back(fmt: str) -> None:
    cases = {c.id: c for c in PACK.case_studies}
    result, lost = _round_trip(fmt, PACK.questions, cases)
    assert result.problems == []
    back = _all(result)
    held = [q for q in PACK.questions if q.type.value in KINDS[fmt]]
    if fmt == "aiken":  # no ids: in file order
        assert [comparable(q, fmt) for q in back] == [kept(q, fmt) for q in held]
    else:
        assert {q.id: comparable(q, fmt) for q in back} == {q.id: kept(q, fmt) for q in held}
    # Everything the format could not hold is named, question by question.
    for q in PACK.questions:
        if q.type.value not in KINDS[fmt]:
            assert any(line.startswith(f"{q.id}:") for line in lost), q.id
    if fmt != "aiken":
        # Case studies come back as case studies, their scenario whole.
        for case in result.case_studies:
            original = cases[case.id]
            assert (case.title, case.scenario.strip(), case.revision) == (
                original.title,
                original.scenario.strip(),
                original.revision,
            )
        kept_cases = {q.case_id for q in held if q.case_id}
        full = {c for c in kept_cases if sum(1 for q in held if q.case_id == c) >= 2}
        assert {c.id for c in result.case_studies} == full


def test_a_text_with_the_matching_separator_is_listed_as_lost() -> None:
    q = next(q for q in PACK.questions if q.type.value == "matching")
    pair = q.pairs[0].model_copy(update={"prompt": "input -> output"})
    odd = q.model_copy(update={"pairs": (pair, *q.pairs[1:])})
    for fmt in ("gift", "csv", "markdown"):
        result = export_questions(fmt, [odd], {})
        assert result.count == 0 and result.lost and odd.id in result.lost[0], fmt
