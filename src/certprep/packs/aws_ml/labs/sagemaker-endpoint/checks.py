"""Checks of the sagemaker-endpoint lab: the learner's deploy() runs inside moto's mock of AWS."""

from __future__ import annotations

import json
from typing import Any

from certprep.labs.api import CheckFailed, Context, check

ENDPOINT = "churn-endpoint"


def _state(ctx: Context) -> dict[str, Any]:
    """Run deploy() once in a fresh mock and read back everything the checks look at."""

    def deploy() -> dict[str, Any]:
        import boto3
        from moto import mock_aws

        spec = json.loads((ctx.workspace / "deployment.json").read_text(encoding="utf-8"))
        with mock_aws():
            session = boto3.Session(region_name=spec["region"])
            s3 = session.client("s3")
            s3.create_bucket(Bucket=spec["bucket"])
            for key in ("champion_artifact", "challenger_artifact"):
                s3.put_object(Bucket=spec["bucket"], Key=spec[key].split("/", 3)[3], Body=b"model")
            name = ctx.learner("deploy").deploy(session, spec)
            sm = session.client("sagemaker")
            aas = session.client("application-autoscaling")
            endpoint = sm.describe_endpoint(EndpointName=ENDPOINT)
            config = sm.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
            models = {v["ModelName"]: sm.describe_model(ModelName=v["ModelName"]) for v in config["ProductionVariants"]}
            return {
                "spec": spec,
                "returned": name,
                "endpoint": endpoint,
                "config": config,
                "models": models,
                "targets": aas.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"],
                "policies": aas.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"],
            }

    return ctx.once("state", deploy)


def _variants(ctx: Context) -> dict[str, dict[str, Any]]:
    return {v["VariantName"]: v for v in _state(ctx)["config"]["ProductionVariants"]}


@check("endpoint", "The endpoint churn-endpoint is in service and deploy() returns its name")
def endpoint(ctx: Context) -> str:
    state = _state(ctx)
    if state["returned"] != ENDPOINT:
        raise CheckFailed("deploy() should return the name of the endpoint it created", detail=repr(state["returned"]))
    return f"{ENDPOINT}: {state['endpoint']['EndpointStatus']}, configuration {state['endpoint']['EndpointConfigName']}"


@check("models", "Each variant serves its own model, from the right artifact, with the execution role")
def models(ctx: Context) -> str:
    state, variants = _state(ctx), _variants(ctx)
    spec = state["spec"]
    expected = {"champion": spec["champion_artifact"], "challenger": spec["challenger_artifact"]}
    if set(variants) != set(expected):
        raise CheckFailed(
            "an endpoint configuration lists one production variant per model that takes traffic; "
            "name them champion and challenger",
            detail=f"variants: {sorted(variants)}",
        )
    for name, artifact in expected.items():
        model = state["models"][variants[name]["ModelName"]]
        container = model.get("PrimaryContainer", {})
        if container.get("ModelDataUrl") != artifact or model.get("ExecutionRoleArn") != spec["role_arn"]:
            raise CheckFailed(
                "a SageMaker AI model ties a container image to a model artifact in S3 and the role that reads it",
                detail=f"variant {name} serves {container.get('ModelDataUrl')}",
            )
    return "champion and challenger models with their artifacts"


@check("variant-split", "The champion gets 90% of the traffic, the challenger 10%")
def variant_split(ctx: Context) -> str:
    variants = _variants(ctx)
    total = sum(float(v.get("InitialVariantWeight", 1.0)) for v in variants.values())
    share = {name: float(v.get("InitialVariantWeight", 1.0)) / total for name, v in variants.items()}
    if abs(share.get("champion", 0) - 0.9) > 1e-6 or abs(share.get("challenger", 0) - 0.1) > 1e-6:
        raise CheckFailed(
            "a variant's share of the traffic is its weight divided by the sum of all variants' weights",
            detail=", ".join(f"{name} {s:.0%}" for name, s in sorted(share.items())),
        )
    counts = {name: v.get("InitialInstanceCount") for name, v in variants.items()}
    if counts != {"champion": 2, "challenger": 1}:
        raise CheckFailed("traffic weights and instance counts are set apart, per variant", detail=str(counts))
    return "champion 90%, challenger 10%"


@check("data-capture", "Requests and responses are captured, 20% sampled, under s3://<bucket>/datacapture/")
def data_capture(ctx: Context) -> str:
    state = _state(ctx)
    capture = state["config"].get("DataCaptureConfig") or {}
    modes = {o.get("CaptureMode") for o in capture.get("CaptureOptions", [])}
    if not capture.get("EnableCapture") or modes != {"Input", "Output"}:
        raise CheckFailed(
            "Model Monitor compares what the endpoint receives and what it answers with a baseline: data "
            "capture has to record both the input and the output of each sampled request",
            detail=f"capture enabled: {bool(capture.get('EnableCapture'))}, modes: {sorted(m for m in modes if m)}",
        )
    if capture.get("InitialSamplingPercentage") != 20:
        raise CheckFailed("the sampling percentage sets the share of requests captured", detail=str(capture))
    destination = str(capture.get("DestinationS3Uri", "")).rstrip("/")
    if destination != f"s3://{state['spec']['bucket']}/datacapture":
        hint = "data capture writes to an S3 URI you choose in the endpoint configuration"
        raise CheckFailed(hint, detail=destination)
    return f"Input and Output, 20%, to {destination}/"


@check("auto-scaling", "The champion variant scales from 2 to 6 instances on invocations per instance")
def auto_scaling(ctx: Context) -> str:
    state = _state(ctx)
    resource = f"endpoint/{ENDPOINT}/variant/champion"
    targets = [t for t in state["targets"] if t["ResourceId"] == resource]
    if not targets or (targets[0]["MinCapacity"], targets[0]["MaxCapacity"]) != (2, 6):
        raise CheckFailed(
            "Application Auto Scaling scales a variant's DesiredInstanceCount once the variant is registered as "
            "a scalable target (resource endpoint/<name>/variant/<variant>) with its minimum and maximum",
            detail=f"{len(targets)} scalable target(s) for {resource}",
        )
    policies = [p for p in state["policies"] if p["ResourceId"] == resource]
    tracking = [p.get("TargetTrackingScalingPolicyConfiguration", {}) for p in policies]
    metric = [c.get("PredefinedMetricSpecification", {}).get("PredefinedMetricType") for c in tracking]
    if "SageMakerVariantInvocationsPerInstance" not in metric or 100.0 not in [c.get("TargetValue") for c in tracking]:
        raise CheckFailed(
            "a target-tracking policy keeps a metric near a target value; for an endpoint the usual metric is "
            "the predefined invocations per instance",
            detail=f"{len(policies)} policy(ies) on {resource}",
        )
    return "2-6 instances, target 100 invocations per instance"
