"""Runs the analytics benchmark small (200,000 clicks) in its own interpreter, shows its figures and
checks what they rest on: the report through the engine adds up to the clicks counted straight from
the files, with a row per sub3 value (counts, never timings)."""

from __future__ import annotations

import pytest

from tests.bench.runner import run_benchmark
from tests.conftest import Figures

pytestmark = pytest.mark.bench


def test_a_30_day_sub3_report_over_the_parquet_store(figures: Figures) -> None:
    result = run_benchmark("tests.bench.analytics_bench", figures, BENCH_ANALYTICS_CLICKS="200000")
    assert result["clicks_counted"] == result["clicks_expected"] > 0
    assert result["rows"] == result["groups_expected"]
    assert 0 < result["athena_scanned_bytes"] < result["parquet_bytes"]
