"""Mastery: golden tables, the weights (recency, difficulty, source, repeats), monotonicity."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certprep.analytics import DEFAULT_CONFIG, Mastery, MasteryConfig, Observation, estimate_mastery

from .conftest import MLA, MLS, NOW, obs

# The documented defaults (docs/readiness.md, "The model"); the golden tables below assume them.
CONFIG = MasteryConfig(
    half_life_days=30.0,
    prior=(6.0, 4.0),
    task_prior_strength=8.0,
    difficulty_odds=1.2,
    exam_weight=1.0,
    practice_weight=1.0,
    review_weight=0.5,
    repeat_weight=0.25,
    credible=0.8,
)


def test_defaults_are_the_documented_ones() -> None:
    assert DEFAULT_CONFIG == CONFIG


# --- golden tables ------------------------------------------------------------------------------

# 1.1: 3 right 1 wrong; 2.1: 1 right 1 wrong; all now, medium, practice, distinct questions.
# Overall level g ~ Beta(6 + 4, 4 + 2) = Beta(10, 6): mean 5/8.
# Task t: mean = (8 * 5/8 + right) / (8 + answers); the interval is the 10% / 90% quantiles of the
# Beta with the exact mean and variance (checked against SciPy when the table was written).
GOLDEN_HISTORY = [
    obs("q1", "1.1", True),
    obs("q2", "1.1", True),
    obs("q3", "1.1", True),
    obs("q4", "1.1", False),
    obs("q5", "2.1", True),
    obs("q6", "2.1", False),
]

GOLDEN_TASKS = [
    # task, mean (exact), low, high, effective n, answers
    ("1.1", Fraction(2, 3), 0.459098117746, 0.855276130163, 4.0, 4),
    ("2.1", Fraction(3, 5), 0.363129225404, 0.822186568708, 2.0, 2),
    ("3.1", Fraction(5, 8), 0.349870265131, 0.873332028288, 0.0, 0),
]
GOLDEN_DOMAINS = [
    ("1", Fraction(23, 36), 0.456570073176, 0.809762617579, 4.0, 4),
    ("2", Fraction(37, 60), 0.426773227698, 0.796213386175, 2.0, 2),
    ("3", Fraction(5, 8), 0.423664475274, 0.813603093883, 0.0, 0),
    ("4", Fraction(5, 8), 0.423664475274, 0.813603093883, 0.0, 0),
]
GOLDEN_OVERALL = (
    Fraction(28, 100) * Fraction(23, 36) + Fraction(26, 100) * Fraction(37, 60) + Fraction(46, 100) * Fraction(5, 8),
    0.466012757792,
    0.779604591539,
)


@pytest.fixture(scope="module")
def golden() -> Mastery:
    return estimate_mastery(GOLDEN_HISTORY, MLA, now=NOW, config=CONFIG)


@pytest.mark.parametrize(("task", "mean", "low", "high", "n", "answers"), GOLDEN_TASKS)
def test_golden_tasks(
    golden: Mastery, task: str, mean: Fraction, low: float, high: float, n: float, answers: int
) -> None:
    e = golden.tasks[task]
    assert e.mean == pytest.approx(float(mean), abs=1e-12)
    assert (e.low, e.high) == pytest.approx((low, high), abs=1e-9)
    assert e.effective_n == pytest.approx(n)
    assert e.answers == answers


@pytest.mark.parametrize(("domain", "mean", "low", "high", "n", "answers"), GOLDEN_DOMAINS)
def test_golden_domains(
    golden: Mastery, domain: str, mean: Fraction, low: float, high: float, n: float, answers: int
) -> None:
    e = golden.domains[domain]
    assert e.mean == pytest.approx(float(mean), abs=1e-12)
    assert (e.low, e.high) == pytest.approx((low, high), abs=1e-9)
    assert e.effective_n == pytest.approx(n)
    assert e.answers == answers


def test_golden_overall_and_level(golden: Mastery) -> None:
    mean, low, high = GOLDEN_OVERALL
    assert golden.overall.mean == pytest.approx(float(mean), abs=1e-12)
    assert (golden.overall.low, golden.overall.high) == pytest.approx((low, high), abs=1e-9)
    assert golden.level == pytest.approx((10.0, 6.0))
    assert golden.answers == 6 and golden.ignored == 0
    assert list(golden.tasks) == list(MLA.task_ids) and list(golden.domains) == ["1", "2", "3", "4"]


# each row: one answer on 1.1 -> (successes, failures) of 1.1; r = 1.2, half-life 30 days
WEIGHTS = [
    (obs("a", "1.1", True), 1.0, 0.0),
    (obs("a", "1.1", False), 0.0, 1.0),
    (obs("a", "1.1", True, days_ago=30), 0.5, 0.0),  # one half-life
    (obs("a", "1.1", True, days_ago=60), 0.25, 0.0),
    (obs("a", "1.1", True, difficulty=3), 1.2, 0.0),  # hard and right: counts more
    (obs("a", "1.1", False, difficulty=3), 0.0, 1 / 1.2),  # hard and wrong: counts less
    (obs("a", "1.1", True, difficulty=1), 1 / 1.2, 0.0),
    (obs("a", "1.1", False, difficulty=1), 0.0, 1.2),  # easy and wrong: counts more
    (obs("a", "1.1", True, source="review"), 0.5, 0.0),
    (obs("a", "1.1", True, source="exam"), 1.0, 0.0),
    (obs("a", "1.1", False, days_ago=30, difficulty=3, source="review"), 0.0, 0.5 * 0.5 / 1.2),
]


@pytest.mark.parametrize(("answer", "successes", "failures"), WEIGHTS)
def test_golden_weights(answer: Observation, successes: float, failures: float) -> None:
    e = estimate_mastery([answer], MLA, now=NOW, config=CONFIG).evidence["1.1"]
    assert (e.successes, e.failures) == pytest.approx((successes, failures), abs=1e-12)


def test_repeats_count_a_quarter_after_the_first_answer() -> None:
    history = [obs("q", "1.1", False, days_ago=1), obs("q", "1.1", True), obs("r", "1.1", True)]
    e = estimate_mastery(history, MLA, now=NOW, config=CONFIG).evidence["1.1"]
    assert e.failures == pytest.approx(0.5 ** (1 / 30))
    assert e.successes == pytest.approx(0.25 + 1.0)
    assert e.answers == 3 and e.last_at == NOW


def test_no_history_is_the_prior() -> None:
    m = estimate_mastery([], MLA, now=NOW, config=CONFIG)
    assert m.level == (6.0, 4.0)
    for e in [*m.tasks.values(), *m.domains.values(), m.overall]:
        assert e.mean == pytest.approx(0.6)
        assert e.effective_n == 0 and e.answers == 0
        assert e.low < 0.45 and e.high > 0.75  # wide: nothing is known


def test_other_exams_unknown_tasks_and_future_answers_are_ignored() -> None:
    history = [
        obs("q1", "1.1", True),
        obs("q2", "1.1", True, exam="MLS-C01"),
        obs("q3", "9.9", True),
        obs("q4", "1.1", False, days_ago=-1),  # after now
    ]
    m = estimate_mastery(history, MLA, now=NOW, config=CONFIG)
    assert m.answers == 1 and m.ignored == 3
    assert estimate_mastery(iter(history), MLA, now=NOW, config=CONFIG) == m  # any iterable


def test_mls_blueprint_weights() -> None:
    m = estimate_mastery([obs("q", "3.1", True, exam="MLS-C01")], MLS, now=NOW, config=CONFIG)
    weights = {d.id: d.weight / 100 for d in MLS.domains}
    assert m.overall.mean == pytest.approx(sum(weights[d] * e.mean for d, e in m.domains.items()))


def test_naive_now_and_bad_config_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        estimate_mastery([], MLA, now=NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match="half_life_days"):
        MasteryConfig(half_life_days=0)
    with pytest.raises(ValueError, match="credible"):
        MasteryConfig(credible=1.0)
    with pytest.raises(ValueError, match="timezone-aware"):
        Observation("q", "1.1", "1", "MLA-C01", True, NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match="difficulty"):
        Observation("q", "1.1", "1", "MLA-C01", True, NOW, difficulty=4)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="source"):
        Observation("q", "1.1", "1", "MLA-C01", True, NOW, source="quiz")  # type: ignore[arg-type]


# --- decay with time ------------------------------------------------------------------------------


def test_evidence_halves_every_half_life_and_the_mean_returns_to_the_prior() -> None:
    history = [obs(f"q{i}", "1.1", True) for i in range(20)]
    means, widths = [], []
    for days in (0, 30, 60, 120, 365, 3650):
        m = estimate_mastery(history, MLA, now=NOW + timedelta(days=days), config=CONFIG)
        e = m.tasks["1.1"]
        assert e.effective_n == pytest.approx(20 * 0.5 ** (days / 30))
        assert e.answers == 20  # answers as given never decay
        means.append(e.mean)
        widths.append(e.high - e.low)
    assert means == sorted(means, reverse=True)  # forgotten evidence: back toward the prior
    assert widths == sorted(widths)  # ...and less sure
    assert means[0] > 0.8 and means[-1] == pytest.approx(0.6, abs=1e-3)


def test_recent_answers_outweigh_old_ones() -> None:
    improving = [obs(f"o{i}", "1.1", False, days_ago=90) for i in range(10)]
    improving += [obs(f"n{i}", "1.1", True) for i in range(10)]
    declining = [obs(f"o{i}", "1.1", True, days_ago=90) for i in range(10)]
    declining += [obs(f"n{i}", "1.1", False) for i in range(10)]
    up = estimate_mastery(improving, MLA, now=NOW, config=CONFIG).tasks["1.1"].mean
    down = estimate_mastery(declining, MLA, now=NOW, config=CONFIG).tasks["1.1"].mean
    assert up > 0.7 > 0.3 > down


def test_a_task_with_little_evidence_borrows_from_the_overall_level() -> None:
    strong = [obs(f"q{i}", t, True) for i, t in enumerate(MLA.task_ids * 5) if t != "4.3"]
    m = estimate_mastery(strong, MLA, now=NOW, config=CONFIG)
    assert m.tasks["4.3"].mean > 0.85  # never answered, but the learner is strong everywhere else
    assert m.tasks["4.3"].high - m.tasks["4.3"].low > m.tasks["4.2"].high - m.tasks["4.2"].low


def test_the_domain_is_the_mean_of_its_tasks_not_the_pooled_answers() -> None:
    # 40 right answers on 1.1 say little about 1.2 and 1.3, which the exam tests as much
    history = [obs(f"q{i}", "1.1", True) for i in range(40)] + [obs("w", "1.2", False), obs("x", "1.3", False)]
    m = estimate_mastery(history, MLA, now=NOW, config=CONFIG)
    tasks = [m.tasks[t].mean for t in ("1.1", "1.2", "1.3")]
    assert m.domains["1"].mean == pytest.approx(sum(tasks) / 3)
    assert m.domains["1"].mean < 40 / 42


# --- monotonicity ---------------------------------------------------------------------------------

answers = st.lists(
    st.tuples(
        st.sampled_from(["1.1", "1.2", "2.1", "3.3", "4.2"]),
        st.booleans(),
        st.floats(min_value=0, max_value=200),
        st.sampled_from([1, 2, 3]),
        st.sampled_from(["exam", "practice", "review"]),
        st.integers(min_value=0, max_value=15),  # a small pool, so repeats happen
    ),
    max_size=40,
)


def _history(rows: list[tuple[str, bool, float, int, str, int]]) -> list[Observation]:
    return [
        obs(f"q{qid}-{task}", task, right, days_ago=age, difficulty=d, source=src)  # type: ignore[arg-type]
        for task, right, age, d, src, qid in rows
    ]


def _means(m: Mastery) -> list[float]:
    return [m.overall.mean, *(e.mean for e in m.domains.values()), *(e.mean for e in m.tasks.values())]


def _no_lower(before: Mastery, after: Mastery) -> None:
    for b, a in zip(_means(before), _means(after), strict=True):
        assert a >= b - 1e-12


@pytest.mark.slow  # property-based (hypothesis)
@settings(max_examples=150, deadline=None)
@given(answers, st.data())
def test_turning_a_wrong_answer_right_never_lowers_mastery(
    rows: list[tuple[str, bool, float, int, str, int]], data: st.DataObject
) -> None:
    wrong = [i for i, r in enumerate(rows) if not r[1]]
    if not wrong:
        return
    i = data.draw(st.sampled_from(wrong))
    flipped = [*rows[:i], (rows[i][0], True, *rows[i][2:]), *rows[i + 1 :]]
    before = estimate_mastery(_history(rows), MLA, now=NOW, config=CONFIG)
    after = estimate_mastery(_history(flipped), MLA, now=NOW, config=CONFIG)
    _no_lower(before, after)
    assert after.tasks[rows[i][0]].mean > before.tasks[rows[i][0]].mean


@settings(max_examples=150, deadline=None)
@given(
    answers,
    st.sampled_from(["1.1", "2.1", "4.3"]),
    st.sampled_from([1, 2, 3]),
    st.sampled_from(["exam", "practice", "review"]),
    st.integers(min_value=0, max_value=20),
)
@pytest.mark.slow  # property-based (hypothesis)
def test_one_more_right_answer_never_lowers_mastery(
    rows: list[tuple[str, bool, float, int, str, int]], task: str, difficulty: int, source: str, qid: int
) -> None:
    """A new answer comes last in time (now), possibly on a question answered before."""
    before = estimate_mastery(_history(rows), MLA, now=NOW, config=CONFIG)
    more = [*rows, (task, True, 0.0, difficulty, source, qid)]
    after = estimate_mastery(_history(more), MLA, now=NOW, config=CONFIG)
    _no_lower(before, after)


def test_custom_config_is_kept() -> None:
    config = replace(CONFIG, half_life_days=7.0)
    m = estimate_mastery([obs("q", "1.1", True, days_ago=7)], MLA, now=NOW, config=config)
    assert m.config is config
    assert m.tasks["1.1"].effective_n == pytest.approx(0.5)
    assert math.isclose(m.to_dict()["tasks"]["1.1"]["effective_n"], 0.5)
