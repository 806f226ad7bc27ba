"""The deployment's existing resources, from a seed: deployment.json (names vary with the seed)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any


def spec(seed: int) -> dict[str, Any]:
    suffix = f"{random.Random(seed).randrange(16**6):06x}"
    bucket = f"churn-ml-{suffix}"
    return {
        "region": "us-east-1",
        "bucket": bucket,
        "champion_artifact": f"s3://{bucket}/models/champion/model.tar.gz",
        "challenger_artifact": f"s3://{bucket}/models/challenger/model.tar.gz",
        "image_uri": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
        "role_arn": "arn:aws:iam::123456789012:role/churn-sagemaker-execution",
    }


def generate(seed: int, dest: Path) -> None:
    (dest / "deployment.json").write_text(json.dumps(spec(seed), indent=2) + "\n", encoding="utf-8")
