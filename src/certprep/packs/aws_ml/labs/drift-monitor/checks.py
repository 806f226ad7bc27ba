"""Checks of the drift-monitor lab."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from certprep.labs.api import CheckFailed, Context, check

WINDOW = 3  # the first alarm is due within this many batches of the drift's start


def _psi(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> float:
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)[1:-1]))
    e = np.bincount(np.searchsorted(edges, expected, side="right"), minlength=len(edges) + 1) / len(expected)
    a = np.bincount(np.searchsorted(edges, actual, side="right"), minlength=len(edges) + 1) / len(actual)
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))


def _streams(ctx: Context) -> list[tuple[str, pd.DataFrame, list[pd.DataFrame], int]]:
    def load() -> list[tuple[str, pd.DataFrame, list[pd.DataFrame], int]]:
        data = ctx.lab("data")
        mine = ctx.learner("monitor").load(str(ctx.workspace))
        hidden = data.stream(ctx.seed + 7, **data.hidden_drift())
        return [
            ("your stream", mine[0], mine[1], data.workspace_drift()["start"]),
            ("the checks' stream", hidden[0], hidden[1], data.hidden_drift()["start"]),
        ]

    return ctx.once("streams", load)


def _flags(ctx: Context) -> list[tuple[str, list[bool], int]]:
    def run() -> list[tuple[str, list[bool], int]]:
        monitor = ctx.learner("monitor")
        out = []
        for name, baseline, batches, start in _streams(ctx):
            flags = [bool(f) for f in monitor.alarms(baseline, batches)]
            if len(flags) != len(batches):
                detail = f"{len(flags)} flags, {len(batches)} batches"
                raise CheckFailed("alarms() returns one flag per batch", detail=detail)
            out.append((name, flags, start))
        return out

    return ctx.once("flags", run)


@check("psi", "psi() computes the population stability index")
def psi(ctx: Context) -> str:
    rng = np.random.default_rng(ctx.seed)
    fn = ctx.learner("monitor").psi
    base = rng.normal(0, 1, 4000)
    for shift in (0.0, 0.3, 1.0):
        other = rng.normal(shift, 1, 1000)
        got, want = float(fn(base, other)), _psi(base, other)
        if not abs(got - want) <= max(0.02, 0.1 * want):
            raise CheckFailed(
                "PSI sums (actual share - expected share) * ln(actual share / expected share) over bins cut at "
                "the baseline's deciles; the baseline is the expected distribution",
                detail=f"mean shift {shift}: got {got:.3f}, expected about {want:.3f}",
            )
    return "agrees on three shifts of a normal sample"


@check("no-false-alarm", "No alarm before drift begins")
def no_false_alarm(ctx: Context) -> str:
    for name, flags, start in _flags(ctx):
        early = [i for i, flag in enumerate(flags[:start]) if flag]
        if early:
            raise CheckFailed(
                "an alarm on a stable stream: with hundreds of rows a batch, a significance test finds tiny, "
                "harmless differences, and tests on every feature of every batch fire by chance; alarm on the "
                "size of the shift (PSI above its threshold) instead",
                detail=f"{name}: alarm on batch {early[0]}, drift begins at batch {start}",
            )
    return "quiet until drift begins, on both streams"


@check("alarm-on-drift", f"The first alarm comes within {WINDOW} batches of the drift's start")
def alarm_on_drift(ctx: Context) -> str:
    seen = []
    for name, flags, start in _flags(ctx):
        first = flags.index(True) if True in flags else None
        if first is not None and first < start:
            raise CheckFailed(
                "the first alarm comes before the drift does: an alarm rule has to stay quiet on noise",
                detail=f"{name}: drift begins at batch {start}, first alarm at {first}",
            )
        if first is None or first >= start + WINDOW:
            raise CheckFailed(
                "drift that grows a little every day hides when each batch is compared with the one before it; "
                "compare every batch with the training baseline",
                detail=f"{name}: drift begins at batch {start}, first alarm at {first}",
            )
        seen.append(f"{name}: batch {first}")
    return "; ".join(seen)


@check("retraining", "Retraining is triggered on the first alarm")
def retraining(ctx: Context) -> str:
    monitor = ctx.learner("monitor")
    streams = {name: (baseline, batches) for name, baseline, batches, _ in _streams(ctx)}
    for name, flags, _start in _flags(ctx):
        expected: Any = flags.index(True) if True in flags else None
        got = monitor.retraining_batch(*streams[name])
        if got != expected:
            raise CheckFailed(
                "retrain once, as soon as the alarm is raised, not on every alarmed batch or later",
                detail=f"{name}: retraining at {got}, first alarm at {expected}",
            )
    return "on the first alarm, on both streams"
