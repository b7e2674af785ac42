"""Runs the load benchmark small (400 clicks from 20 clients) in its own interpreter, shows its
figures, and holds the platform to answering every click and counting each one, with the click
function scaled out over more than one instance (counts, never timings)."""

from __future__ import annotations

import pytest

from tests.bench.runner import run_benchmark
from tests.conftest import Figures

pytestmark = pytest.mark.bench


def test_concurrent_clicks_are_all_answered_and_counted_by_several_instances(figures: Figures) -> None:
    result = run_benchmark(
        "tests.bench.load_bench",
        figures,
        BENCH_LOAD_CLICKS="400",
        BENCH_LOAD_CLIENTS="20",
        BENCH_LOAD_BASELINE_CLICKS="100",
        BENCH_LOAD_SECONDS="120",
        PARTNERKA_LOCAL_CONCURRENCY="4",
    )
    assert result["click"]["errors"] == 0
    assert result["click"]["requests"] == 400
    assert result["baseline"]["errors"] == 0
    assert result["drained"]
    assert result["counts"] == {"clicks_table": 400, "total_cube": 400, "baseline_table": 100}
    click = result["pools"]["ClickFunction"]
    assert 1 < click["instances"] <= result["concurrency"]
    assert sum(1 for served in click["served"] if served > 0) > 1
    assert sum(click["served"]) == 400
