"""Runs the statistics benchmark in its own interpreter, shows its figures, and checks what they rest
on: cube writes per click at 1,000-record batches and items read by the 30-day dashboard (counts,
never timings), and that the dashboard's reports add up to the seeded traffic."""

from __future__ import annotations

import pytest

from tests.bench.runner import run_benchmark
from tests.conftest import Figures

pytestmark = pytest.mark.bench


def test_cube_writes_per_click_and_the_30_day_dashboard(figures: Figures) -> None:
    # A fiftieth of `scripts/bench`'s million clicks: the same reports (30 days, 50 offers, 40 countries), seeded in seconds
    figures = run_benchmark(
        "tests.bench.stats_bench", figures, BENCH_STATS_CLICKS="20000", BENCH_STREAM_CLICKS="1000"
    )
    small, large = figures["writes"]
    assert large["writes_per_click"] < 0.5  # cubes, click log and batch markers together
    assert large["writes_per_click"] < small["writes_per_click"]
    seeded = figures["seeded"]
    for zone in ("UTC", "Europe/Moscow"):
        reports = [r for r in figures["reads"] if r["zone"] == zone]
        assert sum(r["items_read"] for r in reports) < 5000
        assert {r["report"]: r["rows"] for r in reports} == {"day": 30, "offer": 50, "country": 40}
        # Every report adds up to the same totals
        assert len({(r["clicks"], r["sales"]) for r in reports}) == 1
    utc = next(r for r in figures["reads"] if r["zone"] == "UTC")
    assert (utc["clicks"], utc["sales"]) == (seeded["clicks"], seeded["conversions"])
