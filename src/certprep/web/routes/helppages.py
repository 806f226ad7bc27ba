"""Help pages: how the score and readiness are worked out, served by the app itself (the score
report and the progress page link here), each with its JSON twin.

The text lives in ``web/help/<topic>.md`` (in the wheel); docs/scoring.md and docs/readiness.md
are the full developer explanations.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from certprep.web.markdown import render_markdown
from certprep.web.render import render

__all__ = ["TOPICS", "TWINS", "HelpOut", "help_page", "router"]

router = APIRouter()
TWINS = {"/help/{topic}": "/api/help/{topic}"}
HELP = Path(__file__).resolve().parent.parent / "help"
Topic = Literal["scoring", "readiness"]
TOPICS: tuple[Topic, ...] = ("scoring", "readiness")
TopicPath = Annotated[Topic, PathParam(description="scoring or readiness.")]


class HelpOut(BaseModel):
    """One help page: its title and its text (HTML, as the page shows it)."""

    model_config = ConfigDict(frozen=True)

    topic: Topic
    title: str
    html: str = Field(description="The page's text, sanitized HTML.")


@cache
def help_page(topic: Topic) -> HelpOut:
    """The help page of ``topic`` (files of the package: read once)."""
    text = (HELP / f"{topic}.md").read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    return HelpOut(topic=topic, title=first.removeprefix("# ").strip(), html=str(render_markdown(body)))


@router.get("/api/help/{topic}", tags=["help"])
def help_json(topic: TopicPath) -> HelpOut:
    """How the scaled score (``scoring``) or readiness (``readiness``) is estimated."""
    return help_page(topic)


@router.get("/help/{topic}", response_class=HTMLResponse, include_in_schema=False)
def help_html(request: Request, topic: TopicPath) -> HTMLResponse:
    return render(request, "help.html", help_page(topic), topics=TOPICS)
