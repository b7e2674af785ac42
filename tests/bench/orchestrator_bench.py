"""Orchestrator benchmark: what the clicks stream costs in DynamoDB writes per click, on skewed traffic.

Synthetic clicks (Zipf over offers, affiliates, countries and visitors, with a few flooding
addresses, datacenter addresses and crawlers) go through the orchestrator's own code
(`run_batch`: postback routing with the affiliates' settings read from the Core table, the real Stats
and quality repositories, and the batch's entry in the operations log) against a moto server, in
stream batches of 100 and of 1,000 records. None of the benchmark's affiliates asked for click
postbacks, so the postback job costs its settings read only. Every DynamoDB request is counted by the items it writes or reads,
split by purpose. The last line is JSON for tests/bench/test_orchestrator_bench.py.
Run: `scripts/bench` (or `python -m tests.bench.orchestrator_bench`); BENCH_STREAM_CLICKS=N.
"""

from __future__ import annotations

import ipaddress
import json
import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "partnerka" / "python"
RANGES = ROOT / ".local" / "geo-layer" / "geo" / "datacenter.ranges"
CLICKS = int(os.environ.get("BENCH_STREAM_CLICKS", "3000"))
BATCH_SIZES = (100, 1000)
HOT_CLICKS_PER_SECOND = 5000
SEED = 20261127

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0 Safari/537.36"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{v} like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
)
CRAWLER = "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"


def zipf_index(rng: random.Random, size: int, s: float = 1.1) -> int:
    """An index in [0, size) drawn with probability proportional to 1 / (rank ** s)."""
    weights = _ZIPF.setdefault((size, s), [1 / (rank**s) for rank in range(1, size + 1)])
    return rng.choices(range(size), weights=weights)[0]


_ZIPF: dict[tuple[int, float], list[float]] = {}


def traffic(advertiser: str, count: int, seed: int) -> list[dict[str, Any]]:
    """Stream images of `count` clicks over two hours from a pool of half as many visitors, each
    following one affiliate's link to one offer from one country (Zipf over 50 offers, 500
    affiliates and 40 countries); visitors are drawn by Zipf too, so some return. On top: 2% of
    clicks from three flooding addresses, 3% from AWS addresses, 2% crawlers, 5% refused at click
    time."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 27, 10, tzinfo=UTC)
    aws = int(ipaddress.ip_address("3.5.140.0"))
    visitors = []
    for _ in range(max(1, count // 2)):
        version = rng.randrange(100, 130)
        visitors.append(
            {
                "ip": f"95.{rng.randrange(24, 200)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                "ua": (IPHONE if version % 2 else CHROME).format(v=version),
                "offer_id": f"{advertiser}-O{zipf_index(rng, 50):02d}",
                "affiliate_id": f"A{zipf_index(rng, 500):03d}",
                "country": f"C{zipf_index(rng, 40):02d}",
            }
        )
    images = []
    for n in range(count):
        roll = rng.random()
        visitor = dict(visitors[zipf_index(rng, len(visitors), 0.8)])
        if roll < 0.02:
            visitor["ip"] = f"198.51.100.{rng.randrange(3)}"
        elif roll < 0.05:
            visitor["ip"] = str(ipaddress.ip_address(aws + rng.randrange(1024)))
        elif roll < 0.07:
            visitor["ua"] = CRAWLER
        at = start + timedelta(seconds=7200 * n / count)
        images.append(
            {
                "click_id": f"{advertiser}-{n:07d}",
                "advertiser_id": advertiser,
                **visitor,
                "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z",
                "expires_at": int(at.timestamp()) + 30 * 86400,
                **({"reason": "geo_blocked"} if roll >= 0.95 else {}),
            }
        )
    return images


def deploy(endpoint: str) -> dict[str, str]:
    """Create the template's tables; return their names by logical id."""
    from partnerka_local.resources import ResourceManager
    from partnerka_local.template import Template

    template = Template(ROOT / "template.yaml", stack_name="orchestrator-bench")
    ResourceManager(template, endpoint).create_all()
    return {name: str(template.refs[name]) for name in ("StatsTable", "CoreTable", "OperationsTable")}


class ItemCounter:
    """Items written and read per DynamoDB operation, from the requests the client sends."""

    # What a transaction writes, by its key's prefix.
    TRANSACTED = {
        "ADV": "cube items (transaction)",
        "BATCH": "batch markers (transaction)",
        "JRN": "cube journal (transaction)",
        "FOLDQ": "journal registry (transaction)",
    }
    # What a batch write puts, by its key's prefix.
    BATCH_WRITTEN = {"LOG": "click log", "IPB": "address counts", "CQ": "verdicts", "CQF": "flood verdicts"}

    def __init__(self, stats_table: str, operations_table: str) -> None:
        self.stats_table = stats_table
        self.operations_table = operations_table
        self.written: Counter[str] = Counter()
        self.read: Counter[str] = Counter()
        self.batch = 0  # the batch being run (set by the caller)
        # Write units each partition key took in each batch that wrote it (puts, by their size)
        self.by_key: dict[str, Counter[int]] = {}

    def _put(self, item: dict[str, Any], transactional: bool) -> None:
        from tests.bench.cost.units import item_size, write_units

        units = write_units(item_size(item), transactional)
        self.by_key.setdefault(item["pk"]["S"], Counter())[self.batch] += units

    def hottest(self, clicks_per_second: int, batch_size: int) -> list[tuple[str, float]]:
        """The partition keys' write units a second if one advertiser's clicks came this fast in
        batches of this size: a key's units per batch that wrote it, times the share of the batches in
        its lifetime (first to last) that did, times batches a second. A key one batch alone wrote (a
        range's marker, a verdict, a window) is nobody's hot key."""
        rates = []
        for key, batches in self.by_key.items():
            if len(batches) < 2:
                continue
            lifetime = max(batches) - min(batches) + 1
            per_batch = sum(batches.values()) / len(batches)
            rates.append((key, per_batch * len(batches) / lifetime * clicks_per_second / batch_size))
        return sorted(rates, key=lambda rate: -rate[1])[:5]

    def __call__(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        name = model.name
        if name == "TransactWriteItems":
            for item in params["TransactItems"]:
                if "Put" in item:
                    self._put(item["Put"]["Item"], transactional=True)
        elif name == "PutItem":
            self._put(params["Item"], transactional=False)
        elif name == "BatchWriteItem":
            for items in params["RequestItems"].values():
                for item in items:
                    self._put(item["PutRequest"]["Item"], transactional=False)
        if params.get("TableName") == self.operations_table:
            self.written["operations log"] += 1
        elif name == "TransactWriteItems":
            for item in params["TransactItems"]:
                body = item.get("Put") or item.get("Update") or {}
                key = (body.get("Item") or body.get("Key") or {})["pk"]["S"].split("#", 1)[0]
                self.written[self.TRANSACTED.get(key, key)] += 1
        elif name == "PutItem":
            self.written["visitor windows"] += 1
        elif name == "BatchWriteItem":
            for items in params["RequestItems"].values():
                for item in items:
                    prefix = item["PutRequest"]["Item"]["pk"]["S"].split("#", 1)[0]
                    self.written[self.BATCH_WRITTEN.get(prefix, prefix)] += 1
        elif name == "BatchGetItem":
            for table, request in params["RequestItems"].items():
                kind = "quality windows" if table == self.stats_table else "postback settings"
                self.read[kind] += len(request["Keys"])


def run(batch_size: int, tables: dict[str, str]) -> dict[str, Any]:
    import botocore.session
    from botocore.config import Config

    from partnerka.common.clock import utc_now
    from partnerka.operations.repository import OperationsRepository
    from partnerka.orchestrator.service import run_batch
    from partnerka.postbacks.dispatch import PostbackDispatcher
    from partnerka.postbacks.repository import DeliveryRepository, PostbackSettingsRepository
    from partnerka.stats.click_log import ClickLogRepository
    from partnerka.stats.cube import NO_VALUE, TOTAL
    from partnerka.stats.cube_store import CubeRepository
    from partnerka.stats.projection import StatsStores
    from partnerka.stats.quality import QualityJudge
    from partnerka.stats.quality_store import QualityRepository
    from partnerka.tracking.datacenter import DatacenterRanges
    from tests.stream_records import stream_record

    stats_table = tables["StatsTable"]

    images = traffic(f"ADV{batch_size}", CLICKS, SEED)
    # Decoded before the clock starts, as the images were before records were typed events: the
    # figures stay comparable across versions.
    records = [
        stream_record(f"{n:021d}", f"{batch_size}-e{n}", "INSERT", "clicks", image)
        for n, image in enumerate(images)
    ]
    counter = ItemCounter(stats_table, tables["OperationsTable"])
    # moto copies a table for each transaction's rollback, so its answers slow down as the table
    # grows: a patient client here, the hot-path timeouts in production.
    client = botocore.session.get_session().create_client(
        "dynamodb", config=Config(read_timeout=120, max_pool_connections=16)
    )
    client.meta.events.register("before-parameter-build.dynamodb", counter)
    judge = QualityJudge(QualityRepository(stats_table, client), DatacenterRanges.load(RANGES))
    # The orchestrator's clock as it runs behind the traffic: the traffic's days are today's (journaled).
    clock = datetime(2026, 11, 27, 12, 5, tzinfo=UTC)
    stats = StatsStores(
        CubeRepository(stats_table, client, now=lambda: clock), ClickLogRepository(stats_table, client)
    )
    operations = OperationsRepository(tables["OperationsTable"], client)
    queued: list[str] = []
    dispatcher = PostbackDispatcher(
        PostbackSettingsRepository(tables["CoreTable"], client).get_many,
        DeliveryRepository(operations),
        queued.extend,
        utc_now,
    )
    started = time.perf_counter()
    for first in range(0, len(records), batch_size):
        counter.batch = first // batch_size
        assert run_batch(records[first : first + batch_size], stats, judge, dispatcher, operations) == []
    assert queued == []
    elapsed = time.perf_counter() - started
    client.meta.events.unregister("before-parameter-build.dynamodb", counter)
    counted: Counter[str] = Counter()
    for item in stats.cubes.exact(f"ADV{batch_size}", TOTAL, NO_VALUE, ["2026-11-27"]):
        counted.update({name: amount for name, amount in item.values.items() if "@" not in name})
    statistics_writes = sum(
        counter.written[name]
        for name in (
            "cube items (transaction)",
            "batch markers (transaction)",
            "cube journal (transaction)",
            "journal registry (transaction)",
            "click log",
        )
    )
    quality_writes = sum(counter.written.values()) - statistics_writes - counter.written["operations log"]
    return {
        "batch_size": batch_size,
        "clicks": len(records),
        "per_click": {name: amount / len(records) for name, amount in sorted(counter.written.items())},
        "statistics_writes_per_click": statistics_writes / len(records),
        "quality_writes_per_click": quality_writes / len(records),
        "writes_per_click": sum(counter.written.values()) / len(records),
        "reads_per_click": sum(counter.read.values()) / len(records),
        "reads": {name: amount / len(records) for name, amount in sorted(counter.read.items())},
        "counted": dict(counted),
        # The advertiser's hottest keys were its 3,000 clicks one hot offer's 5,000 a second
        "hottest_at_5000_per_second": counter.hottest(HOT_CLICKS_PER_SECOND, batch_size),
        "seconds": elapsed,
    }


def main() -> dict[str, Any]:
    sys.path[:0] = [str(LAYER), str(ROOT / "infra" / "local")]
    from partnerka_local.runtime import MotoServer
    from tests.bench.click_bench import aws_environment

    moto = MotoServer(log_dir=None)
    moto.start()
    try:
        os.environ.update(aws_environment(moto.url))
        tables = deploy(moto.url)
        results = [run(size, tables) for size in BATCH_SIZES]
    finally:
        moto.stop()

    print(f"orchestrator benchmark: {CLICKS} skewed clicks through the clicks-stream code, moto endpoint")
    print("DynamoDB items written per click (a transaction's items cost two write units each)")
    names = sorted({name for result in results for name in result["per_click"]})
    print(f"{'':<30}" + "".join(f"{f'batch {r["batch_size"]}':>14}" for r in results))
    for name in names:
        print(f"{name:<30}" + "".join(f"{r['per_click'].get(name, 0):>14.3f}" for r in results))
    for label, key in (
        ("= statistics (cubes, log)", "statistics_writes_per_click"),
        ("= quality (uniqueness etc.)", "quality_writes_per_click"),
        ("= all writes", "writes_per_click"),
    ):
        print(f"{label:<30}" + "".join(f"{r[key]:>14.3f}" for r in results))
    print("DynamoDB items read per click (BatchGetItem)")
    for name in sorted({name for result in results for name in result["reads"]}):
        print(f"{name:<30}" + "".join(f"{r['reads'].get(name, 0):>14.3f}" for r in results))
    for r in results:
        c = r["counted"]
        print(
            f"batch {r['batch_size']}: {c.get('clicks', 0)} clicks, {c.get('unique', 0)} unique, "
            f"{c.get('flood', 0)} flood, {c.get('datacenter', 0)} datacenter, {c.get('bots', 0)} bots, "
            f"{c.get('blocked', 0)} blocked; {r['seconds']:.1f} s against moto"
        )
    print(
        f"hottest partition keys at {HOT_CLICKS_PER_SECOND:,} clicks a second (write units a second; the limit is 1,000)"
    )
    for r in results:
        hot = ", ".join(
            f"{key.split('#', 1)[0]}# {rate:.0f}" for key, rate in r["hottest_at_5000_per_second"]
        )
        print(f"  batch {r['batch_size']}: {hot}")
    result = {"results": results, "clicks": CLICKS}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
