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


def test_review_keeps_the_web_limits_filters_and_undoes(tmp_path: Path) -> None:
    """`certprep cards review` keeps the daily limits set on the web page, takes the queue's filters,
    and `u` undoes the last rating (issue 18, point 7)."""
    app = open_app(Settings(data_dir=tmp_path))
    try:
        now = datetime.now(UTC)
        user = local_user(app, now)["id"]
        cards.save_limits(app, user, new_per_day=2, reviews_per_day=10, now=now)
        missed = sorted(q.id for q in app.pack.questions if q.type.value == "single")[:3]
        with app.transaction() as conn:
            for qid in missed:
                cards.record_missed(conn, user, qid, now)
    finally:
        app.close()
    child = _spawn(tmp_path, "cards", "review", "--kind", "cards", "--exam", "MLA-C02", "--domain", "1")
    child.expect(r"0 due, 2 new \(limits: 2 new, 10 reviews a day\)")
    child.expect(r"Enter to show the answer")
    child.sendline("")
    child.expect("4 Easy")
    child.sendline("3")
    child.expect(r"Enter to show the answer")
    child.sendline("u")
    child.expect(r"Undone: your rating of fc-\S+ \(Good\)")
    child.expect(r"Enter to show the answer")
    child.sendline("q")
    child.expect("Reviewed 0 item")
    bad = _spawn(tmp_path, "cards", "review", "--exam", "MLA-C02", "--domain", "9")
    bad.expect("unknown domain '9' of MLA-C02")
    app = open_app(Settings(data_dir=tmp_path))
    try:
        user = local_user(app, datetime.now(UTC))["id"]
        assert cards.stats(app, user, now=datetime.now(UTC))["reviews_total"] == 0
        assert cards.queue(app, user, now=datetime.now(UTC)).due == 3  # the missed questions, filtered out above
    finally:
        app.close()
