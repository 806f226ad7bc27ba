"""Bayesian tuning with early stopping against random search, under one trial budget. Fill in the
TODOs; see README.md. model.py holds the model and its training loop."""

from __future__ import annotations

from collections.abc import Callable

import optuna
import pandas as pd
from model import Experiment, compare, final_score, train_epochs

BUDGET = 30  # trials per search, the same for both
SEED = 7


def objective(train: pd.DataFrame, valid: pd.DataFrame) -> Callable[[optuna.Trial], float]:
    """An Optuna objective: suggest alpha, l1_ratio and eta0, train epoch by epoch with
    train_epochs(), report each epoch's score to the trial and stop early when the pruner says so;
    return the last score."""

    def run(trial: optuna.Trial) -> float:
        # TODO: the search space, then the training loop with trial.report() and trial.should_prune()
        _ = train_epochs
        raise NotImplementedError("objective")

    return run


def run_experiment(
    train: pd.DataFrame, valid: pd.DataFrame, test: pd.DataFrame, sampler: str, budget: int = BUDGET, seed: int = SEED
) -> Experiment:
    """One search: sampler "tpe" (Bayesian) or "random", a pruner, at most `budget` trials; then the
    selected model's ROC AUC on the test set (final_score())."""
    # TODO: the sampler (seeded), the pruner, the study, optimize(); then the test score
    _ = (objective, final_score)
    raise NotImplementedError("run_experiment")


if __name__ == "__main__":
    compare(run_experiment)
