"""The home page's progress per domain comes from the stored attempt summaries; the stored form
of an attempt is read from the database once (it never changes)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import update

from certprep.app import Certprep
from certprep.services import exams
from certprep.services.exams.content import FormCache
from certprep.services.exams.progress import domain_progress
from certprep.store import exams as exam_store
from certprep.store.tables import attempts
from tests.conftest import NOW


def _finished(app: Certprep, user: int, seed: int) -> str:
    """An exam-mode set of 8 single-answer questions, the first 5 answered (option A), submitted."""
    req = exams.StartRequest(exam="MLA-C01", selection="custom", mode="exam", types=("single",), count=8)
    view = exams.start_exam(app, user, req, now=NOW, rng=random.Random(seed))
    for index in range(5):
        action = {"type": "answer", "index": index, "response": 0}
        view = exams.act(app, user, view.id, action, expected_version=view.version, now=NOW)
    exams.act(app, user, view.id, {"type": "submit"}, expected_version=view.version, now=NOW)
    return view.id


def test_progress_is_summed_from_the_stored_summaries(app: Certprep, user: int) -> None:
    ids = [_finished(app, user, seed) for seed in (1, 2)]
    from_summaries = domain_progress(app, user, now=NOW)
    judged = [p for p in from_summaries if p.questions]
    assert judged and sum(p.answered for p in judged) > 0

    # What each summary holds per domain is the report's: right, scored questions, answered.
    expected: dict[str, list[int]] = {}
    for attempt_id in ids:
        report = exams.attempt_report(app, user, attempt_id, now=NOW)
        for item in report.items:
            if item.scored:
                row = expected.setdefault(item.domain, [0, 0, 0])
                row[0] += int(item.correct)
                row[1] += 1
                row[2] += int(item.answered)
    got = {p.domain_id: [p.correct, p.questions, p.answered] for p in from_summaries if p.exam_code == "MLA-C01"}
    assert {d: v for d, v in got.items() if v[1]} == expected

    # An attempt stored before the summaries counted the answered questions (or before summaries):
    # its report is built instead, and the figures are the same.
    with app.transaction() as conn:
        conn.execute(update(attempts).where(attempts.c.id == ids[0]).values(summary=None))
        old = {
            d: v[:2] for d, v in exam_store.get_attempt(conn, user, ids[1], form=False)["summary"]["domains"].items()
        }
        conn.execute(update(attempts).where(attempts.c.id == ids[1]).values(summary={"domains": old}))
    app.cache.clear()
    assert domain_progress(app, user, now=NOW) == from_summaries


def test_the_stored_form_is_read_once(app: Certprep, user: int, monkeypatch: pytest.MonkeyPatch) -> None:
    req = exams.StartRequest(exam="MLA-C01", selection="fixed", form=1)
    view = exams.start_exam(app, user, req, now=NOW, rng=random.Random(1))
    app.cache.clear()  # as after a restart
    reads: list[bool] = []
    real = exam_store.get_attempt

    def spy(*args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("form", True))
        return real(*args, **kwargs)

    monkeypatch.setattr(exam_store, "get_attempt", spy)
    for _ in range(3):
        view = exams.act(app, user, view.id, {"type": "flag"}, expected_version=view.version, now=NOW)
        view = exams.act(app, user, view.id, {"type": "unflag"}, expected_version=view.version, now=NOW)
    assert exams.attempt_view(app, user, view.id, now=NOW) == view
    assert reads[0] is True and not any(reads[1:]) and len(reads) == 7


def test_the_form_cache_keeps_the_most_recently_used(app: Certprep) -> None:
    forms = FormCache(size=2)
    a, b, c = (object() for _ in range(3))
    forms.put("a", a)  # type: ignore[arg-type]
    forms.put("b", b)  # type: ignore[arg-type]
    assert forms.get("a") is a  # "a" is now the most recent
    forms.put("c", c)  # type: ignore[arg-type]
    assert forms.get("b") is None and forms.get("a") is a and forms.get("c") is c
