"""`certprep cards review` driven through a pseudo-terminal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from certprep.app import open_app
from certprep.config import Settings
from certprep.services import cards
from certprep.services.content import local_user
from tests.cli.test_exam_terminal import _spawn

pytestmark = pytest.mark.slow  # a terminal program (pexpect): left out of `pytest -m "not slow"`


def test_review_rates_cards_and_stats(tmp_path: Path) -> None:
    child = _spawn(tmp_path, "cards", "review", "--limit", "2")
    child.expect(r"0 due, \d+ new")
    child.expect(r"Enter to show the answer")
    child.sendline("")
    child.expect(r"1 Again \(1m\)  2 Hard \(\d+m\)  3 Good \(10m\)  4 Easy \(\d+d\)")
    child.sendline("5")
    child.expect("Type 1, 2, 3 or 4")
    child.sendline("3")
    child.expect(r"Enter to show the answer")
    child.sendline("")
    child.expect("4 Easy")
    child.sendline("4")
    child.expect("Reviewed 2 item")
    child.expect(r"cards stats")
    app = open_app(Settings(data_dir=tmp_path))
    try:
        user = local_user(app, datetime.now(UTC))["id"]
        s = cards.stats(app, user, now=datetime.now(UTC))
        assert s["reviews_total"] == 2 and s["cards_known"] == 2
    finally:
        app.close()
    stats = _spawn(tmp_path, "cards", "stats")
    stats.expect(r"cards known 2, reviews in the last year 2")
