"""A SageMaker AI pipeline that registers a model only above the bar, pending approval, and the
EventBridge rule that deploys it once approved. Fill in the TODOs; see README.md. steps.py holds
the pipeline's first steps."""

from __future__ import annotations

import json
from typing import Any

import boto3
from steps import MODEL_DATA, evaluate_step, preprocess_step, train_step

PIPELINE = "churn-training"
RULE = "deploy-churn-on-approval"


def definition(spec: dict[str, Any]) -> dict[str, Any]:
    """The pipeline definition (JSON schema version 2020-12-01) as a dict: {"Version", "Parameters",
    "Steps"}; the README shows the shape of each step."""
    evaluate = evaluate_step(spec)
    # TODO: declare the evaluation report (evaluation.json in the "evaluation" output) as a property file
    # TODO: a RegisterModel step (CreateModelPackage's arguments: the group, the approval status,
    #       the inference specification with the trained model's artifact MODEL_DATA, the model metrics)
    # TODO: a Condition step comparing the report's AUC (metrics.auc.value) with spec["min_auc"],
    #       the RegisterModel step in IfSteps, a Fail step in ElseSteps
    # TODO: the definition: Version, the InputData parameter (spec["input_data"]), the steps
    _ = (preprocess_step, train_step, evaluate, MODEL_DATA)
    raise NotImplementedError("definition")


def create(session: boto3.Session, spec: dict[str, Any]) -> str:
    """Create the model package group, the pipeline and the EventBridge rule with its target; return
    the pipeline's ARN."""
    sagemaker, events = session.client("sagemaker"), session.client("events")
    # TODO: create_model_package_group, create_pipeline (the definition as a JSON string)
    # TODO: put_rule (an event pattern) and put_targets (the deploy function)
    _ = (sagemaker, events, PIPELINE, RULE)
    raise NotImplementedError("create")


def approve(session: boto3.Session, model_package_arn: str) -> None:
    """What the reviewer does once the evaluation looks right: approve the model package."""
    # TODO: update the model package's approval status
    raise NotImplementedError("approve")


if __name__ == "__main__":
    with open("project.json", encoding="utf-8") as f:
        print(json.dumps(definition(json.load(f)), indent=2))
