"""Checks of the parquet-lake lab: the learner's lake is built afresh and queried with DuckDB's profiler."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from certprep.labs.api import CheckFailed, Context, check

DAYS = ("2026-09-03", "2026-10-01", "2026-10-29")
MAX_SHARE = 0.10


def _lake(ctx: Context) -> Path:
    def build() -> Path:
        root = Path(tempfile.mkdtemp(prefix="lake-check-")) / "lake"
        ctx.learner("lake").build_lake(str(ctx.workspace / "events.csv"), str(root))
        return root

    return ctx.once("lake", build)


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []


@check("layout", "The lake is Parquet files in Hive-style partition folders")
def layout(ctx: Context) -> str:
    root = _lake(ctx)
    files = _files(root)
    not_parquet = [p for p in files if p.read_bytes()[:4] != b"PAR1"]
    if not files or not_parquet:
        raise CheckFailed(
            "Parquet is a columnar format: a reader fetches only the columns and row groups a query needs, "
            "where a CSV has to be read whole",
            detail=f"{len(files)} file(s), {len(not_parquet)} of them not Parquet",
        )
    folders = {p.parent.relative_to(root).as_posix() for p in files}
    if not all("=" in part for folder in folders for part in folder.split("/") if folder != "."):
        raise CheckFailed(
            "Hive-style partitions are folders named column=value, so an engine knows each file's value "
            "of that column from its path alone",
            detail=f"folders such as {sorted(folders)[:2]}",
        )
    return f"{len(files)} Parquet files in {len(folders)} partition folders"


def _expected(ctx: Context) -> dict[str, float]:
    events = ctx.once("events", lambda: pd.read_csv(ctx.workspace / "events.csv"))
    purchases = events[events["event_type"] == "purchase"]
    return {day: float(purchases.loc[purchases["event_date"] == day, "value"].sum()) for day in DAYS}


@check("revenue", "The query returns each day's purchase revenue")
def revenue(ctx: Context) -> str:
    lake = ctx.learner("lake")
    root = _lake(ctx)
    for day, want in _expected(ctx).items():
        got, _read = lake.measure(str(root), day)
        if abs(got - want) > 0.01:
            raise CheckFailed(
                "revenue counts only the day's purchases: filter on both the date and the event type",
                detail=f"{day}: got {got:.2f}",
            )
    return f"right on {len(DAYS)} days"


@check("bytes-scanned", f"A day's query reads at most {MAX_SHARE:.0%} of the lake's bytes")
def bytes_scanned(ctx: Context) -> str:
    root = _lake(ctx)
    total = sum(p.stat().st_size for p in _files(root))
    _got, read = ctx.learner("lake").measure(str(root), DAYS[1])
    if read > MAX_SHARE * total:
        raise CheckFailed(
            "an engine skips a whole file only when the query filters on the partition column: partition the "
            "lake by the column your queries filter on, and read it with hive_partitioning so the filter "
            "reaches the file list",
            detail=f"read {read:,} of {total:,} bytes ({read / total:.0%})",
        )
    return f"read {read:,} of {total:,} bytes ({read / total:.1%})"
