"""Capacity benchmark: paced examinees driving the exam runner through its HTML route, as browsers do.

    python benchmarks/bench_load.py [--start 250] [--step 250] [--max 4000] [--step-seconds 30]
                                    [--think-s 20] [--workers 1] [--database-url URL] [--json]

Starts `certprep serve` (local mode; --accounts: `--multi-user`) on a free loopback port (SQLite
in a temporary folder by default; PostgreSQL with --database-url: a scratch database created next
to the one named, dropped after the run), then ramps the number of examinees in steps until the
p99 latency of a step passes --p99-ms (100) or a request fails. The result is the largest step
held: p99 <= 100 ms, 0 errors.

Each examinee is one browser tab with its own session cookie and CSRF token. Joining (not
measured, between steps): with --accounts GET /sign-up and POST /sign-up (an argon2 hash each,
which makes joining thousands slow); then GET /exams (the session and its CSRF token),
POST /attempts (Practice Exam N, exam mode), GET /attempts/{id}. Then, a request every --think-s seconds on average
(exponential pauses), what ``static/runner.js`` sends: POST /attempts/{id}/actions with ``X-Certprep-Runner: 1`` and the
X-CSRF-Token header, the form's fields (expected_version, index, fields, the answer) and the
button's ``do``, answered with the runner's HTML fragment. The mix follows a person taking the exam:
answer the question on screen (a choice; an ordering question's "Add to order"; a matching
question's first select), then mostly Next, sometimes Previous, Flag / Unflag or a palette jump,
and now and then a reload of the page (GET /attempts/{id}, the whole page). From the last question
a palette jump goes back to the first. All examinees share one HTTP client (connections are
pooled by the client; uvicorn closes a connection idle for 5 s, so a browser pausing 20 s
reconnects too).

Per step: examinees, requests, throughput, p50, p99, errors; the server's CPU time (all its
processes) per browser action, PostgreSQL's too when it runs on this machine; the client's CPU
per action; the resident memory (RSS) of each worker process at the end of the step.

Not a timed test: run it by hand on a quiet machine; figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx

RUNNER_HEADER = "X-Certprep-Runner"
EXAM = "MLA-C02"
PRACTICE_EXAMS = 6

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_RUNNER = re.compile(
    r'data-attempt-id="([^"]+)".*?data-version="(\d+)"\s+data-current="(\d+)" data-count="(\d+)"', re.S
)
_FIELDS = re.compile(r'name="fields" value="(\w+)"')
_SELECT = re.compile(r"<legend>Select (\d+)\.</legend>")
_SAVED = 'id="answer-state"><span class="badge ok">Saved'


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


def _server_pids(root: int) -> list[int]:
    return [pid for pid, _, f in _processes() if root in (pid, int(f[1]))]


def _cpu_seconds(root: int) -> float:
    """CPU time (user + system) of the server and its worker processes so far (Linux /proc)."""
    ticks = sum(int(f[11]) + int(f[12]) for pid, _, f in _processes() if root in (pid, int(f[1])))
    return ticks / os.sysconf("SC_CLK_TCK")


def _postgres_cpu_seconds() -> float:
    """CPU time of the PostgreSQL processes on this machine, with that of their exited backends."""
    ticks = sum(sum(map(int, f[11:15])) for _, name, f in _processes() if name.startswith("postgres"))
    return ticks / os.sysconf("SC_CLK_TCK")


def _worker_rss_mb(root: int) -> list[float]:
    """Resident memory of each process serving requests: the workers (children of the server), or
    the server itself when it runs the app in its own process (one worker)."""
    children = [pid for pid in _server_pids(root) if pid != root]
    sizes = []
    for pid in children or [root]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Sample:
    """What one step collects: latencies of the requests started in the measured window, errors."""

    start: float = 0.0
    stop: float = 0.0
    latencies: list[float] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def record(self, began: float, seconds: float, kind: str, error: str = "") -> None:
        if not self.start <= began < self.stop:
            return
        self.latencies.append(seconds)
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if error:
            self.errors.append(error)


class Examinee:
    """One browser tab: a session cookie, the CSRF token of its pages, the runner on screen."""

    def __init__(self, client: httpx.AsyncClient, number: int, think: float, seed: int) -> None:
        self.client = client
        self.number = number
        self.think = think
        self.rng = random.Random(seed * 100_003 + number)
        self.cookie = ""
        self.csrf = ""
        self.attempt = ""
        self.html = ""

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if self.cookie:
            headers["Cookie"] = self.cookie
        r = await self.client.request(method, url, headers=headers, **kwargs)
        set_cookie = r.headers.get_list("set-cookie")
        if set_cookie:
            self.cookie = "; ".join(c.split(";", 1)[0] for c in set_cookie)
        return r

    def _take_page(self, html: str) -> None:
        token = _CSRF.search(html)
        if token:
            self.csrf = token.group(1)
        self.html = html

    async def join(self, form: int, sign_up: bool) -> None:
        """Sign up (with accounts), start Practice Exam ``form`` and load the runner (not measured)."""
        if sign_up:
            r = await self._send("GET", "/sign-up")
            self._take_page(r.text)
            password = f"pass-{self.number}-word-long"
            body = {"csrf_token": self.csrf, "username": f"examinee{self.number}", "password": password}
            r = await self._send("POST", "/sign-up", data={**body, "password_again": password})
            if r.status_code != 303:
                raise RuntimeError(f"sign-up: {r.status_code} {r.text[:200]}")
        r = await self._send("GET", "/exams")
        self._take_page(r.text)
        start = {"csrf_token": self.csrf, "exam": EXAM, "selection": "fixed", "form": str(form), "mode": "exam"}
        r = await self._send("POST", "/attempts", data=start)
        if r.status_code != 303:
            raise RuntimeError(f"start: {r.status_code} {r.text[:200]}")
        self.attempt = r.headers["location"]
        r = await self._send("GET", self.attempt)
        self._take_page(r.text)

    def _state(self) -> tuple[int, int, int]:
        m = _RUNNER.search(self.html)
        if not m:
            raise RuntimeError("no runner on the page")
        return int(m.group(2)), int(m.group(3)), int(m.group(4))

    def _next_action(self) -> dict[str, Any] | None:
        """The form fields of the next click (None: reload the page)."""
        version, current, count = self._state()
        kind = _FIELDS.search(self.html)
        fields = kind.group(1) if kind else ""
        form: dict[str, Any] = {"csrf_token": self.csrf, "expected_version": str(version), "back": "runner"}
        if fields:
            form.update(fields=fields, index=str(current))
        if fields and _SAVED not in self.html:  # answer the question on screen
            if fields == "single":
                form.update(do="save", answer="0")
            elif fields == "multiple":
                select = _SELECT.search(self.html)
                form.update(do="save", answer=[str(i) for i in range(int(select.group(1)) if select else 2)])
            elif fields == "ordering":
                form.update(do="add:0")
            else:
                prompts = self.html.count('name="match"')
                form.update(do="save", match=["0"] + [""] * (prompts - 1))
            return form
        roll = self.rng.random()
        if roll < 0.05:
            return None
        if roll < 0.15:
            form["do"] = "unflag" if 'value="unflag"' in self.html else "flag"
        elif roll < 0.25 and current > 0:
            form["do"] = "prev"
        elif roll < 0.30 or current + 1 >= count:
            form["do"] = f"go:{self.rng.randrange(count) if current + 1 < count else 0}"
        else:
            form["do"] = "next"
        return form

    async def act(self, sample: Sample) -> None:
        form = self._next_action()
        began = time.perf_counter()
        error = ""
        if form is None:
            kind = "page"
            r = await self._send("GET", self.attempt, headers={"Accept": "text/html"})
        else:
            kind = str(form.get("do", "save")).split(":")[0]
            headers = {RUNNER_HEADER: "1", "X-CSRF-Token": self.csrf, "Accept": "text/html"}
            r = await self._send("POST", f"{self.attempt}/actions", data=form, headers=headers)
        seconds = time.perf_counter() - began
        if r.status_code != 200 or "text/html" not in r.headers.get("content-type", ""):
            error = f"{kind} {r.status_code} {r.headers.get('x-certprep-location', '')} {r.text[:160]}"
        else:
            self._take_page(r.text)
        sample.record(began, seconds, kind, error)

    async def run(self, current: list[Sample]) -> None:
        """Act after each pause until cancelled; record into the step being measured (current[0])."""
        while True:
            await asyncio.sleep(self.rng.expovariate(1 / self.think))
            began = time.perf_counter()
            try:
                await self.act(current[0])
            except (httpx.HTTPError, RuntimeError) as exc:
                current[0].record(began, time.perf_counter() - began, "failed", f"{type(exc).__name__}: {exc}")


async def _join_all(people: list[Examinee], concurrency: int, sign_up: bool) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one(person: Examinee) -> None:
        async with gate:
            await person.join(person.number % PRACTICE_EXAMS + 1, sign_up)

    await asyncio.gather(*(one(p) for p in people))


async def _ramp(base: str, args: argparse.Namespace, server_pid: int, postgres: bool) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=args.connections, max_keepalive_connections=args.connections)
    steps: list[dict[str, Any]] = []
    # The client keeps no cookies: each examinee sends its own (a shared jar would mix sessions).
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    client = httpx.AsyncClient(base_url=base, timeout=30, limits=limits, follow_redirects=False, cookies=no_cookies)
    async with client:
        people: list[Examinee] = []
        running: list[asyncio.Task[None]] = []
        current = [Sample()]
        size = args.start
        while size <= args.max:
            joining = [Examinee(client, n, args.think_s, args.seed) for n in range(len(people), size)]
            began = time.perf_counter()
            await _join_all(joining, args.join_concurrency, args.accounts)
            print(f"  {len(joining)} examinees joined in {time.perf_counter() - began:.0f} s", file=sys.stderr)
            people += joining
            sample = Sample(start=time.perf_counter() + args.warmup_s)
            sample.stop = sample.start + args.step_seconds
            current[0] = sample
            running += [asyncio.create_task(person.run(current)) for person in joining]
            await asyncio.sleep(args.warmup_s)
            cpu_0, db_0, client_0 = _cpu_seconds(server_pid), _postgres_cpu_seconds(), time.process_time()
            await asyncio.sleep(args.step_seconds)
            cpu_1, db_1, client_1 = _cpu_seconds(server_pid), _postgres_cpu_seconds(), time.process_time()
            await asyncio.sleep(1.0)  # the last requests of the window finish
            lat = sample.latencies
            actions = max(1, len(lat))
            step = {
                "examinees": size,
                "requests": len(lat),
                "per_second": round(len(lat) / args.step_seconds, 1),
                "kinds": dict(sorted(sample.kinds.items())),
                "p50_ms": round(statistics.median(lat) * 1000, 1) if lat else None,
                "p99_ms": round(_percentile(lat, 99) * 1000, 1) if lat else None,
                "max_ms": round(max(lat) * 1000, 1) if lat else None,
                "errors": len(sample.errors),
                "error_samples": sample.errors[:3],
                "server_cpu_ms_per_action": round((cpu_1 - cpu_0) / actions * 1000, 2),
                "postgres_cpu_ms_per_action": round((db_1 - db_0) / actions * 1000, 2) if postgres else None,
                "client_cpu_ms_per_action": round((client_1 - client_0) / actions * 1000, 2),
                "worker_rss_mb": _worker_rss_mb(server_pid),
            }
            step["held"] = bool(lat) and step["p99_ms"] <= args.p99_ms and not sample.errors
            steps.append(step)
            print("  " + _step_line(step), file=sys.stderr)
            if not step["held"]:
                break
            size += args.step
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
    held = [s for s in steps if s["held"]]
    return {"steps": steps, "held_examinees": held[-1]["examinees"] if held else 0}


def _step_line(step: dict[str, Any]) -> str:
    line = (
        f"{step['examinees']:>5} examinees: {step['requests']} actions ({step['per_second']}/s), "
        f"p50 {step['p50_ms']} ms, p99 {step['p99_ms']} ms, max {step['max_ms']} ms, errors {step['errors']}; "
        f"server CPU {step['server_cpu_ms_per_action']} ms an action"
    )
    if step["postgres_cpu_ms_per_action"] is not None:
        line += f" + PostgreSQL {step['postgres_cpu_ms_per_action']} ms"
    line += f", client {step['client_cpu_ms_per_action']} ms; worker RSS {step['worker_rss_mb']} MB"
    line += "" if step["held"] else "  <- not held"
    return line + "".join(f"\n      error: {e}" for e in step["error_samples"])


@contextlib.contextmanager
def _scratch_database(url: str | None) -> Iterator[str | None]:
    """PostgreSQL: a new database on the server of ``url`` for this run, dropped afterwards."""
    if not url or not url.startswith("postgresql"):
        yield url
        return
    from sqlalchemy import create_engine, make_url, text

    name = f"certprep_bench_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--start", type=int, default=250, help="examinees of the first step (default 250)")
    add("--step", type=int, default=250, help="examinees added at each step (default 250)")
    add("--max", type=int, default=4000, help="stop after this many examinees even if held (default 4000)")
    add("--step-seconds", type=float, default=30.0, help="measured seconds of each step (default 30)")
    add("--warmup-s", type=float, default=5.0, help="unmeasured seconds at the start of each step (default 5)")
    add("--think-s", type=float, default=20.0, help="mean pause between an examinee's requests (default 20)")
    add("--p99-ms", type=float, default=100.0, help="a step is held while its p99 is at most this (default 100)")
    add("--workers", type=int, default=1, help="server worker processes (above 1 needs --database-url)")
    add("--database-url", help="PostgreSQL server: a scratch database is created on it, dropped after")
    add("--connections", type=int, default=256, help="the client's connection pool (default 256)")
    add("--join-concurrency", type=int, default=8, help="examinees signing up at once between steps (default 8)")
    add(
        "--accounts",
        action="store_true",
        help="serve with accounts (--multi-user), each examinee signing up first (an argon2 hash each: slow to "
        "join); default: local mode, each examinee a browser session of the local profile",
    )
    add("--seed", type=int, default=1)
    add("--json", action="store_true", help="print the result as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.workers > 1 and not args.database_url:
        parser.error("--workers above 1 needs --database-url (PostgreSQL): SQLite serves one worker process")
    if not Path("/proc").is_dir():
        parser.error("the CPU and memory figures are read from /proc: run on Linux")

    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp, _scratch_database(args.database_url) as database_url:
        env = {**os.environ, "CERTPREP_DATA_DIR": tmp}
        if database_url:
            env["CERTPREP_DATABASE_URL"] = database_url
        command = [sys.executable, "-m", "certprep", "serve", "--port", str(port)]
        command += ["--multi-user"] if args.accounts else []
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
            result = asyncio.run(_ramp(base, args, server.pid, postgres))
        except BaseException:
            print(f"the run failed; the server's last messages:\n{log.read_text()[-3000:]}", file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)
    result.update(database="postgresql" if args.database_url else "sqlite", workers=args.workers)
    result.update(think_s=args.think_s, step_seconds=args.step_seconds, p99_ms_limit=args.p99_ms)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['database']}, {args.workers} worker(s), a request every {args.think_s:g} s per examinee:\n"
            + "\n".join("  " + _step_line(s) for s in result["steps"])
            + f"\n  held: {result['held_examinees']} examinees at p99 <= {args.p99_ms:g} ms with 0 errors"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
