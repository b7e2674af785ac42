"""Runs the click benchmark in its own interpreter, shows its figures, and holds the click path to
its budget of DynamoDB calls (a count, not a timing: timings are printed, never asserted)."""

from __future__ import annotations

import pytest

from tests.bench.runner import run_benchmark
from tests.conftest import Figures

pytestmark = pytest.mark.bench


def test_warm_click_is_one_write_and_zero_reads(figures: Figures) -> None:
    figures = run_benchmark("tests.bench.click_bench", figures, BENCH_CLICKS="100", BENCH_COLD_RUNS="1")
    assert figures["click"]["writes_per_click"] == 1
    assert figures["click"]["reads_per_click"] == 0
    assert figures["baseline"]["writes_per_click"] == 1
