"""The terminal's exam report, answers and missed-question review, through click's runner
(issue 18, point 5)."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from certprep.app import open_app
from certprep.cli.exam import parse_answer
from certprep.cli.main import cli
from certprep.config import Settings
from certprep.services import cards, exams
from certprep.services.content import local_user


def _run(data_dir: Path, *args: str, text: str | None = None) -> str:
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args], input=text, prog_name="certprep")
    assert result.exit_code == 0, result.output
    return result.output


def test_exam_report_prints_the_raw_percent_once(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    app = open_app(Settings(data_dir=tmp_path))
    try:
        user = int(local_user(app, now)["id"])
        req = exams.StartRequest(exam="MLA-C01", selection="drill", mode="exam", tasks=("1.1",), count=5)
        view = exams.start_exam(app, user, req, now=now, rng=random.Random(3))
        view = exams.act(app, user, view.id, {"type": "submit"}, expected_version=view.version, now=now)
        report = exams.attempt_report(app, user, view.id, now=now)
    finally:
        app.close()
    assert report.raw_correct == 0 and report.raw_max == 5
    out = _run(tmp_path, "exam", "report", view.id)
    assert "raw 0/5 (0%)" in out
    for line in out.splitlines():
        assert "00%" not in line.replace("100%", ""), line  # no percent multiplied by 100 again


def test_raw_percent_is_not_multiplied_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from certprep.cli import exam as cli_exam

    data = exams.AttemptReport.model_validate(
        {
            "full_length": True,
            "passed": False,
            "selection": "assembled",
            "scaled_is_estimate": True,
            "cut_percent": 72.0,
            "seconds_total": 60.0,
            "title": "T",
            "exam": "MLA-C01",
            "mode": "exam",
            "status": "submitted",
            "scaled_score": 500,
            "passing_score": 720,
            "score_min": 100,
            "score_max": 1000,
            "raw_correct": 8,
            "raw_max": 50,
            "raw_percent": 16.0,
            "answered": 50,
            "unanswered": 0,
            "seconds_elapsed": 60,
            "domains": [
                {"id": "1", "title": "Data", "correct": 3, "total": 10, "percent": 30.0, "rating": "needs improvement"}
            ],
            "tasks": [],
            "flagged": [],
            "id": "a1",
            "items": [],
        }
    )
    lines: list[str] = []
    monkeypatch.setattr(cli_exam.click, "echo", lambda text="", **_: lines.append(str(text)))
    cli_exam._print_report(data, review=False)
    out = "\n".join(lines)
    assert "raw 8/50 (16%)" in out and "1600%" not in out
    assert " 30%  needs improvement" in out and "3000%" not in out


@pytest.mark.parametrize("text", ["a", "a,b", "a b c d", "a a b"])
def test_choose_three_needs_three_letters(text: str) -> None:
    with pytest.raises(ValueError, match=r"exactly 3 letters|each letter once"):
        parse_answer("multiple", text, 5, select=3)
    assert parse_answer("multiple", "a c e", 5, select=3) == [0, 2, 4]


def test_cards_review_shows_a_missed_ordering_question_shuffled(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    app = open_app(Settings(data_dir=tmp_path))
    try:
        user = int(local_user(app, now)["id"])
        q = next(q for q in app.pack.questions if q.type.value == "ordering" and not q.distractor_steps)
        with app.engine.begin() as conn:
            cards.record_missed(conn, user, q.id, now)
        shown = cards.card_view(app, user, q.id, now=now)["choices"]
    finally:
        app.close()
    right = [s.text for s in q.steps]
    assert shown != right
    out = _run(tmp_path, "cards", "review", "--limit", "1", text="q\n")
    listed = [m.group(1) for m in re.finditer(r"^  [A-J]\) (.*)$", out, re.MULTILINE)]
    assert listed == shown, out


def test_exam_abandon_discards_an_open_attempt(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    app = open_app(Settings(data_dir=tmp_path))
    try:
        user = int(local_user(app, now)["id"])
        req = exams.StartRequest(exam="MLA-C01", selection="drill", mode="practice", tasks=("1.1",), count=2)
        view = exams.start_exam(app, user, req, now=now, rng=random.Random(3))
    finally:
        app.close()
    out = _run(tmp_path, "exam", "abandon", view.id, text="n\n")
    assert "Kept." in out
    out = _run(tmp_path, "exam", "abandon", view.id, text="y\n")
    assert f"Discarded {view.id}" in out
    listed = _run(tmp_path, "exam", "list")
    assert view.id in listed and "abandoned" in listed
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "exam", "abandon", view.id, "--yes"])
    assert result.exit_code == 1 and "this attempt is abandoned" in result.output
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "exam", "report", view.id])
    assert result.exit_code == 1 and "abandoned" in result.output


def test_terminal_practice_checks_a_typed_answer(tmp_path: Path) -> None:
    """In practice mode the terminal's typed answer is checked at once: feedback shown, locked."""
    now = datetime.now(UTC)
    app = open_app(Settings(data_dir=tmp_path))
    try:
        user = int(local_user(app, now)["id"])
        req = exams.StartRequest(
            exam="MLA-C01", selection="drill", mode="practice", tasks=("1.1",), count=1, types=("single",)
        )
        view = exams.start_exam(app, user, req, now=now, rng=random.Random(3))
    finally:
        app.close()
    out = _run(tmp_path, "exam", "resume", view.id, text="a\nb\nq\n")
    assert "Saved: A" in out and re.search(r"(Correct|Not correct)\. Key: [A-J]", out)
    assert "Not saved: question 1 is checked: its answer is locked" in out  # "b" afterwards is refused
