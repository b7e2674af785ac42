"""Every click and conversion counts exactly once, whatever Lambda and a dying worker do to the batches.

The real orchestrator handler, fed the clicks and conversions streams exactly as moto's DynamoDB
streams hold them, under Lambda's delivery rules (tests/integration/stream_delivery.py): batches of
any size, bisect on error, partial failures, repeats of done batches, and a worker killed before or
after any of its DynamoDB calls or whose answer is lost. Afterwards the cubes, the click log and each
offer's figures are compared with what the clicks and conversions themselves add up to.
`PARTNERKA_THOROUGH=1` (scripts/test --thorough) runs many more examples.
"""

from __future__ import annotations

import itertools
import os
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerka.analytics.duckdb_engine import DuckDBEngine, S3Objects
from partnerka.common import dynamo
from partnerka.conversions.models import Conversion, ConversionStatus
from partnerka.conversions.repository import ConversionRepository
from partnerka.stats.analytics_reports import EngineReports, run_to_end, selection
from partnerka.stats.click_log import ClickLogRepository
from partnerka.stats.cube import TOTAL
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.raw import converted_event
from partnerka.stats.service import StatsRequest
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickRepository
from partnerka_local.template import Template
from tests.conftest import Figures, examples, thorough
from tests.integration.conftest import CONTEXT, FunctionLoader
from tests.integration.stream_delivery import DyingWorker, Fault, ShardDelivery, shard_records

COUNTRIES = ("DE", "FR", "US", "GB", "PL", "RU", "KZ", "BR", "IN", "JP", "ES", "IT")
BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
)
DAY = datetime(2026, 11, 27, 9, tzinfo=UTC)


class DrawnChoices:
    """Lambda's and fate's choices, drawn by hypothesis; at most `faults` kills, so the run ends."""

    def __init__(self, data: st.DataObject, faults: int) -> None:
        self._data = data
        self._faults = faults

    def batch_size(self, left: int) -> int:
        return self._data.draw(st.integers(1, min(left, 50)), label="batch size")

    def fault(self) -> Fault | None:
        if self._faults <= 0 or not self._data.draw(st.booleans(), label="dies"):
            return None
        self._faults -= 1
        return Fault(self._data.draw(st.integers(0, 12), label="at call"), self._data.draw(st.booleans()))

    def split(self, size: int) -> int:
        return self._data.draw(st.sampled_from(sorted({size // 2, (size + 1) // 2})), label="bisect at")

    def repeat_from(self, checkpoints: list[int]) -> int | None:
        if self._data.draw(st.integers(0, 4), label="repeat") != 0:
            return None
        return self._data.draw(st.sampled_from(checkpoints), label="repeat from")


def _clicks(advertiser: str, count: int, offers: int) -> list[Click]:
    return [
        Click(
            click_id=f"{advertiser}-c{n}",
            offer_id=f"{advertiser}-O{n % offers}",
            affiliate_id=f"AFF{n % 3}",
            advertiser_id=advertiser,
            ip=f"198.51.100.{n % 250}",
            country=COUNTRIES[n % len(COUNTRIES)],
            user_agent=BROWSERS[n % len(BROWSERS)],
            # Five clicks a day: ranges touch many cube items (a day's items are its own), so even
            # small batches take several transactions and their plans.
            created_at=DAY + timedelta(hours=5 * n, minutes=n % 7),
            expires_at=int((DAY + timedelta(days=30)).timestamp()),
            subs={"sub1": f"s{n % 5}"},
        )
        for n in range(count)
    ]


def _conversions(
    clicks: list[Click], data: st.DataObject, repository: ConversionRepository
) -> list[Conversion]:
    """A conversion for some clicks, and for some of those a later decision: what the advertiser's
    postbacks and decisions write to the Conversions table."""
    stored: list[Conversion] = []
    for n, click in enumerate(clicks):
        if not data.draw(st.booleans(), label="converts"):
            continue
        status = data.draw(st.sampled_from([ConversionStatus.PENDING, ConversionStatus.HOLD]))
        conversion = Conversion(
            conversion_id=f"{click.click_id}-v",
            dedupe_key=f"{click.advertiser_id}#{click.click_id}",
            click_id=click.click_id,
            offer_id=click.offer_id,
            affiliate_id=click.affiliate_id,
            advertiser_id=click.advertiser_id,
            goal="sale" if n % 2 else "lead",
            status=status,
            payout_minor=100 * (n % 7 + 1),
            revenue_minor=250 * (n % 5 + 1),
            currency="USD" if n % 3 else "EUR",
            created_at=click.created_at + timedelta(minutes=3),
            hold_until=click.created_at + timedelta(days=7) if status is ConversionStatus.HOLD else None,
            country=click.country,
            user_agent=click.user_agent,
            click_created_at=click.created_at,
            subs=click.subs,
        )
        assert repository.insert(conversion) is None
        decision = data.draw(st.sampled_from([None, ConversionStatus.APPROVED, ConversionStatus.REJECTED]))
        if decision is not None:
            at = conversion.created_at + timedelta(hours=1)
            assert repository.transition(
                conversion, decision, "fraud" if decision.value == "rejected" else None, at
            )
            conversion = repository.get(conversion.dedupe_key) or conversion
        stored.append(conversion)
    return stored


def _expected(clicks: list[Click], conversions: list[Conversion]) -> dict[str, int]:
    # Every click here is its visitor's first (one address each), so each is unique too.
    totals: dict[str, int] = {"clicks": len(clicks), "unique": len(clicks)}
    for conversion in conversions:
        for name, amount in converted_event(conversion).increments.items():
            totals[name] = totals.get(name, 0) + amount
    return {name: amount for name, amount in totals.items() if amount}


def _counted(cubes: CubeRepository, advertiser: str, days: list[str]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for item in cubes.exact(advertiser, TOTAL, "-", days):
        for name, amount in item.values.items():
            if "@" not in name:
                totals[name] = totals.get(name, 0) + amount
    return {name: amount for name, amount in totals.items() if amount}


def _from_the_analytics_store(advertiser: str, days: list[str]) -> dict[str, int]:
    """The advertiser's totals over the days as the analytics engine counts them from the Parquet the
    orchestrator wrote (DuckDB over the emulated bucket): the same as the cubes', however the stream
    delivered."""
    request = StatsRequest(date.fromisoformat(days[0]), date.fromisoformat(days[-1]), ZoneInfo("UTC"), "none")
    engine = EngineReports(DuckDBEngine(S3Objects(os.environ["ANALYTICS_BUCKET"])))
    report = run_to_end(engine, selection([advertiser], request), None)
    return {name: amount for name, amount in report.totals.values().items() if amount}


def test_each_click_and_conversion_counts_once_under_any_split_retry_repeat_or_kill(
    load_function: FunctionLoader, stack: Template, figures: Figures
) -> None:
    orchestrator = load_function("orchestrator")
    table = os.environ["STATS_TABLE"]
    clicks_repo = ClickRepository(os.environ["CLICKS_TABLE"])
    conversions_repo = ConversionRepository(os.environ["CONVERSIONS_TABLE"])
    cubes, log = CubeRepository(table), ClickLogRepository(table)
    worker = DyingWorker(dynamo.client())
    streams = {name: stack.get_att(name, "StreamArn") for name in ("ClicksTable", "ConversionsTable")}
    advertisers = (f"ADV{n:04d}" for n in itertools.count())
    seen = {"kills": 0, "bisects": 0, "repeats": 0, "invocations": 0, "records": 0}

    def invoke(batch: list[dict[str, Any]], fault: Fault | None) -> dict[str, Any]:
        worker.arm(fault)
        return worker.invoke(orchestrator.handler, {"Records": batch}, CONTEXT)  # type: ignore[no-any-return]

    @settings(
        max_examples=examples(5, 200),
        deadline=None,
        derandomize=not thorough(),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def deliver_and_count(data: st.DataObject) -> None:
        advertiser = next(advertisers)
        clicks = _clicks(
            advertiser,
            data.draw(st.integers(1, 45), label="clicks"),
            data.draw(st.integers(1, 20), label="offers"),
        )
        for click in clicks:
            clicks_repo.put(click)
        conversions = _conversions(clicks, data, conversions_repo)

        def ours(record: dict[str, Any]) -> bool:
            image = record["dynamodb"].get("NewImage") or record["dynamodb"].get("OldImage") or {}
            return image.get("advertiser_id", {}).get("S") == advertiser

        choices = DrawnChoices(data, faults=data.draw(st.integers(0, 6), label="kills"))
        for name, arn in streams.items():
            records = shard_records(arn, ours)
            delivery = ShardDelivery(invoke, choices).run(records)
            seen["records"] += len(records)
            for counter in ("kills", "bisects", "repeats", "invocations"):
                seen[counter] += getattr(delivery, counter)
            assert records or name == "ConversionsTable"

        days = sorted({f"{c.created_at:%Y-%m-%d}" for c in clicks})
        assert _counted(cubes, advertiser, days) == _expected(clicks, conversions)
        assert _from_the_analytics_store(advertiser, days) == _counted(cubes, advertiser, days)
        for day in days:
            offers = {item.value: item.values["clicks"] for item in cubes.days(advertiser, "offer", day, day)}
            on_day = [c for c in clicks if f"{c.created_at:%Y-%m-%d}" == day]
            assert offers == {
                o: sum(1 for c in on_day if c.offer_id == o) for o in {c.offer_id for c in on_day}
            }
            logged = [click.click_id for click in log.read(advertiser, day)]
            assert sorted(logged) == sorted(c.click_id for c in on_day)

    try:
        deliver_and_count()
    finally:
        worker.restore()
    figures(
        f"stream exactly-once: {seen['records']} records in {seen['invocations']} invocations, "
        f"{seen['kills']} kills, {seen['bisects']} bisects, {seen['repeats']} repeated batches: every "
        "click and conversion counted once"
    )
    assert seen["kills"] > 0
    assert seen["bisects"] > 0
    assert seen["repeats"] > 0


@pytest.mark.parametrize(
    "fault", [Fault(0), Fault(6, after=True)], ids=["answer lost", "killed after writing"]
)
def test_a_batch_whose_worker_died_then_bisected_counts_each_click_once(
    load_function: FunctionLoader, stack: Template, fault: Fault
) -> None:
    """The review's reproduction, kept as a plain example: 150 clicks in batches of 50 (`--thorough`;
    every day 60 in batches of 20, the same three batches bisected the same way), each batch's first
    invocation killed after it wrote (or its answer lost), Lambda bisecting what failed."""
    orchestrator = load_function("orchestrator")
    table = os.environ["STATS_TABLE"]
    batch = examples(20, 50)
    clicks = _clicks("ADVKILL", 3 * batch, 40)
    for click in clicks:
        ClickRepository(os.environ["CLICKS_TABLE"]).put(click)
    worker = DyingWorker(dynamo.client())

    class EachBatchDiesOnce:
        armed = False

        def batch_size(self, left: int) -> int:
            self.armed = True
            return min(left, batch)

        def fault(self) -> Fault | None:
            armed, self.armed = self.armed, False
            return fault if armed else None

        def split(self, size: int) -> int:
            return size // 2

        def repeat_from(self, checkpoints: list[int]) -> int | None:
            return None

    def invoke(batch: list[dict[str, Any]], chosen: Fault | None) -> dict[str, Any]:
        worker.arm(chosen)
        return worker.invoke(orchestrator.handler, {"Records": batch}, CONTEXT)  # type: ignore[no-any-return]

    try:
        records = shard_records(stack.get_att("ClicksTable", "StreamArn"), lambda r: True)
        delivery = ShardDelivery(invoke, EachBatchDiesOnce()).run(records)
    finally:
        worker.restore()
    assert delivery.kills == 3
    cubes = CubeRepository(table)
    days = sorted({f"{c.created_at:%Y-%m-%d}" for c in clicks})
    assert _counted(cubes, "ADVKILL", days) == {"clicks": 3 * batch, "unique": 3 * batch}
    assert _from_the_analytics_store("ADVKILL", days) == {"clicks": 3 * batch, "unique": 3 * batch}
    logged = [c.click_id for day in days for c in ClickLogRepository(table).read("ADVKILL", day)]
    assert sorted(logged) == sorted(c.click_id for c in clicks)
