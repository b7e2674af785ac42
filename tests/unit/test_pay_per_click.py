"""Pay-per-click: which clicks a CPC offer pays and at what price, its caps, exactly once however the
stream redelivers; the hourly ledger postings of what was paid, and the invoice's lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from partnerka.common.clock import iso_millis
from partnerka.common.errors import ValidationFailed
from partnerka.conversions.models import PostbackRequest
from partnerka.conversions.service import record_conversion
from partnerka.finance.clicks import post_click_payouts
from partnerka.finance.invoices import LineKind, invoice_items, invoice_lines
from partnerka.finance.ledger import affiliate, clicks_index, invoice_index
from partnerka.offers.routing import (
    AccessRoute,
    AmountType,
    Cap,
    CapMetric,
    CapPeriod,
    Goal,
    PayoutModel,
)
from partnerka.offers.service import GoalInput, OfferDraft, default_goals, parse_goals, store_new_offer
from partnerka.orchestrator.records import StreamRecord
from partnerka.stats.cpc import ClickPayer
from partnerka.stats.cube import TOTAL, CubeKey
from partnerka.stats.metrics import derive
from partnerka.stats.projection import StatsStores, apply_stream_batch
from partnerka.stats.quality import QualityJudge
from partnerka.stats.service import Sources, StatsRequest, StatsScope, build_report
from partnerka.tracking.datacenter import DatacenterRanges
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.models import ClickRequest
from partnerka.tracking.service import record_click
from tests.stream_records import stream_record
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeCaps,
    FakeClickLog,
    FakeClicks,
    FakeConversions,
    FakeCubes,
    FakeLedger,
    FakeOffers,
    FakeQuality,
    FakeRoutes,
    affiliate_route,
    offer_route,
)

NOW = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
BOT = "Googlebot/2.1 (+http://www.google.com/bot.html)"
PRICE = 35  # 0.35 USD a click
CLICK = Goal("click", "Click", AmountType.FIXED, PRICE, AmountType.FIXED, 50)
NO_DATACENTERS = DatacenterRanges({4: [], 6: []})


def click(
    n: int, ip: str = "", ua: str = CHROME, at: str = "2026-11-27T16:05:00.000Z", **extra: Any
) -> StreamRecord:
    image: dict[str, Any] = {
        "click_id": f"c{n}",
        "advertiser_id": ADVERTISER,
        "offer_id": OFFER,
        "affiliate_id": AFFILIATE,
        "ip": ip or f"95.24.1.{n % 250}",
        "country": "DE",
        "ua": ua,
        "created_at": at,
        "expires_at": 1_900_000_000,
        **extra,
    }
    return stream_record(f"{n:021d}", f"e{n}", "INSERT", "clicks", image)


class Orchestrator:
    """The statistics' projection as the orchestrator runs it, with the judge and the payer."""

    def __init__(self, routes: FakeRoutes, cubes: FakeCubes | None = None) -> None:
        self.cubes = cubes or FakeCubes()
        self.quality = FakeQuality()
        self.routes = routes

    def deliver(self, records: list[StreamRecord]) -> list[str]:
        return apply_stream_batch(
            records,
            StatsStores(self.cubes, FakeClickLog()),
            QualityJudge(self.quality, NO_DATACENTERS),
            payer=ClickPayer(self.routes, self.cubes),
        )

    def paid(self) -> tuple[int, int, int]:
        """(paid clicks, their payout, every payout) in the totals, USD."""
        totals = self.cubes.totals()
        return totals.get("cpc_clicks", 0), totals.get("cpc_payout_USD", 0), totals.get("payout_USD", 0)


def cpc_offer(**changes: Any) -> FakeRoutes:
    return FakeRoutes([offer_route(model=PayoutModel.CPC, goals=(CLICK,), **changes)], [])


def test_only_unique_non_bot_clicks_that_reached_a_landing_are_paid_at_the_offer_price() -> None:
    # Given a CPC offer and six clicks: two visitors' first clicks, a repeat of one of them, a bot,
    # a click refused by a block list and one the affiliate's suspension sent to the fallback
    orchestrator = Orchestrator(cpc_offer())
    records = [
        click(1, ip="95.24.1.1"),
        click(2, ip="95.24.1.2"),
        click(3, ip="95.24.1.1", at="2026-11-27T16:06:00.000Z"),
        click(4, ip="95.24.1.4", ua=BOT),
        click(5, ip="95.24.1.5", reason="blocked_by_rule"),
        click(6, ip="95.24.1.6", reason="affiliate_suspended"),
    ]
    # When the orchestrator takes them
    assert orchestrator.deliver(records) == []
    # Then the two first visits are paid, counted apart and in the payout
    assert orchestrator.paid() == (2, 2 * PRICE, 2 * PRICE)


def test_the_affiliates_own_price_per_click_overrides_the_offers() -> None:
    routes = cpc_offer()
    routes.access[(OFFER, AFFILIATE)] = AccessRoute(OFFER, AFFILIATE, payouts={"click": 80})
    orchestrator = Orchestrator(routes)
    orchestrator.deliver([click(1), click(2)])
    assert orchestrator.paid() == (2, 160, 160)


def test_an_offer_without_a_click_goal_pays_no_click() -> None:
    orchestrator = Orchestrator(FakeRoutes([offer_route()], []))
    orchestrator.deliver([click(1), click(2)])
    assert orchestrator.paid() == (0, 0, 0)
    assert orchestrator.cubes.totals()["unique"] == 2


def test_a_batch_reads_its_prices_once() -> None:
    orchestrator = Orchestrator(cpc_offer())
    orchestrator.deliver([click(n) for n in range(1, 40)])
    assert orchestrator.routes.lookups == 1


def test_the_offers_paid_clicks_cap_stops_paying_once_reached_and_the_clicks_still_count() -> None:
    orchestrator = Orchestrator(cpc_offer(caps=(Cap(CapMetric.PAID_CLICKS, CapPeriod.DAY, 3),)))
    orchestrator.deliver([click(n) for n in range(1, 4)])
    orchestrator.deliver([click(n) for n in range(4, 7)])
    assert orchestrator.paid() == (3, 3 * PRICE, 3 * PRICE)
    assert orchestrator.cubes.totals()["clicks"] == 6


def test_a_cap_of_the_next_day_starts_afresh() -> None:
    orchestrator = Orchestrator(cpc_offer(caps=(Cap(CapMetric.PAID_CLICKS, CapPeriod.DAY, 1),)))
    orchestrator.deliver([click(1), click(2)])
    orchestrator.deliver([click(3, at="2026-11-28T00:05:00.000Z")])
    assert orchestrator.paid()[0] == 2


def test_the_affiliates_click_budget_never_pays_a_click_past_it() -> None:
    # Given an affiliate whose clicks may cost 1.00 a month: two clicks at 0.35 fit, a third would not
    routes = cpc_offer()
    budget = Cap(CapMetric.CLICK_BUDGET, CapPeriod.MONTH, 100)
    routes.access[(OFFER, AFFILIATE)] = AccessRoute(OFFER, AFFILIATE, caps=(budget,))
    orchestrator = Orchestrator(routes)
    orchestrator.deliver([click(n) for n in range(1, 6)])
    assert orchestrator.paid() == (2, 70, 70)


@pytest.mark.parametrize("capped", [False, True], ids=["no cap reached", "cap reached"])
def test_redelivery_whole_in_halves_and_repeated_pays_exactly_once(capped: bool) -> None:
    # Given forty clicks of twenty visitors, each twice in a minute on a day of its own (so the range
    # takes several transactions), two of them bots
    caps = (Cap(CapMetric.PAID_CLICKS, CapPeriod.TOTAL, 7),) if capped else ()
    start = datetime(2026, 11, 10, 16, 5, tzinfo=UTC)
    records = [
        click(
            n,
            ip=f"95.24.2.{n // 2}",
            ua=BOT if n // 2 in (3, 11) else CHROME,
            at=iso_millis(start + timedelta(days=n // 2, minutes=n % 2)),
        )
        for n in range(40)
    ]
    expected = 7 if capped else 18
    # When the first delivery dies after its first transaction, Lambda hands it back in halves,
    # then the whole batch ten times, then the second half and first half again
    cubes = FakeCubes(fail_on_call=2)
    orchestrator = Orchestrator(cpc_offer(caps=caps), cubes)
    assert orchestrator.deliver(records) != []
    assert cubes.markers  # begun,
    assert orchestrator.paid()[0] < expected  # not finished
    cubes.fail_on_call = None
    assert orchestrator.deliver(records[:20]) == []
    assert orchestrator.deliver(records[20:]) == []
    for _ in range(10):
        assert orchestrator.deliver(records) == []
    assert orchestrator.deliver(records[20:]) == []
    assert orchestrator.deliver(records[:20]) == []
    # Then every unique non-bot click is paid once (or up to the cap), never more
    assert orchestrator.paid() == (expected, expected * PRICE, expected * PRICE)


def test_a_later_batch_delivered_first_is_paid_once_with_the_earlier() -> None:
    orchestrator = Orchestrator(cpc_offer())
    first, second = [click(n) for n in range(0, 10)], [click(n) for n in range(10, 20)]
    assert orchestrator.deliver(second) == []
    assert orchestrator.deliver(first) == []
    assert orchestrator.deliver(second) == []
    assert orchestrator.deliver(first + second) == []
    assert orchestrator.paid() == (20, 20 * PRICE, 20 * PRICE)


def test_a_percent_price_for_a_click_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="paid per click"):
        parse_goals([GoalInput("click", "Click", "percent", "5", "fixed", "0.50")], "USD")


# ---------------------------------------------------------------------------------------- ledger
def paid_hours(*hours: tuple[str, int]) -> FakeCubes:
    """Cubes holding paid clicks at 0.35 in the given UTC hours (`16`, count) of 2026-11-27."""
    orchestrator = Orchestrator(cpc_offer())
    n = 0
    for hour, count in hours:
        records = []
        for _ in range(count):
            n += 1
            records.append(click(n, ip=f"95.24.3.{n}", at=f"2026-11-27T{hour}:{n % 60:02d}:00.000Z"))
        orchestrator.deliver(records)
    return orchestrator.cubes


AT_0510 = datetime(2026, 11, 27, 18, 10, tzinfo=UTC)
APPROVED = affiliate(ADVERTISER, AFFILIATE, "approved", "USD")


def test_each_closed_hour_posts_one_journal_and_a_repeat_posts_nothing() -> None:
    # Given paid clicks in hours 16 and 17 (closed at 18:10) and in hour 18 (still open)
    cubes, ledger = paid_hours(("16", 4), ("17", 3), ("18", 2)), FakeLedger()
    # When the step runs, and runs again
    assert post_click_payouts(cubes, ledger, AT_0510).posted == 2
    assert post_click_payouts(cubes, ledger, AT_0510).posted == 0
    # Then the affiliate has the closed hours' clicks approved, one journal an hour
    assert ledger.shown(APPROVED) == 7 * PRICE
    journals = ledger.listed(clicks_index(ADVERTISER, "2026-11-27"))
    assert [(j.detail["hour"], j.detail["clicks"]) for j in journals] == [
        ("2026-11-27T16", "4"),
        ("2026-11-27T17", "3"),
    ]


def test_a_click_counted_late_posts_only_its_delta() -> None:
    orchestrator = Orchestrator(cpc_offer())
    orchestrator.deliver([click(n, at="2026-11-27T16:05:00.000Z") for n in range(1, 4)])
    ledger = FakeLedger()
    post_click_payouts(orchestrator.cubes, ledger, AT_0510)
    # A click of 16:59 the stream brought only now
    orchestrator.deliver([click(9, at="2026-11-27T16:59:00.000Z")])
    assert post_click_payouts(orchestrator.cubes, ledger, AT_0510).posted == 1
    assert post_click_payouts(orchestrator.cubes, ledger, AT_0510).posted == 0
    amounts = [j.credited("approved")[1] for j in ledger.listed(clicks_index(ADVERTISER, "2026-11-27"))]
    assert amounts == [3 * PRICE, PRICE]


def test_two_posters_that_saw_the_same_postings_post_once() -> None:
    cubes = paid_hours(("16", 5))
    ledger = FakeLedger()
    seen = FakeLedger()  # a second run that read the postings before the first posted
    post_click_payouts(cubes, ledger, AT_0510)
    post_click_payouts(cubes, seen, AT_0510)
    assert set(ledger.journals) == set(seen.journals)  # the same key: only one of them can post


def test_the_invoice_lists_paid_clicks_as_one_line_per_offer_and_affiliate() -> None:
    cubes, ledger = paid_hours(("15", 2), ("16", 4), ("17", 3)), FakeLedger()
    post_click_payouts(cubes, ledger, AT_0510)
    lines = invoice_lines(invoice_items(ledger.listed(invoice_index(ADVERTISER, "2026-11"))))
    assert [(line.kind, line.affiliate_id, line.clicks, line.payout) for line in lines] == [
        (LineKind.CLICKS, AFFILIATE, 9, 9 * PRICE)
    ]


def test_the_statistics_the_ledger_and_the_invoice_agree_to_the_cent() -> None:
    cubes, ledger = paid_hours(("10", 7), ("11", 13), ("12", 1)), FakeLedger()
    post_click_payouts(cubes, ledger, datetime(2026, 11, 28, 0, 10, tzinfo=UTC))
    stats = cubes.rows[CubeKey(ADVERTISER, TOTAL, "2026-11-27", "-")]
    (line,) = invoice_lines(invoice_items(ledger.listed(invoice_index(ADVERTISER, "2026-11"))))
    assert stats["cpc_payout_USD"] == ledger.shown(APPROVED) == line.payout == 21 * PRICE
    assert stats["cpc_clicks"] == line.clicks == 21


def test_a_cpc_offer_without_its_click_goal_is_refused() -> None:
    draft = OfferDraft(
        name="Clicks",
        model="CPC",
        currency="USD",
        goals=[GoalInput("sale", "Sale", "fixed", "1.00", "fixed", "2.00")],
        landings=[("https://shop.example/", 1)],
    )
    offers = FakeOffers()
    with pytest.raises(ValidationFailed, match="needs the goal 'click'"):
        store_new_offer(offers, ADVERTISER, draft)
    store_new_offer(offers, ADVERTISER, replace(draft, goals=default_goals("CPC", "0.35", "0.50")))


def test_a_postback_cannot_pay_the_click_goal_twice_over() -> None:
    # Given a click on a CPC offer
    routes, clicks = cpc_offer(), FakeClicks()
    routes.affiliates[AFFILIATE] = affiliate_route()
    request = ClickRequest(OFFER, AFFILIATE, {}, "203.0.113.9", CHROME, "FR")
    outcome = record_click(request, routes, clicks, GeoLocator("/none"), NOW, ttl_days=30, caps=FakeCaps())
    assert outcome.click is not None
    # When the advertiser's postback names the goal click
    postback = PostbackRequest(outcome.click.click_id, "sale", "s3cret", "T-1", goal="click")
    # Then it is refused: clicks are paid by the orchestrator alone
    with pytest.raises(ValidationFailed, match="never by a postback"):
        record_conversion(postback, clicks, routes, FakeConversions(), NOW)


# ----------------------------------------------------------------------------------------- reports
def test_an_affiliates_report_by_offer_shows_its_paid_clicks_and_epc_as_the_cubes_do() -> None:
    # Given six paid clicks at 0.35 and one click that is a visitor's repeat
    orchestrator = Orchestrator(cpc_offer())
    orchestrator.deliver([click(n, ip=f"95.24.4.{n}") for n in range(6)] + [click(9, ip="95.24.4.1")])
    sources = Sources(orchestrator.cubes, FakeClickLog(), lambda *_: [])
    day = date(2026, 11, 27)
    # When the affiliate reads by offer (raw: two dimensions) and the advertiser by day (cubes)
    mine = StatsRequest(day, day, ZoneInfo("UTC"), "offer").within(StatsScope(ADVERTISER, AFFILIATE, False))
    (by_offer,) = build_report(sources, [ADVERTISER], mine).rows.values()
    (by_day,) = build_report(
        sources, [ADVERTISER], StatsRequest(day, day, ZoneInfo("UTC"), "day")
    ).rows.values()
    # Then both show the same paid clicks, payout and EPC
    for row in (by_offer, by_day):
        assert (row.cpc_clicks, row.cpc_payout, row.payout) == (6, {"USD": 6 * PRICE}, {"USD": 6 * PRICE})
    assert derive(by_day).epc == {"USD": 6 * PRICE / 7}
    assert by_offer.key == OFFER


def test_a_report_by_country_leaves_paid_clicks_out_of_its_raw_rows() -> None:
    orchestrator = Orchestrator(cpc_offer())
    orchestrator.deliver([click(n) for n in range(3)])
    sources = Sources(orchestrator.cubes, FakeClickLog(), lambda *_: [])
    day = date(2026, 11, 27)
    request = StatsRequest(day, day, ZoneInfo("UTC"), "country", (("affiliate", AFFILIATE),))
    assert build_report(sources, [ADVERTISER], request).totals.cpc_clicks == 0
