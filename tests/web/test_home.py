"""The home page and its JSON twin, served in-process."""

from __future__ import annotations

import httpx
import pytest

from certprep.app import open_app
from certprep.config import Settings
from certprep.web import build_web_app


@pytest.fixture
def client(settings: Settings):  # type: ignore[no-untyped-def]
    app = open_app(settings)
    web = build_web_app(app)
    transport = httpx.ASGITransport(app=web)
    yield httpx.AsyncClient(transport=transport, base_url="http://testserver")
    app.close()


def test_home_html_and_json_agree(client: httpx.AsyncClient) -> None:
    import asyncio

    async def both() -> tuple[httpx.Response, httpx.Response]:
        async with client:
            return await client.get("/"), await client.get("/api/home")

    html, api = asyncio.run(both())
    assert html.status_code == 200 and api.status_code == 200
    exams = {e["code"]: e for e in api.json()["exams"]}
    assert exams["MLA-C01"]["duration_minutes"] == 130 and exams["MLS-C01"]["status"] == "retired"
    for code, exam in exams.items():
        assert code in html.text and f"{exam['duration_minutes']} minutes" in html.text
