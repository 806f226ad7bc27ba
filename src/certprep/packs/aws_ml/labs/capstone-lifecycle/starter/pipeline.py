"""The churn model's lifecycle, from ingest to retraining. Fill in the TODOs; see README.md."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import boto3
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["tenure_months", "monthly_spend", "support_calls"]
CATEGORICAL = ["plan"]
LABEL = "churned"


class RunLog:
    """The run log: one JSON object per line, each with its stage."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.write_text("", encoding="utf-8")

    def write(self, stage: str, **fields: Any) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"stage": stage, "time": time.time(), **fields}) + "\n")


def ingest(root: Path) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The labelled history and the stream's batches, in order."""
    batches = [pd.read_csv(p) for p in sorted((root / "stream").glob("batch_*.csv"))]
    return pd.read_csv(root / "history.csv"), batches


def features() -> ColumnTransformer:
    """The feature transformation: scaled numbers, one-hot plan (fitted with the model)."""
    return ColumnTransformer(
        [("num", StandardScaler(), NUMERIC), ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL)]
    )


def train(data: pd.DataFrame) -> tuple[Pipeline, float]:
    """A model fitted on 80% of ``data`` and its ROC AUC on the other 20%."""
    fit, test = train_test_split(data, test_size=0.2, random_state=0, stratify=data[LABEL])
    model = Pipeline([("features", features()), ("clf", LogisticRegression(max_iter=1000))])
    model.fit(fit[NUMERIC + CATEGORICAL], fit[LABEL])
    auc = roc_auc_score(test[LABEL], model.predict_proba(test[NUMERIC + CATEGORICAL])[:, 1])
    return model, float(auc)


def register(session: boto3.Session, cfg: dict[str, Any], model: Pipeline, auc: float) -> str | None:
    """Register the model as a new approved version when its AUC reaches min_auc; its ARN, or None."""
    # TODO: below min_auc, None; else upload the model to S3, create the model package group once,
    # create an approved model package with the AUC in its metadata; return its ARN
    raise NotImplementedError("register")


def deploy(session: boto3.Session, cfg: dict[str, Any], package_arn: str) -> str:
    """Serve the model package on the endpoint (created, or replaced); the model's name."""
    # TODO: a SageMaker AI model from the package, an endpoint configuration, the endpoint
    # (moto has no UpdateEndpoint: replace an existing endpoint by deleting and creating it)
    raise NotImplementedError("deploy")


def psi(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> float:
    """Population stability index of ``actual`` against ``expected``, bins at the deciles of ``expected``."""
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)[1:-1]))
    e = np.bincount(np.searchsorted(edges, expected, side="right"), minlength=len(edges) + 1) / len(expected)
    a = np.bincount(np.searchsorted(edges, actual, side="right"), minlength=len(edges) + 1) / len(actual)
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))


def monitor(model: Pipeline, baseline: pd.DataFrame, batch: pd.DataFrame) -> dict[str, float]:
    """The batch's largest PSI over the numeric features, and the model's AUC on it (labels arrive later)."""
    # TODO
    raise NotImplementedError("monitor")


def dashboard(records: list[dict[str, Any]], path: Path) -> None:
    """A line chart of the live AUC and the largest PSI per batch, as SVG."""
    # TODO: pygal.Line(), one series per metric, chart.render() is the SVG's bytes
    raise NotImplementedError("dashboard")


def run(root: str, session: boto3.Session) -> None:
    """The whole lifecycle on the data under ``root``; writes run_log.jsonl and dashboard.svg there."""
    folder = Path(root)
    cfg = json.loads((folder / "pipeline.json").read_text(encoding="utf-8"))
    log = RunLog(folder / "run_log.jsonl")
    # TODO: ingest, features, train, register (stop if not registered), deploy: log each stage;
    # then monitor each batch (log it), retrain on the first alarm (features, train, register,
    # deploy again, log each), and write the dashboard
    _ = (cfg, session, log)
    raise NotImplementedError("run")


if __name__ == "__main__":
    from moto import mock_aws

    with mock_aws():  # moto's in-process mock of AWS: nothing reaches a real account
        settings = json.loads(Path("pipeline.json").read_text(encoding="utf-8"))
        mock = boto3.Session(region_name=settings["region"])
        mock.client("s3").create_bucket(Bucket=settings["bucket"])
        run(".", mock)
    print(Path("run_log.jsonl").read_text(encoding="utf-8"))
