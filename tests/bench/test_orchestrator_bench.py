"""Runs the orchestrator benchmark in its own interpreter, shows its figures, and checks what they
rest on: every click counted once whatever the batch size, and quality costing less than a write per
click for each kind of state (counts and structure only: timings are printed, never asserted)."""

from __future__ import annotations

import pytest

from tests.bench.runner import run_benchmark
from tests.conftest import Figures

pytestmark = pytest.mark.bench


def test_orchestrator_writes_per_click_on_skewed_traffic(figures: Figures) -> None:
    figures = run_benchmark("tests.bench.orchestrator_bench", figures, BENCH_STREAM_CLICKS="500")
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
        # The address counts: one item per range and advertiser-hour, not one per address
        assert per_click["address counts"] * clicks <= 2 * -(-clicks // run["batch_size"])
        assert run["statistics_writes_per_click"] < 1.6
        # The operations log is two writes per batch (the batch, its hour's counters)
        assert per_click["operations log"] * clicks == 2 * -(-clicks // run["batch_size"])
    # One advertiser's clicks at 5,000 a second leave every partition key its statistics and quality
    # writes touch (journal shards, registry, address counts, click log, verdicts, windows) under
    # DynamoDB's 1,000 write units a second
    assert small["hottest_at_5000_per_second"]  # (a suite-size run is a single batch of 1,000)
    for run in (small, large):
        assert all(rate <= 1000 for _, rate in run["hottest_at_5000_per_second"])
    # Bigger batches aggregate more
    assert large["writes_per_click"] <= small["writes_per_click"]
