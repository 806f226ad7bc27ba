"""Trends: score per attempt, per-domain percent per attempt, time per question."""

from __future__ import annotations

from datetime import timedelta

import pytest

from certprep.analytics import AttemptRecord, domain_trends, score_trend, time_per_question
from certprep.analytics.trends import MIN_TREND_ATTEMPTS, MIN_TREND_DAYS

from .conftest import MLA, MLS, NOW


def record(i: int, raw: int, *, days: float, seconds: tuple[float, ...] = (), exam: str = "MLA-C01") -> AttemptRecord:
    return AttemptRecord(
        attempt_id=f"a{i}",
        exam=exam,
        mode="exam",
        submitted_at=NOW + timedelta(days=days),
        raw_score=raw,
        raw_max=50,
        question_count=65,
        scaled_score=None,
        passed=None,
        domains={"1": (raw // 4, 14), "3": (5, 11)},
        seconds=seconds,
    )


ATTEMPTS = [
    record(2, 40, days=7, seconds=(60.0, 120.0, 30.0)),
    record(1, 30, days=0, seconds=(90.0,)),
    record(3, 45, days=14),
    record(4, 50, days=3, exam="MLS-C01", seconds=(1000.0,)),
]


def test_score_trend_is_in_time_order_with_a_slope() -> None:
    trend = score_trend(ATTEMPTS, MLA)
    assert [p.attempt_id for p in trend.points] == ["a1", "a2", "a3"]  # MLS-C01 left out
    assert [p.percent for p in trend.points] == [60.0, 80.0, 90.0]
    assert trend.slope_per_week == pytest.approx(15.0)  # least squares through (0,60) (1,80) (2,90)
    assert trend.needs is None and trend.shorter == 0
    assert score_trend(ATTEMPTS[:1], MLA).slope_per_week is None
    assert len(score_trend(ATTEMPTS, MLS).points) == 1
    assert trend.to_dict()["points"][0]["at"] == NOW.isoformat()


def short(i: int, raw: int, raw_max: int, *, minutes: float, mode: str = "practice") -> AttemptRecord:
    """A custom practice of ``raw_max`` questions, ``minutes`` after NOW."""
    return AttemptRecord(
        f"s{i}",
        "MLA-C01",
        mode,
        NOW + timedelta(minutes=minutes),
        raw,
        raw_max,
        raw_max,
        1000,
        True,
        {"1": (raw, raw_max)},
    )


def test_two_short_practices_minutes_apart_make_no_trend() -> None:
    """The issue's case: two custom practices of 2 questions, minutes apart, printed "trend
    +222904.6 points a week" and counted as passes scored 1000."""
    trend = score_trend([short(1, 0, 2, minutes=0), short(2, 2, 2, minutes=3)], MLA)
    assert trend.points == () and trend.slope_per_week is None and trend.shorter == 2
    assert trend.needs == "a trend needs 3 full mocks over at least 3 days: 0 full mocks so far"
    assert all(s.points == () for s in domain_trends([short(1, 0, 2, minutes=0)], MLA, domains=["1"]))
    # Short ones in exam mode, or a full-length form in practice mode, are not full mocks either.
    exam_short = short(3, 2, 2, minutes=5, mode="exam")
    practice_full = AttemptRecord("p", "MLA-C01", "practice", NOW, 40, 50, 65)
    assert score_trend([exam_short, practice_full, *ATTEMPTS], MLA).shorter == 2
    assert [p.attempt_id for p in score_trend([exam_short, practice_full, *ATTEMPTS], MLA).points] == ["a1", "a2", "a3"]


def test_a_trend_needs_enough_mocks_over_enough_days() -> None:
    assert (MIN_TREND_ATTEMPTS, MIN_TREND_DAYS) == (3, 3)
    two = score_trend([record(1, 30, days=0), record(2, 40, days=10)], MLA)
    assert two.slope_per_week is None and two.needs is not None and two.needs.endswith("2 full mocks so far")
    close = score_trend([record(1, 30, days=0), record(2, 40, days=1), record(3, 45, days=2)], MLA)
    assert close.slope_per_week is None
    assert close.needs == "a trend needs 3 full mocks over at least 3 days: yours span 2.0 days so far"
    # Minutes apart on the first day do not blow the slope up: it is fitted over days.
    spread = [record(1, 30, days=0), record(2, 40, days=0.01), record(3, 45, days=3)]
    trend = score_trend(spread, MLA)
    assert trend.needs is None and trend.slope_per_week is not None
    assert 0 < trend.slope_per_week < 100  # points a week: at most 30 points gained over 3 days
    # 3 of 50 right more each day is 6 percentage points a day, 42 a week.
    assert score_trend([record(i, 10 + 3 * i, days=i) for i in range(4)], MLA).slope_per_week == pytest.approx(7 * 6.0)


def test_domain_trends() -> None:
    series = domain_trends(ATTEMPTS, MLA, domains=["1", "2", "3", "4"])
    assert [s.domain for s in series] == ["1", "2", "3", "4"]
    one = series[0]
    assert [(p.attempt_id, p.right, p.scored) for p in one.points] == [("a1", 7, 14), ("a2", 10, 14), ("a3", 11, 14)]
    assert one.points[0].percent == pytest.approx(50.0)
    assert series[1].points == ()  # no items of domain 2: an empty series, kept in place
    assert [s.domain for s in domain_trends(ATTEMPTS, MLA)] == ["1", "3"]


def test_time_per_question() -> None:
    stats = time_per_question(ATTEMPTS, exam="MLA-C01")
    assert stats.questions == 4
    assert stats.mean == pytest.approx(75.0) and stats.median == pytest.approx(75.0)
    assert stats.p90 == pytest.approx(111.0)  # 0.9 of the way from 90 to 120 at position 2.7
    assert stats.longest == 120.0
    assert [(a.attempt_id, a.questions, a.median) for a in stats.per_attempt] == [("a1", 1, 90.0), ("a2", 3, 60.0)]
    empty = time_per_question([record(9, 10, days=0)])
    assert (empty.questions, empty.mean, empty.p90) == (0, None, None)


def test_attempt_record_validation() -> None:
    with pytest.raises(ValueError, match="outside"):
        AttemptRecord("x", "MLA-C01", "exam", NOW, 51, 50, 65)
    with pytest.raises(ValueError, match="timezone"):
        AttemptRecord("x", "MLA-C01", "exam", NOW.replace(tzinfo=None), 5, 50, 65)
    with pytest.raises(ValueError, match="domain 1"):
        AttemptRecord("x", "MLA-C01", "exam", NOW, 5, 50, 65, domains={"1": (5, 4)})
    with pytest.raises(ValueError, match="negative"):
        AttemptRecord("x", "MLA-C01", "exam", NOW, 5, 50, 65, seconds=(-1.0,))
