"""Time the readiness dashboard's computations for a heavy user: 20,000 answers over 200 attempts.

    python benchmarks/bench_dashboard.py [--runs 50] [--answers 20000] [--attempts 200]

Times ``progress_figures`` (mastery + prediction + checklist + trends + mistake log) and each part
on its own; prints the median, the 95th percentile and the median ÷ the 100 ms target. The inputs
are built once, outside the timing, as the service layer would hand them over (plain frozen
values). Results are recorded in docs/benchmarks.md ("Readiness dashboard").
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

try:
    import certprep  # noqa: F401
except ImportError:  # run from a checkout without installing: use ./src
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import yaml

from certprep.analytics import (
    AttemptRecord,
    Observation,
    QuestionTags,
    domain_trends,
    estimate_mastery,
    mistake_log,
    predict_exam,
    progress_figures,
    readiness_checklist,
    score_trend,
    time_per_question,
)
from certprep.content import bundled_pack_path
from certprep.content.schema import Blueprint
from certprep.exam.forms import domain_counts

TARGET_MS = 100.0
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CONCEPTS = ("feature engineering", "drift", "hyperparameter tuning", "bias", "encryption", "autoscaling", "pipelines")
DIFFICULTIES: tuple[Literal[1, 2, 3], ...] = (1, 2, 2, 3)  # the 25/50/25 mix
SERVICES = ("sagemaker", "glue", "kinesis", "s3", "iam", "cloudwatch", "lambda", "emr", "athena")


def _blueprint(code: str) -> Blueprint:
    path = bundled_pack_path() / "blueprints" / f"{code}.yaml"
    return Blueprint.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _user(
    blueprint: Blueprint, answers: int, attempts: int, rng: random.Random
) -> tuple[list[Observation], list[AttemptRecord], dict[str, QuestionTags], set[str], set[str]]:
    """A year of history: ``attempts`` attempts (a quarter full-length mocks) with ``answers`` answers."""
    tasks = list(blueprint.task_ids)
    domain_of = {t.id: d.id for d in blueprint.domains for t in d.tasks}
    bank = [(f"q-{i:04d}", tasks[i % len(tasks)], rng.choice(DIFFICULTIES)) for i in range(1200)]
    tags = {
        qid: QuestionTags(
            tuple(rng.sample(CONCEPTS, rng.randint(0, 2))), tuple(rng.sample(SERVICES, rng.randint(1, 3)))
        )
        for qid, _, _ in bank
    }
    full = blueprint.questions_total
    mocks = attempts // 4
    drill_size = (answers - mocks * full) // (attempts - mocks)
    sizes = [full] * mocks + [drill_size] * (attempts - mocks)
    sizes[-1] += answers - sum(sizes)
    rng.shuffle(sizes)
    observations: list[Observation] = []
    records: list[AttemptRecord] = []
    missed: set[str] = set()
    for index, size in enumerate(sizes):
        start = NOW - timedelta(days=365) + timedelta(days=365 * index / attempts)
        skill = 0.55 + 0.3 * index / attempts
        mode = "exam" if size == full else "practice"
        per_domain: dict[str, list[int]] = {d.id: [0, 0] for d in blueprint.domains}
        if mode == "exam":
            counts = domain_counts(blueprint, size)
            picks = [q for d, n in counts.items() for q in rng.sample([b for b in bank if domain_of[b[1]] == d], n)]
        else:
            picks = rng.sample(bank, size)
        for j, (qid, task, difficulty) in enumerate(picks):
            right = rng.random() < skill
            at = start + timedelta(minutes=2 * j)
            observations.append(
                Observation(
                    qid,
                    task,
                    domain_of[task],
                    blueprint.code,
                    right,
                    at,
                    difficulty,
                    "exam" if mode == "exam" else "practice",
                )
            )
            per_domain[domain_of[task]][0] += right
            per_domain[domain_of[task]][1] += 1
            (missed.discard if right else missed.add)(qid)
        raw = sum(v[0] for v in per_domain.values())
        records.append(
            AttemptRecord(
                attempt_id=f"a-{index:03d}",
                exam=blueprint.code,
                mode=mode,
                submitted_at=start + timedelta(minutes=2 * size),
                raw_score=raw,
                raw_max=size,
                question_count=size,
                domains={d: (v[0], v[1]) for d, v in per_domain.items()},
                seconds=tuple(rng.uniform(20, 240) for _ in range(size)),
            )
        )
    reviewed = {q for q in missed if rng.random() < 0.7}
    return observations, records, tags, missed, reviewed


def _time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return statistics.median(samples), p95


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs per row (at least 20)")
    parser.add_argument("--answers", type=int, default=20_000)
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--exam", default="MLA-C01")
    args = parser.parse_args(argv)
    runs = max(args.runs, 20)
    blueprint = _blueprint(args.exam)
    observations, records, tags, missed, reviewed = _user(blueprint, args.answers, args.attempts, random.Random(7))
    mastery = estimate_mastery(observations, blueprint, now=NOW)
    domain_means = {d: e.mean for d, e in mastery.domains.items()}

    rows: list[tuple[str, Callable[[], object]]] = [
        (
            "progress_figures (everything below)",
            lambda: progress_figures(
                blueprint,
                observations=observations,
                attempts=records,
                tags=tags,
                missed_ids=missed,
                reviewed_ids=reviewed,
                now=NOW,
            ),
        ),
        ("estimate_mastery", lambda: estimate_mastery(observations, blueprint, now=NOW)),
        ("predict_exam", lambda: predict_exam(mastery, blueprint)),
        (
            "readiness_checklist",
            lambda: readiness_checklist(
                blueprint,
                attempts=records,
                domain_mastery=domain_means,
                missed_ids=missed,
                reviewed_ids=reviewed,
                answers=len(observations),
            ),
        ),
        (
            "score_trend + domain_trends + time_per_question",
            lambda: (score_trend(records, blueprint), domain_trends(records, blueprint), time_per_question(records)),
        ),
        ("mistake_log", lambda: mistake_log(observations, tags)),
    ]
    print(
        f"Readiness dashboard: {args.exam}, {len(observations)} answers over {len(records)} attempts, "
        f"{len(missed)} missed questions; {runs} runs"
    )
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}\n")
    print(f"{'computation':<50} {'median ms':>10} {'p95 ms':>8} {'median ÷ 100 ms':>16}")
    for name, fn in rows:
        median, p95 = _time(fn, runs)
        print(f"{name:<50} {median:10.1f} {p95:8.1f} {median / TARGET_MS:15.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
