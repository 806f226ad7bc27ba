"""The readiness checklist: each rule, met and not met, with its explanation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from certprep.analytics import AttemptRecord, ReadinessRules, readiness_checklist

from .conftest import MLA, NOW

GOOD_DOMAINS = {"1": 0.81, "2": 0.74, "3": 0.9, "4": 0.7}


def mock(i: int, raw: int, *, mode: str = "exam", count: int = 65, exam: str = "MLA-C01") -> AttemptRecord:
    return AttemptRecord(
        attempt_id=f"a{i}",
        exam=exam,
        mode=mode,
        submitted_at=NOW - timedelta(days=30 - i),
        raw_score=raw,
        raw_max=50 if count == 65 else count,
        question_count=count,
    )


def check(attempts: list[AttemptRecord], **overrides: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "attempts": attempts,
        "domain_mastery": GOOD_DOMAINS,
        "missed_ids": {"q1", "q2"},
        "reviewed_ids": {"q1", "q2", "q9"},
        "answers": 400,
    }
    args.update(overrides)
    return readiness_checklist(MLA, **args)  # type: ignore[arg-type]


def test_all_met() -> None:
    r = check([mock(1, 30), mock(2, 40), mock(3, 41), mock(4, 45)])
    assert r.ready and [i.key for i in r.items] == ["mocks", "domains", "missed", "evidence"]
    assert r.item("mocks").detail == "latest first: 90%, 82%, 80%; all at 80% or more"
    assert (
        r.item("domains").detail == "lowest: domain 4 (ML Solution Monitoring, Maintenance, and Security): mastery 70%"
    )
    assert r.item("missed").detail == "all 2 missed questions reviewed"
    assert r.item("evidence").detail == "400 answers"
    assert r.to_dict()["ready"] is True


def test_only_the_last_three_full_exam_mode_mocks_count() -> None:
    attempts = [
        mock(1, 45),
        mock(2, 39),  # 78%: the oldest of the last three full exam-mode mocks
        mock(3, 45),
        mock(4, 20, mode="practice"),  # practice mode: not a mock
        mock(5, 10, count=20),  # a short drill: not full length
        mock(6, 50, exam="MLS-C01"),  # another exam
        mock(7, 44),
    ]
    item = check(attempts).item("mocks")
    assert not item.met
    assert item.detail == "latest first: 88%, 90%, 78%; 1 under 80%"


def test_too_few_mocks() -> None:
    item = check([mock(1, 45), mock(2, 20, mode="practice")]).item("mocks")
    assert not item.met
    assert item.detail == "1 full-length mock taken, 3 needed (latest first: 90%)"
    assert check([]).item("mocks").detail == "0 full-length mocks taken, 3 needed"


def test_a_weak_domain_fails_the_rule_and_is_named() -> None:
    item = check([], domain_mastery={**GOOD_DOMAINS, "2": 0.6999}).item("domains")
    assert not item.met
    assert item.detail == "under the floor: domain 2 (ML Model Development): mastery 69%"  # rounded down
    missing = check([], domain_mastery={"1": 0.9}).item("domains")
    assert not missing.met and "domain 3 (Deployment and Orchestration of ML Workflows): no estimate" in missing.detail


def test_missed_questions() -> None:
    assert check([], missed_ids=set()).item("missed").detail == "no missed questions"
    item = check([], missed_ids=["q1", "q2", "q3"], reviewed_ids=["q1"]).item("missed")
    assert not item.met and item.detail == "2 of 3 missed questions not reviewed yet"


def test_evidence() -> None:
    item = check([], answers=149).item("evidence")
    assert not item.met and item.detail == "149 answers, 1 to go"
    assert check([], answers=150).item("evidence").met
    with pytest.raises(ValueError):
        check([], answers=-1)


def test_custom_rules() -> None:
    rules = ReadinessRules(mocks=1, mock_percent=70, domain_floor=0.75, min_answers=10)
    r = check([mock(1, 35)], rules=rules, answers=10)
    assert r.item("mocks").met and r.item("evidence").met
    assert not r.item("domains").met  # 0.74 and 0.70 < 0.75
    assert r.item("mocks").label == "The last 1 full-length mocks in exam mode at 70% or more"
    with pytest.raises(ValueError):
        ReadinessRules(mocks=0)
    with pytest.raises(KeyError):
        r.item("vibes")


def test_labs_passed_per_domain_are_counted_and_do_not_decide_ready() -> None:
    lab_tasks = {"lake": ["1.1"], "features": ["1.2", "2.3"], "deploy": ["3.1"], "unknown-task": ["9.9"]}
    r = check([mock(2, 40), mock(3, 41), mock(4, 45)], lab_tasks=lab_tasks, passed_labs={"features", "other"})
    counts = {c.domain: c for c in r.labs}
    assert [c.domain for c in r.labs] == ["1", "2", "3", "4"]
    assert (counts["1"].passed, counts["1"].labs) == (("features",), ("lake", "features"))
    assert counts["1"].label == "Domain 1 (Data Preparation for Machine Learning (ML)) labs passed: 1 of 2"
    assert (len(counts["2"].passed), len(counts["2"].labs)) == (1, 1)  # a lab serving two domains counts in both
    assert (len(counts["3"].passed), len(counts["3"].labs)) == (0, 1)
    assert counts["4"].labs == () and counts["4"].label.endswith("labs passed: 0 of 0")
    assert r.ready  # the rules are met; two labs not passed leave "ready" alone
    assert r.to_dict()["labs"][0] == {
        "domain": "1",
        "title": "Data Preparation for Machine Learning (ML)",
        "passed": 1,
        "total": 2,
        "label": counts["1"].label,
        "passed_labs": ["features"],
        "labs": ["lake", "features"],
    }
    assert check([]).labs == ()  # no lab lines without the labs


def test_a_domain_is_worded_as_on_every_page() -> None:
    """With the answers behind each domain, the checklist words a domain as the dashboard, the
    progress page and the plan do (analytics.figures.mastery_text)."""
    item = check([], domain_mastery={**GOOD_DOMAINS, "2": 0.2}, domain_answers={"1": 9, "2": 1}).item("domains")
    assert item.detail == "under the floor: domain 2 (ML Model Development): mastery 20%, from 1 answer"
