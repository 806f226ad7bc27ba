"""The account and the bucket to secure, from a seed: security.json."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any


def spec(seed: int) -> dict[str, Any]:
    suffix = f"{random.Random(seed).randrange(16**6):06x}"
    return {"region": "us-east-1", "account": "123456789012", "bucket": f"training-data-{suffix}"}


def generate(seed: int, dest: Path) -> None:
    (dest / "security.json").write_text(json.dumps(spec(seed), indent=2) + "\n", encoding="utf-8")
