"""Runs the orchestrator benchmark in its own interpreter, shows its figures, and checks what they
rest on: every click counted once whatever the batch size, and quality costing less than a write per
click for each kind of state (counts and structure only: timings are printed, never asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.bench


def test_orchestrator_writes_per_click_on_skewed_traffic(capsys: pytest.CaptureFixture[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.endswith("_TABLE")}
    env["BENCH_STREAM_CLICKS"] = env.get("BENCH_STREAM_CLICKS", "1500")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "layers" / "partnerka" / "python"), str(ROOT / "infra" / "local"), str(ROOT)]
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.orchestrator_bench"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    lines = [line for line in result.stdout.splitlines() if not line.startswith('{"level"')]
    with capsys.disabled():
        print("\n" + "\n".join(lines[:-1]))
    figures = json.loads(lines[-1])
    small, large = figures["results"]
    clicks = figures["clicks"]
    # The same traffic gives the same statistics in batches of 100 and of 1,000
    assert small["counted"] == large["counted"]
    counted = small["counted"]
    assert counted["clicks"] + counted["blocked"] == clicks
    assert 0 < counted["unique"] < counted["clicks"]
    assert counted["flood"] > 0
    assert counted["datacenter"] > 0
    assert counted["bots"] > 0
    for run in (small, large):
        per_click = run["per_click"]
        # One window write per first visit at most, one verdict per suspect click at most
        assert per_click["visitor windows"] * clicks <= counted["clicks"]
        suspects = counted["flood"] + counted["datacenter"] + counted["bots"]
        assert per_click["verdicts"] * clicks <= suspects + counted["blocked"]
        assert per_click["address counts"] <= 1
        assert run["rollup_writes_per_click"] < 1
    # Bigger batches aggregate more
    assert large["writes_per_click"] <= small["writes_per_click"]
