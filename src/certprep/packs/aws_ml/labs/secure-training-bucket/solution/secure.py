"""Secure the training-data bucket (reference solution)."""

from __future__ import annotations

import json
from typing import Any

import boto3

ALIAS = "alias/training-data"
TRANSPORT_EFFECT = "Deny"


def encryption_rule(key_arn: str) -> dict[str, Any]:
    return {
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn},
        "BucketKeyEnabled": True,
    }


def secure(session: boto3.Session, spec: dict[str, Any]) -> str:
    kms = session.client("kms")
    s3 = session.client("s3")
    bucket = spec["bucket"]
    key = kms.create_key(Description="training data", KeyUsage="ENCRYPT_DECRYPT", KeySpec="SYMMETRIC_DEFAULT")
    key_arn = key["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key_arn)
    kms.create_alias(AliasName=ALIAS, TargetKeyId=key["KeyMetadata"]["KeyId"])
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [encryption_rule(key_arn)]})
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "TlsOnly",
                "Effect": TRANSPORT_EFFECT,
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return str(key_arn)


if __name__ == "__main__":
    with open("security.json", encoding="utf-8") as f:
        print(secure(boto3.Session(region_name="us-east-1"), json.load(f)))
