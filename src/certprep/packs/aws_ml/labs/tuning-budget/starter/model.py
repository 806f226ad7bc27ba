"""The model, its training loop, and the comparison of the two searches (given: you do not need
to change this file)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import optuna
import pandas as pd
import sklearn
from scipy.stats import rankdata
from sklearn.linear_model import SGDClassifier
from sklearn.preprocessing import StandardScaler

LABEL = "churned"
EPOCHS = 15
CLASSES = np.array([0, 1])


def make_model(params: dict[str, Any]) -> SGDClassifier:
    """A logistic regression trained by SGD with an elastic-net penalty; ``params`` holds its three
    hyperparameters: ``alpha`` (penalty strength), ``l1_ratio`` (0 = L2 .. 1 = L1), ``eta0`` (step size)."""
    return SGDClassifier(
        loss="log_loss",
        penalty="elasticnet",
        alpha=params["alpha"],
        l1_ratio=params["l1_ratio"],
        learning_rate="constant",
        eta0=params["eta0"],
        random_state=0,
    )


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC: the chance that a random positive row scores above a random negative one."""
    ranks = rankdata(scores)
    positive = labels == 1
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def xy(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return frame.drop(columns=[LABEL]).to_numpy(), frame[LABEL].to_numpy()


def train_epochs(params: dict[str, Any], train: pd.DataFrame, score_on: pd.DataFrame) -> Iterator[tuple[int, float]]:
    """Train the model of ``params`` on ``train`` one epoch at a time; after each epoch, yield
    (epoch, ROC AUC on ``score_on`` of the model as it stands)."""
    x, y = xy(train)
    scaler = StandardScaler().fit(x)
    x = scaler.transform(x)
    sx, sy = xy(score_on)
    sx = scaler.transform(sx)
    model = make_model(params)
    rng = np.random.default_rng(0)
    for epoch in range(EPOCHS):
        order = rng.permutation(len(y))
        with sklearn.config_context(skip_parameter_validation=True, assume_finite=True):
            model.partial_fit(x[order], y[order], classes=CLASSES)
            scores = model.decision_function(sx)
        yield epoch, roc_auc(sy, scores)


def final_score(params: dict[str, Any], train: pd.DataFrame, score_on: pd.DataFrame) -> float:
    """ROC AUC on ``score_on`` of the model trained for every epoch with ``params``."""
    return [auc for _, auc in train_epochs(params, train, score_on)][-1]


@dataclass
class Experiment:
    """One search: its Optuna study, and the selected model's ROC AUC on the test set."""

    study: optuna.Study
    test_auc: float


def compare(run_experiment: Callable[..., Experiment]) -> None:
    """Run both searches on the workspace's data and print what each found."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    splits = {name: pd.read_csv(f"{name}.csv") for name in ("train", "valid", "test")}
    for name in ("tpe", "random"):
        result = run_experiment(splits["train"], splits["valid"], splits["test"], name)
        pruned = sum(t.state == optuna.trial.TrialState.PRUNED for t in result.study.trials)
        print(
            f"{name:6}: best validation AUC {result.study.best_value:.4f} after {len(result.study.trials)} trials "
            f"({pruned} pruned); test AUC of the selected model {result.test_auc:.4f}"
        )
