"""Content sync by id + revision: idempotent, keeps old revisions, never rewrites history."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from certprep.app import open_app
from certprep.config import Settings
from certprep.store.content import ContentConflict
from certprep.store.tables import attempts, content_items, content_revisions, responses, users


def _rows(app):  # type: ignore[no-untyped-def]
    with app.engine.connect() as conn:
        items = sorted(tuple(r) for r in conn.execute(select(content_items)))
        revs = sorted((r.item_id, r.revision, r.content_hash) for r in conn.execute(select(content_revisions)))
    return items, revs


def test_bundled_sync_twice_changes_nothing(tmp_path: Path, database_url: str, now) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, database_url=database_url)  # an empty database
    app = open_app(settings, now=now)
    try:
        first = _rows(app)
        assert app.last_sync is not None and len(app.last_sync.added) == len(first[0]) > 0
    finally:
        app.close()
    again = open_app(settings, now=now + timedelta(days=1))
    try:
        assert again.last_sync is not None and not again.last_sync.changed
        assert again.last_sync.unchanged == len(first[0])
        assert _rows(again) == first
    finally:
        again.close()


def _record_answer(app, question_id: str, revision: int, now) -> None:  # type: ignore[no-untyped-def]
    with app.engine.begin() as conn:
        uid = conn.execute(
            users.insert().values(username="u", display_name="U", is_admin=False, is_local=False, created_at=now)
        ).inserted_primary_key[0]
        conn.execute(
            attempts.insert().values(
                id="a1",
                user_id=uid,
                exam_code="MLA-C01",
                mode="practice",
                title="t",
                status="submitted",
                version=1,
                state={},
                started_at=now,
            )
        )
        conn.execute(
            responses.insert().values(
                attempt_id="a1",
                user_id=uid,
                seq=1,
                event="answer",
                item_index=0,
                question_id=question_id,
                question_revision=revision,
                payload={"choice": 0},
                correct=True,
                recorded_at=now,
            )
        )


def test_new_revision_keeps_past_responses(mini_pack: Path, tmp_path: Path, database_url: str, now) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, database_url=database_url, pack_path=mini_pack)
    app = open_app(settings, now=now)
    _record_answer(app, "mini-single", 1, now)
    app.close()

    path = mini_pack / "questions" / "mini.yaml"
    path.write_text(path.read_text().replace("revision: 1", "revision: 2").replace("durably", "durably and cheaply"))
    app = open_app(settings, now=now)
    try:
        assert app.last_sync is not None and app.last_sync.revised == ["mini-single"]
        with app.engine.connect() as conn:
            current = conn.execute(select(content_items.c.current_revision).where(content_items.c.id == "mini-single"))
            assert current.scalar_one() == 2
            bodies = dict(
                conn.execute(
                    select(content_revisions.c.revision, content_revisions.c.body).where(
                        content_revisions.c.item_id == "mini-single"
                    )
                ).all()
            )
            assert "cheaply" not in bodies[1]["stem"] and "cheaply" in bodies[2]["stem"]
            answer = conn.execute(select(responses.c.question_id, responses.c.question_revision)).one()
            assert tuple(answer) == ("mini-single", 1)
    finally:
        app.close()


def test_changed_content_without_new_revision_is_refused(
    mini_pack: Path, tmp_path: Path, database_url: str, now
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, database_url=database_url, pack_path=mini_pack)
    open_app(settings, now=now).close()
    path = mini_pack / "questions" / "mini.yaml"
    path.write_text(path.read_text().replace("durably", "quietly"))
    with pytest.raises(ContentConflict, match="mini-single"):
        open_app(settings, now=now)
    # nothing was written: the stored revision 1 still has the old text
    app = open_app(settings, now=now, sync=False)
    try:
        with app.engine.connect() as conn:
            mine = content_revisions.c.item_id == "mini-single"
            body = conn.execute(select(content_revisions.c.body).where(mine)).scalar_one()
            assert "durably" in body["stem"]
            assert conn.execute(select(func.count()).select_from(content_revisions).where(mine)).scalar() == 1
    finally:
        app.close()


def test_item_removed_from_pack_is_kept_inactive(mini_pack: Path, tmp_path: Path, database_url: str, now) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, database_url=database_url, pack_path=mini_pack)
    extra = (
        (mini_pack / "questions" / "mini.yaml")
        .read_text()
        .replace("mini-single", "mini-two")
        .replace("durably", "for analytics")
    )
    (mini_pack / "questions" / "two.yaml").write_text(extra)
    open_app(settings, now=now).close()
    (mini_pack / "questions" / "two.yaml").unlink()
    app = open_app(settings, now=now)
    try:
        assert app.last_sync is not None and app.last_sync.deactivated == ["mini-two"]
        with app.engine.connect() as conn:
            active = conn.execute(select(content_items.c.active).where(content_items.c.id == "mini-two")).scalar_one()
            assert active is False
    finally:
        app.close()
