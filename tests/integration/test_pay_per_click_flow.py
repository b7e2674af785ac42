"""Issue 20's done-when for pay-per-click: a CPC offer pays exactly the unique non-bot clicks however
Lambda redelivers every batch of the clicks stream, and the statistics, the ledger and the invoice
agree to the cent. The real orchestrator and click-payouts functions on moto's tables and stream."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from partnerka.common import dynamo
from partnerka.finance.invoices import LineKind, month_of, preview
from partnerka.finance.ledger import affiliate_owner
from partnerka.finance.repository import LedgerRepository
from partnerka.offers.models import OfferAccess
from partnerka.offers.repository import OfferRepository
from partnerka.offers.routing import Access, Cap, CapMetric, CapPeriod
from partnerka.offers.service import create_offer
from partnerka.stats.cube import TOTAL
from partnerka.stats.cube_store import CubeRepository
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickRepository
from partnerka_local.template import Template
from tests.integration.conftest import CONTEXT, FunctionLoader
from tests.integration.stream_delivery import DyingWorker, Fault, ShardDelivery, shard_records

ADVERTISER = "ADVCPC01"
AFFILIATES = ("AFFCPC1", "AFFCPC2")
PRICES = {"AFFCPC1": 35, "AFFCPC2": 80}  # the offer's 0.35, and the second affiliate's own 0.80
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
BOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"


class EveryBatchTwiceAndOnceKilled:
    """Batches of ten, each killed once with its answer lost (so Lambda bisects it) and handed over
    again once it is done."""

    armed = False
    last_repeat = -1

    def batch_size(self, left: int) -> int:
        self.armed = True
        return min(left, 10)

    def fault(self) -> Fault | None:
        armed, self.armed = self.armed, False
        return Fault(0) if armed else None

    def split(self, size: int) -> int:
        return size // 2

    def repeat_from(self, checkpoints: list[int]) -> int | None:
        if checkpoints[-1] == self.last_repeat:
            return None
        self.last_repeat = checkpoints[-1]
        return checkpoints[-1]


def _clicks(offer_id: str, start: datetime) -> list[Click]:
    """Forty clicks of twenty visitors (each twice, a minute apart), over three hours: every seventh
    visitor a bot, every eleventh click refused by a block list."""
    clicks = []
    for n in range(40):
        visitor = n // 2
        clicks.append(
            Click(
                click_id=f"cpc-{n:03d}",
                offer_id=offer_id,
                affiliate_id=AFFILIATES[visitor % 2],
                advertiser_id=ADVERTISER,
                ip=f"198.51.100.{visitor}",
                country="DE",
                user_agent=BOT if visitor % 7 == 3 else CHROME,
                created_at=start + timedelta(minutes=9 * visitor + n % 2),
                expires_at=int((start + timedelta(days=30)).timestamp()),
                reason="blocked_by_rule" if n % 11 == 5 else None,
            )
        )
    return clicks


def _paid(clicks: list[Click]) -> list[Click]:
    """What the offer owes by its terms: each visitor's first click that reached a landing, if no bot."""
    firsts: dict[tuple[str, str, str], Click] = {}
    for click in sorted(clicks, key=lambda c: c.created_at):
        if not click.reason:
            firsts.setdefault((click.affiliate_id, click.ip, click.user_agent), click)
    return [click for click in firsts.values() if click.user_agent != BOT]


def test_a_cpc_offer_pays_exactly_the_unique_non_bot_clicks_and_its_books_agree_to_the_cent(
    load_function: FunctionLoader, stack: Template
) -> None:
    # Given a CPC offer at 0.35 a click, 0.80 for the second affiliate, and forty clicks yesterday
    offers = OfferRepository()
    offer = create_offer(offers, ADVERTISER, "Clicks", "CPC", "https://shop.example/", "0.35", "0.50", "USD")
    offers.save_access(OfferAccess(offer.offer_id, ADVERTISER, "AFFCPC2", Access.APPROVED, {"click": 80}))
    yesterday = (datetime.now(UTC) - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    clicks = _clicks(offer.offer_id, yesterday)
    repository = ClickRepository(os.environ["CLICKS_TABLE"])
    for click in clicks:
        repository.put(click)
    orchestrator, payouts = load_function("orchestrator"), load_function("click_payouts")
    worker = DyingWorker(dynamo.client())

    def invoke(batch: list[dict[str, Any]], fault: Fault | None) -> dict[str, Any]:
        worker.arm(fault)
        return worker.invoke(orchestrator.handler, {"Records": batch}, CONTEXT)  # type: ignore[no-any-return]

    # When the stream delivers every batch twice, each first killed and bisected, and the hourly
    # step runs (twice: a repeated run posts nothing)
    try:
        records = shard_records(stack.get_att("ClicksTable", "StreamArn"), lambda r: True)
        delivery = ShardDelivery(invoke, EveryBatchTwiceAndOnceKilled()).run(records)
    finally:
        worker.restore()
    assert (delivery.kills, delivery.repeats) == (8, 4)  # the repeats are killed too
    scheduled = {"source": "aws.events", "detail-type": "Scheduled Event"}
    first = payouts.handler(scheduled, CONTEXT)
    assert payouts.handler(scheduled, CONTEXT) == {"posted": 0}

    # Then exactly the unique non-bot clicks are paid, each at its affiliate's price
    paid = _paid(clicks)
    owed = {aff: sum(PRICES[aff] for c in paid if c.affiliate_id == aff) for aff in AFFILIATES}
    assert first == {"posted": 6}  # three hours, two affiliates
    day = f"{yesterday:%Y-%m-%d}"
    (stats,) = CubeRepository(os.environ["STATS_TABLE"]).exact(ADVERTISER, TOTAL, "-", [day])
    assert stats.values["cpc_clicks"] == len(paid) == 17
    assert stats.values["cpc_payout_USD"] == sum(owed.values())
    assert stats.values["payout_USD"] == sum(owed.values())
    # and the ledger and the invoice hold the same, to the cent
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    for aff in AFFILIATES:
        (approved,) = ledger.balances(affiliate_owner(ADVERTISER, aff)).items()
        assert (approved[0].kind, approved[0].shown(approved[1])) == ("approved", owed[aff])
    invoice, _ = preview(ledger, ADVERTISER, month_of(yesterday))
    lines = {line.affiliate_id: line for line in invoice.lines}
    assert {aff: (line.kind, line.clicks, line.payout) for aff, line in lines.items()} == {
        aff: (LineKind.CLICKS, sum(1 for c in paid if c.affiliate_id == aff), owed[aff]) for aff in AFFILIATES
    }


class EveryBatchTwice(EveryBatchTwiceAndOnceKilled):
    def fault(self) -> Fault | None:
        return None


def test_the_click_goals_cap_stops_paying_at_its_limit_under_redelivery(
    load_function: FunctionLoader, stack: Template
) -> None:
    # Given a CPC offer that pays at most five clicks in total, and twenty visitors' clicks
    offers = OfferRepository()
    offer = create_offer(offers, ADVERTISER, "Capped", "CPC", "https://shop.example/", "0.35", "0.50", "USD")
    offers.save(replace(offer, caps=(Cap(CapMetric.PAID_CLICKS, CapPeriod.TOTAL, 5),)))
    start = (datetime.now(UTC) - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    repository = ClickRepository(os.environ["CLICKS_TABLE"])
    for n in range(20):
        repository.put(
            Click(
                click_id=f"cap-{n:03d}",
                offer_id=offer.offer_id,
                affiliate_id="AFFCPC1",
                advertiser_id=ADVERTISER,
                ip=f"203.0.113.{n}",
                country="DE",
                user_agent=CHROME,
                created_at=start + timedelta(minutes=n),
                expires_at=int((start + timedelta(days=30)).timestamp()),
            )
        )
    orchestrator = load_function("orchestrator")
    # When the stream delivers every batch of ten twice
    records = shard_records(stack.get_att("ClicksTable", "StreamArn"), lambda r: True)
    ShardDelivery(lambda batch, _: orchestrator.handler({"Records": batch}, CONTEXT), EveryBatchTwice()).run(
        records
    )
    # Then five clicks are paid, and every click is still counted
    (stats,) = CubeRepository(os.environ["STATS_TABLE"]).exact(ADVERTISER, TOTAL, "-", [f"{start:%Y-%m-%d}"])
    assert (stats.values["clicks"], stats.values["cpc_clicks"], stats.values["cpc_payout_USD"]) == (
        20,
        5,
        175,
    )
