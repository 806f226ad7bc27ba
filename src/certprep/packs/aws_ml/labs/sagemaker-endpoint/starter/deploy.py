"""Deploy the champion and the challenger behind one endpoint. Fill in the TODOs; see README.md."""

from __future__ import annotations

import json
from typing import Any

import boto3

ENDPOINT = "churn-endpoint"
CONFIG = "churn-config"


def deploy(session: boto3.Session, spec: dict[str, Any]) -> str:
    """Create the models, the endpoint configuration, the endpoint and its auto scaling; return the
    endpoint's name."""
    sagemaker = session.client("sagemaker")
    autoscaling = session.client("application-autoscaling")
    # TODO: create_model twice (churn-champion, churn-challenger)
    # TODO: create_endpoint_config with two ProductionVariants (90/10) and a DataCaptureConfig
    # TODO: create_endpoint
    # TODO: register_scalable_target and put_scaling_policy for the champion variant
    _ = (sagemaker, autoscaling)
    raise NotImplementedError("deploy")


if __name__ == "__main__":
    with open("deployment.json", encoding="utf-8") as f:
        print(deploy(boto3.Session(region_name="us-east-1"), json.load(f)))
