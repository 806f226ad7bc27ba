"""A SageMaker AI pipeline that registers a model only above the bar, pending approval, and the
EventBridge rule that deploys it once approved (reference solution)."""

from __future__ import annotations

import json
from typing import Any

import boto3

PIPELINE = "churn-training"
RULE = "deploy-churn-on-approval"
APPROVAL_ON_REGISTER = "PendingManualApproval"


def _processing(spec: dict[str, Any], script: str, inputs: list[dict[str, Any]], output: str) -> dict[str, Any]:
    """The arguments of a processing job (CreateProcessingJob's request) that runs ``script``."""
    return {
        "ProcessingResources": {
            "ClusterConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30}
        },
        "AppSpecification": {
            "ImageUri": spec["processing_image"],
            "ContainerEntrypoint": ["python3", f"/opt/ml/processing/input/code/{script}"],
        },
        "RoleArn": spec["role_arn"],
        "ProcessingInputs": [
            *inputs,
            {
                "InputName": "code",
                "S3Input": {
                    "S3Uri": f"{spec['code_prefix']}/{script}",
                    "LocalPath": "/opt/ml/processing/input/code",
                    "S3DataType": "S3Prefix",
                    "S3InputMode": "File",
                },
            },
        ],
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": output,
                    "S3Output": {
                        "S3Uri": f"s3://{spec['bucket']}/pipeline/{output}",
                        "LocalPath": f"/opt/ml/processing/{output}",
                        "S3UploadMode": "EndOfJob",
                    },
                }
            ]
        },
    }


def _input(name: str, uri: Any, path: str) -> dict[str, Any]:
    return {
        "InputName": name,
        "S3Input": {"S3Uri": uri, "LocalPath": path, "S3DataType": "S3Prefix", "S3InputMode": "File"},
    }


def definition(spec: dict[str, Any]) -> dict[str, Any]:
    model_data = {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}
    preprocess = {
        "Name": "Preprocess",
        "Type": "Processing",
        "Arguments": _processing(
            spec,
            "preprocess.py",
            [_input("raw", {"Get": "Parameters.InputData"}, "/opt/ml/processing/input/raw")],
            "train",
        ),
    }
    train = {
        "Name": "Train",
        "Type": "Training",
        "Arguments": {
            "AlgorithmSpecification": {"TrainingImage": spec["training_image"], "TrainingInputMode": "File"},
            "RoleArn": spec["role_arn"],
            "OutputDataConfig": {"S3OutputPath": f"s3://{spec['bucket']}/pipeline/model"},
            "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            "HyperParameters": {"objective": "binary:logistic", "eval_metric": "auc", "num_round": "200"},
            "InputDataConfig": [
                {
                    "ChannelName": "train",
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": {"Get": "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"},
                            "S3DataDistributionType": "FullyReplicated",
                        }
                    },
                    "ContentType": "text/csv",
                }
            ],
        },
    }
    evaluate = {
        "Name": "Evaluate",
        "Type": "Processing",
        "Arguments": _processing(
            spec, "evaluate.py", [_input("model", model_data, "/opt/ml/processing/model")], "evaluation"
        ),
        "PropertyFiles": [
            {"PropertyFileName": "EvaluationReport", "OutputName": "evaluation", "FilePath": "evaluation.json"}
        ],
    }
    register = {
        "Name": "Register",
        "Type": "RegisterModel",
        "Arguments": {
            "ModelPackageGroupName": spec["model_package_group"],
            "ModelApprovalStatus": APPROVAL_ON_REGISTER,
            "InferenceSpecification": {
                "Containers": [{"Image": spec["training_image"], "ModelDataUrl": model_data}],
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
        "Steps": [preprocess, train, evaluate, check_auc],
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
