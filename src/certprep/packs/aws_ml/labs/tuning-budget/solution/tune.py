"""Bayesian tuning with early stopping against random search, under one trial budget (reference solution)."""

from __future__ import annotations

from collections.abc import Callable

import optuna
import pandas as pd
from model import Experiment, compare, final_score, train_epochs

BUDGET = 30  # trials per search, the same for both
SEED = 7


def objective(train: pd.DataFrame, valid: pd.DataFrame) -> Callable[[optuna.Trial], float]:
    def run(trial: optuna.Trial) -> float:
        params = {
            "alpha": trial.suggest_float("alpha", 1e-6, 1.0, log=True),
            "l1_ratio": trial.suggest_float("l1_ratio", 0.0, 1.0),
            "eta0": trial.suggest_float("eta0", 1e-4, 1.0, log=True),
        }
        auc = 0.5
        for epoch, auc in train_epochs(params, train, valid):
            trial.report(auc, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return auc

    return run


def run_experiment(
    train: pd.DataFrame, valid: pd.DataFrame, test: pd.DataFrame, sampler: str, budget: int = BUDGET, seed: int = SEED
) -> Experiment:
    chosen = optuna.samplers.TPESampler(seed=seed) if sampler == "tpe" else optuna.samplers.RandomSampler(seed=seed)
    pruner = optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=3)
    study = optuna.create_study(direction="maximize", sampler=chosen, pruner=pruner)
    study.optimize(objective(train, valid), n_trials=budget)
    return Experiment(study, final_score(study.best_params, train, test))


if __name__ == "__main__":
    compare(run_experiment)
