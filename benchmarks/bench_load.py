"""Load benchmark: simulated examinees answering through HTTP on loopback.

    python benchmarks/bench_load.py [--examinees 64] [--questions 30] [--workers 1] [--rounds 5]
                                    [--think-ms 500] [--database-url URL] [--json]

Starts `certprep serve --multi-user` on a free loopback port (SQLite in a temporary folder by
default; PostgreSQL with --database-url), signs up one account per examinee and starts each one's
Practice Exam N (not measured), then measures, all in one run on one server:

- ceiling and saturation, in --rounds alternating slices of 3 s each (a machine whose speed
  drifts during the run slows both alike): the ceiling is the throughput of GET /healthz (an
  `async` endpoint without database: the same uvicorn, middleware, routing and CSRF dependency as
  every endpoint, and nothing else), with as many clients as examinees; saturation is the
  throughput of the writes, each examinee answering the question on screen, moving to the next,
  answering it... never pausing (each write acknowledged only once it is in the database). Their
  ratio is the ratio to the ceiling; the ratio of each round is printed too;
- paced: a new attempt for each examinee, 30 questions (--questions), moving to each and answering
  it, pausing before each write (--think-ms on average, exponentially distributed): the latency
  of writes on a server that is not saturated.

Prints for each phase throughput, p50, p99 and errors; the ratio to the ceiling; the server's CPU
time per write (with PostgreSQL on this machine, its processes' CPU time too) and per bare
request, and their ratio (the CPU ratio, which the client's speed does not sway); and which
targets are met.

Targets (docs/benchmarks.md): ratio >= 0.5 of the ceiling at saturation, p99 <= 50 ms paced,
0 errors. With clients that never pause the latency is the queue (Little's law: mean = examinees
/ throughput), so p99 <= 50 ms is measured where it can hold, on a server that is not saturated.
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
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SLICE_SECONDS = 3.0  # each slice of the ceiling and of the saturation writes


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


def _client(base: str) -> httpx.AsyncClient:
    """A client that closes a connection idle for 2 s itself. uvicorn closes one idle for 5 s,
    httpx's default: a request sent on it at that moment met a closed socket (httpx.ReadError),
    as examinees that signed up first and started their attempt some 5 s later did."""
    return httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(keepalive_expiry=2.0))


class Examinee:
    def __init__(self, base: str, number: int) -> None:
        self.client = _client(base)
        self.number = number
        self.think = 0.0
        self.rng = random.Random(number)
        self.csrf = ""
        self.view: dict[str, Any] = {}
        self.answer_next = True

    async def sign_up(self) -> None:
        await self.client.get("/api/session")
        session = (await self.client.get("/api/session")).json()
        self.csrf = session["csrf_token"]
        body = {"username": f"examinee{self.number}", "password": f"pass-{self.number}-word-long"}
        r = await self.client.post("/api/sign-up", json=body, headers={"X-CSRF-Token": self.csrf})
        r.raise_for_status()
        self.csrf = (await self.client.get("/api/session")).json()["csrf_token"]

    async def post(
        self, url: str, body: dict[str, Any], latencies: list[float], errors: list[str], ends: list[float] | None = None
    ) -> dict[str, Any]:
        if self.think:
            await asyncio.sleep(self.rng.expovariate(1 / self.think))
        start = time.perf_counter()
        r = await self.client.post(url, json=body, headers={"X-CSRF-Token": self.csrf})
        latencies.append(time.perf_counter() - start)
        if ends is not None:
            ends.append(time.perf_counter())
        if r.status_code >= 400:
            errors.append(f"{r.status_code} {r.text[:120]}")
            return {}
        data: dict[str, Any] = r.json()
        return data

    async def begin(self, form: int, latencies: list[float], errors: list[str]) -> None:
        """Start the attempt that the saturation rounds go on with (its start is not measured)."""
        start = {"exam": "MLA-C01", "selection": "fixed", "form": form, "mode": "exam"}
        self.view = await self.post("/api/attempts", start, latencies, errors)
        self.answer_next = True

    async def write_until(self, stop: float, latencies: list[float], errors: list[str], ends: list[float]) -> None:
        """Go on with the attempt until ``stop``: answer the question on screen, move to the next
        (from the last back to the first), answer it... each a write acknowledged once stored."""
        while self.view and time.perf_counter() < stop:
            view, url = self.view, f"/api/attempts/{self.view['id']}/actions"
            if self.answer_next:
                body = {"type": "answer", "index": view["current"], "response": _response(view["question"])}
            else:
                body = {"type": "navigate", "index": (view["current"] + 1) % view["count"]}
            self.view = await self.post(url, {**body, "expected_version": view["version"]}, latencies, errors, ends)
            self.answer_next = not self.answer_next

    async def take(self, questions: int, form: int, latencies: list[float], errors: list[str]) -> None:
        start = {"exam": "MLA-C01", "selection": "fixed", "form": form, "mode": "exam"}
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


async def _ceiling(clients: list[httpx.AsyncClient], stop: float, latencies: list[float], ends: list[float]) -> None:
    """GET /healthz from every client, back to back, until ``stop``."""

    async def worker(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < stop:
            t = time.perf_counter()
            (await client.get("/healthz")).raise_for_status()
            latencies.append(time.perf_counter() - t)
            ends.append(time.perf_counter())

    await asyncio.gather(*(worker(client) for client in clients))


def _plus(total: float | None, before: float | None, after: float | None) -> float | None:
    return None if total is None or before is None or after is None else total + after - before


class _Meter:
    """Requests, seconds and CPU time (server, PostgreSQL, client) summed over slices of one kind."""

    def __init__(self, server_pid: int, postgres: bool) -> None:
        self.server_pid, self.postgres = server_pid, postgres
        self.requests, self.in_time, self.seconds = 0, 0, 0.0
        self.server_cpu: float | None = 0.0
        self.db_cpu: float | None = 0.0 if postgres else None
        self.client_cpu: float | None = 0.0
        self.rates: list[float] = []  # requests/s of each slice

    def _read(self) -> tuple[float, float | None, float | None, float]:
        db = _postgres_cpu_seconds() if self.postgres else None
        return time.perf_counter(), _cpu_seconds(self.server_pid), db, time.process_time()

    @contextlib.asynccontextmanager
    async def slice(self, ends: list[float], seconds: float) -> AsyncIterator[float]:
        """Yields the slice's stop time. Throughput counts the requests done by then over the
        slice's seconds; those still in flight at the stop finish (not counted in it) before the
        next slice starts. CPU time is per request done in the slice, the late ones included."""
        before, count = self._read(), len(ends)
        stop = before[0] + seconds
        yield stop
        after = self._read()
        done = ends[count:]
        in_time = sum(1 for end in done if end <= stop)
        self.requests += len(done)
        self.in_time += in_time
        self.seconds += seconds
        self.rates.append(in_time / seconds)
        self.server_cpu = _plus(self.server_cpu, before[1], after[1])
        self.db_cpu = _plus(self.db_cpu, before[2], after[2])
        self.client_cpu = _plus(self.client_cpu, before[3], after[3])

    def rate(self) -> float:
        return self.in_time / self.seconds if self.seconds else 0.0

    def per_request_ms(self, cpu: float | None) -> float | None:
        return None if cpu is None else round(cpu / max(1, self.requests) * 1000, 2)


def _per_write_ms(before: float | None, after: float | None, writes: int) -> float | None:
    """CPU milliseconds per request between two readings (None where they cannot be read)."""
    return None if before is None or after is None else round((after - before) / max(1, writes) * 1000, 2)


async def _phase(
    people: list[Examinee], questions: int, think_ms: float, form_shift: int, server_pid: int, postgres: bool
) -> dict[str, Any]:
    """Every examinee takes a new attempt of `questions` questions; the writes' figures."""
    for person in people:
        person.think = think_ms / 1000
    latencies: list[float] = []
    errors: list[str] = []
    cpu_0, db_0 = _cpu_seconds(server_pid), _postgres_cpu_seconds() if postgres else None
    began, client_0 = time.perf_counter(), time.process_time()
    await asyncio.gather(*(p.take(questions, (p.number + form_shift) % 6 + 1, latencies, errors) for p in people))
    elapsed, client_1 = time.perf_counter() - began, time.process_time()
    cpu_1, db_1 = _cpu_seconds(server_pid), _postgres_cpu_seconds() if postgres else None
    return {
        "think_ms": think_ms,
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(_percentile(latencies, 99) * 1000, 1),
        "errors": len(errors),
        "error_samples": errors[:5],
        # Server CPU per write (all its processes); PostgreSQL's own processes apart (SQLite works
        # inside the server's processes).
        "server_cpu_ms_per_write": _per_write_ms(cpu_0, cpu_1, len(latencies)),
        "db_cpu_ms_per_write": _per_write_ms(db_0, db_1, len(latencies)),
        "client_cpu_ms_per_write": _per_write_ms(client_0, client_1, len(latencies)),
    }


async def _run(
    base: str, examinees: int, questions: int, server_pid: int, think_ms: float, postgres: bool, rounds: int
) -> dict[str, Any]:
    people = [Examinee(base, i) for i in range(examinees)]
    bare_clients = [_client(base) for _ in range(examinees)]
    for person in people:  # sign-up is not what is measured
        await person.sign_up()
    warm: list[float] = []
    errors: list[str] = []
    await _ceiling(bare_clients, time.perf_counter() + 1.0, warm, [])  # connections open, code warm: not measured
    await asyncio.gather(*(p.begin(p.number % 6 + 1, warm, errors) for p in people))

    # Ceiling and saturation in alternating slices: a machine whose speed drifts during the run
    # (a VM sharing its host) then slows both alike, and the ratio compares like with like.
    bare, writes = _Meter(server_pid, postgres), _Meter(server_pid, postgres)
    ceiling_lat: list[float] = []
    write_lat: list[float] = []
    ceiling_ends: list[float] = []
    write_ends: list[float] = []
    for _ in range(rounds):
        async with bare.slice(ceiling_ends, SLICE_SECONDS) as stop:
            await _ceiling(bare_clients, stop, ceiling_lat, ceiling_ends)
        async with writes.slice(write_ends, SLICE_SECONDS) as stop:
            await asyncio.gather(*(p.write_until(stop, write_lat, errors, write_ends) for p in people))
    saturation = {
        "think_ms": 0.0,
        "requests": writes.in_time,
        "seconds": round(writes.seconds, 2),
        "throughput_rps": round(writes.rate(), 1),
        "p50_ms": round(statistics.median(write_lat) * 1000, 1),
        "p99_ms": round(_percentile(write_lat, 99) * 1000, 1),
        "errors": len(errors),
        "error_samples": errors[:5],
        "server_cpu_ms_per_write": writes.per_request_ms(writes.server_cpu),
        "db_cpu_ms_per_write": writes.per_request_ms(writes.db_cpu),
        "client_cpu_ms_per_write": writes.per_request_ms(writes.client_cpu),
    }
    paced = await _phase(people, questions, think_ms, 1, server_pid, postgres)
    for client in [p.client for p in people] + bare_clients:
        await client.aclose()
    ratio = writes.rate() / bare.rate()
    # The same ratio measured on the server side alone (CPU time per bare request over CPU time per
    # write, the database's included): independent of how fast the client is. When the client,
    # not the server, limits the ceiling, the throughput ratio overstates what the server achieves
    # and this one does not.
    bare_cpu = bare.per_request_ms(bare.server_cpu)
    write_cpu = saturation["server_cpu_ms_per_write"]
    if write_cpu is not None:
        write_cpu += saturation["db_cpu_ms_per_write"] or 0.0
    all_errors = saturation["errors"] + paced["errors"]
    return {
        "examinees": examinees,
        "questions": questions,
        "rounds": rounds,
        "ceiling": {
            "throughput_rps": round(bare.rate(), 1),
            "slices_rps": [round(r, 1) for r in bare.rates],
            "p50_ms": round(statistics.median(ceiling_lat) * 1000, 1),
            "server_cpu_ms_per_request": bare_cpu,
            "client_cpu_ms_per_request": bare.per_request_ms(bare.client_cpu),
        },
        "saturation": {**saturation, "slices_rps": [round(r, 1) for r in writes.rates]},
        "paced": paced,
        "ratio_to_ceiling": round(ratio, 3),
        "round_ratios": [round(w / b, 3) for w, b in zip(writes.rates, bare.rates, strict=True)],
        "cpu_ratio": None if not write_cpu or bare_cpu is None else round(bare_cpu / write_cpu, 3),
        "targets": {
            "ratio_to_ceiling_at_least_0.5": ratio >= 0.5,
            "paced_p99_at_most_50_ms": paced["p99_ms"] <= 50,
            "no_errors": all_errors == 0,
        },
    }


def _phase_line(name: str, phase: dict[str, Any]) -> str:
    line = (
        f"  {name}: {phase['requests']} writes in {phase['seconds']} s = {phase['throughput_rps']} writes/s, "
        f"p50 {phase['p50_ms']} ms, p99 {phase['p99_ms']} ms, errors {phase['errors']}; "
        f"server CPU {phase['server_cpu_ms_per_write']} ms a write"
    )
    if phase["db_cpu_ms_per_write"] is not None:
        line += f" + PostgreSQL {phase['db_cpu_ms_per_write']} ms"
    line += f", client CPU {phase['client_cpu_ms_per_write']} ms"
    return line + "".join(f"\n    error: {sample}" for sample in phase["error_samples"])


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
    parser.add_argument("--questions", type=int, default=30, help="questions each examinee answers in each phase")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--think-ms", type=float, default=500.0, help="paced phase: mean pause before each write (default 500)"
    )
    parser.add_argument(
        "--database-url", help="default: SQLite in a temporary folder; PostgreSQL: a fresh schema, dropped after"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help=f"saturation: rounds of a ceiling slice then a slice of writes, {SLICE_SECONDS:g} s each"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.workers > 1 and not args.database_url:
        parser.error("--workers above 1 needs --database-url (PostgreSQL): SQLite serves one worker process")

    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp, _fresh_database(args.database_url) as database_url:
        env = {**os.environ, "CERTPREP_DATA_DIR": tmp}
        if database_url:
            env["CERTPREP_DATABASE_URL"] = database_url
        command = [sys.executable, "-m", "certprep", "serve", "--multi-user", "--port", str(port)]
        command += ["--workers", str(args.workers)]
        log = Path(tmp) / "server.log"  # the server's messages, shown if the run fails
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
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
            result = asyncio.run(
                _run(base, args.examinees, args.questions, server.pid, args.think_ms, postgres, args.rounds)
            )
        except BaseException:
            print(f"the run failed; the server's last messages:\n{log.read_text()[-3000:]}", file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)
    result["database"] = "postgresql" if args.database_url else "sqlite"
    result["workers"] = args.workers
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        ceiling, targets = result["ceiling"], result["targets"]
        print(
            f"{result['database']}, {args.workers} worker(s), {args.examinees} examinees, "
            f"{args.questions} questions each per phase\n"
            f"  ceiling (GET /healthz): {ceiling['throughput_rps']} req/s "
            f"(slices {', '.join(map(str, ceiling['slices_rps']))}), "
            f"server CPU {ceiling['server_cpu_ms_per_request']} ms a request, "
            f"client CPU {ceiling['client_cpu_ms_per_request']} ms\n"
            + _phase_line(f"saturation (no pause, {args.rounds} slices)", result["saturation"])
            + "\n"
            + _phase_line(f"paced (pause {args.think_ms:g} ms on average)", result["paced"])
            + f"\n  ratio to the ceiling {result['ratio_to_ceiling']} "
            f"(by round: {', '.join(map(str, result['round_ratios']))}), CPU ratio {result['cpu_ratio']}\n"
            f"  targets: ratio >= 0.5 {'met' if targets['ratio_to_ceiling_at_least_0.5'] else 'NOT met'}; "
            f"paced p99 <= 50 ms {'met' if targets['paced_p99_at_most_50_ms'] else 'NOT met'}; "
            f"no errors {'met' if targets['no_errors'] else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
