"""Checks of the secure-training-bucket lab: the learner's secure() runs inside moto's mock of AWS."""

from __future__ import annotations

import json
from typing import Any

from certprep.labs.api import CheckFailed, Context, check

ALIAS = "alias/training-data"


def _state(ctx: Context) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        import boto3
        from botocore.exceptions import ClientError
        from moto import mock_aws

        spec = json.loads((ctx.workspace / "security.json").read_text(encoding="utf-8"))
        with mock_aws():
            session = boto3.Session(region_name=spec["region"])
            s3, kms = session.client("s3"), session.client("kms")
            s3.create_bucket(Bucket=spec["bucket"])
            returned = ctx.learner("secure").secure(session, spec)

            def read(call: Any, **kwargs: Any) -> Any:
                try:
                    return call(**kwargs)
                except ClientError:
                    return {}

            keys = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"] for k in kms.list_keys()["Keys"]]
            return {
                "spec": spec,
                "returned": returned,
                "keys": {k["Arn"]: k for k in keys},
                "rotation": {
                    k["Arn"]: kms.get_key_rotation_status(KeyId=k["KeyId"])["KeyRotationEnabled"] for k in keys
                },
                "aliases": {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]},
                "encryption": read(s3.get_bucket_encryption, Bucket=spec["bucket"]),
                "public": read(s3.get_public_access_block, Bucket=spec["bucket"]),
                "versioning": read(s3.get_bucket_versioning, Bucket=spec["bucket"]),
                "policy": read(s3.get_bucket_policy, Bucket=spec["bucket"]),
            }

    return ctx.once("state", run)


def _key(ctx: Context) -> dict[str, Any]:
    state = _state(ctx)
    key = state["keys"].get(state["returned"])
    if key is None:
        raise CheckFailed("secure() should return the ARN of the KMS key it created", detail=repr(state["returned"]))
    return dict(key)


@check("kms-key", "A customer managed, rotated KMS key with the alias alias/training-data")
def kms_key(ctx: Context) -> str:
    state, key = _state(ctx), _key(ctx)
    if key.get("KeyManager") != "CUSTOMER" or key.get("KeyUsage") != "ENCRYPT_DECRYPT":
        raise CheckFailed("a customer managed key is one you create, for encryption and decryption", detail=str(key))
    if not state["rotation"].get(key["Arn"]):
        raise CheckFailed(
            "automatic rotation makes KMS create new key material every year while old ciphertext stays readable",
            detail="rotation is off",
        )
    if state["aliases"].get(ALIAS) != key["KeyId"]:
        raise CheckFailed("an alias is a friendly name that points at one key", detail=f"aliases: {state['aliases']}")
    return f"{ALIAS} -> {key['KeyId']}, rotation on"


@check("default-encryption", "Objects are encrypted by default with that key, through an S3 Bucket Key")
def default_encryption(ctx: Context) -> str:
    state, key = _state(ctx), _key(ctx)
    rules = state["encryption"].get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {}) if rules else {}
    target = str(default.get("KMSMasterKeyID", ""))
    if default.get("SSEAlgorithm") != "aws:kms" or target not in (key["Arn"], key["KeyId"], ALIAS):
        raise CheckFailed(
            "SSE-S3 (AES256) uses keys that S3 owns: to control and audit who may decrypt, encrypt with "
            "SSE-KMS and a customer managed KMS key",
            detail=f"algorithm {default.get('SSEAlgorithm')}, key {target or 'none'}",
        )
    if not rules[0].get("BucketKeyEnabled"):
        raise CheckFailed(
            "an S3 Bucket Key lets S3 make data keys from one bucket-level key, cutting KMS requests",
            detail="BucketKeyEnabled is off",
        )
    return "SSE-KMS with the customer managed key, Bucket Key on"


@check("no-public-access", "Block Public Access is fully on and versioning is enabled")
def no_public_access(ctx: Context) -> str:
    state = _state(ctx)
    block = state["public"].get("PublicAccessBlockConfiguration", {})
    settings = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    off = [name for name in settings if not block.get(name)]
    if off:
        raise CheckFailed(
            "Block Public Access has four settings: two for ACLs, two for policies; all four keep a bucket private "
            "whatever an ACL or a policy says",
            detail=f"off: {', '.join(off)}",
        )
    if state["versioning"].get("Status") != "Enabled":
        raise CheckFailed("versioning keeps every version of an object through overwrites and deletes")
    return "all four settings on; versioning enabled"


def _decision(policy: dict[str, Any], bucket: str, secure_transport: bool) -> str:
    """S3's answer to an anonymous GetObject under ``policy``: explicit deny wins, else allow or implicit deny."""
    allowed = False
    for statement in policy.get("Statement", []):
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        resources = statement.get("Resource", [])
        resources = [resources] if isinstance(resources, str) else resources
        if not any(a in ("s3:*", "*", "s3:GetObject") for a in actions):
            continue
        if not any(r in (f"arn:aws:s3:::{bucket}/*", "*") for r in resources):
            continue
        if statement.get("Principal") not in ("*", {"AWS": "*"}):
            continue
        condition = statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
        if condition is not None and str(condition).lower() != str(secure_transport).lower():
            continue
        if statement.get("Effect") == "Deny":
            return "deny"
        allowed = allowed or statement.get("Effect") == "Allow"
    return "allow" if allowed else "implicit deny"


@check("tls-only", "The bucket policy refuses every request sent without TLS")
def tls_only(ctx: Context) -> str:
    state = _state(ctx)
    bucket = state["spec"]["bucket"]
    policy = json.loads(state["policy"].get("Policy", "{}"))
    plain, tls = _decision(policy, bucket, False), _decision(policy, bucket, True)
    if plain != "deny":
        raise CheckFailed(
            "only an explicit Deny overrides every Allow, from any principal: deny all S3 actions on the bucket "
            "and its objects when the condition key aws:SecureTransport is false",
            detail=f"a plain-HTTP GetObject would get: {plain}",
        )
    if tls == "allow":
        raise CheckFailed("the policy should not open the bucket to everyone over TLS", detail="anonymous TLS: allow")
    return "plain HTTP: explicit deny; TLS: left to IAM"
