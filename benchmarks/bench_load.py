"""Load benchmark: simulated examinees answering through HTTP on loopback.

    python benchmarks/bench_load.py [--examinees 64] [--questions 30] [--workers 1]
                                    [--database-url URL] [--json]

Starts `certprep serve --multi-user` on a free loopback port (SQLite in a temporary folder by
default; PostgreSQL with --database-url), signs up one account per examinee, then each examinee
starts Practice Exam N and, question after question, moves to it and answers it (two stored
writes per question, each acknowledged only once it is in the database). Measured in the same
run and with the same client: the throughput of GET /healthz (no database) as the ceiling of the
server stack. Prints throughput, p50, p99, errors, and the ratio to the ceiling.

Targets (docs/benchmarks.md): ratio >= 0.5 of the ceiling, p99 <= 50 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    def __init__(self, base: str, number: int) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=30)
        self.number = number
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


async def _run(base: str, examinees: int, questions: int) -> dict[str, Any]:
    people = [Examinee(base, i) for i in range(examinees)]
    for person in people:  # sign-up is not what is measured
        await person.sign_up()
    ceiling_rps, ceiling_lat = await _ceiling(base, examinees, 5.0)
    latencies: list[float] = []
    errors: list[str] = []
    began = time.perf_counter()
    await asyncio.gather(*(p.take(questions, latencies, errors) for p in people))
    elapsed = time.perf_counter() - began
    for p in people:
        await p.client.aclose()
    rps = len(latencies) / elapsed
    return {
        "examinees": examinees,
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "throughput_rps": round(rps, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(_percentile(latencies, 99) * 1000, 1),
        "errors": len(errors),
        "error_samples": errors[:5],
        "ceiling_rps": round(ceiling_rps, 1),
        "ceiling_p50_ms": round(statistics.median(ceiling_lat) * 1000, 1),
        "ratio_to_ceiling": round(rps / ceiling_rps, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examinees", type=int, default=64)
    parser.add_argument("--questions", type=int, default=30, help="questions each examinee answers")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CERTPREP_DATA_DIR": tmp}
        if args.database_url:
            env["CERTPREP_DATABASE_URL"] = args.database_url
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
            result = asyncio.run(_run(base, args.examinees, args.questions))
        finally:
            server.terminate()
            server.wait(timeout=30)
    result["database"] = "postgresql" if args.database_url else "sqlite"
    result["workers"] = args.workers
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['database']}, {args.workers} worker(s), {args.examinees} examinees: "
            f"{result['requests']} writes in {result['seconds']} s = {result['throughput_rps']} req/s, "
            f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, errors {result['errors']}; "
            f"ceiling (GET /healthz) {result['ceiling_rps']} req/s -> ratio {result['ratio_to_ceiling']}"
        )
        for sample in result["error_samples"]:
            print("  error:", sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
