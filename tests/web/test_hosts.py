"""The Host header must name this server (DNS rebinding), in every mode; `serve --allowed-host`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from certprep.cli.main import cli
from certprep.config import Settings
from certprep.store.tables import sessions
from certprep.web import build_web_app
from tests.conftest import POSTGRES_URL
from tests.web.conftest import Site

pytestmark = pytest.mark.anyio

REFUSED = ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io:8000", "[::2]:8000", ""]


def _session_rows(site: Site) -> int:
    with site.app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(sessions)).scalar_one())


@pytest.mark.parametrize("multi_user", [False, True])
async def test_a_request_naming_another_host_gets_400_and_nothing_else(make_site: Any, multi_user: bool) -> None:
    """The reproduction of issue 17: `Host: evil.example:PORT` got the local profile's session and
    CSRF token, and with them the user's attempts."""
    site: Site = make_site(multi_user=multi_user)
    client = site.client()
    for host in REFUSED:
        for method, path in [
            ("GET", "/api/session"),
            ("GET", "/"),
            ("GET", "/api/attempts"),
            ("POST", "/api/attempts"),
        ]:
            response = await client.request(method, path, headers={"Host": host})
            assert response.status_code == 400, (host, path)
            assert response.headers["content-type"].startswith("text/plain")
            assert response.text == "Invalid host header"
            assert "set-cookie" not in response.headers
    assert _session_rows(site) == 0


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8000", "127.0.0.1:8000", "LOCALHOST:1", "[::1]:8000", "testserver"]
)
async def test_loopback_names_and_configured_names_are_answered(local_site: Site, host: str) -> None:
    response = await local_site.client().get("/api/session", headers={"Host": host})
    assert response.status_code == 200 and response.json()["csrf_token"]


def test_trusted_hosts_are_loopback_names_the_bound_address_and_allowed_hosts() -> None:
    configured = Settings(allowed_hosts=["certprep.example.org", "*.team.example"])
    assert configured.trusted_hosts() == ["localhost", "127.0.0.1", "[::1]", "certprep.example.org", "*.team.example"]
    assert "192.168.1.10" in Settings(host="192.168.1.10").trusted_hosts()  # the address it listens on
    assert Settings(host="::1").trusted_hosts() == ["localhost", "127.0.0.1", "[::1]"]
    assert Settings(host="0.0.0.0").trusted_hosts() == ["localhost", "127.0.0.1", "[::1]"]  # a wildcard names nothing


@pytest.mark.parametrize(
    ("allowed", "host", "status"),
    [
        (["certprep.example.org"], "certprep.example.org:8000", 200),
        (["certprep.example.org"], "other.example.org", 400),
        (["*.team.example"], "a.team.example", 200),
        (["*.team.example"], "team.example.evil", 400),
        (["*"], "anything.example", 200),
    ],
)
async def test_configured_hosts_are_answered(make_site: Any, allowed: list[str], host: str, status: int) -> None:
    site: Site = make_site()
    site.app.settings = site.app.settings.model_copy(update={"allowed_hosts": allowed})
    web = build_web_app(site.app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://x") as client:
        response = await client.get("/healthz", headers={"Host": host})
    assert response.status_code == status


def test_allowed_hosts_from_the_environment_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTPREP_ALLOWED_HOSTS", "certprep.example.org, 10.0.0.5,fe80::1")
    assert Settings().allowed_hosts == ["certprep.example.org", "10.0.0.5", "[fe80::1]"]
    with pytest.raises(ValueError, match="not a host name"):
        Settings(allowed_hosts=["http://certprep.example.org:8000/"])


def _serve(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, dict[str, Any]]:
    import uvicorn

    served: dict[str, Any] = {}

    def fake_run(web: Any, **options: Any) -> None:
        served["web"] = web
        served["options"] = options
        if not isinstance(web, str):
            web.state.certprep.close()

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.delenv("CERTPREP_ALLOWED_HOSTS", raising=False)
    monkeypatch.delenv("CERTPREP_HOST", raising=False)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "serve", *args])
    return result, served


def test_serve_help_shows_allowed_host() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--allowed-host" in result.output and "CERTPREP_ALLOWED_HOSTS" in result.output


def test_serve_on_every_address_needs_the_names_clients_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result, served = _serve(["--host", "0.0.0.0"], tmp_path, monkeypatch)
    assert result.exit_code == 2 and "--allowed-host" in result.output and not served
    result, served = _serve(["--host", "0.0.0.0", "--allowed-host", "certprep.example.org"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    settings = served["web"].state.certprep.settings
    assert settings.allowed_hosts == ["certprep.example.org"] and settings.multi_user is True
    result, _ = _serve(["--allowed-host", "https://x.example"], tmp_path, monkeypatch)
    assert result.exit_code == 2 and "not a host name" in result.output


@pytest.mark.skipif(POSTGRES_URL is None, reason="several workers need PostgreSQL (CERTPREP_TEST_POSTGRES_URL)")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_serve_hands_allowed_hosts_to_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setattr(os, "environ", dict(os.environ))  # the workers' environment, thrown away afterwards
    monkeypatch.setenv("CERTPREP_DATABASE_URL", database_url)  # a fresh schema: SQLite serves one worker only
    args = ["--host", "0.0.0.0", "--allowed-host", "a.example", "--allowed-host", "[::1]", "--workers", "2"]
    result, served = _serve(args, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert served["web"] == "certprep.web.workers:create_app"
    assert Settings().trusted_hosts() == ["localhost", "127.0.0.1", "[::1]", "a.example"]


async def test_a_request_without_a_host_header_passes(local_site: Site) -> None:
    """HTTP/1.0 allows no Host header; no browser omits it, so it opens nothing to another site."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.0",
        "method": "GET",
        "scheme": "http",
        "path": "/healthz",
        "raw_path": b"/healthz",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await local_site.web(scope, receive, send)
    assert sent[0]["status"] == 200
