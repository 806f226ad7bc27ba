"""The lab-side pieces of rag-retrieval, prompt-gate and capstone-lifecycle that the learner does not
write: the embedding model, the model stand-in, the generated data, the dashboard's reading."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.labs.conftest import BUNDLED

pytest.importorskip("sklearn", reason="the labs extra is not installed")

LABS = {lab.id: lab for lab in BUNDLED}


def _module(lab_id: str, name: str) -> ModuleType:
    path = LABS[lab_id].folder / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_test_{lab_id.replace('-', '_')}_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_embedder_is_deterministic_unit_length_and_reads_only_its_context() -> None:
    embedder = _module("rag-retrieval", "embedder")
    text = "Records are retained for 125 days and then deleted."
    first, again = embedder.embed([text, "Snapshots every 12 hours."]), embedder.embed([text])
    assert first.shape == (2, embedder.DIMENSIONS)
    assert first[0] == pytest.approx(again[0])
    assert (first**2).sum(axis=1) == pytest.approx([1.0, 1.0])
    long = "x" * embedder.MAX_CHARS
    assert embedder.embed([long + " retention"])[0] == pytest.approx(embedder.embed([long + " snapshots"])[0])


def test_rag_questions_are_answered_in_their_manual_and_held_out_from_tuning() -> None:
    data = _module("rag-retrieval", "data")
    seed = LABS["rag-retrieval"].seed
    docs = {d.id: d for d in data.corpus(seed)}
    tuning, held_out = data.questions(seed)
    assert {q.question for q in tuning}.isdisjoint(q.question for q in held_out)
    for q in (*tuning, *held_out):
        assert q.answer in docs[q.doc].text
        assert docs[q.doc].title in q.question
    assert data.corpus(seed) == data.corpus(seed) and data.corpus(seed + 7) != data.corpus(seed)


def test_model_stub_has_no_guardrails_echoes_and_follows_a_json_request_loosely() -> None:
    stub = _module("prompt-gate", "model_stub")
    message = "Should I invest in bitcoin? Call me on +1 415-555-0199."
    prose = stub.complete(f"<question>{message}</question>")
    assert message in prose and "bet" in prose
    asked = 'Answer in JSON with the keys "answer" and "refused".\n<question>{}</question>'
    replies = [stub.complete(asked.format(f"Where is my order number {n}?")) for n in range(12)]
    assert replies == [stub.complete(asked.format(f"Where is my order number {n}?")) for n in range(12)]
    assert any(r.startswith("{") and set(json.loads(r)) == {"answer", "refused"} for r in replies)
    assert any("```json" in r for r in replies)
    assert any(r.startswith("{") and "confidence" in json.loads(r) for r in replies)


def test_prompt_cases_carry_their_personal_data_and_differ_between_tuning_and_held_out() -> None:
    data = _module("prompt-gate", "data")
    tuning, held_out = data.cases(LABS["prompt-gate"].seed)
    assert {c["input"] for c in tuning}.isdisjoint(c["input"] for c in held_out)
    for case in (*tuning, *held_out):
        assert all(item in case["input"] for item in case["pii"])
        assert (case["expect"] == "refuse") == bool(case["topic"])
    assert {c["expect"] for c in held_out} == {"answer", "refuse"}


def test_capstone_dashboard_check_counts_the_points_of_the_longest_line() -> None:
    checks = (LABS["capstone-lifecycle"].folder / "checks.py").read_text(encoding="utf-8")
    namespace: dict[str, object] = {}
    start = checks.index("def _points(")
    exec(compile("import re\n" + checks[start : checks.index("\n\n\n", start)], "checks.py", "exec"), namespace)
    points = namespace["_points"]
    assert callable(points)
    assert points('<svg><path d="M0 0 L1,2 3,4 5,6"/><polyline points="1,1 2,2"/></svg>') == 4
    assert points("<svg><rect width='3'/></svg>") == 0


def test_capstone_data_drifts_from_the_start_batch_on(tmp_path: Path) -> None:
    data = _module("capstone-lifecycle", "data")
    data.write_data(3, tmp_path, feature="monthly_spend", start=4, factor=1.6, batches=8)
    import pandas as pd

    spend = [pd.read_csv(tmp_path / "stream" / f"batch_{b:03d}.csv")["monthly_spend"].median() for b in range(8)]
    assert max(spend[:4]) < min(spend[4:])
    assert len(pd.read_csv(tmp_path / "history.csv")) == 4000
