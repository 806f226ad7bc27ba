"""Shared fixtures: a fresh database per test (SQLite always; PostgreSQL when
CERTPREP_TEST_POSTGRES_URL is set) and small content packs to break.

Fast by design: the bundled content pack is loaded once per test session (its objects are frozen,
and ``open_app`` is handed that copy), and a test's SQLite database is a copy of one migrated
and synced once per session (``settings``). ``database_url`` alone is an empty database, for the
tests of migrations and of the sync itself.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from certprep import app as app_module
from certprep import services
from certprep.app import Certprep
from certprep.config import Settings
from certprep.content import Pack, bundled_pack_path, load_pack
from certprep.store import make_engine, upgrade

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


@functools.cache
def bundled_pack() -> Pack:
    """The bundled content pack, loaded once per test session."""
    return load_pack(bundled_pack_path())


@functools.cache
def bundled_lint() -> dict[str, Any]:
    """The linter's figures over the bundled pack (``lint_pack(...).to_json()``), once per test
    session: the whole bank is linted in some seconds. Read it, do not change it."""
    from certprep.content.lint import lint_pack

    figures: dict[str, Any] = lint_pack(bundled_pack_path()).to_json()
    return figures


@pytest.fixture(autouse=True)
def _bundled_pack_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """``open_app`` (and so the CLI run in process) gets the session's copy of the bundled pack;
    any other pack (the small ones tests write) is loaded from its files as usual."""
    bundled = bundled_pack_path().resolve()

    def load(path: Path) -> Pack:
        return bundled_pack() if Path(path).resolve() == bundled else load_pack(path)

    monkeypatch.setattr(app_module, "load_pack", load)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated and synced with the bundled pack, once per session."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        services.sync_content(Certprep(settings=Settings(database_url=url), engine=engine, pack=bundled_pack()), NOW)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file itself
    finally:
        engine.dispose()
    return path


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


# Where the SQLite databases of the tests' apps go: memory-backed when the machine has it (every
# commit of SQLite with synchronous=FULL waits for the disk, which a test does not need).
MEMORY_DIR = Path("/dev/shm")


@pytest.fixture
def app_database_url(database_url: str, sqlite_template: Path) -> Iterator[str]:
    """The database of a test's app: on SQLite a copy of the session's migrated and synced one
    (``open_app`` then finds nothing to do), on PostgreSQL the empty schema (it migrates it)."""
    if not database_url.startswith("sqlite"):
        yield database_url
        return
    folder = Path(tempfile.mkdtemp(prefix="certprep-test-", dir=MEMORY_DIR if MEMORY_DIR.is_dir() else None))
    try:
        path = folder / "app.sqlite3"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database_prepared(app_database_url: str, database_url: str) -> bool:
    """The app's database is already migrated and synced with the bundled pack (the SQLite copy):
    ``open_app`` may skip both (tests/store covers them)."""
    return app_database_url != database_url


@pytest.fixture
def settings(tmp_path: Path, app_database_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=app_database_url)


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
