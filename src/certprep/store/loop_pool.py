"""PostgreSQL connections for the web app's event loop: the busiest statements without a thread.

Every request reads its session, and most exam requests write one action: each is one statement,
atomic on its own. Run through the engine they need a thread (the engine's driver calls block),
and the hop to the thread pool and back, with the contention of its threads, cost more than the
statement. Here they run on the event loop over psycopg's asyncio pool (``psycopg_pool``), in
autocommit. The statements are SQLAlchemy Core statements compiled once for the engine's dialect
(the same SQL the engine sends), with the conversions of their column types (aware UTC datetimes,
JSON through the engine's serializer), so a row reads the same as through the engine. Measured on
the session read (CPU per statement in process): SQLAlchemy's own asyncio layer 0.46 ms, this 0.19
ms (docs/benchmarks.md).

A pool belongs to the event loop that opens it: the web app opens it when its loop starts and
closes it when the loop stops (``Certprep.async_lifetime``). SQLite has none: its work is in
process, with nothing to wait for.
"""

from __future__ import annotations

import importlib.util
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from certprep.store import engine as engine_module

__all__ = ["LoopPool", "open_loop_pool"]


@dataclass(frozen=True)
class _Compiled:
    """A statement compiled for the driver: SQL text, parameter and result conversions."""

    sql: str
    compiled: SQLCompiler
    binds: dict[str, Callable[[Any], Any]]
    columns: tuple[tuple[str, Callable[[Any], Any] | None], ...]

    @classmethod
    def of(cls, statement: ClauseElement, dialect: Dialect) -> _Compiled:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        binds: dict[str, Callable[[Any], Any]] = {}
        for bind, name in compiled.bind_names.items():
            process = bind.type.bind_processor(dialect)
            if process is not None:
                binds[name] = process
        returned: Sequence[Any] = getattr(statement, "exported_columns", ())  # SELECT or RETURNING
        columns = tuple((c.key, c.type.result_processor(dialect, None)) for c in returned)
        return cls(str(compiled), compiled, binds, columns)

    def params(self, values: Mapping[str, Any]) -> dict[str, Any]:
        params = dict(self.compiled.construct_params(dict(values)) or {})
        for name, process in self.binds.items():
            params[name] = process(params[name])
        return params

    def row(self, values: Sequence[Any]) -> dict[str, Any]:
        pairs = zip(self.columns, values, strict=True)
        return {key: v if process is None else process(v) for (key, process), v in pairs}


class LoopPool:
    """An asyncio pool of autocommit connections to the engine's PostgreSQL database, of the
    engine's pool size; ``await first(statement, params)`` runs one statement."""

    def __init__(self, engine: Engine) -> None:
        from psycopg_pool import AsyncConnectionPool

        self._dialect = engine.dialect
        _args, kwargs = engine.dialect.create_connect_args(engine.url)
        pool: Any = engine.pool
        self._returned: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self._pool = AsyncConnectionPool(
            kwargs={**kwargs, "autocommit": True},
            min_size=1,
            max_size=pool.size(),
            open=False,
            check=self._ping_if_idle,
            reset=self._mark_returned,
            name="certprep-loop",
        )
        self._statements: dict[ClauseElement, _Compiled] = {}  # by identity: module constants

    async def open(self) -> None:
        await self._pool.open()

    async def close(self) -> None:
        await self._pool.close()

    async def first(self, statement: ClauseElement, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """Run ``statement`` (its own transaction) and return its first row, or None."""
        compiled = self._compile(statement)
        async with self._pool.connection() as conn:
            cursor = await conn.execute(compiled.sql, compiled.params(params))
            values = await cursor.fetchone() if cursor.description else None
        return None if values is None else compiled.row(values)

    def _compile(self, statement: ClauseElement) -> _Compiled:
        compiled = self._statements.get(statement)
        if compiled is None:
            compiled = self._statements[statement] = _Compiled.of(statement, self._dialect)
        return compiled

    # The engine's rule for connections that sat idle (store/engine.py): one idle for
    # PING_AFTER_IDLE_SECONDS or more is tested with a round trip before use; the pool replaces
    # one that fails. One in steady use is handed out as it is.
    async def _mark_returned(self, conn: Any) -> None:
        self._returned[conn] = time.monotonic()

    async def _ping_if_idle(self, conn: Any) -> None:
        returned = self._returned.get(conn)
        if returned is not None and time.monotonic() - returned < engine_module.PING_AFTER_IDLE_SECONDS:
            return
        await conn.execute("SELECT 1")


def open_loop_pool(engine: Engine) -> LoopPool | None:
    """A ``LoopPool`` for a PostgreSQL engine (to be opened on the loop that uses it); None for
    SQLite, and when psycopg_pool is missing (the `postgres` extra installs it): the thread pool
    then does the work."""
    if engine.dialect.name != "postgresql" or importlib.util.find_spec("psycopg_pool") is None:
        return None
    return LoopPool(engine)
