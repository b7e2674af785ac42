"""Runs the cold-import benchmark in its own interpreter, shows its table, and holds every function of
template.yaml to at most 1.5 times the cold import of a bare Powertools handler of its kind.

The one benchmark whose bound is a timing: a ratio of CPU times measured side by side in the same
rounds (tests/bench/cold_bench.py says why CPU time), whose size comes from what a function imports,
not from the machine. A function over it imports something at load time that most of its calls do
not need."""

from __future__ import annotations

import pytest

from partnerka_local.template import SERVERLESS_FUNCTION, Template
from tests.bench.runner import run_benchmark
from tests.conftest import ROOT, TEST_STACK, Figures

pytestmark = pytest.mark.bench


def test_every_function_imports_within_its_bound_of_a_bare_powertools_handler(figures: Figures) -> None:
    result = run_benchmark("tests.bench.cold_bench", figures, BENCH_COLD_RUNS="3")
    rows = {row["function"]: row for row in result["functions"]}
    template = Template(ROOT / "template.yaml", TEST_STACK)
    assert set(rows) == set(template.of_type(SERVERLESS_FUNCTION))
    assert {row["kind"] for row in rows.values()} == {"http", "batch"}
    assert rows["ClickFunction"]["kind"] == "http"
    assert rows["OrchestratorFunction"]["kind"] == "batch"
    assert result["runs"] >= 3
    over = {name: row["ratio"] for name, row in rows.items() if row["ratio"] > result["bound"]}
    assert over == {}, f"over {result['bound']}x their kind's bare Powertools handler: {over}"
