"""Runs the hot offer's cap benchmark small, in its own interpreter, and shows its figures; holds the
sharded layout to no throttle and caps filled exactly, and the unsharded one to being throttled (counts;
timings are printed, never asserted)."""

from __future__ import annotations

import pytest

from tests.bench.runner import run_benchmark
from tests.conftest import Figures

pytestmark = pytest.mark.bench


def test_a_hot_offers_sharded_caps_fill_exactly_unthrottled_where_one_counter_is_throttled(
    figures: Figures,
) -> None:
    result = run_benchmark(
        "tests.bench.hot_cap_bench", figures, BENCH_HOT_SECONDS="3", BENCH_HOT_INSTANCES="20"
    )
    sharded, unsharded = result["sharded"], result["unsharded"]
    assert sharded["clicks"] == 15_000
    assert (sharded["throttled"], sharded["errors"]) == (0, 0)
    assert sharded["busiest_key_second"] <= 1000
    limits = sharded["limits"]
    assert sharded["levels"] == {**limits, "payout": limits["conversions"] * 100}
    assert unsharded["throttled"] > 0
