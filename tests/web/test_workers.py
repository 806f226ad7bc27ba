"""`certprep serve --workers 4`: nothing lives in one process's memory. Sessions, sign-in failures
and attempts are in the database, so a request may land on any worker and find them there.

Runs a real server (uvicorn, 4 processes) on PostgreSQL, when CERTPREP_TEST_POSTGRES_URL is set
(SQLite serves one worker process: `serve --workers N` refuses it, tests/cli/test_cli.py). Every
request below opens a new connection, so the kernel hands it to any worker; the test first checks
that several workers do answer.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select

from certprep.services.accounts import MAX_FAILED_SIGN_INS
from certprep.store.tables import attempts
from tests.conftest import POSTGRES_URL

WORKERS = 4
PASSWORD = "a long enough password"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="several workers need PostgreSQL: CERTPREP_TEST_POSTGRES_URL"),
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "CERTPREP_DATA_DIR": str(tmp_path / "data"), "CERTPREP_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "certprep", "serve", "--multi-user", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(WORKERS)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


class Browser:
    """A cookie jar and a CSRF token; every request on a new connection (any worker may take it)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = httpx.Cookies()
        self.csrf = ""

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, "Connection": "close"}
        with httpx.Client(base_url=self.base, cookies=self.cookies, timeout=30) as client:
            response = client.request(method, path, json=body, headers=headers)
            self.cookies.update(client.cookies)
        return response

    def refresh_csrf(self) -> dict[str, Any]:
        session: dict[str, Any] = self.request("GET", "/api/session").json()
        self.csrf = session["csrf_token"]
        return session


def _workers_seen(base: str, tries: int = 60) -> set[int]:
    seen = set()
    for _ in range(tries):
        with httpx.Client(base_url=base, timeout=10) as client:
            seen.add(client.get("/healthz", headers={"Connection": "close"}).json()["worker"])
        if len(seen) >= 2:
            break
    return seen


def test_sessions_attempts_and_sign_in_limits_hold_across_workers(server: str, database_url: str) -> None:
    assert len(_workers_seen(server)) >= 2, "only one worker answered"

    ada = Browser(server)
    ada.refresh_csrf()
    assert ada.request("POST", "/api/sign-up", {"username": "ada", "password": PASSWORD}).status_code == 201
    # The session made by one worker is known to all of them.
    for _ in range(8):
        assert ada.refresh_csrf()["user"]["username"] == "ada"

    # An exam: every answer lands on whichever worker takes it, and all of them are kept.
    start = {"exam": "MLA-C01", "selection": "fixed", "form": 1, "mode": "exam"}
    view = ada.request("POST", "/api/attempts", start).json()
    answered = {}
    for index in range(12):
        view = ada.request(
            "POST",
            f"/api/attempts/{view['id']}/actions",
            {"type": "navigate", "index": index, "expected_version": view["version"]},
        ).json()
        response = 0 if view["question"]["type"] == "single" else None
        if response is None:
            continue
        reply = ada.request(
            "POST",
            f"/api/attempts/{view['id']}/actions",
            {"type": "answer", "index": index, "response": response, "expected_version": view["version"]},
        )
        assert reply.status_code == 200, reply.text
        view = reply.json()
        answered[index] = response
    assert answered
    stale = ada.request(
        "POST",
        f"/api/attempts/{view['id']}/actions",
        {"type": "flag", "index": 0, "expected_version": view["version"] - 1},
    )
    assert stale.status_code == 409
    again = ada.request("GET", f"/api/attempts/{view['id']}").json()
    assert again["version"] == view["version"]
    assert again["seconds_left"] <= view["seconds_left"]  # one deadline, kept by the server
    palette = {p["index"]: p for p in again["palette"]}
    assert all(palette[i]["answered"] for i in answered)

    # Sign-in failures count across workers: the sixth try is refused wherever it lands.
    mallory = Browser(server)
    mallory.refresh_csrf()
    for _ in range(MAX_FAILED_SIGN_INS):
        wrong = mallory.request("POST", "/api/session", {"username": "ada", "password": "not the password"})
        assert wrong.status_code == 401
    locked = mallory.request("POST", "/api/session", {"username": "ada", "password": PASSWORD})
    assert locked.status_code == 429

    # Signing out on one worker ends the session on every worker, even for a copy of its cookie:
    # every request reads its session, so no answer is written after the sign-out.
    copy = Browser(server)
    copy.cookies.update(ada.cookies)
    copy.csrf = ada.csrf
    assert copy.request("GET", f"/api/attempts/{view['id']}").status_code == 200
    for index in range(8):  # the copy's answers land on every worker
        flagged = copy.request(
            "POST",
            f"/api/attempts/{view['id']}/actions",
            {"type": "flag" if index % 2 == 0 else "unflag", "index": 1, "expected_version": view["version"]},
        )
        assert flagged.status_code == 200, flagged.text
        view = flagged.json()
    assert ada.request("DELETE", "/api/session").status_code == 204
    for _ in range(4):
        assert copy.request("GET", f"/api/attempts/{view['id']}").status_code == 401
    for _ in range(8):
        refused = copy.request(
            "POST",
            f"/api/attempts/{view['id']}/actions",
            {"type": "flag", "index": 2, "expected_version": view["version"]},
        )
        assert refused.status_code == 403, refused.text
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(select(attempts.c.version).where(attempts.c.id == view["id"])).scalar_one()
    finally:
        engine.dispose()
    assert stored == view["version"]
