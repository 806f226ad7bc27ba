"""A SageMaker AI pipeline that registers a model only above the bar, pending approval, and the
EventBridge rule that deploys it once approved (reference solution)."""

from __future__ import annotations

import json
from typing import Any

import boto3
from steps import MODEL_DATA, evaluate_step, preprocess_step, train_step

PIPELINE = "churn-training"
RULE = "deploy-churn-on-approval"
APPROVAL_ON_REGISTER = "PendingManualApproval"


def definition(spec: dict[str, Any]) -> dict[str, Any]:
    evaluate = evaluate_step(spec)
    evaluate["PropertyFiles"] = [
        {"PropertyFileName": "EvaluationReport", "OutputName": "evaluation", "FilePath": "evaluation.json"}
    ]
    register = {
        "Name": "Register",
        "Type": "RegisterModel",
        "Arguments": {
            "ModelPackageGroupName": spec["model_package_group"],
            "ModelApprovalStatus": APPROVAL_ON_REGISTER,
            "InferenceSpecification": {
                "Containers": [{"Image": spec["training_image"], "ModelDataUrl": MODEL_DATA}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
                "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large"],
                "SupportedTransformInstanceTypes": ["ml.m5.large"],
            },
            "ModelMetrics": {
                "ModelQuality": {
                    "Statistics": {
                        "ContentType": "application/json",
                        "S3Uri": f"s3://{spec['bucket']}/pipeline/evaluation/evaluation.json",
                    }
                }
            },
        },
    }
    check_auc = {
        "Name": "CheckAUC",
        "Type": "Condition",
        "Arguments": {
            "Conditions": [
                {
                    "Type": "GreaterThanOrEqualTo",
                    "LeftValue": {
                        "Std:JsonGet": {
                            "PropertyFile": {"Get": "Steps.Evaluate.PropertyFiles.EvaluationReport"},
                            "Path": "metrics.auc.value",
                        }
                    },
                    "RightValue": spec["min_auc"],
                }
            ],
            "IfSteps": [register],
            "ElseSteps": [{"Name": "BelowTheBar", "Type": "Fail", "Arguments": {"ErrorMessage": "AUC below the bar"}}],
        },
    }
    return {
        "Version": "2020-12-01",
        "Parameters": [{"Name": "InputData", "Type": "String", "DefaultValue": spec["input_data"]}],
        "Steps": [preprocess_step(spec), train_step(spec), evaluate, check_auc],
    }


def create(session: boto3.Session, spec: dict[str, Any]) -> str:
    sagemaker, events = session.client("sagemaker"), session.client("events")
    sagemaker.create_model_package_group(
        ModelPackageGroupName=spec["model_package_group"], ModelPackageGroupDescription="Churn models"
    )
    created = sagemaker.create_pipeline(
        PipelineName=PIPELINE, PipelineDefinition=json.dumps(definition(spec)), RoleArn=spec["role_arn"]
    )
    pattern = {
        "source": ["aws.sagemaker"],
        "detail-type": ["SageMaker Model Package State Change"],
        "detail": {"ModelPackageGroupName": [spec["model_package_group"]], "ModelApprovalStatus": ["Approved"]},
    }
    events.put_rule(Name=RULE, EventPattern=json.dumps(pattern), State="ENABLED")
    events.put_targets(Rule=RULE, Targets=[{"Id": "deploy", "Arn": spec["deploy_function_arn"]}])
    return str(created["PipelineArn"])


def approve(session: boto3.Session, model_package_arn: str) -> None:
    session.client("sagemaker").update_model_package(
        ModelPackageArn=model_package_arn, ModelApprovalStatus="Approved", ApprovalDescription="Reviewed the evaluation"
    )


if __name__ == "__main__":
    with open("project.json", encoding="utf-8") as f:
        print(json.dumps(definition(json.load(f)), indent=2))
