"""Content sync and the local profile."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from certprep.store import users as user_repo
from certprep.store.content import SyncResult, sync_pack

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["local_user", "sync_content"]


def sync_content(app: Certprep, now: datetime) -> SyncResult:
    """Sync the loaded pack into the database in one transaction (idempotent)."""
    with app.transaction() as conn:
        return sync_pack(conn, app.pack, now)


def local_user(app: Certprep, now: datetime) -> dict[str, Any]:
    """The profile used on loopback without sign-in; created on first use."""
    with app.transaction() as conn:
        return user_repo.get_or_create_local(conn, now)
