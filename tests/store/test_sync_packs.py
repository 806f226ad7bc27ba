"""Content sync of several packs: each item keeps its pack's id; a pack not served keeps its items."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from certprep.app import open_app
from certprep.config import Settings
from certprep.store.tables import content_items
from tests.conftest import MINI_QUESTION
from tests.content.test_packset import team_pack


def _items(app) -> dict[str, tuple[str, bool]]:  # type: ignore[no-untyped-def]
    with app.engine.connect() as conn:
        return {r.id: (r.pack_id, r.active) for r in conn.execute(select(content_items))}


def test_a_team_pack_is_synced_under_its_own_id(tmp_path: Path, database_url: str, now: datetime) -> None:
    team = team_pack(tmp_path / "team")
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, packs=[team])
    app = open_app(settings, now=now)
    try:
        items = _items(app)
        assert items["team-single"] == ("team", True)
        assert items["MLA-C01"] == ("aws-ml", True)
        assert app.last_sync is not None and "team-single" in app.last_sync.added
    finally:
        app.close()

    # Served without the team pack (left out, or refused for an error): its items stay active.
    alone = open_app(settings.model_copy(update={"packs": []}), now=now + timedelta(days=1))
    try:
        assert alone.last_sync is not None and not alone.last_sync.changed
        assert _items(alone)["team-single"] == ("team", True)
    finally:
        alone.close()

    # The team pack served without the question: the question is no longer active, history kept.
    (team / "questions" / "q.yaml").unlink()
    (team / "questions" / "other.yaml").write_text(MINI_QUESTION.replace("id: mini-single", "id: team-other"))
    again = open_app(settings, now=now + timedelta(days=2))
    try:
        items = _items(again)
        assert items["team-single"] == ("team", False)
        assert items["team-other"] == ("team", True)
        assert again.last_sync is not None and again.last_sync.deactivated == ["team-single"]
    finally:
        again.close()
