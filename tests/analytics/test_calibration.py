"""The calibration study, small: certprep's P(pass) beats the naive rule (seeded, a few seconds)."""

from __future__ import annotations

import random

import pytest

from research.calibration import brier_score, learner_seed, reliability_table, run_study, score_predictions
from research.simulation import Population, simulate_learner

from .conftest import MLA, MLS


@pytest.mark.slow  # a Monte Carlo study of 150 simulated learners: CI runs it, the quick run does not
def test_small_study_ours_beats_the_naive_rule() -> None:
    result = run_study(MLA, learners=150, seed=101)
    ours = result.score("certprep").brier
    assert ours < result.score("naive cut").brier - 0.03
    assert ours < result.score("naive percent").brier
    assert ours < result.score("base rate").brier
    assert 0.2 < result.pass_rate < 0.8  # a population where the question is open
    table = result.score("certprep").table
    assert sum(row.count for row in table) == 150


@pytest.mark.slow  # a Monte Carlo study of 100 simulated learners
def test_small_study_mls() -> None:
    result = run_study(MLS, learners=100, seed=7)
    assert result.score("certprep").brier < result.score("naive cut").brier


def test_the_study_is_seeded() -> None:
    assert run_study(MLA, learners=5, seed=3) == run_study(MLA, learners=5, seed=3)
    # learners are independent of how the study is split (the benchmark runs chunks in parallel)
    whole = [simulate_learner(MLA, random.Random(learner_seed(3, i))) for i in range(4)]
    again = simulate_learner(MLA, random.Random(learner_seed(3, 2)))
    assert whole[2] == again


def test_simulated_learner_shape() -> None:
    learner = simulate_learner(MLA, random.Random(1), Population(answers=(200, 201)))
    assert len(learner.observations) in (200, 201)
    assert {o.exam for o in learner.observations} == {"MLA-C01"}
    assert {o.source for o in learner.observations} <= {"exam", "practice", "review"}
    times = [o.at for o in learner.observations]
    assert max(times) < learner.exam_at
    assert 0 <= learner.raw <= 50 and 0 < learner.true_percent < 100
    assert learner.passed == (learner.raw >= 36)


def test_brier_and_reliability() -> None:
    assert brier_score([1.0, 0.0], [True, False]) == 0.0
    assert brier_score([0.5, 0.5], [True, False]) == 0.25
    assert brier_score([1.0], [False]) == 1.0
    with pytest.raises(ValueError):
        brier_score([], [])
    table = reliability_table([0.05, 0.15, 0.12, 1.0, 0.95], [False, True, False, True, True])
    assert [row.count for row in table] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 2]
    assert table[1].mean_predicted == pytest.approx(0.135) and table[1].observed == 0.5
    assert table[2].mean_predicted is None and table[9].observed == 1.0


def test_score_predictions_median_answers() -> None:
    rows = [({"certprep": 0.5, "naive cut": 1.0, "naive percent": 0.7}, True, n) for n in (10, 30, 20, 40)]
    result = score_predictions(rows)
    assert result.median_answers == 25.0 and result.pass_rate == 1.0
    assert result.score("naive cut").brier == 0.0
    with pytest.raises(KeyError):
        result.score("oracle")
