"""Deploy the champion and the challenger behind one endpoint (reference solution)."""

from __future__ import annotations

import json
from typing import Any

import boto3

ENDPOINT = "churn-endpoint"
CONFIG = "churn-config"
CHAMPION_WEIGHT, CHALLENGER_WEIGHT = 0.9, 0.1
CAPTURE_MODES = ["Input", "Output"]


def deploy(session: boto3.Session, spec: dict[str, Any]) -> str:
    sagemaker = session.client("sagemaker")
    autoscaling = session.client("application-autoscaling")
    models = (("churn-champion", spec["champion_artifact"]), ("churn-challenger", spec["challenger_artifact"]))
    for name, artifact in models:
        sagemaker.create_model(
            ModelName=name,
            ExecutionRoleArn=spec["role_arn"],
            PrimaryContainer={"Image": spec["image_uri"], "ModelDataUrl": artifact},
        )
    sagemaker.create_endpoint_config(
        EndpointConfigName=CONFIG,
        ProductionVariants=[
            {
                "VariantName": "champion",
                "ModelName": "churn-champion",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 2,
                "InitialVariantWeight": CHAMPION_WEIGHT,
            },
            {
                "VariantName": "challenger",
                "ModelName": "churn-challenger",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
                "InitialVariantWeight": CHALLENGER_WEIGHT,
            },
        ],
        DataCaptureConfig={
            "EnableCapture": True,
            "InitialSamplingPercentage": 20,
            "DestinationS3Uri": f"s3://{spec['bucket']}/datacapture/",
            "CaptureOptions": [{"CaptureMode": mode} for mode in CAPTURE_MODES],
        },
    )
    sagemaker.create_endpoint(EndpointName=ENDPOINT, EndpointConfigName=CONFIG)
    resource = f"endpoint/{ENDPOINT}/variant/champion"
    dimension = "sagemaker:variant:DesiredInstanceCount"
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker", ResourceId=resource, ScalableDimension=dimension, MinCapacity=2, MaxCapacity=6
    )
    autoscaling.put_scaling_policy(
        PolicyName="churn-champion-invocations",
        ServiceNamespace="sagemaker",
        ResourceId=resource,
        ScalableDimension=dimension,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 100.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
        },
    )
    return ENDPOINT


if __name__ == "__main__":
    with open("deployment.json", encoding="utf-8") as f:
        print(deploy(boto3.Session(region_name="us-east-1"), json.load(f)))
