"""Runs the cost benchmark in its own interpreter, shows its figures, and checks what they rest on
(structure and invariants, never timings nor a target): units are at least the items, transactions
cost double, every write lands on a table of the template under a purpose, the click table's bytes
are what the recorder says the writes added, and the total is the sum of its lines."""

from __future__ import annotations

import math

import pytest

from tests.bench.cost_bench import TABLES
from tests.bench.runner import run_benchmark
from tests.conftest import Figures

pytestmark = pytest.mark.bench


def test_cost_per_million_clicks_rests_on_measured_units(figures: Figures) -> None:
    figures = run_benchmark("tests.bench.cost_bench", figures, BENCH_COST_CLICKS="100", BENCH_COLD_RUNS="1")
    bills, runs = figures["bills"], figures["runs"]
    assert [b["batch_size"] for b in bills] == [10, 100, 1000]
    for bill, run in zip(bills, runs, strict=True):
        clicks = run["clicks"]
        assert bill["total_usd_per_million"] == pytest.approx(
            sum(line["usd_per_million"] for line in bill["lines"])
        )
        writes = [line for line in bill["lines"] if line["section"] == "DynamoDB writes"]
        assert bill["write_units_per_click"] == pytest.approx(sum(line["units"] for line in writes))
        for usage in run["usage"]:
            assert usage["table"] in TABLES, usage  # a physical name would mean an unattributed write
            assert usage["purpose"], usage
            plain = usage["items_written"] - usage["transact_items"]
            assert usage["write_units"] >= plain + 2 * usage["transact_items"], usage
        # Every click is stored once, refused ones too, in one write of under a kilobyte
        stored = [u for u in run["usage"] if u["phase"] == "click" and u["table"] == "ClicksTable"]
        assert sum(u["items_written"] for u in stored) == clicks
        assert sum(u["write_units"] for u in stored) == clicks
        assert run["clicks_table"]["items"] == clicks
        # What the recorder says the writes added is what the table holds
        assert run["stored_bytes"]["ClicksTable/click items"] == run["clicks_table"]["bytes"]
        # Today's statistics go to the journal, in the transactions that begin the stream's ranges:
        # two units an item at least, and nothing to the cube items of today
        journal = [u for u in run["usage"] if u["purpose"].startswith("statistics journal")]
        assert journal
        assert all(
            u["transact_items"] == u["items_written"] and u["write_units"] >= 2 * u["items_written"]
            for u in journal
        )
        assert not [u for u in run["usage"] if u["purpose"] == "statistics cubes" and u["items_written"]]
        assert 0 < run["conversions"] <= run["accepted"] < clicks
        assert run["sqs_messages"], "a conversion tells finance"
        orchestrator = run["functions"]["orchestrator"]
        expected = sum(math.ceil(n / run["batch_size"]) for n in run["stream_records"].values())
        assert orchestrator["invocations"] == expected
        assert run["functions"]["click"]["invocations"] == clicks
        # Logs: at most one line a click at INFO (a refused click's reason), a few a batch
        assert run["functions"]["click"]["log_events"] <= clicks - run["accepted"]
        assert orchestrator["log_events"] <= 4 * orchestrator["invocations"]  # its line, its metrics
        assert run["functions"]["postback"]["invocations"] == run["conversions"]
    # The same traffic in bigger batches is aggregated more
    assert bills[0]["write_units_per_click"] > bills[-1]["write_units_per_click"]
    # Issue 21's target at batches of 100: everything DynamoDB writes for a click, the click itself
    # included, at most 2.0 write units (at 1,000, 1.5: a suite-size run is one batch of 100 clicks,
    # so `scripts/cost` measures that one at full size)
    assert bills[1]["write_units_per_click"] <= 2.0
