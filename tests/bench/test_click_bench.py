"""Runs the click benchmark in its own interpreter, shows its figures, and holds the click path to
its budget of DynamoDB calls (a count, not a timing: timings are printed, never asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.bench


def test_warm_click_is_one_write_and_zero_reads(capsys: pytest.CaptureFixture[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.endswith("_TABLE")}
    env["BENCH_CLICKS"] = env.get("BENCH_CLICKS", "300")
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.click_bench"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    with capsys.disabled():
        print("\n" + "\n".join(result.stdout.splitlines()[:-1]))
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["click"]["writes_per_click"] == 1
    assert figures["click"]["reads_per_click"] == 0
    assert figures["baseline"]["writes_per_click"] == 1
