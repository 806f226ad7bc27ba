"""The capacity benchmark's examinee drives the runner as runner.js does: every action it sends is
answered with the runner's fragment, on the app in process (the benchmark itself is not a test)."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from tests.web.conftest import Site

pytestmark = pytest.mark.anyio

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_load.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_help_documents_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        _bench().main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in ("--start", "--step", "--step-seconds", "--think-s", "--p99-ms", "--workers", "--database-url"):
        assert option in out


async def test_an_examinee_joins_and_every_action_gets_the_fragment(local_site: Site) -> None:
    bench = _bench()
    async with local_site.client() as client:
        person = bench.Examinee(client, 0, 1.0, 1)
        await person.join(1, False)
        sample = bench.Sample(start=time.perf_counter(), stop=time.perf_counter() + 3600)
        for _ in range(40):
            await person.act(sample)
    assert sample.errors == [] and len(sample.latencies) == 40
    assert {"save", "next"} <= set(sample.kinds) or {"add", "next"} <= set(sample.kinds)
    _, current, _ = person._state()
    assert current > 0
