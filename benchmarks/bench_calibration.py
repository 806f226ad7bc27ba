"""Calibration study: certprep's P(pass) against the naive rules, on simulated learners.

    python benchmarks/bench_calibration.py [--learners 4000] [--seed 2026] [--exam MLA-C01] [--jobs 2]
    python benchmarks/bench_calibration.py --ablations      # also score variants of the model

Each simulated learner (certprep.analytics.simulation) practises, every predictor gives a pass
probability on the morning of the exam, then the learner sits a fresh 50-scored-item exam.
Prints each predictor's Brier score and reliability table (deciles of the prediction: mean
predicted vs observed pass rate, counts), and the margin of certprep over the naive rule.
Seeded: the same arguments print the same figures. Results: docs/readiness.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

try:
    import certprep  # noqa: F401
except ImportError:  # run from a checkout without installing: use ./src
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
# research/ (synthetic banks, the learner simulation) is not installed: import it from the checkout
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml

from certprep.analytics.mastery import DEFAULT_CONFIG, MasteryConfig
from certprep.content import bundled_pack_path
from certprep.content.schema import Blueprint
from research.calibration import (
    StudyResult,
    brier_score,
    learner_seed,
    predictions_for,
    score_predictions,
)
from research.simulation import simulate_learner

# Variants of the model, each changing one default (--ablations); the last is the first draft,
# before the pilot study (seed 1) changed three defaults (docs/readiness.md, "How the defaults were set").
ABLATIONS: dict[str, MasteryConfig] = {
    "no recency (half-life 10 years)": replace(DEFAULT_CONFIG, half_life_days=3650.0),
    "shorter half-life (14 days)": replace(DEFAULT_CONFIG, half_life_days=14.0),
    "no difficulty adjustment (r = 1)": replace(DEFAULT_CONFIG, difficulty_odds=1.0),
    "stronger difficulty adjustment (r = 1.4)": replace(DEFAULT_CONFIG, difficulty_odds=1.4),
    "repeats and reviews at full weight": replace(DEFAULT_CONFIG, repeat_weight=1.0, review_weight=1.0),
    "weak task pooling (k = 2)": replace(DEFAULT_CONFIG, task_prior_strength=2.0),
    "flat prior Beta(1, 1)": replace(DEFAULT_CONFIG, prior=(1.0, 1.0)),
    "first draft (r = 1.4, repeats 0.5, Beta(1, 1))": replace(
        DEFAULT_CONFIG, difficulty_odds=1.4, repeat_weight=0.5, prior=(1.0, 1.0)
    ),
}

Row = tuple[dict[str, float], bool, int]
BANDS = ((0, 50), (50, 200), (200, 600), (600, 10**9))


def _blueprint(code: str) -> Blueprint:
    path = bundled_pack_path() / "blueprints" / f"{code}.yaml"
    return Blueprint.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _chunk(args: tuple[str, int, int, int, bool]) -> list[Row]:
    code, seed, first, count, ablate = args
    blueprint = _blueprint(code)
    rows: list[Row] = []
    for index in range(first, first + count):
        learner = simulate_learner(blueprint, random.Random(learner_seed(seed, index)))
        predicted = predictions_for(learner, blueprint)
        if ablate:
            for name, config in ABLATIONS.items():
                predicted[name] = predictions_for(learner, blueprint, config)["certprep"]
        rows.append((predicted, learner.passed, len(learner.observations)))
    return rows


def _table(result: StudyResult, name: str) -> str:
    lines = [f"  {'predicted':>10} {'learners':>8} {'mean predicted':>15} {'observed pass rate':>19}"]
    for row in result.score(name).table:
        if row.count:
            assert row.mean_predicted is not None and row.observed is not None
            lines.append(
                f"  {row.low:.1f}–{row.high:.1f}   {row.count:8d} {row.mean_predicted:15.3f} {row.observed:19.3f}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--learners", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--exam", default="MLA-C01")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--ablations", action="store_true", help="also score variants of the model")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    jobs = max(1, args.jobs)
    size = -(-args.learners // (jobs * 4))  # a few chunks per worker, for an even finish
    chunks = [
        (args.exam, args.seed, first, min(size, args.learners - first), args.ablations)
        for first in range(0, args.learners, size)
    ]
    if jobs == 1:
        parts = [_chunk(c) for c in chunks]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_chunk, chunks))
    rows = [row for part in parts for row in part]
    result = score_predictions(rows)
    elapsed = time.perf_counter() - start

    print(f"Calibration study: {args.exam}, {result.learners} simulated learners, seed {args.seed}")
    machine = f"{platform.system()} {platform.machine()}"
    print(f"Python {platform.python_version()}, {machine}, {jobs} worker(s), {elapsed:.1f} s")
    print(f"pass rate {result.pass_rate:.3f}; median answers per learner {result.median_answers:.0f}\n")
    print(f"{'predictor':<40} {'Brier':>7}")
    for score in result.scores:
        print(f"{score.name:<40} {score.brier:7.4f}")
    ours, naive = result.score("certprep").brier, result.score("naive cut").brier
    print(f"\ncertprep vs naive cut: {naive - ours:.4f} lower Brier ({100 * (naive - ours) / naive:.0f}% reduction)")
    print(f"\n{'answers before the exam':<24} {'learners':>8} {'pass rate':>10} {'certprep':>9} {'naive cut':>10}")
    for low, high in BANDS:
        band = [r for r in rows if low <= r[2] < high]
        if band:
            passed = [r[1] for r in band]
            ours_b = brier_score([r[0]["certprep"] for r in band], passed)
            naive_b = brier_score([r[0]["naive cut"] for r in band], passed)
            label = f"{low}–{high - 1}" if high < 10**9 else f"{low} or more"
            rate = sum(passed) / len(band)
            print(f"{label:<24} {len(band):8d} {rate:10.3f} {ours_b:9.4f} {naive_b:10.4f}")
    for name in ("certprep", "naive cut", "naive percent"):
        print(f"\nreliability: {name}\n{_table(result, name)}")
    if args.ablations:
        extra = [name for name in rows[0][0] if name in ABLATIONS]
        print(f"\n{'variant of certprep':<48} {'Brier':>7}")
        for name in extra:
            brier = brier_score([r[0][name] for r in rows], [r[1] for r in rows])
            print(f"{name:<48} {brier:7.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
