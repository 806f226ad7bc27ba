"""The application object shared by the CLI and the web app (built by a factory, never at import)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from certprep.config import Settings
from certprep.content import Pack, bundled_pack_path, load_pack
from certprep.store import make_engine, one_statement_engine, write_transaction
from certprep.store.content import SyncResult
from certprep.store.loop_pool import LoopPool, open_loop_pool
from certprep.store.migrate import upgrade

__all__ = ["Certprep", "open_app"]


@dataclass
class Certprep:
    """Settings, the database engine and the loaded content pack."""

    settings: Settings
    engine: Engine
    pack: Pack
    last_sync: SyncResult | None = None
    # Values derived from immutable data (the pack's exam banks, fixed forms, old revisions; the
    # forms of attempts): the same in every worker, so a per-process cache is safe.
    cache: dict[Any, Any] = field(default_factory=dict)
    # PostgreSQL connections for the web app's event loop while it runs (None otherwise):
    # ``async_lifetime``.
    loop_pool: LoopPool | None = None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A transaction that writes (every service's unit of work): all of it or nothing."""
        with write_transaction(self.engine) as conn:
            yield conn

    def one_statement(self) -> Connection:
        """A connection for work of one statement, a read (the session of every request) or a
        write that is atomic on its own: ``with app.one_statement() as conn``. On PostgreSQL it is
        in autocommit, one round trip (``store.engine.one_statement_engine``); on SQLite a plain
        connection, whose writes must still be committed."""
        engine = self.cache.get("one_statement_engine")
        if engine is None:
            engine = self.cache["one_statement_engine"] = one_statement_engine(self.engine)
        return engine.connect()

    @asynccontextmanager
    async def async_lifetime(self) -> AsyncIterator[None]:
        """While the web app's event loop runs: on PostgreSQL, ``loop_pool`` (its connections
        belong to that loop), closed at the end. SQLite has none."""
        pool = open_loop_pool(self.engine)
        if pool is not None:
            await pool.open()
        self.loop_pool = pool
        try:
            yield
        finally:
            self.loop_pool = None
            if pool is not None:
                await pool.close()

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
