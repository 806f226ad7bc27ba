"""A real server (uvicorn in a thread, on a free loopback port) and Debian's chromium via Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from certprep.app import open_app
from certprep.config import Settings
from certprep.web import build_web_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def live_server(settings: Settings) -> Iterator[Callable[..., str]]:
    """``live_server(multi_user=False)`` -> the base URL of a real uvicorn server for this test."""
    import uvicorn

    started: list[tuple[uvicorn.Server, threading.Thread, Any]] = []

    def start(*, multi_user: bool = False) -> str:
        app = open_app(settings.model_copy(update={"multi_user": multi_user}))
        port = _free_port()
        config = uvicorn.Config(build_web_app(app), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        started.append((server, thread, app))
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread, app in started:
        server.should_exit = True
        thread.join(timeout=10)
        app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (its own cookies and storage).

    Fails the test on a script error, a console error (a CSP violation shows there) or a file the
    page needs that does not load. A page answering 401 or 422 (a refused form) is expected.
    """
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response: Any) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            errors.append(f"{response.status} {response.url}")

    opened.on("console", on_console)
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("response", on_response)
    yield opened
    context.close()
    assert not errors, f"browser errors (a CSP violation, a script error, a missing file?): {errors}"
