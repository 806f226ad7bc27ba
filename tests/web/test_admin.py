"""Admin pages show the linter's figures and the accounts."""

from __future__ import annotations

import pytest

from certprep.content import bundled_pack_path
from tests.conftest import bundled_lint
from tests.web.conftest import Site, signed_in

pytestmark = pytest.mark.anyio


async def test_content_figures_are_the_linters(local_site: Site) -> None:
    client = local_site.client()
    data = (await client.get("/api/admin/content")).json()
    assert local_site.app.pack.root == bundled_pack_path()
    assert data["lint"] == bundled_lint()
    page = (await client.get("/admin/content")).text
    total = data["lint"]["questions"]["total"]
    assert f'<td class="num">{total}</td>' in page
    for code in data["lint"]["exams"]:
        assert f"Coverage of {code}" in page


async def test_users_list(multi_site: Site) -> None:
    admin = await signed_in(multi_site, "boss", admin=True)
    await signed_in(multi_site, "learner")
    users = {u["username"]: u for u in (await admin.get("/api/admin/users")).json()["users"]}
    assert users["boss"]["is_admin"] and not users["learner"]["is_admin"]
    assert "password" not in str(users)
    page = (await admin.get("/admin/users")).text
    assert "learner" in page and "admin" in page
