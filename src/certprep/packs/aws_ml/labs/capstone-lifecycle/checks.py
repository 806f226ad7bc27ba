"""Checks of the capstone-lifecycle lab: your run() goes through the whole lifecycle inside moto's
mock of AWS, on the workspace's data, on a stream the checks make with drift elsewhere, and with a
quality bar no model can reach."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from certprep.labs.api import CheckFailed, Context, check

ORDER = ["ingest", "features", "train", "register", "deploy", "monitor"]
WINDOW = 3  # the first alarm is due within this many batches of the drift's start
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _run(ctx: Context, folder: Path) -> dict[str, Any]:
    """Run the learner's pipeline on ``folder`` in a fresh mock; its log and the mock's state."""
    import boto3
    from moto import mock_aws

    cfg = json.loads((folder / "pipeline.json").read_text(encoding="utf-8"))
    with mock_aws():
        session = boto3.Session(region_name=cfg["region"])
        session.client("s3").create_bucket(Bucket=cfg["bucket"])
        ctx.learner("pipeline").run(str(folder), session)
        sm = session.client("sagemaker")
        groups = sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
        packages = []
        for group in groups:
            listed = sm.list_model_packages(ModelPackageGroupName=group["ModelPackageGroupName"])
            for summary in listed["ModelPackageSummaryList"]:
                packages.append(sm.describe_model_package(ModelPackageName=summary["ModelPackageArn"]))
        endpoints = [e["EndpointName"] for e in sm.list_endpoints()["Endpoints"]]
        serving = None
        if cfg["endpoint"] in endpoints:
            endpoint = sm.describe_endpoint(EndpointName=cfg["endpoint"])
            config = sm.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
            model = sm.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
            serving = model.get("PrimaryContainer", {})
    log_path = folder / "run_log.jsonl"
    if not log_path.is_file():
        raise CheckFailed("a pipeline leaves a run log behind: run_log.jsonl, one JSON object per stage it ran")
    log = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {"cfg": cfg, "log": log, "packages": packages, "endpoints": endpoints, "serving": serving}


def _hidden(ctx: Context, name: str, **cfg: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        data = ctx.lab("data")
        folder = Path(tempfile.mkdtemp(prefix="certprep-capstone-"))
        try:
            data.write_data(ctx.seed + 7, folder, **data.hidden_drift())
            config = {**data.config(ctx.seed + 7), **cfg}
            (folder / "pipeline.json").write_text(json.dumps(config), encoding="utf-8")
            return _run(ctx, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return ctx.once(f"run:{name}", make)


def _mine(ctx: Context) -> dict[str, Any]:
    return ctx.once("run:workspace", lambda: _run(ctx, ctx.workspace))


def _runs(ctx: Context) -> list[tuple[str, dict[str, Any], int]]:
    data = ctx.lab("data")
    return [
        ("your stream", _mine(ctx), data.workspace_drift()["start"]),
        ("the checks' stream", _hidden(ctx, "hidden"), data.hidden_drift()["start"]),
    ]


@check("stages-in-order", "The run log shows ingest, features, train, register, deploy, then monitoring")
def stages_in_order(ctx: Context) -> str:
    stages = [str(r.get("stage")) for r in _mine(ctx)["log"]]
    firsts = [stages.index(s) if s in stages else None for s in ORDER]
    missing = [s for s, i in zip(ORDER, firsts, strict=True) if i is None]
    if missing or firsts != sorted(firsts):  # type: ignore[type-var]
        raise CheckFailed(
            "each stage of a pipeline consumes what the one before produced: data, then features, a trained "
            "model, its registered version, the endpoint serving it, and only then monitoring; log each stage",
            detail=f"missing: {', '.join(missing)}" if missing else f"order seen: {' > '.join(dict.fromkeys(stages))}",
        )
    monitored = sum(s == "monitor" for s in stages)
    return f"{len(stages)} log records in order, {monitored} batches monitored"


@check("register-gate", "A model is registered only when its AUC reaches the bar, with its AUC")
def register_gate(ctx: Context) -> str:
    mine, high = _mine(ctx), _hidden(ctx, "unreachable-bar", min_auc=0.99)
    if high["packages"] or high["endpoints"]:
        raise CheckFailed(
            "a model enters the registry (and production) only when its evaluation reaches the bar: a quality "
            "gate, like a pipeline's condition step, stands between training and registration",
            detail=f"with min_auc 0.99: {len(high['packages'])} model package(s), endpoints {high['endpoints']}",
        )
    bar = mine["cfg"]["min_auc"]
    aucs = [float(p.get("CustomerMetadataProperties", {}).get("auc", "nan")) for p in mine["packages"]]
    if not aucs or not all(a >= bar for a in aucs):
        raise CheckFailed(
            "a model package records the evaluation that let it in (its metrics or metadata), so that an "
            "auditor can see why each version was registered",
            detail=f"{len(aucs)} model package(s) with AUC metadata {aucs}, bar {bar}",
        )
    return f"{len(aucs)} versions registered (AUC {', '.join(f'{a:.3f}' for a in aucs)}), none with an unreachable bar"


@check("drift-retrain", f"Drift raises the alarm within {WINDOW} batches, never before, and retrains once")
def drift_retrain(ctx: Context) -> str:
    seen = []
    for name, run, start in _runs(ctx):
        monitors = [r for r in run["log"] if r.get("stage") == "monitor"]
        alarms = [int(r["batch"]) for r in monitors if r.get("alarm")]
        retrains = [int(r.get("batch", -1)) for r in run["log"] if r.get("stage") == "retrain"]
        first = alarms[0] if alarms else None
        if first is None or not start <= first < start + WINDOW:
            raise CheckFailed(
                "compare each batch's feature distributions with the training data's (PSI per feature) and alarm "
                "when the shift is large, not on noise",
                detail=f"{name}: drift begins at batch {start}, alarms on {alarms[:5]}",
            )
        if retrains != [first]:
            raise CheckFailed(
                "retrain once when drift is confirmed, then monitor against the data the new model was trained "
                "on: compared with the old baseline, every later batch would alarm again",
                detail=f"{name}: first alarm at batch {first}, retraining at {retrains[:6]}",
            )
        seen.append(f"{name}: alarm and retraining at batch {first}")
    return "; ".join(seen)


@check("deployed", "The endpoint serves the latest registered version")
def deployed(ctx: Context) -> str:
    run = _mine(ctx)
    if not run["packages"] or run["serving"] is None:
        raise CheckFailed(
            "deployment puts a registered model version behind the endpoint named in pipeline.json",
            detail=f"{len(run['packages'])} model package(s), endpoints {run['endpoints']}",
        )
    latest = max(run["packages"], key=lambda p: int(p.get("ModelPackageVersion", 0)))
    data_url = latest["InferenceSpecification"]["Containers"][0].get("ModelDataUrl")
    serving = run["serving"]
    if serving.get("ModelPackageName") != latest["ModelPackageArn"] and serving.get("ModelDataUrl") != data_url:
        raise CheckFailed(
            "after retraining, the new version replaces the old one on the endpoint: a retrained model that is "
            "registered but never deployed changes nothing for the users",
            detail=f"latest version {latest.get('ModelPackageVersion')}, the endpoint serves {serving}",
        )
    return f"{run['cfg']['endpoint']} serves version {latest.get('ModelPackageVersion')}"


def _points(svg: str) -> int:
    """The most points any one line of an SVG drawing has (path or polyline)."""
    best = 0
    for attr in re.findall(r'\s(?:d|points)="([^"]*)"', svg):
        best = max(best, len(re.findall(r"-?\d+(?:\.\d+)?[ ,]+-?\d+(?:\.\d+)?", attr)))
    return best


@check("dashboard", "dashboard.svg (or .png) plots the monitored metric over the batches")
def dashboard(ctx: Context) -> str:
    run = _mine(ctx)
    batches = sum(r.get("stage") == "monitor" for r in run["log"])
    svg, png = ctx.workspace / "dashboard.svg", ctx.workspace / "dashboard.png"
    if png.is_file():
        head = png.read_bytes()[:24]
        width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        if head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR" or min(width, height) < 100:
            raise CheckFailed("a PNG file starts with the PNG signature and an IHDR header", detail=f"{width}x{height}")
        return f"dashboard.png, {width}x{height}"
    if not svg.is_file():
        raise CheckFailed(
            "a dashboard makes the monitoring readable at a glance: write the metric per batch as a chart",
            detail="no dashboard.svg or dashboard.png in the workspace",
        )
    text = svg.read_text(encoding="utf-8", errors="replace")
    points = _points(text)
    if "<svg" not in text or points < batches or batches == 0:
        raise CheckFailed(
            "the dashboard plots the monitored metric for every batch, one point per batch, as a line over time",
            detail=f"{batches} batches monitored, the longest line has {points} points",
        )
    return f"dashboard.svg: a line of {points} points for {batches} batches"
