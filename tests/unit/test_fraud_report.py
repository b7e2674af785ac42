"""The traffic-quality report's counts: refused clicks by reason, conversions a fraud rule held or
rejected (once, at arrival, whatever happens to them later or however often a batch is delivered),
and the report's rows, shares and trend from the cubes and from the raw events alike."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import ValidationFailed
from partnerka.conversions.models import Conversion
from partnerka.orchestrator.records import StreamRecord
from partnerka.stats.dashboard import StatsDashboard
from partnerka.stats.fraud_report import fraud_report
from partnerka.stats.projection import StatsStores, apply_stream_batch
from partnerka.stats.quality import QualityJudge
from partnerka.stats.raw import converted_event
from partnerka.stats.service import Sources, StatsQuery, StatsRequest
from partnerka.tracking.datacenter import DatacenterRanges
from tests.stream_records import stream_record
from tests.unit.fakes import ADVERTISER, AFFILIATE, OFFER, FakeClickLog, FakeCubes, FakeNames, FakeQuality

COLLEAGUE = "01JAFF0000000000000000000B"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
AWS_RANGE = (int(ipaddress.ip_address("3.5.140.0")), int(ipaddress.ip_address("3.5.143.255")), 16509)
RANGES = DatacenterRanges({4: [AWS_RANGE], 6: []})
HOME = "95.24.1.1"
UTC = ZoneInfo("UTC")


def click(
    n: int, ip: str = HOME, ua: str = CHROME, affiliate: str = AFFILIATE, sub1: str = "blog", **extra: Any
) -> StreamRecord:
    image: dict[str, Any] = {
        "click_id": f"c{n}",
        "advertiser_id": ADVERTISER,
        "offer_id": OFFER,
        "affiliate_id": affiliate,
        "ip": ip,
        "country": "DE",
        "ua": ua,
        "created_at": f"2026-11-27T16:{n:02d}:00.000Z",
        "expires_at": 1_900_000_000,
        "sub1": sub1,
        **extra,
    }
    return stream_record(f"{n:021d}", f"e{n}", "INSERT", "clicks", image)


def conversion(n: int, status: str, screening: str | None = None, **extra: Any) -> dict[str, Any]:
    image: dict[str, Any] = {
        "pk": f"k{n}",
        "conversion_id": f"v{n}",
        "click_id": f"c{n}",
        "advertiser_id": ADVERTISER,
        "offer_id": OFFER,
        "affiliate_id": AFFILIATE,
        "country": "DE",
        "ua": CHROME,
        "created_at": "2026-11-27T17:30:00.000Z",
        "goal": "sale",
        "status": status,
        "payout_minor": 1000,
        "revenue_minor": 1500,
        "currency": "USD",
        "sub1": "blog",
        **extra,
    }
    if screening:
        image |= {
            "screening": screening,
            "screening_flag": "datacenter",
            "screening_note": f"{screening}: click from a datacenter network, AS16509",
            "flags": ["datacenter"],
        }
    return image


def arrived(n: int, image: dict[str, Any]) -> StreamRecord:
    return stream_record(f"{n:021d}", f"e{n}", "INSERT", "conversions", image)


def changed(n: int, old: dict[str, Any], **new: Any) -> StreamRecord:
    return stream_record(f"{n:021d}", f"e{n}", "MODIFY", "conversions", {**old, **new}, old)


HELD = conversion(1, "hold", "held")
REJECTED = conversion(3, "rejected", "rejected", reason="fraud")
PLAIN = conversion(10, "approved")


def traffic() -> list[StreamRecord]:
    """Every kind of flag once or more: a repeat (c2), a datacenter click (c3), a bot (c4), a flood
    (c6, the 4th click of one address in the hour with a threshold of 3), two refusals, another
    affiliate's clean click, and conversions a rule held, a rule rejected, and one it let through."""
    return [
        click(1),
        click(2),
        click(3, ip="3.5.140.7"),
        click(4, ip="95.24.1.4", ua=GOOGLEBOT),
        click(5, ua="UA five"),
        click(6, ua="UA six"),
        click(7, ip="95.24.1.7", reason="blocked_by_rule"),
        click(8, ip="95.24.1.8", reason="geo_blocked"),
        click(9, ip="95.24.1.9", affiliate=COLLEAGUE, sub1="ads"),
        arrived(21, HELD),
        arrived(23, REJECTED),
        arrived(30, PLAIN),
    ]


def apply(records: list[StreamRecord], cubes: FakeCubes, log: FakeClickLog, quality: FakeQuality) -> None:
    judge = QualityJudge(quality, RANGES, flood_threshold=3)
    assert apply_stream_batch(records, StatsStores(cubes, log), judge) == []


def sources(cubes: FakeCubes, log: FakeClickLog, conversions: list[dict[str, Any]]) -> Sources:
    events = [converted_event(Conversion.from_item(image)) for image in conversions]
    return Sources(
        cubes,
        log,
        lambda advertiser, first, last, affiliate: [
            e for e in events if first <= f"{e.facts.at:%Y-%m-%dT%H:%M:%S.000Z}" <= last
        ],
    )


def counted() -> tuple[FakeCubes, FakeClickLog]:
    cubes, log = FakeCubes(), FakeClickLog()
    apply(traffic(), cubes, log, FakeQuality())
    return cubes, log


EXPECTED_TOTALS = {
    "clicks": 7,
    "unique": 6,  # c2 repeats c1; c6 is a new browser on an address past the threshold: a flood
    "bots": 1,
    "datacenter": 1,
    "flood": 1,
    "blocked": 2,
    "refused_blocked_by_rule": 1,
    "refused_geo_blocked": 1,
    "sales": 2,
    "rejected": 1,
    "hold": 1,
    "held_by_rule": 1,
    "rejected_by_rule": 1,
    "revenue_USD": 3000,
    "payout_USD": 2000,
}


def test_refused_clicks_count_by_reason_and_rule_decisions_count_with_the_arrival() -> None:
    cubes, _ = counted()
    totals = cubes.totals()
    assert {name: totals.get(name, 0) for name in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert not {name for name in totals if "@" not in name} - set(EXPECTED_TOTALS)


def test_a_rule_decision_counts_once_however_often_and_however_cut_the_batch_is_delivered() -> None:
    cubes, log, quality = FakeCubes(), FakeClickLog(), FakeQuality()
    records = traffic()
    apply(records, cubes, log, quality)
    once = cubes.totals()
    for delivery in (records, records[:6], records[6:9], records[9:], records[6:]):
        apply(delivery, cubes, log, quality)
    assert cubes.totals() == once


def test_a_later_decision_moves_hold_and_rejected_but_never_what_the_rule_did() -> None:
    cubes, log = counted()
    before = cubes.totals()
    apply(
        [
            # a person approves the held sale, a rewrite clears the rule's fields of the rejected one,
            # and a person rejects the sale the rules let through
            changed(40, HELD, status="approved"),
            changed(41, REJECTED, screening=None, screening_note=None),
            changed(42, PLAIN, status="rejected", reason="fraud"),
        ],
        cubes,
        log,
        FakeQuality(),
    )
    after = cubes.totals()
    assert (after["held_by_rule"], after["rejected_by_rule"]) == (1, 1)
    assert (before["hold"], after.get("hold", 0)) == (1, 0)
    assert (before["rejected"], after["rejected"]) == (1, 2)


def request(group_by: str, **filters: str) -> StatsRequest:
    return StatsRequest(date(2026, 11, 27), date(2026, 11, 28), UTC, group_by, tuple(sorted(filters.items())))


def test_the_report_counts_each_flag_and_its_share_by_affiliate_from_the_cubes() -> None:
    cubes, log = counted()
    report = fraud_report(sources(cubes, log, [HELD, REJECTED, PLAIN]), [ADVERTISER], request("affiliate"))
    mine, colleague = report.rows
    assert (mine.key, colleague.key) == (AFFILIATE, COLLEAGUE)  # most traffic first
    assert (mine.requests, mine.clicks, mine.refused) == (8, 6, 2)
    assert mine.flagged == {"bots": 1, "datacenter": 1, "flood": 1, "duplicate": 1}
    assert mine.flagged_shares == {
        "bots": 16.6667,
        "datacenter": 16.6667,
        "flood": 16.6667,
        "duplicate": 16.6667,
    }
    assert mine.refused_by_reason == {"blocked_by_rule": 1, "geo_blocked": 1}
    assert (mine.refused_share, mine.refused_shares) == (25.0, {"blocked_by_rule": 12.5, "geo_blocked": 12.5})
    assert (mine.held_by_rule, mine.rejected_by_rule, mine.arrived_conversions) == (1, 1, 3)
    assert colleague.flagged == {"bots": 0, "datacenter": 0, "flood": 0, "duplicate": 0}
    assert report.totals.requests == 9


def test_the_report_by_sub_id_comes_from_the_raw_events_and_agrees_with_the_cubes() -> None:
    cubes, log = counted()
    source = sources(cubes, log, [HELD, REJECTED, PLAIN])
    by_sub = fraud_report(source, [ADVERTISER], request("sub1"))
    by_affiliate = fraud_report(source, [ADVERTISER], request("affiliate"))
    # Every click and conversion of the affiliate carries sub1=blog, the colleague's sub1=ads
    assert by_sub.rows == [
        replace(by_affiliate.rows[0], key="blog"),
        replace(by_affiliate.rows[1], key="ads"),
    ]
    assert by_sub.totals == by_affiliate.totals


def test_the_trend_has_every_day_of_the_range_in_order() -> None:
    cubes, log = counted()
    report = fraud_report(sources(cubes, log, [HELD, REJECTED, PLAIN]), [ADVERTISER], request("offer"))
    assert [(day.key, day.requests, day.flagged["bots"], day.held_by_rule) for day in report.trend] == [
        ("2026-11-27", 9, 1, 1),
        ("2026-11-28", 0, 0, 0),
    ]
    assert report.trend[1].flagged_shares["bots"] is None  # no share of no clicks


def test_an_affiliate_reads_only_its_own_traffic_and_groupings_are_checked() -> None:
    cubes, log = counted()
    dashboard = StatsDashboard(
        sources(cubes, log, [HELD, REJECTED, PLAIN]), lambda *_: iter(()), FakeNames(), lambda: [ADVERTISER]
    )
    colleague = Principal("u-aff", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id=COLLEAGUE)
    query = StatsQuery(date(2026, 11, 27), date(2026, 11, 28))
    page = dashboard.fraud_report(colleague, query, "sub1", 0, 50)
    assert [(row.key, row.clicks) for row in page.rows] == [("ads", 1)]
    assert (page.totals.held_by_rule, page.totals.requests) == (0, 1)
    with pytest.raises(ValidationFailed):
        dashboard.fraud_report(colleague, query, "country", 0, 50)
