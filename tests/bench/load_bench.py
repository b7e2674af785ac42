"""Load benchmark: the whole local platform under a hundred concurrent clients on loopback.

Starts the local runtime on the real template (workers lazily, up to PARTNERKA_LOCAL_CONCURRENCY
instances of each function, default 4), seeds an offer and an affiliate, and sends BENCH_LOAD_CLICKS
clicks (20,000) from BENCH_LOAD_CLIENTS clients (100, threads of one child process with keep-alive
connections) to GET /click. The same load goes first to the bare PutItem-and-302 handler
(click_bench.baseline_handler) served by the same runtime as a function of its own (its own table,
no stream), so the two latencies compare like with like. The run is bounded: past
BENCH_LOAD_SECONDS (900) the clients stop and the shortfall is an error.

Every answer must be a 302 to the landing; the Clicks table must hold every click and, once the
stream consumers have drained, the statistics' total cube must count every click (read through the
stats repository). Prints p50/p99 latency of both handlers, throughput, how many instances of each
function ran and how many requests each served. The last line is JSON for
tests/bench/test_load_bench.py. Run: `scripts/bench` (or `python -m tests.bench.load_bench`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.bench.load_clients import drive

ROOT = Path(__file__).resolve().parents[2]
CLICKS = int(os.environ.get("BENCH_LOAD_CLICKS", "20000"))
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "100"))
BASELINE_CLICKS = int(os.environ.get("BENCH_LOAD_BASELINE_CLICKS", str(CLICKS)))
TIME_LIMIT = float(os.environ.get("BENCH_LOAD_SECONDS", "900"))
DRAIN_LIMIT = 600.0  # the stream consumers' time to count what was clicked
BASELINE_PATH = "/bench/baseline-click"


def baseline_resources() -> dict[str, dict[str, Any]]:
    """The bare handler as a function beside the template's, with a table of its own (no stream:
    nothing consumes it), written as the parsed template writes resources."""
    return {
        "BenchBaselineClicksTable": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "click_id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "click_id", "KeyType": "HASH"}],
            },
        },
        "BenchBaselineFunction": {
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "CodeUri": str(ROOT / "tests" / "bench"),
                "Handler": "baseline_app.handler",
                "MemorySize": 256,
                "Timeout": 5,
                "Environment": {"Variables": {"BASELINE_CLICKS_TABLE": {"Ref": "BenchBaselineClicksTable"}}},
                "Events": {
                    "Click": {
                        "Type": "HttpApi",
                        "Properties": {"ApiId": {"Ref": "HttpApi"}, "Path": BASELINE_PATH, "Method": "GET"},
                    }
                },
            },
        },
    }


def percentile(values: list[float], fraction: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * fraction) - 1)] * 1000, 2) if ordered else None


def run_load(port: int, path: str, total: int, seconds: float) -> dict[str, Any]:
    """`total` requests from CLIENTS clients; p50 and p99 over all of them (the instances' cold
    starts included, as the first visitors of a scaled-out Lambda see them) and p99 over the last
    90% by start time (warm instances)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        result: dict[str, Any] = child.submit(drive, port, path, total, CLIENTS, seconds).result()
    timed = sorted(result["latencies"])
    latencies = [latency for _, latency in timed]
    warm = latencies[len(latencies) // 10 :]
    return {
        "requests": len(latencies),
        "errors": len(result["errors"]),
        "first_errors": result["errors"][:5],
        "seconds": round(result["seconds"], 2),
        "per_second": round(len(latencies) / result["seconds"], 1),
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
        "warm_p99_ms": percentile(warm, 0.99),
    }


def count_items(endpoint: str, table: str) -> int:
    from partnerka_local.resources import make_client

    dynamodb = make_client("dynamodb", endpoint)
    count, request = 0, {"TableName": table, "Select": "COUNT"}
    while True:
        page = dynamodb.scan(**request)
        count += int(page["Count"])
        if "LastEvaluatedKey" not in page:
            return count
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def total_clicks(stats_table: str, advertiser_id: str) -> int:
    """The advertiser's clicks in the total cube, days around today (a run may cross midnight)."""
    from partnerka.stats.cube import TOTAL
    from partnerka.stats.cube_store import CubeRepository

    today = datetime.now(UTC).date()
    first, last = (today - timedelta(days=1)).isoformat(), (today + timedelta(days=1)).isoformat()
    return sum(
        item.values.get("clicks", 0)
        for item in CubeRepository(stats_table).days(advertiser_id, TOTAL, first, last)
    )


def instances(runtime: Any, logical_id: str) -> dict[str, Any]:
    pool = runtime.workers[logical_id]
    return {"instances": len(pool.instances), "peak_busy": pool.peak_busy, "served": pool.served()}


def main() -> dict[str, Any]:
    sys.path[:0] = [str(ROOT / "layers" / "partnerka" / "python"), str(ROOT / "infra" / "local"), str(ROOT)]
    from scripts.dev_server import start_runtime
    from tests.bench.click_bench import seed_program

    bench_started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="load-bench-") as logs:
        runtime = start_runtime(
            port=0,
            log_dir=Path(logs),
            lazy_workers=True,
            parameters={"LogLevel": "WARNING"},
            extra_resources=baseline_resources(),
        )
        try:
            os.environ.update(runtime.client_env())
            program = seed_program()
            query = f"?o={program.offer_id}&a={program.affiliate_id}&sub1=load"
            port = int(runtime.url.rsplit(":", 1)[1])
            remaining = lambda: max(1.0, TIME_LIMIT - (time.monotonic() - bench_started))  # noqa: E731
            # Each pool's figures right after its run: idle extra instances are stopped later on
            baseline = run_load(port, BASELINE_PATH + query, BASELINE_CLICKS, remaining())
            pools = {"BenchBaselineFunction": instances(runtime, "BenchBaselineFunction")}
            click = run_load(port, "/click" + query, CLICKS, remaining())
            pools["ClickFunction"] = instances(runtime, "ClickFunction")
            drain_started = time.monotonic()
            drained = runtime.wait_idle(DRAIN_LIMIT, functions=("OrchestratorFunction",))
            drain_seconds = time.monotonic() - drain_started
            endpoint = runtime.aws_env["AWS_ENDPOINT_URL"]
            env = runtime.client_env()
            counts = {
                "clicks_table": count_items(endpoint, env["CLICKS_TABLE"]),
                "baseline_table": count_items(endpoint, str(runtime.physical_id("BenchBaselineClicksTable"))),
                "total_cube": total_clicks(env["STATS_TABLE"], program.advertiser_id),
            }
            pools["OrchestratorFunction"] = instances(runtime, "OrchestratorFunction")
            concurrency = runtime.concurrency
        finally:
            runtime.stop()
    result = {
        "clicks": CLICKS,
        "baseline_clicks": BASELINE_CLICKS,
        "clients": CLIENTS,
        "concurrency": concurrency,
        "click": click,
        "baseline": baseline,
        "drained": drained,
        "drain_seconds": round(drain_seconds, 1),
        "counts": counts,
        "pools": pools,
        "seconds": round(time.monotonic() - bench_started, 1),
    }
    report(result)
    print(json.dumps(result))
    return result


def report(result: dict[str, Any]) -> None:
    print(
        f"load benchmark: {result['clicks']} clicks from {result['clients']} concurrent clients over "
        f"loopback, up to {result['concurrency']} instances per function (PARTNERKA_LOCAL_CONCURRENCY); "
        "warm p99: the last 90% of requests by start time"
    )
    print(
        f"{'handler':<22}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}{'warm p99':>9}{'req/s':>8}"
        f"{'seconds':>9}{'errors':>8}  instances (requests each)"
    )
    for name, row, pool in (
        ("click (partnerka)", result["click"], result["pools"]["ClickFunction"]),
        ("baseline PutItem+302", result["baseline"], result["pools"]["BenchBaselineFunction"]),
    ):
        print(
            f"{name:<22}{row['requests']:>9}{row['p50_ms']:>9}{row['p99_ms']:>9}{row['warm_p99_ms']:>9}"
            f"{row['per_second']:>8}{row['seconds']:>9}{row['errors']:>8}  {pool['instances']} {pool['served']}"
        )
        for error in row["first_errors"]:
            print(f"  error: {error}")
    counts, orchestrator = result["counts"], result["pools"]["OrchestratorFunction"]
    print(
        f"counted: {counts['clicks_table']} in the Clicks table, {counts['total_cube']} in the total cube "
        f"(stream consumers drained: {result['drained']}, {result['drain_seconds']} s after the last click; "
        f"orchestrator instances {orchestrator['instances']} {orchestrator['served']}); "
        f"{counts['baseline_table']} in the baseline's table; whole run {result['seconds']} s"
    )


if __name__ == "__main__":
    main()
