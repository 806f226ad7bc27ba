"""CPU per browser action, in process: the exam runner's HTML route with its fragment.

    python benchmarks/bench_action.py [--actions 400] [--warmup 30] [--profile N] [--database-url URL]

Opens the app over a fresh database (SQLite in a temporary folder by default), builds the ASGI app
and drives it through ``httpx.ASGITransport`` with the capacity benchmark's examinee
(``bench_load.Examinee``: the same form fields, header and mix as ``static/runner.js``), so every
action goes through the whole path: guards, middleware, routing, dependencies, the service's
transaction and the template. Prints the process's CPU time per action (server and client in one
process; the client's share, httpx and the examinee's parsing, is about 1-1.5 ms) and the split of
the actions by kind. ``--profile N`` prints the N most expensive functions under cProfile instead.

Not a timed test: the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib.util
import pstats
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import httpx

from certprep.app import open_app
from certprep.config import Settings
from certprep.web import build_web_app


def _bench_load() -> ModuleType:
    path = Path(__file__).resolve().parent / "bench_load.py"
    spec = importlib.util.spec_from_file_location("bench_load", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


async def _drive(
    web: object, actions: int, warmup: int, profile: cProfile.Profile | None
) -> tuple[float, Counter[str]]:
    bench = _bench_load()
    transport = httpx.ASGITransport(app=web, client=("127.0.0.1", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        person = bench.Examinee(client, 0, 1.0, 1)
        await person.join(1, False)
        sample = bench.Sample(start=0.0, stop=float("inf"))
        for _ in range(warmup):
            await person.act(sample)
        measured = bench.Sample(start=0.0, stop=float("inf"))
        if profile is not None:
            profile.enable()
        began = time.process_time()
        for _ in range(actions):
            await person.act(measured)
        cpu = time.process_time() - began
        if profile is not None:
            profile.disable()
    if measured.errors:
        raise SystemExit(f"errors: {measured.errors[:3]}")
    return cpu, Counter(measured.kinds)


def _inline_threadpool() -> None:
    """Profile mode: run the sync routes and dependencies on the calling thread (cProfile sees
    only its own thread); the CPU figure is taken without this."""
    import fastapi.dependencies.utils
    import fastapi.routing

    async def inline(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        return func(*args, **kwargs)

    fastapi.routing.run_in_threadpool = inline  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = inline  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=400, help="measured actions (default 400)")
    parser.add_argument("--warmup", type=int, default=30, help="actions before measuring (default 30)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N top functions (cProfile)")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temporary folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="certprep-bench-") as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            allowed_hosts=["127.0.0.1"],
            **({"database_url": args.database_url} if args.database_url else {}),
        )
        app = open_app(settings, now=datetime.now(UTC))
        try:
            web = build_web_app(app)
            profile = cProfile.Profile() if args.profile else None
            if profile is not None:
                _inline_threadpool()
            cpu, kinds = asyncio.run(_drive(web, args.actions, args.warmup, profile))
        finally:
            app.close()
    print(f"{args.actions} actions: {1000 * cpu / args.actions:.2f} ms CPU per action (server and client)")
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
