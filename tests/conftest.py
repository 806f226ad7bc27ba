"""Shared fixtures: a fresh database per test (SQLite always; PostgreSQL when
CERTPREP_TEST_POSTGRES_URL is set) and small content packs to break."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from certprep.config import Settings
from certprep.content import bundled_pack_path

POSTGRES_URL = os.environ.get("CERTPREP_TEST_POSTGRES_URL")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def anyio_backend() -> str:
    """Tests marked ``anyio`` run on asyncio (the web server's loop)."""
    return "asyncio"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url)


MINI_QUESTION = """\
id: mini-single
revision: 1
type: single
exams:
  - {exam: MLA-C01, task: "1.1"}
difficulty: 1
services: [amazon s3]
concepts: [storage]
stem: |
  A team stores training data. Which service stores objects durably?
options:
  - text: Amazon S3
    correct: true
    rationale: Object storage with high durability.
  - text: Amazon EBS
    rationale: Block storage attached to one instance.
  - text: Amazon SQS
    rationale: A message queue, not storage for datasets.
  - text: AWS Lambda
    rationale: Compute, not storage.
references:
  - title: Amazon S3 User Guide
    url: https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html
"""


@pytest.fixture
def mini_pack(tmp_path: Path) -> Path:
    """A valid pack: the bundled blueprints, pack.yaml and one question."""
    root = tmp_path / "pack"
    (root / "questions").mkdir(parents=True)
    shutil.copytree(bundled_pack_path() / "blueprints", root / "blueprints")
    shutil.copy(bundled_pack_path() / "pack.yaml", root / "pack.yaml")
    (root / "questions" / "mini.yaml").write_text(MINI_QUESTION)
    return root
