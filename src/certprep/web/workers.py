"""Entry point of the worker processes of `certprep serve --workers N` (PostgreSQL only): each
worker process builds its own app from the environment (``certprep.web.workers:create_app``).

The parent process has already migrated the database and synced the content, so workers only
open it. Everything shared between requests (sessions, CSRF tokens, rate limits, attempt
deadlines) lives in the database, so any worker can serve any request.
"""

from __future__ import annotations

from fastapi import FastAPI

from certprep.app import open_app
from certprep.config import Settings
from certprep.web.factory import build_web_app

__all__ = ["create_app"]


def create_app() -> FastAPI:
    """Build the app from the environment (CERTPREP_*), which `serve` sets for its workers."""
    return build_web_app(open_app(Settings(), migrate=False, sync=False))
