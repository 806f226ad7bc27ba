"""A partitioned Parquet lake for the daily revenue query. (reference solution)"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import duckdb


def build_lake(csv_path: str, root: str) -> None:
    """Store the events of `csv_path` as Parquet files under `root`, in Hive-style partitions."""
    con = duckdb.connect()
    # Partitioned on the column the daily query filters on: one folder per day.
    con.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', header = true)) "
        f"TO '{root}' (FORMAT parquet, PARTITION_BY (event_date), OVERWRITE_OR_IGNORE)"
    )
    con.close()


def revenue_sql(root: str, day: str) -> str:
    """One DuckDB query: the sum of `value` over the purchases of `day` (YYYY-MM-DD)."""
    return (
        f"SELECT coalesce(sum(value), 0) FROM read_parquet('{root}/**/*.parquet', hive_partitioning = true) "
        f"WHERE event_date = DATE '{day}' AND event_type = 'purchase'"
    )


def measure(root: str, day: str) -> tuple[float, int]:
    """Run the query with DuckDB's profiler on: (the revenue, the bytes it read)."""
    profile = Path(tempfile.mkdtemp()) / "profile.json"
    con = duckdb.connect()
    con.execute("PRAGMA enable_profiling = 'json'")
    con.execute(f"PRAGMA profiling_output = '{profile}'")
    row = con.execute(revenue_sql(root, day)).fetchone()
    con.close()
    data = json.loads(profile.read_text())
    read = data.get("io", {}).get("total_bytes_read", data.get("query", {}).get("total_bytes_scanned", 0))
    return float(row[0]) if row else float("nan"), int(read)


if __name__ == "__main__":
    build_lake("events.csv", "lake")
    revenue, read = measure("lake", "2026-10-15")
    total = sum(p.stat().st_size for p in Path("lake").rglob("*") if p.is_file())
    print(f"revenue on 2026-10-15: {revenue:.2f}; read {read:,} of the lake's {total:,} bytes")
