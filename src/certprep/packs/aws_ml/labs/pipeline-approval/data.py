"""The project's existing resources and its quality bar, from a seed: project.json."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any


def spec(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    suffix = f"{rng.randrange(16**6):06x}"
    bucket = f"churn-mlops-{suffix}"
    account, region = "123456789012", "us-east-1"
    return {
        "region": region,
        "account": account,
        "bucket": bucket,
        "input_data": f"s3://{bucket}/raw/churn.csv",
        "code_prefix": f"s3://{bucket}/code",
        "role_arn": f"arn:aws:iam::{account}:role/churn-pipeline-execution",
        "processing_image": f"683313688378.dkr.ecr.{region}.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
        "training_image": f"683313688378.dkr.ecr.{region}.amazonaws.com/sagemaker-xgboost:1.7-1",
        "model_package_group": f"churn-models-{suffix}",
        "metric": "auc",
        "min_auc": rng.choice([0.78, 0.8, 0.82]),
        "deploy_function_arn": f"arn:aws:lambda:{region}:{account}:function:deploy-approved-churn-model",
    }


def generate(seed: int, dest: Path) -> None:
    (dest / "project.json").write_text(json.dumps(spec(seed), indent=2) + "\n", encoding="utf-8")
