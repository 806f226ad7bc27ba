"""Checks of the leakage-free-features lab."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from certprep.labs.api import CheckFailed, Context, check

LABEL = "is_fraud"
MIN_AUC = 0.80


def _data(ctx: Context) -> pd.DataFrame:
    return ctx.once("data", lambda: pd.read_csv(ctx.workspace / "transactions.csv", parse_dates=["ts"]))


def _fitted(ctx: Context) -> Any:
    def fit() -> Any:
        result = ctx.learner("features").fit_and_evaluate(_data(ctx).copy())
        if not (isinstance(result, tuple) and len(result) == 2 and hasattr(result[0], "predict_proba")):
            raise CheckFailed("fit_and_evaluate must return (fitted model with predict_proba, test ROC AUC)")
        return result[0]

    return ctx.once("fitted", fit)


def _expected_split(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    ordered = df.sort_values("ts", kind="stable")
    cut = round(len(ordered) * 0.8)
    return ordered.iloc[:cut], ordered.iloc[cut:]


@check("time-split", "The test rows are the latest 20% of transactions")
def time_split(ctx: Context) -> str:
    df = _data(ctx)
    train, test = ctx.learner("features").time_split(df.copy())
    if abs(len(test) - 0.2 * len(df)) > 0.01 * len(df) or len(train) + len(test) != len(df):
        raise CheckFailed("hold out a fifth of the rows, and keep every row in exactly one of the two sets")
    if train["ts"].max() > test["ts"].min():
        raise CheckFailed(
            "a random split lets the model train on the future it is tested on: with data ordered in time, "
            "train on the past and test on what came after it",
            detail=f"latest training row {train['ts'].max()}, earliest test row {test['ts'].min()}",
        )
    return f"train until {train['ts'].max():%Y-%m-%d}, test from {test['ts'].min():%Y-%m-%d}"


@check("fitted-on-train", "Every preprocessing step was fitted on the training rows only")
def fitted_on_train(ctx: Context) -> str:
    model = _fitted(ctx)
    train, test = _expected_split(_data(ctx))
    refit = clone(model).fit(train.drop(columns=[LABEL]), train[LABEL])
    features = test.drop(columns=[LABEL])
    theirs = model.predict_proba(features)[:, 1]
    ours = refit.predict_proba(features)[:, 1]
    gap = float(np.max(np.abs(theirs - ours)))
    if gap > 1e-6:
        raise CheckFailed(
            "the fitted model differs from one whose every step (imputer, scaler, encoder, classifier) was "
            "fitted on the training rows alone: statistics learned from test rows leak into the score; keep "
            "preprocessing inside the Pipeline and fit the whole Pipeline on the training split",
            detail=f"largest difference in a predicted probability: {gap:.4f}",
        )
    return "the same predictions as a pipeline refitted on the training rows"


@check("no-hindsight-column", "The model ignores columns not known when a transaction is scored")
def no_hindsight(ctx: Context) -> str:
    model = _fitted(ctx)
    rows = _data(ctx).drop(columns=[LABEL]).head(500).copy()
    with_flag, without_flag = rows.assign(chargeback_filed=1), rows.assign(chargeback_filed=0)
    gap = float(np.max(np.abs(model.predict_proba(with_flag)[:, 1] - model.predict_proba(without_flag)[:, 1])))
    if gap > 1e-9:
        raise CheckFailed(
            "target leakage: a feature recorded after the outcome (here, weeks after the transaction) makes "
            "validation look perfect and is missing in production; use only what is known at prediction time",
            detail=f"changing chargeback_filed moves a prediction by up to {gap:.3f}",
        )
    return "chargeback_filed has no effect on the predictions"


@check("next-month-auc", f"ROC AUC on next month's transactions is at least {MIN_AUC}")
def next_month_auc(ctx: Context) -> str:
    model = _fitted(ctx)
    future = ctx.lab("data").next_month(ctx.seed)
    auc = float(roc_auc_score(future[LABEL], model.predict_proba(future.drop(columns=[LABEL]))[:, 1]))
    if auc < MIN_AUC:
        raise CheckFailed(
            "the model does not rank next month's fraud well: use every column known at scoring time, "
            "impute missing values, scale numeric features and one-hot encode the category",
            detail=f"ROC AUC {auc:.3f}",
        )
    return f"ROC AUC {auc:.3f}"
