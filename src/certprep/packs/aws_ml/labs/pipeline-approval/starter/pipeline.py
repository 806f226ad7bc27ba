"""A SageMaker AI pipeline that registers a model only above the bar, pending approval, and the
EventBridge rule that deploys it once approved. Fill in the TODOs; see README.md."""

from __future__ import annotations

import json
from typing import Any

import boto3

PIPELINE = "churn-training"
RULE = "deploy-churn-on-approval"


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
    """The pipeline definition (JSON schema version 2020-12-01) as a dict: {"Version", "Parameters",
    "Steps"}; the README shows the shape of each step."""
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
        # TODO: declare the evaluation report (evaluation.json in the "evaluation" output) as a property file
    }
    # TODO: a RegisterModel step (CreateModelPackage's arguments: the group, the approval status,
    #       the inference specification with the trained model's artifact, the model metrics)
    # TODO: a Condition step comparing the report's AUC (metrics.auc.value) with spec["min_auc"],
    #       the RegisterModel step in IfSteps, a Fail step in ElseSteps
    _ = (preprocess, train, evaluate)
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
