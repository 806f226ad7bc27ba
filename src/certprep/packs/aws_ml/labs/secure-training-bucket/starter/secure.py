"""Secure the training-data bucket. Fill in the TODOs; see README.md."""

from __future__ import annotations

import json
from typing import Any

import boto3

ALIAS = "alias/training-data"


def secure(session: boto3.Session, spec: dict[str, Any]) -> str:
    """Create the KMS key and lock down spec["bucket"]; return the key's ARN."""
    kms = session.client("kms")
    s3 = session.client("s3")
    # TODO: create_key, enable_key_rotation, create_alias
    # TODO: put_bucket_encryption (SSE-KMS with the key, BucketKeyEnabled)
    # TODO: put_public_access_block, put_bucket_versioning
    # TODO: put_bucket_policy: deny when aws:SecureTransport is false
    _ = (kms, s3, json)
    raise NotImplementedError("secure")


if __name__ == "__main__":
    with open("security.json", encoding="utf-8") as f:
        print(secure(boto3.Session(region_name="us-east-1"), json.load(f)))
