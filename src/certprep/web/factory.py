"""The ASGI app factory: ``build_web_app(certprep)`` wraps the application object in a FastAPI app.
Every HTML page has a JSON twin under /api.

Areas plug in as routers (``web/routes/<area>.py`` with ``router`` and ``TWINS``) listed in
``ROUTERS``; the exam runner, cards, lessons and the plan join the same way.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from certprep import __version__
from certprep.app import Certprep
from certprep.web.deps import csrf_protect, system_clock
from certprep.web.errors import install_error_handlers
from certprep.web.guards import install_request_guards
from certprep.web.middleware import SecurityMiddleware
from certprep.web.render import build_templates
from certprep.web.routes import admin, attempts, auth, helppages, labs, pages, progress, reports, runner, search, study

__all__ = ["ROUTERS", "build_web_app"]

STATIC = Path(__file__).with_name("static")
# No two routers share a path (tests/web/test_routes.py checks), so the order is free: routes are
# matched one by one, and the exam's actions come first because they are the busiest.
ROUTERS = (attempts, runner, pages, auth, study, progress, reports, labs, helppages, search, admin)

OPENAPI_TAGS = [
    {"name": "session", "description": "Sign in and out; the session's CSRF token."},
    {"name": "dashboard", "description": "The user's dashboard."},
    {"name": "exams", "description": "Exams, their blueprints and Practice Exams 1..6."},
    {"name": "attempts", "description": "Take an exam: start, answer, flag, navigate, submit; the report and review."},
    {"name": "reports", "description": "Problem reports on questions."},
    {"name": "progress", "description": "Readiness, trends and the mistake log; the study plan and its .ics file."},
    {"name": "labs", "description": "Hands-on labs: your status and last check of each."},
    {"name": "help", "description": "How the score and readiness are estimated."},
    {"name": "search", "description": "Search; a seen question's page with your note and bookmark; your bookmarks."},
    {"name": "admin", "description": "Administrators only."},
]


def build_web_app(app: Certprep) -> FastAPI:
    """Build the ASGI app over an opened ``Certprep`` (the CLI's ``serve`` does this).

    ``web.state.clock`` is the clock every request reads ``now`` from; tests replace it.
    """

    @asynccontextmanager
    async def lifespan(_web: FastAPI) -> AsyncIterator[None]:
        # What the process holds from here on for its whole life (the content pack, the routes,
        # the templates: some 140,000 objects) leaves the garbage collector's view. A full
        # collection otherwise scans them all, about 100 ms on a 2-core VM during which the
        # event loop answers nothing: the slowest of a server's answers (docs/benchmarks.md).
        gc.freeze()
        yield

    web = FastAPI(
        lifespan=lifespan,
        title="certprep",
        version=__version__,
        description="The JSON API of certprep. Every change needs the session's CSRF token in the "
        "X-CSRF-Token header: GET /api/session returns it (and sets the session cookie).",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN; certprep pages load none
        redoc_url=None,
        openapi_tags=OPENAPI_TAGS,
        dependencies=[Depends(csrf_protect)],
    )
    web.state.certprep = app
    web.state.clock = system_clock
    web.state.templates = build_templates()
    twins: dict[str, str] = {}
    for module in ROUTERS:
        web.include_router(module.router)
        twins.update(module.TWINS)
    web.state.page_twins = twins
    web.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    install_error_handlers(web)
    web.add_middleware(SecurityMiddleware)
    install_request_guards(web, app.settings)  # outermost: a bad Host or an oversized body goes no further

    @web.get("/healthz", tags=["dashboard"])
    async def healthz() -> dict[str, Any]:
        """Liveness: the process answers (on the event loop; no database access but the session
        read of a request that sends a cookie, as for every route); ``worker`` is
        the answering process's id (with ``serve --workers N`` it shows the requests being shared)."""
        return {"status": "ok", "version": __version__, "worker": os.getpid()}

    return web
