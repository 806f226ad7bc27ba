"""The terminal exam, driven through a real pseudo-terminal (pexpect), including a crash."""

from __future__ import annotations

import os
import re
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import pexpect
import pytest

from certprep.app import open_app
from certprep.cli.exam import parse_answer
from certprep.config import Settings
from certprep.services import exams
from certprep.services.content import local_user

pytestmark = pytest.mark.slow  # a terminal program (pexpect): left out of `pytest -m "not slow"`

PROMPT = r"left\] >|untimed\] >"


def _spawn(data_dir: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "CERTPREP_DATA_DIR": str(data_dir), "COLUMNS": "120"}
    env.pop("CERTPREP_DATABASE_URL", None)
    child = pexpect.spawn(sys.executable, ["-m", "certprep", *args], env=env, encoding="utf-8", timeout=60)
    return child


def _attempts(data_dir: Path) -> list[exams.AttemptView]:
    app = open_app(Settings(data_dir=data_dir))
    try:
        user = local_user(app, datetime.now(UTC))["id"]
        return [
            exams.attempt_view(app, user, a.id, now=datetime.now(UTC))
            for a in exams.list_attempts(app, user, now=datetime.now(UTC))
        ]
    finally:
        app.close()


def test_take_flag_review_submit_and_report(tmp_path: Path) -> None:
    child = _spawn(
        tmp_path,
        "exam",
        "start",
        "--exam",
        "MLS-C01",
        "--select",
        "drill",
        "--task",
        "4.3",
        "--count",
        "3",
        "--type",
        "single",  # one letter answers each (a "Choose 3" question wants three)
        "--mode",
        "exam",
    )
    child.expect("question 1 of 3")
    child.expect(r"(\d+):(\d\d):(\d\d) left")  # the time left is shown
    child.expect(PROMPT)
    child.sendline("a")
    child.expect("Saved: A")
    child.expect(PROMPT)
    child.sendline("f")
    child.expect("Flagged.")
    child.expect(PROMPT)
    child.sendline("n")
    child.expect("question 2 of 3")
    child.expect(r" 1\*F")  # palette: 1 answered and flagged
    child.expect(PROMPT)
    child.sendline("zz")
    child.expect("Not understood")
    child.expect(PROMPT)
    child.sendline("r")
    child.expect(r"unanswered: 2, 3")
    child.expect(r"flagged:\s+1")
    child.expect(PROMPT)
    child.sendline("s")
    child.expect(r"2 question\(s\) are not answered")
    child.sendline("y")
    child.expect("The attempt is submitted")
    child.expect(r"Result: \d+ of \d+ right")  # a 3-question drill: no verdict, no scaled score
    child.expect(pexpect.EOF)
    (attempt,) = _attempts(tmp_path)
    assert attempt.status == "submitted" and attempt.answered == 1
    assert attempt.palette[0].flagged

    listed = _spawn(tmp_path, "exam", "list")
    listed.expect(attempt.id)
    listed.expect(pexpect.EOF)
    report = _spawn(tmp_path, "exam", "report", attempt.id, "--review")
    report.expect("Domains:")
    report.expect("Reference:")
    report.expect(pexpect.EOF)


def test_kill_between_answers_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    child = _spawn(tmp_path, "exam", "start", "--exam", "MLA-C01", "--form", "2")
    acknowledged = []
    for number in range(1, 7):
        child.expect(f"question {number} of 65")
        child.expect(r"\n(Choose one letter|Choose (\d) letters|Give the letters in order|Match every prompt)")
        kind, select = child.match.group(1), child.match.group(2)
        child.expect(PROMPT)
        answer = {"Choose one letter": "b", "Give the letters in order": "a b c", "Match every prompt": "1=a 2=b 3=c"}
        child.sendline(answer.get(kind, ",".join("abcdefghij"[: int(select or 2)])))
        child.expect(r"Saved: ([A-J ,=0-9]+)\r?\n")
        acknowledged.append(number)
        if number == 6:
            os.kill(child.pid, signal.SIGKILL)  # crash right after the acknowledgement
            break
        child.expect(PROMPT)
        child.sendline("n")
    child.expect(pexpect.EOF)
    (attempt,) = _attempts(tmp_path)
    answered = {cell.number for cell in attempt.palette if cell.answered}
    assert set(acknowledged) <= answered
    assert attempt.status == "in_progress"

    resumed = _spawn(tmp_path, "exam", "resume")
    resumed.expect(r"answered 6/65")
    resumed.expect(PROMPT)
    resumed.sendline("q")
    resumed.expect("Saved. Resume with")
    resumed.expect(pexpect.EOF)


@pytest.mark.parametrize(
    ("kind", "text", "choices", "expected"),
    [
        ("single", "C", 4, 2),
        ("multiple", "a, d", 5, [0, 3]),
        ("multiple", "b e", 5, [1, 4]),
        ("ordering", "c a b", 4, [2, 0, 1]),
        ("matching", "1=b 2=a 3=c", 3, {"0": 1, "1": 0, "2": 2}),
    ],
)
def test_parse_answer(kind: str, text: str, choices: int, expected: object) -> None:
    assert parse_answer(kind, text, choices) == expected


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [("single", "a b", "exactly one"), ("single", "e", "not one of the letters A-D"), ("matching", "b", "match as")],
)
def test_parse_answer_errors(kind: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_answer(kind, text, 4)
