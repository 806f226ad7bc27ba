from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from certprep.app import Certprep, open_app
from certprep.config import Settings
from certprep.services.content import local_user
from tests.conftest import NOW


@pytest.fixture
def app(settings: Settings, database_prepared: bool) -> Iterator[Certprep]:
    application = open_app(settings, now=NOW, migrate=not database_prepared, sync=not database_prepared)
    yield application
    application.close()


@pytest.fixture
def user(app: Certprep) -> int:
    uid: int = local_user(app, NOW)["id"]
    return uid


def other_user(app: Certprep, name: str = "bob") -> int:
    from certprep.store.tables import users

    with app.engine.begin() as conn:
        result = conn.execute(
            users.insert().values(username=name, display_name=name, is_admin=False, is_local=False, created_at=NOW)
        )
        key: Any = result.inserted_primary_key
        return int(key[0])
