"""The churn model's lifecycle: ingest, features, train, register, deploy, monitor, retrain. (reference solution)"""

from __future__ import annotations

import json
import pickle
import time
from pathlib import Path
from typing import Any

import boto3
import numpy as np
import pandas as pd
import pygal
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
    if auc < cfg["min_auc"]:
        return None
    sm, s3 = session.client("sagemaker"), session.client("s3")
    groups = sm.list_model_package_groups(NameContains=cfg["model_package_group"])["ModelPackageGroupSummaryList"]
    if not any(g["ModelPackageGroupName"] == cfg["model_package_group"] for g in groups):
        sm.create_model_package_group(ModelPackageGroupName=cfg["model_package_group"])
    count = len(sm.list_model_packages(ModelPackageGroupName=cfg["model_package_group"])["ModelPackageSummaryList"])
    key = f"models/v{count + 1}/model.pkl"
    s3.put_object(Bucket=cfg["bucket"], Key=key, Body=pickle.dumps(model))
    package = sm.create_model_package(
        ModelPackageGroupName=cfg["model_package_group"],
        ModelApprovalStatus="Approved",
        InferenceSpecification={
            "Containers": [{"Image": cfg["image_uri"], "ModelDataUrl": f"s3://{cfg['bucket']}/{key}"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        CustomerMetadataProperties={"auc": f"{auc:.4f}"},
    )
    return str(package["ModelPackageArn"])


def deploy(session: boto3.Session, cfg: dict[str, Any], package_arn: str) -> str:
    """Serve the model package on the endpoint (created, or replaced); the model's name."""
    sm = session.client("sagemaker")
    version = package_arn.rsplit("/", 1)[-1]
    name = f"churn-v{version}"
    sm.create_model(
        ModelName=name, PrimaryContainer={"ModelPackageName": package_arn}, ExecutionRoleArn=cfg["role_arn"]
    )
    variant = {"VariantName": "main", "ModelName": name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
    sm.create_endpoint_config(EndpointConfigName=f"{name}-config", ProductionVariants=[variant])
    existing = sm.list_endpoints(NameContains=cfg["endpoint"])["Endpoints"]
    if any(e["EndpointName"] == cfg["endpoint"] for e in existing):
        sm.delete_endpoint(EndpointName=cfg["endpoint"])  # the mock has no UpdateEndpoint
    sm.create_endpoint(EndpointName=cfg["endpoint"], EndpointConfigName=f"{name}-config")
    return name


def psi(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> float:
    """Population stability index of ``actual`` against ``expected``, bins at the deciles of ``expected``."""
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)[1:-1]))
    e = np.bincount(np.searchsorted(edges, expected, side="right"), minlength=len(edges) + 1) / len(expected)
    a = np.bincount(np.searchsorted(edges, actual, side="right"), minlength=len(edges) + 1) / len(actual)
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))


def monitor(model: Pipeline, baseline: pd.DataFrame, batch: pd.DataFrame) -> dict[str, float]:
    """The batch's largest PSI over the numeric features, and the model's AUC on it (labels arrive later)."""
    drift = max(psi(baseline[f].to_numpy(), batch[f].to_numpy()) for f in NUMERIC)
    auc = roc_auc_score(batch[LABEL], model.predict_proba(batch[NUMERIC + CATEGORICAL])[:, 1])
    return {"psi": round(drift, 4), "auc": round(float(auc), 4)}


def dashboard(records: list[dict[str, Any]], path: Path) -> None:
    """A line chart of the live AUC and the largest PSI per batch, as SVG."""
    chart = pygal.Line(title="Churn model in production", x_title="batch", show_dots=True)
    chart.x_labels = [str(r["batch"]) for r in records]
    chart.add("AUC", [r["auc"] for r in records])
    chart.add("max PSI", [r["psi"] for r in records])
    path.write_bytes(chart.render())


def run(root: str, session: boto3.Session) -> None:
    """The whole lifecycle on the data under ``root``; writes run_log.jsonl and dashboard.svg there."""
    folder = Path(root)
    cfg = json.loads((folder / "pipeline.json").read_text(encoding="utf-8"))
    log = RunLog(folder / "run_log.jsonl")

    history, batches = ingest(folder)
    log.write("ingest", rows=len(history), batches=len(batches))
    log.write("features", numeric=NUMERIC, categorical=CATEGORICAL)
    model, auc = train(history)
    log.write("train", auc=auc, rows=len(history))
    package = register(session, cfg, model, auc)
    log.write("register", registered=package is not None, auc=auc, package=package)
    if package is None:
        return
    log.write("deploy", model=deploy(session, cfg, package), endpoint=cfg["endpoint"])

    baseline, retrained, records = history, False, []
    for i, batch in enumerate(batches):
        stats = monitor(model, baseline, batch)
        alarm = stats["psi"] > cfg["psi_alarm"]
        records.append({"batch": i, **stats})
        log.write("monitor", batch=i, alarm=alarm, **stats)
        if alarm and not retrained:
            retrained = True
            log.write("retrain", batch=i, reason=f"PSI {stats['psi']} > {cfg['psi_alarm']}")
            data = pd.concat([history, *batches[: i + 1]], ignore_index=True)
            log.write("features", numeric=NUMERIC, categorical=CATEGORICAL)
            candidate, auc = train(data)
            log.write("train", auc=auc, rows=len(data))
            package = register(session, cfg, candidate, auc)
            log.write("register", registered=package is not None, auc=auc, package=package)
            if package is not None:
                model = candidate
                log.write("deploy", model=deploy(session, cfg, package), endpoint=cfg["endpoint"])
            baseline = batch  # the drifted data is the new normal
    dashboard(records, folder / "dashboard.svg")


if __name__ == "__main__":
    from moto import mock_aws

    with mock_aws():  # moto's in-process mock of AWS: nothing reaches a real account
        settings = json.loads(Path("pipeline.json").read_text(encoding="utf-8"))
        mock = boto3.Session(region_name=settings["region"])
        mock.client("s3").create_bucket(Bucket=settings["bucket"])
        run(".", mock)
    print(Path("run_log.jsonl").read_text(encoding="utf-8"))
