"""Migrations apply on SQLite and PostgreSQL, are idempotent, and SQLite runs WAL with foreign keys."""

from __future__ import annotations

import json
from random import Random

from alembic import command
from sqlalchemy import func, inspect, select, text

from certprep.app import open_app
from certprep.config import Settings
from certprep.services import exams
from certprep.services.content import local_user
from certprep.store import make_engine, upgrade
from certprep.store.migrate import alembic_config, current_revision, head_revision
from certprep.store.tables import attempts, metadata, responses
from tests.conftest import NOW


def test_upgrade_creates_every_table_and_is_idempotent(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert set(metadata.tables) <= tables
    finally:
        engine.dispose()


def test_sqlite_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'x' / 'db.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_the_attempt_state_is_compressed_with_lz4_on_postgresql(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        if engine.dialect.name != "postgresql":
            return  # SQLite stores the state as it is
        with engine.connect() as conn:
            if not conn.execute(
                text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
            ).scalar():
                return  # a server without lz4 keeps its default
            method = conn.execute(
                text(
                    "SELECT attcompression FROM pg_attribute "
                    "WHERE attrelid = 'attempts'::regclass AND attname = 'state'"
                )
            ).scalar()
        assert method == "l"
    finally:
        engine.dispose()


def test_0005_moves_the_form_of_every_attempt_out_of_its_state_and_back(settings: Settings) -> None:
    """An attempt stored before 0005 (its form inside its state) reads the same after it; its
    response log is untouched; the downgrade puts the form back."""
    app = open_app(settings, now=NOW)
    try:
        user = local_user(app, NOW)["id"]
        views = []
        for form in (1, 2):
            view = exams.start_exam(
                app, user, exams.StartRequest("MLA-C01", "fixed", form=form), now=NOW, rng=Random(form)
            )
            view = exams.act(app, user, view.id, {"type": "flag", "index": 1}, expected_version=view.version, now=NOW)
            views.append(view)
        config = alembic_config(app.engine)
        with app.engine.connect() as conn:
            logged = conn.execute(select(func.count()).select_from(responses)).scalar_one()
            stored = {
                r.id: (r.state, r.form) for r in conn.execute(select(attempts.c.id, attempts.c.state, attempts.c.form))
            }
        assert all("form" not in state and form["items"] for state, form in stored.values())

        command.downgrade(config, "0004")
        with app.engine.connect() as conn:
            assert "form" not in {c["name"] for c in inspect(conn).get_columns("attempts")}
            rows = conn.execute(text("SELECT id, state FROM attempts")).all()
            old = {r.id: json.loads(r.state) if isinstance(r.state, str) else r.state for r in rows}
            assert conn.execute(select(func.count()).select_from(responses)).scalar_one() == logged
        assert old == {key: {**state, "form": form} for key, (state, form) in stored.items()}

        upgrade(app.engine)
        with app.engine.connect() as conn:
            again = {
                r.id: (r.state, r.form) for r in conn.execute(select(attempts.c.id, attempts.c.state, attempts.c.form))
            }
            assert conn.execute(select(func.count()).select_from(responses)).scalar_one() == logged
        assert again == stored
    finally:
        app.close()
    reopened = open_app(settings, now=NOW)  # a new process: nothing remembered
    try:
        for view in views:
            assert exams.attempt_view(reopened, user, view.id, now=NOW) == view
    finally:
        reopened.close()
