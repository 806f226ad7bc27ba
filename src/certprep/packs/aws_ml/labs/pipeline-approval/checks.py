"""Checks of the pipeline-approval lab: the learner's create() and approve() run inside moto's mock
of AWS. moto stores a pipeline definition but does not run it, so the checks walk the definition
themselves: they evaluate the condition step on evaluation reports of their own and perform the
registration it leads to, then match EventBridge events with moto's own event-pattern matcher."""

from __future__ import annotations

import json
from typing import Any, cast

from certprep.labs.api import CheckFailed, Context, check

COMPARISONS = {
    "Equals": lambda a, b: a == b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanOrEqualTo": lambda a, b: a >= b,
    "LessThan": lambda a, b: a < b,
    "LessThanOrEqualTo": lambda a, b: a <= b,
}
ARTIFACT = "s3://{bucket}/pipeline/model/pipelines-run/output/model.tar.gz"
EVENT_TYPE = "SageMaker Model Package State Change"


class Unresolved(Exception):
    """A value of the definition the checks cannot resolve (a reference to nothing they know)."""


def _steps(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Every step, those nested in a condition's branches included."""
    out = []
    for step in definition.get("Steps") or []:
        out.append(step)
        args = step.get("Arguments") or {}
        if step.get("Type") == "Condition":
            out += [s for branch in ("IfSteps", "ElseSteps") for s in args.get(branch) or []]
    return out


def _get_path(report: Any, path: str) -> Any:
    value = report
    for part in path.replace("[", ".").replace("]", "").split("."):
        if not part:
            continue
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def _resolve(value: Any, definition: dict[str, Any], report: dict[str, Any], spec: dict[str, Any]) -> Any:
    """A value of the definition as the pipeline would see it at run time."""
    if isinstance(value, dict) and "Get" in value:
        ref = str(value["Get"])
        if ref.startswith("Parameters."):
            for param in definition.get("Parameters") or []:
                if param.get("Name") == ref.split(".", 1)[1]:
                    return param.get("DefaultValue")
            raise Unresolved(ref)
        if ref.endswith(".ModelArtifacts.S3ModelArtifacts"):
            return ARTIFACT.format(bucket=spec["bucket"])
        raise Unresolved(ref)
    if isinstance(value, dict) and "Std:JsonGet" in value:
        spec_get = value["Std:JsonGet"]
        source = spec_get.get("PropertyFile")
        ref = str(source.get("Get", "")) if isinstance(source, dict) else str(source)
        name = ref.rsplit(".", 1)[-1]
        declared = {
            f["PropertyFileName"]
            for s in _steps(definition)
            if s.get("Type") == "Processing"
            for f in s.get("PropertyFiles") or []
        }
        if name not in declared:
            raise Unresolved(f"property file {name!r}")
        try:
            return _get_path(report, str(spec_get.get("Path", "")))
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise Unresolved(f"path {spec_get.get('Path')!r}") from exc
    return value


def _holds(condition: dict[str, Any], definition: dict[str, Any], report: dict[str, Any], spec: dict[str, Any]) -> bool:
    kind = condition.get("Type")
    if kind in COMPARISONS:
        left = _resolve(condition.get("LeftValue"), definition, report, spec)
        right = _resolve(condition.get("RightValue"), definition, report, spec)
        return bool(COMPARISONS[kind](float(left), float(right)))
    if kind == "Not":
        return not _holds(condition.get("Expression") or {}, definition, report, spec)
    if kind == "Or":
        return any(_holds(c, definition, report, spec) for c in condition.get("Conditions") or [])
    raise Unresolved(f"condition type {kind!r}")


def _branch(definition: dict[str, Any], auc: float, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps the condition step runs next when the evaluation report says ``auc``."""
    report = {"metrics": {spec["metric"]: {"value": auc}}}
    conditions = [s for s in definition.get("Steps") or [] if s.get("Type") == "Condition"]
    if len(conditions) != 1:
        raise CheckFailed(
            "a ConditionStep decides, from the evaluation, which steps run next: the pipeline needs one",
            detail=f"{len(conditions)} condition step(s)",
        )
    args = conditions[0].get("Arguments") or {}
    try:
        holds = all(_holds(c, definition, report, spec) for c in args.get("Conditions") or [])
    except (Unresolved, TypeError, ValueError) as exc:
        raise CheckFailed(
            "the condition reads the metric from the evaluation step's property file (JsonGet on "
            "Steps.<evaluation step>.PropertyFiles.<name>, at the metric's path in evaluation.json) and compares "
            "it with the bar",
            detail=f"cannot evaluate the condition: {exc}",
        ) from exc
    return list(args.get("IfSteps" if holds else "ElseSteps") or [])


def _event(package: dict[str, Any], status: str, group: str | None = None) -> dict[str, Any]:
    detail = {
        "ModelPackageGroupName": group or package["ModelPackageGroupName"],
        "ModelPackageVersion": package.get("ModelPackageVersion", 1),
        "ModelPackageArn": package["ModelPackageArn"],
        "ModelPackageStatus": "Completed",
        "ModelApprovalStatus": status,
    }
    return {
        "version": "0",
        "id": "2f0c1a5e-0000-4000-8000-000000000000",
        "detail-type": EVENT_TYPE,
        "source": "aws.sagemaker",
        "account": "123456789012",
        "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [package["ModelPackageArn"]],
        "detail": detail,
    }


def _world(ctx: Context) -> dict[str, Any]:
    """Run create() in a fresh mock, register a model as the pipeline would, run approve(); each
    phase's outcome (or the exception it raised) is kept for the check that judges it."""

    def run() -> dict[str, Any]:
        import boto3
        from moto import mock_aws

        spec = json.loads((ctx.workspace / "project.json").read_text(encoding="utf-8"))
        out: dict[str, Any] = {"spec": spec}
        with mock_aws():
            session = boto3.Session(region_name=spec["region"])
            session.client("s3").create_bucket(Bucket=spec["bucket"])
            sm, events = session.client("sagemaker"), session.client("events")
            out["returned"] = ctx.learner("pipeline").create(session, spec)
            pipelines = sm.list_pipelines()["PipelineSummaries"]
            out["pipelines"] = [p["PipelineName"] for p in pipelines]
            out["definitions"] = {
                p["PipelineName"]: json.loads(
                    sm.describe_pipeline(PipelineName=p["PipelineName"])["PipelineDefinition"]
                )
                for p in pipelines
            }
            out["groups"] = [
                g["ModelPackageGroupName"] for g in sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
            ]
            rules = events.list_rules()["Rules"]
            out["rules"] = [
                {**rule, "Targets": events.list_targets_by_rule(Rule=rule["Name"])["Targets"]} for rule in rules
            ]
            # Each later phase's failure is judged by the checks that need it, not by every check.
            try:
                out["registered"] = _register(sm, out)
            except Exception as exc:
                out["register_error"] = exc
                return out
            try:
                ctx.learner("pipeline").approve(session, out["registered"]["ModelPackageArn"])
                out["approved"] = sm.describe_model_package(ModelPackageName=out["registered"]["ModelPackageArn"])
            except Exception as exc:
                out["approve_error"] = exc
        return out

    return ctx.once("world", run)


def _registered(out: dict[str, Any]) -> dict[str, Any]:
    if "register_error" in out:
        raise out["register_error"]
    package: dict[str, Any] = out["registered"]
    return package


def _definition(out: dict[str, Any]) -> dict[str, Any]:
    spec = out["spec"]
    for name, definition in out["definitions"].items():
        if out["returned"] and str(out["returned"]).endswith(f"/{name}"):
            return dict(definition)
    if len(out["definitions"]) == 1:
        return dict(next(iter(out["definitions"].values())))
    raise CheckFailed(
        "create() creates one SageMaker AI pipeline (create_pipeline with the definition as JSON) and returns its ARN",
        detail=f"pipelines: {out['pipelines']}, returned {out['returned']!r}; bucket {spec['bucket']}",
    )


def _register(sm: Any, out: dict[str, Any]) -> dict[str, Any]:
    """What the pipeline does for a model above the bar: the RegisterModel step's arguments, resolved,
    sent to CreateModelPackage."""
    spec = out["spec"]
    definition = _definition(out)
    registers = [s for s in _branch(definition, spec["min_auc"] + 0.05, spec) if s.get("Type") == "RegisterModel"]
    if not registers:
        raise CheckFailed(
            "a model above the bar is registered by a RegisterModel step in the condition's IfSteps",
            detail="no RegisterModel step runs for an AUC above the bar",
        )
    args = registers[0].get("Arguments") or {}
    try:
        spec_in = json.loads(json.dumps(args.get("InferenceSpecification") or {}))
        for container in spec_in.get("Containers") or []:
            container["ModelDataUrl"] = _resolve(container.get("ModelDataUrl"), definition, {}, spec)
    except Unresolved as exc:
        raise CheckFailed(
            "the registered model's artifact is the training step's output: a reference to "
            "Steps.<training step>.ModelArtifacts.S3ModelArtifacts",
            detail=str(exc),
        ) from exc
    request = {
        "ModelPackageGroupName": args.get("ModelPackageGroupName"),
        "InferenceSpecification": spec_in,
        "ModelApprovalStatus": args.get("ModelApprovalStatus", "PendingManualApproval"),
    }
    if args.get("ModelMetrics"):
        request["ModelMetrics"] = args["ModelMetrics"]
    created = sm.create_model_package(**{k: v for k, v in request.items() if v is not None})
    return dict(sm.describe_model_package(ModelPackageName=created["ModelPackageArn"]))


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(value["Get"])] if "Get" in value else [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


@check("pipeline-steps", "The pipeline chains processing, training and evaluation by their outputs")
def pipeline_steps(ctx: Context) -> str:
    definition = _definition(_world(ctx))
    steps = _steps(definition)
    processing = {s.get("Name") for s in steps if s.get("Type") == "Processing"}
    training = [s for s in steps if s.get("Type") == "Training"]
    fed = [t for t in training if any(r.split(".")[1] in processing for r in _refs(t.get("Arguments")) if "." in r)]
    evaluations = [
        s
        for s in steps
        if s.get("Type") == "Processing"
        and s.get("PropertyFiles")
        and any(r.endswith(".ModelArtifacts.S3ModelArtifacts") for r in _refs(s.get("Arguments")))
    ]
    if not fed or not evaluations:
        raise CheckFailed(
            "steps pass data by reference to each other's properties (a processing step's output for the "
            "training step, Steps.<training step>.ModelArtifacts.S3ModelArtifacts for the evaluation); those "
            "references also order the steps, and the evaluation declares a PropertyFile for its report",
            detail=f"processing steps {sorted(n for n in processing if n)}, {len(training)} training step(s), "
            f"{len(fed)} fed by processing, {len(evaluations)} evaluation step(s) with a property file",
        )
    return f"{len(steps)} steps: " + ", ".join(f"{s.get('Name')} ({s.get('Type')})" for s in steps)


@check("condition", "The condition step registers the model only when its AUC reaches the bar")
def condition(ctx: Context) -> str:
    out = _world(ctx)
    spec, definition = out["spec"], _definition(out)
    bar = float(spec["min_auc"])
    cases = {bar + 0.05: True, bar: True, bar - 0.01: False, 0.5: False}
    for auc, expected in cases.items():
        registers = any(s.get("Type") == "RegisterModel" for s in _branch(definition, auc, spec))
        if registers != expected:
            raise CheckFailed(
                "the bar is a minimum: a model whose evaluation AUC is at or above it goes on to registration, "
                "one below it does not",
                detail=f"AUC {auc:.2f} against a bar of {bar}: {'registered' if registers else 'not registered'}",
            )
    return f"registered from AUC {bar} up, not below"


@check("pending-approval", "The pipeline registers the model in the project's group, pending manual approval")
def pending_approval(ctx: Context) -> str:
    out = _world(ctx)
    spec, package = out["spec"], _registered(out)
    if (
        spec["model_package_group"] not in out["groups"]
        or package.get("ModelPackageGroupName") != spec["model_package_group"]
    ):
        raise CheckFailed(
            "model versions live in a model package group of the Model Registry: create the group, and register "
            "into it",
            detail=f"groups {out['groups']}; registered into {package.get('ModelPackageGroupName')!r}",
        )
    if package.get("ModelApprovalStatus") != "PendingManualApproval":
        raise CheckFailed(
            "a model that passes the automatic bar still waits for a person to review it: register it pending "
            "manual approval, so that only an approval deploys it",
            detail=f"registered as {package.get('ModelApprovalStatus')}",
        )
    group = package["ModelPackageGroupName"]
    return f"{group} version {package.get('ModelPackageVersion')}: PendingManualApproval"


@check("approval", "approve() approves the registered model package")
def approval(ctx: Context) -> str:
    out = _world(ctx)
    _registered(out)
    if "approve_error" in out:
        raise out["approve_error"]
    status = out["approved"].get("ModelApprovalStatus")
    if status != "Approved":
        raise CheckFailed(
            "approving a model version changes its ModelApprovalStatus in the Model Registry (UpdateModelPackage)",
            detail=f"status after approve(): {status}",
        )
    return "Approved"


@check("deploy-rule", "An EventBridge rule sends this group's approvals, and only those, to the deploy function")
def deploy_rule(ctx: Context) -> str:
    from moto.events.models import EventPattern

    out = _world(ctx)
    spec, package = out["spec"], _registered(out)
    target = spec["deploy_function_arn"]
    rules = [r for r in out["rules"] if any(t.get("Arn") == target for t in r["Targets"])]
    if not rules:
        raise CheckFailed(
            "an EventBridge rule acts on an event through its targets: the deploy function is the target",
            detail=f"{len(out['rules'])} rule(s), none targets {target}",
        )
    should = {"approved": _event(package, "Approved")}
    should_not = {
        "pending": _event(package, "PendingManualApproval"),
        "rejected": _event(package, "Rejected"),
        "another group's approval": _event(package, "Approved", group="another-team-models"),
    }
    for rule in rules:
        if rule.get("State") != "ENABLED" or not rule.get("EventPattern"):
            continue
        pattern = EventPattern.load(rule["EventPattern"])
        matched = {name for name, event in {**should, **should_not}.items() if pattern.matches_event(cast(Any, event))}
        if "approved" in matched and not matched & set(should_not):
            return f"rule {rule['Name']} matches the approval only, target {target.rsplit(':', 1)[-1]}"
    raise CheckFailed(
        "a model package state change event is sent on every change (registration, approval, rejection) of "
        "every group: match the approval status Approved and this group, so that the rule deploys only on approval",
        detail=f"rules targeting the deploy function: {[r['Name'] for r in rules]}",
    )
