"""Readiness and the study plan from a user's real history (service layer + CLI)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from certprep.app import Certprep
from certprep.cli.main import cli
from certprep.exam.scoring import key_response, to_presented
from certprep.services import exams, readiness
from certprep.services.exams import ExamRequestError
from tests.conftest import NOW
from tests.services.conftest import other_user
from tests.services.test_exams import _form_item


def _presented(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, int):
        return value
    return {str(k): v for k, v in value.items()}


def _drill(app: Certprep, user: int, task: str, right: bool, count: int = 6) -> None:
    req = exams.StartRequest(exam="MLA-C01", selection="drill", mode="exam", tasks=(task,), count=count)
    view = exams.start_exam(app, user, req, now=NOW, rng=random.Random(task))
    for index in range(view.count):
        view = exams.act(
            app, user, view.id, {"type": "navigate", "index": index}, expected_version=view.version, now=NOW
        )
        q = app.pack.question(view.question.id)
        item = _form_item(app, view)
        key = _presented(to_presented(item.presentation, key_response(q)))
        if not right:
            if q.type.value != "single":
                continue
            key = (key + 1) % len(view.question.choices)
        view = exams.act(
            app,
            user,
            view.id,
            {"type": "answer", "index": index, "response": key},
            expected_version=view.version,
            now=NOW,
        )
    exams.act(app, user, view.id, {"type": "submit"}, expected_version=view.version, now=NOW)


def test_mastery_follows_the_answers_and_is_per_user(app: Certprep, user: int) -> None:
    before = readiness.dashboard(app, user, "MLA-C01", now=NOW)
    _drill(app, user, "1.1", right=True)
    _drill(app, user, "2.2", right=False)
    after = readiness.dashboard(app, user, "MLA-C01", now=NOW + timedelta(minutes=5))
    tasks_before, tasks_after = before["mastery"]["tasks"], after["mastery"]["tasks"]
    assert tasks_after["1.1"]["mean"] > tasks_before["1.1"]["mean"]
    assert tasks_after["2.2"]["mean"] < tasks_before["2.2"]["mean"]
    assert after["answers"] >= 8 and 0.0 <= after["prediction"]["p_pass"] <= 1.0
    assert after["scores"]["points"] == [] and after["scores"]["shorter"] == 2  # drills: no score trend
    missed = [i for i in after["readiness"]["items"] if "missed" in i["label"].lower()]
    assert missed and missed[0]["met"] is False
    bob = other_user(app)
    assert readiness.dashboard(app, bob, "MLA-C01", now=NOW)["answers"] == 0


def test_plan_and_ics_from_the_cli(tmp_path: Path) -> None:
    ics = tmp_path / "plan.ics"
    exam_day = (date.today() + timedelta(days=40)).isoformat()
    result = CliRunner().invoke(
        cli,
        [
            "--data-dir",
            str(tmp_path),
            "plan",
            "--exam-date",
            exam_day,
            "--hours",
            "8",
            "--days-off",
            "sun",
            "--ics",
            str(ics),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Lesson" in result.output and "rest" in result.output
    events = [c for c in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")]
    assert events and all(e.decoded("DTSTART").date() < date.fromisoformat(exam_day) for e in events)
    assert all(e.decoded("DTSTART").weekday() != 6 for e in events)
    bad = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "plan", "--exam-date", "2020-01-01", "--hours", "8"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output and "exam" in bad.output.lower()


def test_unknown_exam(app: Certprep, user: int) -> None:
    with pytest.raises(ExamRequestError):
        readiness.dashboard(app, user, "XYZ-C01", now=NOW)
