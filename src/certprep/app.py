"""The application object, ``Certprep``: the settings, the one database engine and the loaded
content pack, shared by the CLI and the web app. ``open_app(settings)`` builds it (never at
import); ``web.factory.build_web_app`` wraps it for the web (docs/architecture.md, "Layers").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from certprep.config import Settings
from certprep.content import Pack, bundled_pack_path, load_pack
from certprep.store import make_engine, write_transaction
from certprep.store.content import SyncResult
from certprep.store.migrate import upgrade

__all__ = ["Certprep", "open_app"]


@dataclass
class Certprep:
    """Settings, the database engine and the loaded content pack."""

    settings: Settings
    engine: Engine
    pack: Pack
    last_sync: SyncResult | None = None
    # Values derived from data that never changes (the pack's exam banks, its fixed forms, old
    # question revisions): the same in every worker, so a per-process cache is safe. Nothing that
    # a request can change is kept here (docs/web.md#several-workers).
    cache: dict[Any, Any] = field(default_factory=dict)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A transaction that writes (every service's unit of work): all of it or nothing. A
        service that only reads uses ``engine.connect()``, which takes no write lock."""
        with write_transaction(self.engine) as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def open_app(settings: Settings, *, migrate: bool = True, sync: bool = True, now: datetime | None = None) -> Certprep:
    """Load the pack (all or nothing), migrate the database and sync the content into it."""
    from certprep import services  # services imports this module's types

    pack_path = Path(settings.pack_path) if settings.pack_path else bundled_pack_path()
    pack = load_pack(pack_path)
    engine = make_engine(settings.resolved_database_url(), pool_size=settings.database_pool_size)
    if migrate:
        upgrade(engine)
    app = Certprep(settings=settings, engine=engine, pack=pack)
    if sync:
        app.last_sync = services.sync_content(app, now or datetime.now(UTC))
    return app
