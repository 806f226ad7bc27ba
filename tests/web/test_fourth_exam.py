"""A new exam is data, not code: a pack with a fourth blueprint is served by every feature.

The blueprint below (ZZZ-C01, two domains, three task statements with skills, single and multiple
response only) exists nowhere in the code. Exams page, a drill, a full exam to its report,
progress and readiness, the plan, flashcards, lessons, cheat sheets, the Anki export and the
linter all work for it from the files alone.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from certprep.cli.main import cli
from certprep.content import bundled_pack_path
from certprep.content.lint import lint_pack
from tests.web.conftest import Site, csrf_token

pytestmark = pytest.mark.anyio

BLUEPRINT = """\
kind: blueprint
code: ZZZ-C01
revision: 1
title: Example Certification - Fourth Exam
status: current
availability: "Beta until the standard exam opens"
questions_total: 10
questions_scored: 8
duration_minutes: 20
unconfirmed: [duration_minutes]
passing_score: 700
question_types: [single, multiple]
closed_services:
  never: [amazon forecast]
domains:
  - id: "1"
    title: Data
    weight: 60
    tasks:
      - id: "1.1"
        title: Collect data
        skills:
          - {id: "1.1.1", text: Pick a store., new: false}
          - {id: "1.1.2", text: Pick a vector store., new: true}
      - id: "1.2"
        title: Clean data
        skills:
          - {id: "1.2.1", text: Remove duplicates., new: false}
  - id: "2"
    title: Models
    weight: 40
    tasks:
      - id: "2.1"
        title: Train models
        skills:
          - {id: "2.1.1", text: Pick an algorithm., new: false}
"""

TASKS = [("1.1", "1.1.2"), ("1.2", "1.2.1"), ("2.1", "2.1.1")]
SERVICES = ["Amazon S3", "Amazon EBS", "Amazon EFS", "Amazon RDS", "Amazon DynamoDB", "Amazon Redshift"]


def _question(n: int) -> str:
    task, skill = TASKS[n % 3]
    multiple = n % 4 == 3
    options = SERVICES[: 5 if multiple else 4]
    keys = {n % len(options), (n + 1) % len(options)} if multiple else {n % 4}
    lines = [
        f"id: zzz-q{n:02d}",
        "revision: 1",
        f"type: {'multiple' if multiple else 'single'}",
        "exams:",
        f'  - {{exam: ZZZ-C01, task: "{task}", skills: ["{skill}"]}}',
        f"difficulty: {1 + n % 3}",
        "stem: |",
        f"  Scenario number {n} with its own constraint {n * 7} asks for a store."
        + (" (Select TWO.)" if multiple else ""),
        "options:",
    ]
    for i, text in enumerate(options):
        lines += [f"  - text: {text} for case {n}", f"    correct: {str(i in keys).lower()}", "    rationale: Why."]
    lines += ["references:", "  - {title: Example page, url: 'https://docs.aws.amazon.com/example.html'}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def fourth_pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(bundled_pack_path() / "blueprints", root / "blueprints")
    shutil.copy(bundled_pack_path() / "pack.yaml", root / "pack.yaml")
    (root / "blueprints" / "ZZZ-C01.yaml").write_text(BLUEPRINT)
    (root / "questions").mkdir()
    for n in range(36):
        (root / "questions" / f"q{n:02d}.yaml").write_text(_question(n))
    (root / "flashcards").mkdir()
    (root / "flashcards" / "zzz.yaml").write_text(
        "cards:\n"
        + "".join(
            f'  - id: fc-zzz-{i}\n    revision: 1\n    exams: [{{exam: ZZZ-C01, task: "{t}", skills: ["{s}"]}}]\n'
            f"    front: When is store {i} right?\n    back: When case {i} holds.\n"
            for i, (t, s) in enumerate(TASKS)
        )
    )
    (root / "lessons").mkdir()
    sections = "\n\n".join(
        f"## {s}\n\nText." for s in ("You will learn", "Main content", "Examples", "Common mistakes", "Mini exercises")
    )
    (root / "lessons" / "zzz-1-1.md").write_text(
        "---\nid: zzz-lesson-1-1\nrevision: 1\ntitle: Collect data\n"
        f'exams: [{{exam: ZZZ-C01, task: "1.1"}}]\n---\n{sections}\n'
    )
    (root / "cheatsheets").mkdir()
    (root / "cheatsheets" / "zzz-d1.md").write_text(
        '---\nid: zzz-d1\nrevision: 1\ntitle: Data at a glance\nexam: ZZZ-C01\ndomain: "1"\n---\n| a | b |\n|---|---|\n'
    )
    return root


def test_the_linter_reads_a_fourth_exam_from_its_blueprint(fourth_pack: Path) -> None:
    data = lint_pack(fourth_pack).to_json()
    assert data["errors"] == []
    figures = data["exams"]["ZZZ-C01"]
    assert figures["questions"] == 36
    assert figures["skills"]["skills_without_questions"] == ["1.1.1"]
    assert figures["skills"]["tasks"]["1.1"]["new_skill_share"] == 1.0
    assert len(data["quality"]["forms"]["ZZZ-C01"]) == 6


async def test_every_feature_serves_a_fourth_exam(make_site: Any, fourth_pack: Path) -> None:
    site: Site = make_site(pack_path=fourth_pack)
    assert site.app.pack.default_exam == "ZZZ-C01"  # current, and first by code among current exams
    client = site.client()
    exams = (await client.get("/api/exams")).json()
    zzz = next(e for e in (exams if isinstance(exams, list) else exams["exams"]) if e["code"] == "ZZZ-C01")
    assert zzz["availability"] == "Beta until the standard exam opens" and zzz["unconfirmed"] == ["duration_minutes"]
    page = (await client.get("/exams")).text
    assert "Beta until the standard exam opens" in page and 'data-unconfirmed="duration_minutes"' in page

    token = await csrf_token(client)
    headers = {"X-CSRF-Token": token}
    drill = await client.post(
        "/api/attempts",
        json={"exam": "ZZZ-C01", "selection": "drill", "mode": "practice", "tasks": ["1.2"], "count": 5},
        headers=headers,
    )
    assert drill.status_code == 201, drill.text
    full = await client.post(
        "/api/attempts", json={"exam": "ZZZ-C01", "selection": "fixed", "form": 6, "mode": "exam"}, headers=headers
    )
    assert full.status_code == 201, full.text
    view = full.json()
    assert view["count"] == 10
    submitted = await client.post(
        f"/api/attempts/{view['id']}/actions",
        json={"type": "submit", "expected_version": view["version"]},
        headers=headers,
    )
    assert submitted.status_code == 200, submitted.text
    report = (await client.get(f"/api/attempts/{view['id']}/report")).json()
    assert {d["id"] for d in report["domains"]} == {"1", "2"}

    progress = await client.get("/api/progress")  # no exam named: the pack's default
    assert progress.status_code == 200 and progress.json()["exam"] == "ZZZ-C01"
    exam_date = (site.clock.now + timedelta(days=30)).date().isoformat()
    plan = await client.get("/api/plan", params={"exam": "ZZZ-C01", "exam_date": exam_date, "hours": "6"})
    assert plan.status_code == 200 and plan.json()["plan"] is not None
    for path in ("/api/lessons", "/api/cheatsheets", "/api/cards/queue?exam=ZZZ-C01"):
        response = await client.get(path)
        assert response.status_code == 200 and ("ZZZ-C01" in response.text or "zzz" in response.text), path
    assert "Beta until the standard exam opens" in (await client.get("/lessons/zzz-lesson-1-1")).text
    assert "Beta until the standard exam opens" in (await client.get("/cheatsheets/zzz-d1")).text


def test_the_anki_export_tags_a_fourth_exam(fourth_pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "zzz.apkg"
    result = CliRunner().invoke(cli, ["--base-pack", str(fourth_pack), "export", "anki", str(out), "--exam", "ZZZ-C01"])
    assert result.exit_code == 0, result.output
    assert "3 flashcards" in result.output
    shutil.unpack_archive(out, tmp_path / "apkg", format="zip")
    collection = next((tmp_path / "apkg").glob("collection.anki2*"))
    tags = " ".join(row[0] for row in sqlite3.connect(collection).execute("select tags from notes"))
    assert "certprep::ZZZ-C01::d1::t1.1" in tags
