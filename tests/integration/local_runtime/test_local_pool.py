"""A function's pool of instances: concurrent invocations run in separate worker processes, never
more at once than the pool's size, the rest wait; instances start only when load needs them."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from partnerka_local.pool import DEFAULT_CONCURRENCY, FunctionPool, concurrency_from_env
from partnerka_local.workers import InvocationError, WorkerSpec

PAUSE = Path(__file__).resolve().parent / "fixture" / "functions" / "pause"


def pause_spec() -> WorkerSpec:
    return WorkerSpec(
        logical_id="PauseFunction",
        function_name="pause",
        function_arn="arn:aws:lambda:us-east-1:123456789012:function:pause",
        handler="app.handler",
        code_dir=str(PAUSE),
        layer_dirs=(),
        environment=(("PATH", os.environ.get("PATH", "")),),
        memory_mb=128,
        timeout=10,
        log_file=None,
    )


def most_at_once(runs: list[dict[str, Any]]) -> int:
    """The most invocations whose [started, ended] intervals overlap at one moment."""
    edges = sorted([(r["started"], 1) for r in runs] + [(r["ended"], -1) for r in runs])
    running = peak = 0
    for _, step in edges:
        running += step
        peak = max(peak, running)
    return peak


def wait_until(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_concurrent_invocations_spread_over_at_most_the_pool_size_and_the_rest_wait(tmp_path: Path) -> None:
    # Given a pool of three instances, and seven invocations that wait for a gate to open
    gate = tmp_path / "gate"
    pool = FunctionPool(pause_spec(), 3)
    try:
        with ThreadPoolExecutor(7) as callers:
            calls = [callers.submit(pool.invoke, {"gate": str(gate)}) for _ in range(7)]
            # When the pool has grown as far as it may
            wait_until(lambda: pool.peak_busy == 3)
            time.sleep(0.3)  # time enough for a fourth instance, were there one
            # Then three run, each in a process of its own, and the four others wait
            assert len(pool.instances) == 3
            assert pool.waiting == 4
            gate.touch()
            runs = [call.result(timeout=60) for call in calls]
    finally:
        pool.stop()
    assert len({run["pid"] for run in runs}) == 3
    assert most_at_once(runs) == 3
    assert pool.peak_busy == 3
    assert sum(pool.served()) == 7
    assert min(pool.served()) >= 1


def test_invocations_one_after_another_stay_on_one_warm_instance() -> None:
    pool = FunctionPool(pause_spec(), 4)
    try:
        runs = [pool.invoke({"sleep": 0}) for _ in range(5)]
    finally:
        pool.stop()
    assert len({run["pid"] for run in runs}) == 1
    assert pool.served() == [5]


def test_a_function_that_cannot_start_fails_every_waiting_invocation_with_its_init_error(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "app.py").write_text("raise RuntimeError('no settings')\n")
    pool = FunctionPool(replace(pause_spec(), code_dir=str(broken)), 2)
    try:
        with ThreadPoolExecutor(3) as callers:
            calls = [callers.submit(pool.invoke, {}) for _ in range(3)]
            for call in calls:
                with pytest.raises(InvocationError, match="no settings"):
                    call.result(timeout=60)
    finally:
        pool.stop()
    assert pool.instances == []


def test_a_stopped_pool_refuses_invocations() -> None:
    pool = FunctionPool(pause_spec(), 2)
    pool.stop()
    with pytest.raises(InvocationError, match=r"Runtime\.Stopped"):
        pool.invoke({})
    assert pool.instances == []


def test_concurrency_setting() -> None:
    assert concurrency_from_env({}) == DEFAULT_CONCURRENCY == 4
    assert concurrency_from_env({"PARTNERKA_LOCAL_CONCURRENCY": "1"}) == 1
    with pytest.raises(ValueError, match="at least 1"):
        concurrency_from_env({"PARTNERKA_LOCAL_CONCURRENCY": "0"})


def test_idle_extra_instances_are_stopped_and_one_stays_warm(tmp_path: Path) -> None:
    # Given a burst that scaled a pool out to two instances
    gate = tmp_path / "gate"
    pool = FunctionPool(pause_spec(), 2)
    try:
        with ThreadPoolExecutor(2) as callers:
            calls = [callers.submit(pool.invoke, {"gate": str(gate)}) for _ in range(2)]
            wait_until(lambda: pool.peak_busy == 2)
            assert pool.reap_idle(0) == 0  # busy instances are never stopped
            gate.touch()
            pids = {call.result(timeout=60)["pid"] for call in calls}
        # When both have been idle long enough
        assert pool.reap_idle(60) == 0
        assert pool.reap_idle(0) == 1
        # Then one process is gone and the other still answers, warm
        assert len(pool.instances) == 1
        survivor = pool.instances[0].pid
        gone = (pids - {survivor}).pop()
        wait_until(lambda: not os.path.exists(f"/proc/{gone}"), 10)
        assert pool.invoke({})["pid"] == survivor
        assert pool.reap_idle(0) == 0
    finally:
        pool.stop()
