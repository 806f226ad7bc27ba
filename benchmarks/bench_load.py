"""Load benchmark: simulated examinees answering through HTTP on loopback.

    python benchmarks/bench_load.py [--examinees 64] [--questions 30] [--workers 1]
                                    [--think-ms 0] [--database-url URL] [--json]

Starts `certprep serve --multi-user` on a free loopback port (SQLite in a temporary folder by
default; PostgreSQL with --database-url), signs up one account per examinee, then each examinee
starts Practice Exam N and, question after question, moves to it and answers it (two stored
writes per question, each acknowledged only once it is in the database). Measured in the same
run and with the same client: the throughput of GET /healthz (no database) as the ceiling of the
server stack, before and after the writes (the higher counts). Prints throughput, p50, p99,
errors, the ratio to the ceiling, the server's CPU time per write (with PostgreSQL on this
machine, its processes' CPU time too) and per bare request, and their ratio (the CPU ratio,
which the client's speed does not sway). With --think-ms each
examinee pauses that long (on average, exponentially distributed) before each write, as people
do; 0 (the default) is the saturation test.

Targets (docs/benchmarks.md): ratio >= 0.5 of the ceiling, p99 <= 50 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _processes() -> Iterator[tuple[int, str, list[str]]]:
    """(pid, command name, the fields of /proc/<pid>/stat after the name) of every process."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        yield int(stat.parent.name), text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1].split()


def _cpu_seconds(root: int) -> float | None:
    """CPU time (user + system) of the server and its worker processes so far; None off Linux."""
    if not Path("/proc").is_dir():
        return None
    ticks = sum(int(f[11]) + int(f[12]) for pid, _, f in _processes() if root in (pid, int(f[1])))
    return ticks / os.sysconf("SC_CLK_TCK")


def _postgres_cpu_seconds() -> float | None:
    """CPU time of the PostgreSQL server's processes on this machine, with that of its backends
    that have exited (they do the work of the writes: with PostgreSQL on loopback that CPU is
    taken from the same cores); None off Linux."""
    if not Path("/proc").is_dir():
        return None
    ticks = sum(sum(map(int, f[11:15])) for _, name, f in _processes() if name.startswith("postgres"))
    return ticks / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _response(question: dict[str, Any]) -> Any:
    kind = question["type"]
    if kind == "single":
        return 0
    if kind == "multiple":
        return list(range(question.get("select") or 2))
    if kind == "ordering":
        return list(range(question.get("steps_to_order") or len(question["choices"])))
    return {str(i): i % len(question["choices"]) for i in range(len(question["prompts"]))}


class Examinee:
    def __init__(self, base: str, number: int, think_ms: float = 0.0) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=30)
        self.number = number
        self.think = think_ms / 1000
        self.rng = random.Random(number)
        self.csrf = ""

    async def sign_up(self) -> None:
        await self.client.get("/api/session")
        session = (await self.client.get("/api/session")).json()
        self.csrf = session["csrf_token"]
        body = {"username": f"examinee{self.number}", "password": f"pass-{self.number}-word-long"}
        r = await self.client.post("/api/sign-up", json=body, headers={"X-CSRF-Token": self.csrf})
        r.raise_for_status()
        self.csrf = (await self.client.get("/api/session")).json()["csrf_token"]

    async def post(self, url: str, body: dict[str, Any], latencies: list[float], errors: list[str]) -> dict[str, Any]:
        if self.think:
            await asyncio.sleep(self.rng.expovariate(1 / self.think))
        start = time.perf_counter()
        r = await self.client.post(url, json=body, headers={"X-CSRF-Token": self.csrf})
        latencies.append(time.perf_counter() - start)
        if r.status_code >= 400:
            errors.append(f"{r.status_code} {r.text[:120]}")
            return {}
        data: dict[str, Any] = r.json()
        return data

    async def take(self, questions: int, latencies: list[float], errors: list[str]) -> None:
        start = {"exam": "MLA-C01", "selection": "fixed", "form": self.number % 6 + 1, "mode": "exam"}
        view = await self.post("/api/attempts", start, latencies, errors)
        if not view:
            return
        url = f"/api/attempts/{view['id']}/actions"
        for index in range(min(questions, view["count"])):
            if index:
                view = await self.post(
                    url, {"type": "navigate", "index": index, "expected_version": view["version"]}, latencies, errors
                )
                if not view:
                    return
            action = {"type": "answer", "index": index, "response": _response(view["question"])}
            view = await self.post(url, {**action, "expected_version": view["version"]}, latencies, errors)
            if not view:
                return


async def _ceiling(base: str, concurrency: int, seconds: float) -> tuple[float, list[float]]:
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while time.perf_counter() < stop:
                t = time.perf_counter()
                (await client.get("/healthz")).raise_for_status()
                latencies.append(time.perf_counter() - t)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(latencies) / (time.perf_counter() - began), latencies


async def _run(
    base: str, examinees: int, questions: int, server_pid: int, think_ms: float, postgres: bool
) -> dict[str, Any]:
    people = [Examinee(base, i, think_ms) for i in range(examinees)]
    for person in people:  # sign-up is not what is measured
        await person.sign_up()
    # The ceiling is measured before and after the writes and the higher of the two is taken (a
    # machine whose speed drifts during the run then lowers the ratio, never raises it).
    cpu_0 = _cpu_seconds(server_pid)
    before_rps, ceiling_lat = await _ceiling(base, examinees, 5.0)
    before_lat_count = len(ceiling_lat)
    cpu_1 = _cpu_seconds(server_pid)
    db_1 = _postgres_cpu_seconds() if postgres else None
    latencies: list[float] = []
    errors: list[str] = []
    began = time.perf_counter()
    await asyncio.gather(*(p.take(questions, latencies, errors) for p in people))
    elapsed = time.perf_counter() - began
    cpu_2 = _cpu_seconds(server_pid)
    db_2 = _postgres_cpu_seconds() if postgres else None
    after_rps, after_lat = await _ceiling(base, examinees, 5.0)
    ceiling_lat += after_lat
    ceiling_rps = max(before_rps, after_rps)
    for p in people:
        await p.client.aclose()
    rps = len(latencies) / elapsed
    result: dict[str, Any] = {
        "examinees": examinees,
        "think_ms": think_ms,
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "throughput_rps": round(rps, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(_percentile(latencies, 99) * 1000, 1),
        "errors": len(errors),
        "error_samples": errors[:5],
        "ceiling_rps": round(ceiling_rps, 1),
        "ceiling_before_after_rps": [round(before_rps, 1), round(after_rps, 1)],
        "ceiling_p50_ms": round(statistics.median(ceiling_lat) * 1000, 1),
        "ratio_to_ceiling": round(rps / ceiling_rps, 3),
        # Server CPU per request (all its processes): what the ratio is made of.
        "server_cpu_ms_per_write": None
        if cpu_2 is None or cpu_1 is None
        else round((cpu_2 - cpu_1) / max(1, len(latencies)) * 1000, 2),
        "server_cpu_ms_per_ceiling_request": None
        if cpu_1 is None or cpu_0 is None
        else round((cpu_1 - cpu_0) / max(before_lat_count, 1) * 1000, 2),
        # PostgreSQL's own processes (SQLite works inside the server's processes: counted above).
        "db_cpu_ms_per_write": None
        if db_1 is None or db_2 is None
        else round((db_2 - db_1) / max(1, len(latencies)) * 1000, 2),
    }
    # The same ratio measured on the server side alone (CPU time per bare request over CPU time per
    # write, the database's included): independent of how fast the client is. When the client,
    # not the server, limits the ceiling, the throughput ratio overstates what the server achieves
    # and this one does not.
    cpu_write, cpu_bare = result["server_cpu_ms_per_write"], result["server_cpu_ms_per_ceiling_request"]
    if cpu_write is not None:
        cpu_write += result["db_cpu_ms_per_write"] or 0.0
    result["cpu_ratio"] = None if not cpu_write or cpu_bare is None else round(cpu_bare / cpu_write, 3)
    return result


@contextlib.contextmanager
def _fresh_database(url: str | None) -> Iterator[str | None]:
    """PostgreSQL: a new schema of the server's database for this run (accounts of an earlier run
    would clash), dropped afterwards."""
    if not url or not url.startswith("postgresql"):
        yield url
        return
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examinees", type=int, default=64)
    parser.add_argument("--questions", type=int, default=30, help="questions each examinee answers")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--think-ms", type=float, default=0.0, help="mean pause before each write (0: none)")
    parser.add_argument(
        "--database-url", help="default: SQLite in a temporary folder; PostgreSQL: a fresh schema, dropped after"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp, _fresh_database(args.database_url) as database_url:
        env = {**os.environ, "CERTPREP_DATA_DIR": tmp}
        if database_url:
            env["CERTPREP_DATABASE_URL"] = database_url
        command = [sys.executable, "-m", "certprep", "serve", "--multi-user", "--port", str(port)]
        command += ["--workers", str(args.workers)]
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            else:
                raise SystemExit("the server did not start")
            postgres = bool(database_url and database_url.startswith("postgresql"))
            result = asyncio.run(_run(base, args.examinees, args.questions, server.pid, args.think_ms, postgres))
        finally:
            server.terminate()
            server.wait(timeout=30)
    result["database"] = "postgresql" if args.database_url else "sqlite"
    result["workers"] = args.workers
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['database']}, {args.workers} worker(s), {args.examinees} examinees, think {args.think_ms:g} ms: "
            f"{result['requests']} writes in {result['seconds']} s = {result['throughput_rps']} req/s, "
            f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, errors {result['errors']}; "
            f"ceiling (GET /healthz, before/after) {'/'.join(map(str, result['ceiling_before_after_rps']))} req/s "
            f"-> ratio {result['ratio_to_ceiling']}; "
            f"server CPU {result['server_cpu_ms_per_write']} ms a write"
            + (f" + PostgreSQL {result['db_cpu_ms_per_write']} ms" if result["db_cpu_ms_per_write"] is not None else "")
            + f", {result['server_cpu_ms_per_ceiling_request']} ms a ceiling request -> CPU ratio {result['cpu_ratio']}"
        )
        for sample in result["error_samples"]:
            print("  error:", sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
