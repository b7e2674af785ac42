"""Runs the block list benchmark in its own interpreter and shows its figures; holds a listed click to
the click path's budget of DynamoDB calls (a count; timings are printed, never asserted)."""

from __future__ import annotations

import pytest

from tests.bench.runner import run_benchmark
from tests.conftest import Figures

pytestmark = pytest.mark.bench


def test_a_click_checked_against_large_block_lists_is_still_one_write_and_zero_reads(
    figures: Figures,
) -> None:
    figures = run_benchmark("tests.bench.blocks_bench", figures, BENCH_CLICKS="100")
    for offer in ("plain", "listed"):
        assert figures[offer]["writes_per_click"] == 1
        assert figures[offer]["reads_per_click"] == 0
