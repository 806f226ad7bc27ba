"""Time 65-question form assembly from a synthetic bank of 10,000 questions.

    python benchmarks/bench_assembly.py [--runs 200] [--bank 10000]

Prints the median and 95th percentile of each scenario and the ratio of the median to the 20 ms
target. Results are recorded in docs/benchmarks.md ("Form assembly").
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

try:
    import certprep  # noqa: F401
except ImportError:  # run from a checkout without installing: use ./src
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
# research/ (synthetic banks, the learner simulation) is not installed: import it from the checkout
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml

from certprep.content import bundled_pack_path
from certprep.content.schema import Blueprint
from certprep.exam.bank import ExamBank
from certprep.exam.forms import assemble_form, fixed_forms
from research.synthetic import synthetic_bank

TARGET_MS = 20.0


def _blueprint(code: str) -> Blueprint:
    path = bundled_pack_path() / "blueprints" / f"{code}.yaml"
    return Blueprint.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _time(fn: Callable[[int], object], runs: int) -> tuple[float, float]:
    fn(0)  # warm up
    samples = []
    for run in range(runs):
        start = time.perf_counter()
        fn(run)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return statistics.median(samples), p95


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed runs per scenario (at least 50)")
    parser.add_argument("--bank", type=int, default=10_000, help="questions in the synthetic bank")
    args = parser.parse_args(argv)
    runs = max(args.runs, 50)

    mla = _blueprint("MLA-C01")
    started = time.perf_counter()
    bank = synthetic_bank(mla, args.bank, case_every=25)
    made = time.perf_counter() - started
    index = ExamBank.build(bank, mla)
    seen = Counter({q.id: 1 + i % 3 for i, q in enumerate(bank[: len(bank) // 3])})
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(f"bank: {len(bank)} questions (case studies included), built and validated in {made:.2f} s")
    print(f"65-question form, 15 unscored, {runs} runs each; target {TARGET_MS:.0f} ms median\n")

    def fresh(run: int) -> object:
        return assemble_form(index, mla, 65, random.Random(run), unscored=15)

    def fresh_seen(run: int) -> object:
        return assemble_form(index, mla, 65, random.Random(run), unscored=15, preference=seen)

    def from_list(run: int) -> object:
        return assemble_form(bank, mla, 65, random.Random(run), unscored=15)

    def build(run: int) -> object:
        return ExamBank.build(bank, mla)

    scenarios: list[tuple[str, Callable[[int], object], int]] = [
        ("assemble_form(ExamBank)                  ", fresh, runs),
        (f"assemble_form(ExamBank, {len(seen)} seen)      ", fresh_seen, runs),
        ("assemble_form(list) = build + assemble   ", from_list, runs),
        ("ExamBank.build (once per content version)", build, runs),
        ("fixed_forms: 6 forms, from a list        ", lambda run: fixed_forms(bank, mla), max(runs // 10, 10)),
    ]
    print(f"{'scenario':<44} {'median ms':>10} {'p95 ms':>9} {'median/target':>14}")
    for name, fn, n in scenarios:
        median, p95 = _time(fn, n)
        print(f"{name:<44} {median:>10.2f} {p95:>9.2f} {median / TARGET_MS:>13.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
