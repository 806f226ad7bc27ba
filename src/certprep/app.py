"""The application object, ``Certprep``: the settings, the one database engine and the loaded
content pack, shared by the CLI and the web app. ``open_app(settings)`` builds it (never at
import); ``web.factory.build_web_app`` wraps it for the web (docs/architecture.md, "Layers").
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from certprep.config import Settings
from certprep.content import Pack, bundled_pack_path, load_pack
from certprep.content.packset import RefusedPack, load_pack_set
from certprep.store import make_engine, write_transaction
from certprep.store.content import SyncResult
from certprep.store.migrate import upgrade

__all__ = ["Certprep", "load_packs", "open_app"]

log = logging.getLogger("certprep")


@dataclass
class Certprep:
    """Settings, the database engine and the loaded content pack."""

    settings: Settings
    engine: Engine
    pack: Pack
    last_sync: SyncResult | None = None
    refused_packs: tuple[RefusedPack, ...] = ()  # packs with errors, not served (content.packset)
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

    def reload_packs(self, now: datetime) -> None:
        """Load the pack set again (after a change to the team pack), sync it, and drop what was
        derived from the old one. Only this process sees it: other workers on their next start."""
        from certprep import services

        pack, refused = load_packs(self.settings)
        self.pack, self.refused_packs = pack, refused
        self.cache.clear()
        self.last_sync = services.sync_content(self, now)


def load_packs(settings: Settings) -> tuple[Pack, tuple[RefusedPack, ...]]:
    """The base pack (all or nothing: ``PackError``) and the packs served beside it; a pack with
    errors is refused (logged with every error) and the others are served."""
    pack_path = Path(settings.pack_path) if settings.pack_path else bundled_pack_path()
    pack_set = load_pack_set(load_pack(pack_path), settings.extra_pack_paths())
    for refused in pack_set.refused:
        log.error("content pack %s refused, %d error(s); the others are served", refused.root, len(refused.errors))
        for line in refused.lines():
            log.error("  %s", line)
    return pack_set.pack, pack_set.refused


def open_app(settings: Settings, *, migrate: bool = True, sync: bool = True, now: datetime | None = None) -> Certprep:
    """Load the packs (the base pack all or nothing; another with errors is refused), migrate the
    database and sync the content into it."""
    from certprep import services  # services imports this module's types

    pack, refused = load_packs(settings)
    engine = make_engine(settings.resolved_database_url(), pool_size=settings.database_pool_size)
    if migrate:
        upgrade(engine)
    app = Certprep(settings=settings, engine=engine, pack=pack, refused_packs=refused)
    if sync:
        app.last_sync = services.sync_content(app, now or datetime.now(UTC))
    return app
