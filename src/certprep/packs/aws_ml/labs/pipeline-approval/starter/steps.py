"""The pipeline's first steps, as the pipeline definition writes them (given: you do not need to
change this file). Each function returns one step of the definition's "Steps" list."""

from __future__ import annotations

from typing import Any

# The trained model's artifact, as a later step refers to it (resolved when the pipeline runs).
MODEL_DATA = {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}


def processing_args(spec: dict[str, Any], script: str, inputs: list[dict[str, Any]], output: str) -> dict[str, Any]:
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


def processing_input(name: str, uri: Any, path: str) -> dict[str, Any]:
    return {
        "InputName": name,
        "S3Input": {"S3Uri": uri, "LocalPath": path, "S3DataType": "S3Prefix", "S3InputMode": "File"},
    }


def preprocess_step(spec: dict[str, Any]) -> dict[str, Any]:
    """Preprocess: reads the raw data (the InputData parameter), writes the training set."""
    return {
        "Name": "Preprocess",
        "Type": "Processing",
        "Arguments": processing_args(
            spec,
            "preprocess.py",
            [processing_input("raw", {"Get": "Parameters.InputData"}, "/opt/ml/processing/input/raw")],
            "train",
        ),
    }


def train_step(spec: dict[str, Any]) -> dict[str, Any]:
    """Train: XGBoost on the preprocessed training set."""
    return {
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


def evaluate_step(spec: dict[str, Any]) -> dict[str, Any]:
    """Evaluate: scores the trained model; its report goes to the "evaluation" output."""
    return {
        "Name": "Evaluate",
        "Type": "Processing",
        "Arguments": processing_args(
            spec, "evaluate.py", [processing_input("model", MODEL_DATA, "/opt/ml/processing/model")], "evaluation"
        ),
    }
