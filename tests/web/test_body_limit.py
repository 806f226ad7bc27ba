"""Request bodies over ``max_request_bytes`` get 413 before they are read whole (issue 17: a 47 MB
JSON body to POST /api/attempts without a cookie was parsed before the CSRF check)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from certprep.services.reports import REPORT_MESSAGE_MAX_LENGTH
from certprep.web import build_web_app
from tests.web.conftest import Site, csrf_token, first_question_id

pytestmark = pytest.mark.anyio

CHUNK = 64 * 1024


async def _drive(site: Site, body_chunks: list[bytes], headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes, int]:
    """Send a POST /api/attempts straight to the ASGI app; the status, the body, and the bytes the
    app took from the client."""
    taken = 0
    pending = list(body_chunks)
    out: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal taken
        if not pending:
            return {"type": "http.disconnect"}
        chunk = pending.pop(0)
        taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/attempts",
        "raw_path": b"/api/attempts",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await site.web(scope, receive, send)
    return out["status"], out["body"], taken


async def test_a_large_declared_body_is_refused_unread(local_site: Site) -> None:
    size = 47 * 1024 * 1024
    chunks = [b"x" * CHUNK] * (size // CHUNK)
    status, body, taken = await _drive(local_site, chunks, [(b"content-length", str(size).encode())])
    assert status == 413 and body == b"request body too large: at most 131072 bytes"
    assert taken == 0


async def test_a_large_chunked_body_is_refused_once_past_the_limit(local_site: Site) -> None:
    chunks = [b"[" * CHUNK] * 100  # 6.4 MB, no Content-Length
    status, _body, taken = await _drive(local_site, chunks, [(b"transfer-encoding", b"chunked")])
    assert status == 413
    assert taken <= local_site.app.settings.max_request_bytes + CHUNK


async def test_a_chunked_body_under_the_limit_reaches_the_route(local_site: Site) -> None:
    client = local_site.client()
    token = await csrf_token(client)
    payload = json.dumps({"exam": "MLA-C01", "selection": "fixed", "form": 1}).encode()

    async def stream() -> AsyncIterator[bytes]:
        for i in range(0, len(payload), 7):
            yield payload[i : i + 7]

    response = await client.post(
        "/api/attempts", content=stream(), headers={"X-CSRF-Token": token, "content-type": "application/json"}
    )
    assert response.status_code == 201, response.text


async def test_over_the_limit_by_httpx(local_site: Site) -> None:
    client = local_site.client()
    response = await client.post("/api/attempts", content=b"{" + b" " * 200_000 + b"}")
    assert response.status_code == 413 and response.headers["content-type"].startswith("text/plain")


async def test_the_largest_legitimate_request_fits(local_site: Site) -> None:
    """A problem report of the longest message, in 4-byte characters, escaped as JSON and as a form."""
    client = local_site.client()
    token = await csrf_token(client)
    question = first_question_id(local_site)
    message = "\N{GRINNING FACE}" * REPORT_MESSAGE_MAX_LENGTH
    body = json.dumps({"category": "unclear", "message": message}).encode()  # \ud83d\ude00 each
    assert 40_000 < len(body) < 50_000
    response = await client.post(
        f"/api/questions/{question}/reports",
        content=body,
        headers={"X-CSRF-Token": token, "content-type": "application/json"},
    )
    assert response.status_code == 201, response.text
    form = {"csrf_token": token, "category": "unclear", "message": message}
    response = await client.post(f"/questions/{question}/reports", data=form)
    assert response.status_code == 303, response.text


async def test_the_limit_is_a_setting(make_site: Any) -> None:
    site: Site = make_site()
    site.app.settings = site.app.settings.model_copy(update={"max_request_bytes": 16 * 1024})
    small = Site(app=site.app, web=build_web_app(site.app), clock=site.clock)
    status, body, _ = await _drive(small, [b"x" * 20_000], [(b"content-length", b"20000")])
    assert status == 413 and b"16384" in body
