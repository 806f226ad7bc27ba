"""Prediction: the raw-score distribution, the scaled score, P(pass) and its monotonicity."""

from __future__ import annotations

import json
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certprep.analytics import Mastery, estimate_mastery, predict_exam
from certprep.content.schema import Blueprint
from certprep.exam.forms import domain_counts
from certprep.exam.scoring import scaled_score

from .conftest import MLA, MLS, NOW, obs
from .test_mastery import CONFIG, GOLDEN_HISTORY, _history, answers


def _monte_carlo(mastery: Mastery, blueprint: Blueprint, samples: int, rng: random.Random) -> float:
    """P(pass) by brute force under the same model, written independently of predict_exam."""
    k = mastery.config.task_prior_strength
    a, b = mastery.level
    counts = domain_counts(blueprint, blueprint.questions_scored)
    passes = 0
    for _ in range(samples):
        g = rng.betavariate(a, b)
        right = 0
        for domain in blueprint.domains:
            tasks = [t.id for t in domain.tasks]
            start = rng.randrange(len(tasks))
            per_task: dict[str, float] = {}  # one p per task statement and form
            for j in range(counts[domain.id]):  # round-robin from a random start
                task = tasks[(start + j) % len(tasks)]
                if task not in per_task:
                    e = mastery.evidence[task]
                    per_task[task] = rng.betavariate(k * g + e.successes, k * (1 - g) + e.failures)
                right += rng.random() < per_task[task]
        passes += scaled_score(right, blueprint.questions_scored, blueprint) >= blueprint.passing_score
    return passes / samples


def test_golden_prediction() -> None:
    m = estimate_mastery(GOLDEN_HISTORY, MLA, now=NOW, config=CONFIG)
    p = predict_exam(m, MLA)
    assert p.p_pass == pytest.approx(0.287387663, abs=1e-8)
    assert p.mean_percent == pytest.approx(100 * m.overall.mean, abs=0.5)
    assert (p.percent_low, p.percent_high) == (44.0, 80.0)
    assert (p.scaled_low, p.scaled_median, p.scaled_high) == (478, 651, 800)
    assert p.pass_raw == 36 and p.scored_items == 50 and p.cut_percent == 72.0


@pytest.mark.slow  # Monte Carlo
@pytest.mark.parametrize("history", [[], GOLDEN_HISTORY], ids=["no history", "golden history"])
def test_matches_brute_force_simulation(history: list) -> None:  # type: ignore[type-arg]
    m = estimate_mastery(history, MLA, now=NOW, config=CONFIG)
    simulated = _monte_carlo(m, MLA, 20_000, random.Random(7))
    assert predict_exam(m, MLA).p_pass == pytest.approx(simulated, abs=0.015)


def test_no_history_gives_the_prior_not_a_verdict() -> None:
    for blueprint, pass_raw in ((MLA, 36), (MLS, 38)):
        p = predict_exam(estimate_mastery([], blueprint, now=NOW), blueprint)
        assert 0.15 < p.p_pass < 0.35  # the prior: 60% expected, worth 10 answers
        assert p.percent_high - p.percent_low >= 40
        assert p.pass_raw == pass_raw


def test_few_answers_stay_uncertain() -> None:
    perfect = [obs(f"q{i}", t, True) for i, t in enumerate(["1.1", "2.2", "3.3", "4.1", "1.2"])]
    p = predict_exam(estimate_mastery(perfect, MLA, now=NOW), MLA)
    assert 0.5 < p.p_pass < 0.8  # 0.64: up from 0.28, far from certain
    assert p.percent_high - p.percent_low >= 30
    hopeless = [obs(f"q{i}", t, False) for i, t in enumerate(["1.1", "2.2", "3.3", "4.1", "1.2"])]
    p = predict_exam(estimate_mastery(hopeless, MLA, now=NOW), MLA)
    assert 0.003 < p.p_pass < 0.05  # 0.009: five misses say "not yet", not "never"
    assert p.percent_high - p.percent_low >= 30


@pytest.mark.parametrize(("share", "low", "high"), [(0.9, 0.99, 1.0), (0.5, 0.0, 0.01), (0.74, 0.45, 0.85)])
def test_much_evidence_gives_a_confident_answer(share: float, low: float, high: float) -> None:
    rng = random.Random(3)
    history = [obs(f"q{i}", MLA.task_ids[i % 12], rng.random() < share, days_ago=i / 50) for i in range(1200)]
    p = predict_exam(estimate_mastery(history, MLA, now=NOW), MLA)
    assert low <= p.p_pass <= high
    assert p.percent_high - p.percent_low <= 26


def test_distribution_and_scaled_figures_are_consistent() -> None:
    m = estimate_mastery(GOLDEN_HISTORY, MLA, now=NOW, config=CONFIG)
    p = predict_exam(m, MLA)
    assert len(p.distribution) == 51 and math.fsum(p.distribution) == pytest.approx(1.0)
    assert all(x >= 0 for x in p.distribution)
    assert p.p_pass == pytest.approx(math.fsum(p.distribution[p.pass_raw :]))
    assert scaled_score(p.pass_raw, 50, MLA) >= 720 > scaled_score(p.pass_raw - 1, 50, MLA)
    expected = math.fsum(scaled_score(x, 50, MLA) * q for x, q in enumerate(p.distribution))
    assert p.expected_scaled == pytest.approx(expected)
    assert p.scaled_low == scaled_score(round(p.percent_low / 2), 50, MLA)
    assert p.scaled_high == scaled_score(round(p.percent_high / 2), 50, MLA)
    data = json.loads(json.dumps(p.to_dict()))
    assert data["scaled_is_estimate"] is True and data["p_pass"] == p.p_pass


def test_more_nodes_change_little() -> None:
    rng = random.Random(5)
    history = [obs(f"q{i}", MLA.task_ids[i % 12], rng.random() < 0.75) for i in range(60)]
    m = estimate_mastery(history, MLA, now=NOW)
    assert predict_exam(m, MLA).p_pass == pytest.approx(predict_exam(m, MLA, nodes=200).p_pass, abs=0.002)


def test_refusals() -> None:
    m = estimate_mastery([], MLA, now=NOW)
    with pytest.raises(ValueError, match="MLS-C01"):
        predict_exam(m, MLS)
    with pytest.raises(ValueError, match="nodes"):
        predict_exam(m, MLA, nodes=0)


@pytest.mark.slow  # property-based (hypothesis)
@settings(max_examples=60, deadline=None)
@given(answers, st.data())
def test_turning_a_wrong_answer_right_never_lowers_p_pass(
    rows: list[tuple[str, bool, float, int, str, int]], data: st.DataObject
) -> None:
    wrong = [i for i, r in enumerate(rows) if not r[1]]
    if not wrong:
        return
    i = data.draw(st.sampled_from(wrong))
    flipped = [*rows[:i], (rows[i][0], True, *rows[i][2:]), *rows[i + 1 :]]
    before = predict_exam(estimate_mastery(_history(rows), MLA, now=NOW), MLA)
    after = predict_exam(estimate_mastery(_history(flipped), MLA, now=NOW), MLA)
    assert after.p_pass >= before.p_pass - 1e-9
    assert after.mean_percent >= before.mean_percent - 1e-9


@pytest.mark.slow  # property-based (hypothesis)
@settings(max_examples=60, deadline=None)
@given(answers, st.sampled_from(["1.1", "3.2", "4.3"]), st.sampled_from([1, 2, 3]), st.integers(0, 20))
def test_one_more_right_answer_never_lowers_p_pass(
    rows: list[tuple[str, bool, float, int, str, int]], task: str, difficulty: int, qid: int
) -> None:
    before = predict_exam(estimate_mastery(_history(rows), MLA, now=NOW), MLA)
    more = [*rows, (task, True, 0.0, difficulty, "practice", qid)]
    after = predict_exam(estimate_mastery(_history(more), MLA, now=NOW), MLA)
    assert after.p_pass >= before.p_pass - 1e-9
