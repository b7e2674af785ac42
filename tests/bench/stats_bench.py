"""Statistics benchmark: what the cubes cost to keep, and what the 30-day dashboard costs to read.

1. Items written per click, on the orchestrator benchmark's skewed traffic (Zipf over offers,
   affiliates, countries and visitors), through the orchestrator's own `apply_stream_batch`: per
   stream batch of 100 and of 1,000 records, the cubes (aggregated, in once-only transactions) and
   the click log, against a moto server.
2. One advertiser with BENCH_STATS_CLICKS clicks (default 1,000,000) and a fiftieth as many
   conversions over 30 days, spread by Zipf over 50 offers, 500 affiliates and 40 countries. The
   events go through the orchestrator's aggregation (`StatsEffect`s, `aggregate`; the items are put
   as its ADDs would leave them, see put_aggregated), then the dashboard's three reports are read as
   the API reads them (`build_report`): the trend by day with the totals (KPI cards), the top offers
   and the top GEOs, in UTC and in Moscow time (whose day edges split UTC days). Items read, wall time against moto (an emulator that
   spends ~1 ms per item of a query answer) and the client's own CPU time (botocore parsing and the
   report) are printed per report.

The last line is JSON for tests/bench/test_stats_bench.py.
Run: `scripts/bench` (or `python -m tests.bench.stats_bench`).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "partnerka" / "python"
STREAM_CLICKS = int(os.environ.get("BENCH_STREAM_CLICKS", "3000"))
DASHBOARD_CLICKS = int(os.environ.get("BENCH_STATS_CLICKS", "1000000"))
DAYS = 30
SEED = 20261128
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
]


class Reads:
    """Items returned and requests made per DynamoDB read, from the client's own responses."""

    def __init__(self) -> None:
        self.items = 0
        self.requests = 0

    def __call__(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "Query":
            self.items += int(parsed.get("Count", 0))
            self.requests += 1
        elif model.name == "BatchGetItem":
            self.items += sum(len(items) for items in parsed.get("Responses", {}).values())
            self.requests += 1


def client() -> Any:
    import botocore.session
    from botocore.config import Config

    return botocore.session.get_session().create_client(
        "dynamodb", config=Config(read_timeout=300, max_pool_connections=16)
    )


def writes_per_click(table: str, batch_size: int) -> dict[str, Any]:
    """The orchestrator benchmark's traffic through the orchestrator's statistics code
    (`apply_stream_batch`: cubes aggregated per chunk in once-only transactions, then the click log),
    in stream batches of `batch_size`; every item written is counted."""
    from partnerka.stats.click_log import ClickLogRepository
    from partnerka.stats.cube_store import CubeRepository
    from partnerka.stats.projection import StatsStores, apply_stream_batch
    from tests.bench.orchestrator_bench import traffic
    from tests.stream_records import stream_record

    images = [i for i in traffic(f"W{batch_size}", STREAM_CLICKS, SEED) if not i.get("reason")]
    records = [
        stream_record(f"{n:021d}", f"w{batch_size}-{n}", "INSERT", "clicks", image)
        for n, image in enumerate(images)
    ]
    written: Counter[str] = Counter()

    def count(model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name == "TransactWriteItems":
            for item in params["TransactItems"]:
                written["cube items" if "Update" in item else "batch markers"] += 1
        elif model.name == "BatchWriteItem":
            written["click log items"] += sum(len(r) for r in params["RequestItems"].values())

    dynamodb = client()
    dynamodb.meta.events.register("before-parameter-build.dynamodb", count)
    stats = StatsStores(CubeRepository(table, dynamodb), ClickLogRepository(table, dynamodb))
    for first in range(0, len(records), batch_size):
        assert apply_stream_batch(records[first : first + batch_size], stats) == []
    return {
        "batch_size": batch_size,
        "clicks": len(images),
        "cube_items_per_click": written["cube items"] / len(images),
        "log_items_per_click": written["click log items"] / len(images),
        "markers_per_click": written["batch markers"] / len(images),
        "writes_per_click": sum(written.values()) / len(images),
    }


def zipf_weights(size: int, s: float = 1.1) -> list[float]:
    return [1 / (rank**s) for rank in range(1, size + 1)]


def seed_dashboard(table: str, advertiser: str, first_day: date) -> dict[str, int]:
    """DASHBOARD_CLICKS clicks and a fiftieth as many conversions through the orchestrator's
    aggregation (`aggregate` of each hour's effects, as a stream batch's chunk would be)."""
    from partnerka.stats.cube import Facts, merge_into
    from partnerka.stats.projection import StatsEffect, aggregate
    from partnerka.tracking.user_agent import describe_user_agent

    rng = random.Random(SEED)
    offers = [f"O{n:02d}" for n in range(50)]
    affiliates = [f"A{n:03d}" for n in range(500)]
    countries = [f"C{n:02d}" for n in range(40)]
    agents = [describe_user_agent(ua) for ua in USER_AGENTS]
    offer_w, affiliate_w, country_w = zipf_weights(50), zipf_weights(500), zipf_weights(40)
    start = datetime.combine(first_day, datetime.min.time(), UTC)
    hours = DAYS * 24
    per_hour = DASHBOARD_CLICKS // hours
    merged: dict[Any, dict[str, int]] = {}
    conversions = 0
    for hour in range(hours):
        at = start + timedelta(hours=hour, minutes=rng.randrange(60))
        n = per_hour + (1 if hour < DASHBOARD_CLICKS % hours else 0)
        picks = zip(
            rng.choices(offers, offer_w, k=n),
            rng.choices(affiliates, affiliate_w, k=n),
            rng.choices(countries, country_w, k=n),
            rng.choices(agents, k=n),
            strict=True,
        )
        grouped = Counter(picks)
        effects = []
        for (offer, affiliate, country, agent), clicks in grouped.items():
            facts = Facts(advertiser, at, offer, affiliate, country, agent.device, agent.os, agent.browser)
            increments = {"clicks": clicks, "unique": (clicks + 1) // 2}
            converted = sum(1 for _ in range(clicks) if rng.random() < 0.02)
            if converted:
                conversions += converted
                increments.update(
                    sales=converted, hold=converted, revenue_USD=2000 * converted, payout_USD=1250 * converted
                )
            effects.append(StatsEffect(facts, increments))
        merge_into(merged, aggregate(effects))
    put_aggregated(table, merged)
    return {"clicks": DASHBOARD_CLICKS, "conversions": conversions, "cube_items": len(merged)}


def put_aggregated(table: str, merged: dict[Any, dict[str, int]]) -> None:
    """The month's cube items as the ADDs would leave them on an empty table, put directly: moto's
    update-expression parser takes ~20 ms for an item's ~150 ADD clauses (DynamoDB does not care),
    which would make seeding a million clicks take minutes."""
    dynamodb = client()
    items = [
        {
            "PutRequest": {
                "Item": {
                    "pk": {"S": key.pk},
                    "sk": {"S": key.sk},
                    "day": {"S": key.day},
                    "value": {"S": key.value},
                    **{name: {"N": str(amount)} for name, amount in values.items() if amount},
                }
            }
        }
        for key, values in merged.items()
    ]
    for start in range(0, len(items), 25):
        request = {table: items[start : start + 25]}
        while request:
            request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}


def dashboard(table: str, advertiser: str, first_day: date, zone: str) -> list[dict[str, Any]]:
    """The dashboard's three reports as /api/stats builds them (`build_report`)."""
    from zoneinfo import ZoneInfo

    from partnerka.stats.click_log import ClickLogRepository
    from partnerka.stats.cube_store import CubeRepository
    from partnerka.stats.service import Sources, StatsRequest, build_report

    measured = []
    for group_by in ("day", "offer", "country"):
        dynamodb = client()
        reads = Reads()
        dynamodb.meta.events.register("after-call.dynamodb", reads)
        sources = Sources(CubeRepository(table, dynamodb), ClickLogRepository(table, dynamodb), lambda *_: [])
        request = StatsRequest(first_day, first_day + timedelta(days=DAYS - 1), ZoneInfo(zone), group_by)
        started, cpu = time.perf_counter(), time.process_time()
        report = build_report(sources, [advertiser], request)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        measured.append(
            {
                "zone": zone,
                "report": group_by,
                "rows": len(report.rows),
                "clicks": report.totals.clicks,
                "sales": report.totals.sales,
                "items_read": reads.items,
                "requests": reads.requests,
                "ms": round(elapsed * 1000, 1),
                "client_cpu_ms": round(cpu * 1000, 1),
            }
        )
    return measured


def main() -> dict[str, Any]:
    sys.path[:0] = [str(LAYER), str(ROOT / "infra" / "local")]
    from partnerka_local.runtime import MotoServer
    from tests.bench.click_bench import aws_environment
    from tests.bench.orchestrator_bench import deploy

    moto = MotoServer(log_dir=None)
    moto.start()
    try:
        os.environ.update(aws_environment(moto.url))
        table = deploy(moto.url)["StatsTable"]
        writes = [writes_per_click(table, size) for size in (100, 1000)]
        first_day = date(2026, 10, 1)
        started = time.perf_counter()
        seeded = seed_dashboard(table, "DASH", first_day)
        seeding = time.perf_counter() - started
        reads = dashboard(table, "DASH", first_day, "UTC") + dashboard(
            table, "DASH", first_day, "Europe/Moscow"
        )
    finally:
        moto.stop()

    print("statistics benchmark: items written per click (orchestrator traffic, moto endpoint)")
    for w in writes:
        print(
            f"  batch {w['batch_size']:>5}: {w['cube_items_per_click']:.3f} cube items + "
            f"{w['log_items_per_click']:.3f} click log items + {w['markers_per_click']:.3f} batch markers "
            f"= {w['writes_per_click']:.3f} items written per click ({w['clicks']} clicks)"
        )
    print(
        f"30-day dashboard: {seeded['clicks']:,} clicks and {seeded['conversions']:,} conversions over {DAYS} days, "
        f"{seeded['cube_items']:,} cube items (seeded in {seeding:.0f} s)"
    )
    for r in reads:
        print(
            f"  {r['zone']:<14} {r['report']:<8} {r['rows']:>4} rows  {r['items_read']:>5} items read "
            f"in {r['requests']:>3} requests  {r['ms']:>7.1f} ms wall against moto, "
            f"{r['client_cpu_ms']:>6.1f} ms CPU in the client (parse + report)"
        )
    result = {"writes": writes, "seeded": seeded, "reads": reads}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
