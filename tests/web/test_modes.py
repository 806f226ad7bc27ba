"""Local mode (loopback, no accounts) and multi-user mode, and how `serve` chooses between them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from certprep.config import Settings, is_loopback
from tests.web.conftest import Site, csrf_token, post_json

pytestmark = pytest.mark.anyio


async def test_local_mode_needs_no_sign_in(local_site: Site) -> None:
    client = local_site.client()
    page = await client.get("/")
    assert page.status_code == 200 and "Local profile" in page.text
    session = (await client.get("/api/session")).json()
    assert session["mode"] == "local" and session["sign_up"] is False
    assert session["user"]["username"] == "local" and session["user"]["is_local"] is True
    for path in ("/api/dashboard", "/api/exams", "/exams", "/reports", "/admin/content"):
        assert (await client.get(path)).status_code == 200, path


async def test_local_mode_has_no_accounts(local_site: Site) -> None:
    client = local_site.client()
    for path in ("/sign-in", "/sign-up", "/api/sign-up"):
        response = await client.get(path)
        assert response.status_code == 404, path
    response = await post_json(client, "/api/session", {"username": "x", "password": "y" * 8})
    assert response.status_code == 404 and "local mode" in response.json()["detail"]
    assert "Sign out" not in (await client.get("/")).text


async def test_multi_user_requires_sign_in(multi_site: Site) -> None:
    client = multi_site.client()
    page = await client.get("/exams?x=1")
    assert page.status_code == 303 and page.headers["location"] == "/sign-in?next=/exams%3Fx%3D1"
    for path in ("/api/dashboard", "/api/exams", "/api/reports", "/api/admin/users"):
        response = await client.get(path)
        assert response.status_code == 401 and response.json() == {"detail": "sign in first"}, path
    session = (await client.get("/api/session")).json()
    assert session == {"mode": "multi-user", "sign_up": True, "user": None, "csrf_token": session["csrf_token"]}


async def test_a_local_session_is_anonymous_once_accounts_are_on(make_site: Any) -> None:
    """The local profile never signs in: its old cookie must not open a multi-user server."""
    local = make_site()
    client = local.client()
    await csrf_token(client)
    cookie = client.cookies["certprep_session"]
    multi = make_site(multi_user=True)
    other = multi.client()
    other.cookies.set("certprep_session", cookie)
    assert (await other.get("/api/dashboard")).status_code == 401
    assert (await other.get("/api/session")).json()["user"] is None


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_accounts_are_on_off_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert Settings(host=host).multi_user is (not loopback)
    assert Settings(host=host, multi_user=True).multi_user is True


@pytest.mark.parametrize(
    ("args", "multi_user", "sign_up"),
    [
        ([], False, True),
        (["--multi-user"], True, True),
        (["--multi-user", "--no-sign-up"], True, False),
        (["--host", "0.0.0.0", "--allowed-host", "certprep.example.org"], True, True),
        (["--host", "0.0.0.0", "--allowed-host", "certprep.example.org", "--no-sign-up"], True, False),
        (["--host", "192.168.1.10"], True, True),
    ],
)
def test_serve_flags_reach_the_web_app(
    args: list[str], multi_user: bool, sign_up: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from certprep.cli.main import cli

    served: dict[str, Any] = {}

    def fake_run(web: Any, **options: Any) -> None:
        served["settings"] = web.state.certprep.settings
        served["options"] = options
        web.state.certprep.close()

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.delenv("CERTPREP_MULTI_USER", raising=False)
    monkeypatch.delenv("CERTPREP_SIGN_UP", raising=False)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "serve", *args])
    assert result.exit_code == 0, result.output
    assert served["settings"].multi_user is multi_user and served["settings"].sign_up is sign_up
    assert ("accounts on" in result.output) is multi_user


def test_sign_up_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTPREP_SIGN_UP", "false")
    monkeypatch.setenv("CERTPREP_MULTI_USER", "true")
    settings = Settings()
    assert settings.sign_up is False and settings.multi_user is True
