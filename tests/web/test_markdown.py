"""Markdown from content is rendered and sanitized: no script and no event handler reach a page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from certprep.content import bundled_pack_path
from certprep.web.markdown import render_markdown
from tests.web.conftest import Site

pytestmark = pytest.mark.anyio

HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '<p onclick="alert(1)" style="color:red">styled</p>',
    "<iframe src=https://evil.example></iframe>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<scr<script>ipt>alert(1)</script>",
    "<style>body{display:none}</style>",
    "<form action=https://evil.example><input name=x></form>",
]
# Markup, not words: "[click](javascript:alert(1))" may stay as visible text, but never as a link.
FORBIDDEN = [
    "<script", "onerror=", "onclick=", '="javascript:', "<iframe", "<svg", "<style", "style=", "<form", "<input"
]  # fmt: skip


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_neutralised(source: str) -> None:
    html = str(render_markdown(f"Intro\n\n{source}\n\nOutro"))
    lowered = html.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, (needle, html)
    assert "Intro" in html and "Outro" in html


def test_ordinary_markdown_survives() -> None:
    html = str(
        render_markdown(
            "**Bold**, *em*, `code`, H<sub>2</sub>O, 10<sup>3</sup>, ~~old~~\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "```python\nprint('hi')\n```\n\n[docs](https://docs.aws.amazon.com/)"
        )
    )
    for fragment in ("<strong>Bold</strong>", "<em>em</em>", "<code>code</code>", "<sub>2</sub>", "<sup>3</sup>"):
        assert fragment in html
    assert "<s>old</s>" in html and "<table>" in html and "<td>1</td>" in html
    assert '<code class="language-python">' in html
    assert 'href="https://docs.aws.amazon.com/"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_empty_markdown() -> None:
    assert str(render_markdown("")) == "" and str(render_markdown(None)) == ""


def test_the_jinja_filter_is_the_sanitizer(local_site: Site) -> None:
    env = local_site.web.state.templates.env
    rendered = env.from_string("{{ text | markdown }}").render(text="<img src=x onerror=alert(1)> *hi*")
    assert "onerror" not in rendered and "<em>hi</em>" in rendered


HOSTILE_QUESTION = """\
id: hostile-stem
revision: 1
type: single
exams:
  - {exam: MLA-C01, task: "1.1"}
difficulty: 1
stem: |
  Which service stores objects? <script>alert("stem")</script>
  <img src=x onerror="alert('stem')"> **Choose one.**
options:
  - text: Amazon S3
    correct: true
    rationale: Object storage.
  - text: Amazon EBS
    rationale: Block storage.
  - text: Amazon SQS
    rationale: A queue.
  - text: AWS Lambda
    rationale: Compute.
"""


async def test_script_in_content_never_reaches_the_page(make_site: Any, tmp_path: Path) -> None:
    root = tmp_path / "hostile-pack"
    (root / "questions").mkdir(parents=True)
    shutil.copytree(bundled_pack_path() / "blueprints", root / "blueprints")
    shutil.copy(bundled_pack_path() / "pack.yaml", root / "pack.yaml")
    (root / "questions" / "hostile.yaml").write_text(HOSTILE_QUESTION)
    site: Site = make_site(pack_path=root)
    client = site.client()
    page = await client.get("/questions/hostile-stem/report")
    assert page.status_code == 200
    lowered = page.text.lower()
    assert "<strong>choose one.</strong>" in lowered  # the Markdown was rendered...
    assert 'alert("stem")' not in page.text and "onerror" not in lowered  # ...and the attack removed
    assert lowered.count("<script") == lowered.count('<script src="/static/')  # only our own files
    data = (await client.get("/api/questions/hostile-stem/report")).json()
    assert "<script>" in data["stem"]  # the JSON carries the source as data; clients render it safely
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
