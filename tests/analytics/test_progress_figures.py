"""The dashboard call: every part, for one exam, JSON-ready."""

from __future__ import annotations

import json
from datetime import timedelta

from certprep.analytics import AttemptRecord, QuestionTags, estimate_mastery, predict_exam, progress_figures

from .conftest import MLA, NOW, obs


def test_progress_figures() -> None:
    history = [obs(f"q{i}", MLA.task_ids[i % 12], i % 4 != 0, days_ago=i / 10) for i in range(200)]
    history.append(obs("other", "1.1", False, exam="MLS-C01"))
    attempts = [
        AttemptRecord(
            f"a{i}", "MLA-C01", "exam", NOW - timedelta(days=i), 41, 50, 65, domains={"1": (12, 14)}, seconds=(50.0,)
        )
        for i in range(3)
    ]
    attempts.append(AttemptRecord("mls", "MLS-C01", "exam", NOW, 10, 50, 65))
    tags = {"q0": QuestionTags(concepts=("drift",), services=("sagemaker",))}
    board = progress_figures(
        MLA, observations=history, attempts=attempts, tags=tags, missed_ids={"q0"}, reviewed_ids=set(), now=NOW
    )
    mastery = estimate_mastery(history, MLA, now=NOW)
    assert board.mastery == mastery
    assert board.prediction == predict_exam(mastery, MLA)
    assert board.readiness.item("mocks").met and not board.readiness.item("missed").met
    assert board.readiness.item("evidence").detail == "200 answers"
    assert [p.attempt_id for p in board.scores.points] == ["a2", "a1", "a0"]  # MLS-C01 left out
    assert [s.domain for s in board.domains] == ["1", "2", "3", "4"]
    assert board.time.questions == 3
    assert board.mistakes.total == 50 and board.mistakes.concepts[0].tag == "drift"
    data = json.loads(json.dumps(board.to_dict()))
    assert set(data) == {"mastery", "prediction", "readiness", "scores", "domains", "time", "mistakes"}
    assert data["mastery"]["tasks"]["1.1"]["answers"] == 17
