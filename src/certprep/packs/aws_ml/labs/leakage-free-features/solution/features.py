"""Leakage-free features for the fraud model (reference solution)."""

from __future__ import annotations

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

LABEL = "is_fraud"
NUMERIC = ["amount", "hour", "account_age_days", "distance_km"]
CATEGORICAL = ["merchant_category"]


def load(path: str = "transactions.csv") -> pd.DataFrame:
    return pd.read_csv(path, parse_dates=["ts"])


def time_split(df: pd.DataFrame, test_fraction: float = 0.2) -> tuple[pd.DataFrame, pd.DataFrame]:
    ordered = df.sort_values("ts", kind="stable")
    cut = round(len(ordered) * (1 - test_fraction))
    return ordered.iloc[:cut], ordered.iloc[cut:]


def build_pipeline() -> Pipeline:
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    columns = ColumnTransformer(
        [
            ("numeric", numeric, NUMERIC),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ],
        remainder="drop",  # chargeback_filed is known only weeks after the transaction
    )
    return Pipeline([("features", columns), ("model", LogisticRegression(max_iter=1000))])


def fit_and_evaluate(df: pd.DataFrame) -> tuple[Pipeline, float]:
    train, test = time_split(df)
    model = build_pipeline().fit(train.drop(columns=[LABEL]), train[LABEL])
    auc = roc_auc_score(test[LABEL], model.predict_proba(test.drop(columns=[LABEL]))[:, 1])
    return model, float(auc)


if __name__ == "__main__":
    model, auc = fit_and_evaluate(load())
    print(f"test ROC AUC: {auc:.3f}")
