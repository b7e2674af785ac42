"""From stream records to cubes and the click log, and from those to reports, in memory."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden, ValidationFailed
from partnerka.conversions.models import Conversion
from partnerka.orchestrator.records import StreamRecord
from partnerka.stats.cube import TOTAL, CubeKey
from partnerka.stats.metrics import derive
from partnerka.stats.models import StatsRow
from partnerka.stats.projection import StatsStores, apply_stream_batch, effect_of, token_of
from partnerka.stats.raw import converted_event
from partnerka.stats.service import (
    Sources,
    StatsRequest,
    StatsScope,
    build_report,
    may_inspect,
    parse_request,
    sorted_rows,
    visible_scope,
)
from tests.stream_records import stream_record
from tests.unit.fakes import ADVERTISER, AFFILIATE, OFFER, FakeClickLog, FakeCubes

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
)
UTC = ZoneInfo("UTC")


def click_record(
    seq: int,
    at: str = "2026-11-27T16:05:00.000Z",
    ua: str = CHROME,
    offer: str = OFFER,
    country: str = "DE",
    **extra: Any,
) -> StreamRecord:
    image = {
        "click_id": f"c{seq}",
        "advertiser_id": ADVERTISER,
        "offer_id": offer,
        "affiliate_id": AFFILIATE,
        "country": country,
        "ua": ua,
        "created_at": at,
        **extra,
    }
    return stream_record(f"{seq:021d}", f"e{seq}", "INSERT", "clicks", image)


def conversion_image(
    seq: int, goal: str, payout: int, revenue: int, currency: str = "USD", status: str = "pending"
) -> dict[str, Any]:
    return {
        "pk": f"k{seq}",
        "conversion_id": f"v{seq}",
        "click_id": f"c{seq}",
        "advertiser_id": ADVERTISER,
        "offer_id": OFFER,
        "affiliate_id": AFFILIATE,
        "country": "DE",
        "ua": CHROME,
        "created_at": "2026-11-27T17:30:00.000Z",
        "goal": goal,
        "status": status,
        "payout_minor": payout,
        "revenue_minor": revenue,
        "currency": currency,
        "sub1": "blog",
    }


def conversion_record(seq: int, *args: Any, **kwargs: Any) -> StreamRecord:
    return stream_record(
        f"{seq:021d}", f"e{seq}", "INSERT", "conversions", conversion_image(seq, *args, **kwargs)
    )


def changed(seq: int, old: dict[str, Any], **new: Any) -> StreamRecord:
    return stream_record(f"{seq:021d}", f"e{seq}", "MODIFY", "conversions", {**old, **new}, old)


def stores() -> tuple[FakeCubes, FakeClickLog, StatsStores]:
    cubes, log = FakeCubes(), FakeClickLog()
    return cubes, log, StatsStores(cubes, log)


def test_a_batch_of_clicks_on_one_offer_is_one_aggregated_add_per_cube_item() -> None:
    cubes, log, stats = stores()
    assert apply_stream_batch([click_record(i) for i in range(50)], stats) == []
    assert cubes.calls == 1
    assert len(cubes.rows) == 7  # the total and one value of each of the six dimensions
    day = "2026-11-27"
    assert cubes.rows[CubeKey(ADVERTISER, TOTAL, day, "-")] == {"clicks": 50, "clicks@16": 50}
    assert cubes.rows[CubeKey(ADVERTISER, "device", day, "desktop")]["clicks"] == 50
    assert cubes.rows[CubeKey(ADVERTISER, "browser", day, "Chrome")]["clicks"] == 50
    assert len(log.all()) == 50


def test_conversions_count_goals_money_per_currency_and_hold() -> None:
    cubes, _, stats = stores()
    apply_stream_batch(
        [
            conversion_record(1, "sale", 1250, 2000),
            conversion_record(2, "lead", 0, 0, status="approved"),
            conversion_record(3, "sale", 0, 0, status="rejected"),
            conversion_record(4, "sale", 500, 900, "EUR", status="hold"),
        ],
        stats,
    )
    assert cubes.totals() == {
        "sales": 2,
        "leads": 1,
        "rejected": 1,
        "hold": 2,
        "revenue_USD": 2000,
        "payout_USD": 1250,
        "revenue_EUR": 900,
        "payout_EUR": 500,
    }


def test_status_changes_move_counts_by_the_difference_in_the_arrival_hour() -> None:
    cubes, _, stats = stores()
    sale = conversion_image(1, "sale", 1250, 2000, status="hold")
    lead = conversion_image(2, "lead", 100, 300)
    apply_stream_batch(
        [
            stream_record("1", "e1", "INSERT", "conversions", sale),
            stream_record("2", "e2", "INSERT", "conversions", lead),
            changed(3, sale, status="approved"),
            changed(4, lead, status="rejected", reason="fraud"),
        ],
        stats,
    )
    assert {k: v for k, v in cubes.totals().items() if v} == {
        "sales": 1,
        "rejected": 1,
        "revenue_USD": 2000,
        "payout_USD": 1250,
    }
    hourly = cubes.rows[CubeKey(ADVERTISER, TOTAL, "2026-11-27", "-")]
    assert (hourly.get("hold@17", 0), hourly["rejected@17"]) == (0, 1)


def test_expiries_and_changes_that_count_nothing_add_nothing() -> None:
    pending = conversion_image(2, "sale", 1, 1)
    expired = {
        "click_id": "c1",
        "advertiser_id": ADVERTISER,
        "offer_id": OFFER,
        "created_at": "2026-11-27T16:05:00.000Z",
    }
    assert stream_record("1", "e1", "REMOVE", "clicks", None, expired).event is None
    assert effect_of(changed(2, pending, updated_at="2026-11-28T00:00:00.000Z").event) is None
    assert effect_of(changed(3, pending, status="hold").event) is None  # pending and hold both await approval


def test_refused_clicks_count_as_blocked_and_by_their_reason_and_are_logged_with_it() -> None:
    cubes, log, stats = stores()
    apply_stream_batch([click_record(1, reason="geo_blocked"), click_record(2, sub1="a b", sub3="x")], stats)
    assert cubes.totals() == {"blocked": 1, "refused_geo_blocked": 1, "clicks": 1}
    logged = {c.click_id: c for c in log.all()}
    assert logged["c1"].reason == "geo_blocked"
    assert logged["c2"].facts.subs == {"sub1": "a b", "sub3": "x"}


def test_a_batch_is_aggregated_once_and_each_cube_item_written_once() -> None:
    cubes, _, stats = stores()
    records = [click_record(i, offer=f"O{i}") for i in range(250)]
    assert apply_stream_batch(records, stats) == []
    # 6 items every click shares and one offer item per click: 256 items in 3 transactions of <= 99
    assert len(cubes.rows) == 256
    assert cubes.calls == 3
    assert next(iter(cubes.markers.values())).chunks == 3


def test_a_failed_chunk_sends_the_batch_back_and_a_shorter_delivery_finishes_it_from_its_plans() -> None:
    records = [click_record(i, offer=f"O{i}") for i in range(300)]
    cubes, log = FakeCubes(fail_on_call=2), FakeClickLog()
    stats = StatsStores(cubes, log)
    # Given a batch of 250 whose second transaction fails
    assert apply_stream_batch(records[:250], stats) == [r.sequence_number for r in records[:250]]
    assert len(cubes.rows) == 97  # its first transaction's items (the marker and two plans beside them)
    # When the stream hands back only its first half (bisect on error), the range is finished from
    # its plans, and the rest of it is marked where the half ended
    assert apply_stream_batch(records[:125], stats) == []
    assert len(cubes.rows) == 256
    assert len(log.all()) == 125
    # And the second half, delivered with more records after it, counts only the new ones
    assert apply_stream_batch(records[125:], stats) == []
    assert cubes.totals()["clicks"] == 300
    assert len(log.all()) == 300
    assert all(values["clicks"] == 1 for key, values in cubes.rows.items() if key.dimension == "offer")
    assert cubes.calls == 2 + 2 + 1  # the failed attempt, the two chunks left, the 50 new clicks


def test_a_batch_applied_before_its_worker_died_counts_once_when_redelivered_in_halves() -> None:
    """The outside review's crash: the batch went in, the worker was killed before it answered, and
    Lambda bisected the batch; each half must find its records applied."""
    cubes, log, stats = stores()
    records = [click_record(i, offer=f"O{i % 7}") for i in range(100)]
    assert apply_stream_batch(records, stats) == []  # applied; the answer never reached Lambda
    for half in (records[:50], records[50:75], records[75:], records[50:]):
        assert apply_stream_batch(half, stats) == []
    assert cubes.totals()["clicks"] == 100
    assert len(log.all()) == 100


def test_a_failed_click_log_write_retries_the_chunk_without_counting_it_twice() -> None:
    class Flaky(FakeClickLog):
        failures = 1

        def write(self, clicks: Any, token: str, expires_at: int) -> int:
            if self.failures:
                self.failures -= 1
                raise ConnectionError("throttled")
            return super().write(clicks, token, expires_at)

    cubes, log = FakeCubes(), Flaky()
    batch = [click_record(i) for i in range(5)]
    assert len(apply_stream_batch(batch, StatsStores(cubes, log))) == 5
    assert cubes.totals() == {"clicks": 5}  # the cubes went in; the log did not
    assert apply_stream_batch(batch, StatsStores(cubes, log)) == []
    assert cubes.totals() == {"clicks": 5}
    assert len(log.all()) == 5


def test_a_range_is_named_by_its_first_record_whatever_batch_brings_it() -> None:
    first, second = stores(), stores()
    apply_stream_batch([click_record(1), click_record(2)], first[2])
    apply_stream_batch([click_record(1), click_record(2), click_record(3)], second[2])
    assert list(first[0].markers) == list(second[0].markers) == [token_of("e1")]
    assert len(token_of("e1")) <= 32
    assert second[0].markers[token_of("e1")].records == ("e1", "e2", "e3")


def test_bots_and_phones_are_told_apart_by_the_orchestrator() -> None:
    cubes, _, stats = stores()
    apply_stream_batch(
        [
            click_record(1, ua=IPHONE),
            click_record(2, ua="Googlebot/2.1 (+http://www.google.com/bot.html)"),
            click_record(3, ua="curl/8.0"),
        ],
        stats,
    )
    devices = {k.value: v["clicks"] for k, v in cubes.rows.items() if k.dimension == "device"}
    assert devices == {"bot": 2, "mobile": 1}


def sources(cubes: FakeCubes, log: FakeClickLog, conversions: list[dict[str, Any]]) -> Sources:
    events = [converted_event(Conversion.from_item(image)) for image in conversions]
    return Sources(
        cubes,
        log,
        lambda advertiser, first, last, affiliate: [
            e
            for e in events
            if first <= f"{e.facts.at:%Y-%m-%dT%H:%M:%S.000Z}" <= last
            and affiliate in (None, e.facts.affiliate)
        ],
    )


def test_reports_group_filter_and_total_from_the_cubes_and_from_the_raw_events_alike() -> None:
    cubes, log, stats = stores()
    sale = conversion_image(4, "sale", 1250, 2000)
    apply_stream_batch(
        [
            click_record(1, country="DE", sub1="blog"),
            click_record(2, country="FR"),
            click_record(3, at="2026-11-28T01:00:00.000Z", sub1="blog"),
            stream_record("4", "e4", "INSERT", "conversions", sale),
        ],
        stats,
    )
    source = sources(cubes, log, [sale])
    by_day = build_report(
        source, [ADVERTISER], StatsRequest(date(2026, 11, 27), date(2026, 11, 28), UTC, "day")
    )
    assert [(r.key, r.clicks, r.sales) for r in by_day.rows.values()] == [
        ("2026-11-27", 2, 1),
        ("2026-11-28", 1, 0),
    ]
    assert (by_day.totals.clicks, by_day.totals.revenue, by_day.totals.payout) == (
        3,
        {"USD": 2000},
        {"USD": 1250},
    )
    fr = build_report(
        source,
        [ADVERTISER],
        parse_request(date(2026, 11, 27), date(2026, 11, 27), "UTC", "country", {"country": "fr"}),
    )
    assert [(r.key, r.clicks) for r in fr.rows.values()] == [("FR", 1)]
    # Two filters and a sub-id grouping come from the raw events
    blog = build_report(
        source,
        [ADVERTISER],
        parse_request(
            date(2026, 11, 27), date(2026, 11, 28), "UTC", "sub1", {"country": "DE", "offer": OFFER}
        ),
    )
    assert {k: (r.clicks, r.sales) for k, r in blog.rows.items()} == {"blog": (2, 1)}
    one_click = build_report(
        source,
        [ADVERTISER],
        parse_request(date(2026, 11, 27), date(2026, 11, 28), "UTC", "none", {}, click_id="c4"),
    )
    assert (one_click.totals.clicks, one_click.totals.sales) == (0, 1)
    by_advertiser = build_report(
        source, [ADVERTISER, "ADV2"], StatsRequest(date(2026, 11, 27), date(2026, 11, 28), UTC, "advertiser")
    )
    assert {k: r.clicks for k, r in by_advertiser.rows.items()} == {ADVERTISER: 3}


def test_requests_name_every_mistake() -> None:
    day = date(2026, 11, 27)
    with pytest.raises(ValidationFailed, match="time zone"):
        parse_request(day, day, "Mars/Olympus", "day", {})
    with pytest.raises(ValidationFailed, match="group_by"):
        parse_request(day, day, "UTC", "weekday", {})
    with pytest.raises(ValidationFailed, match="unknown filters"):
        parse_request(day, day, "UTC", "day", {"planet": "x"})
    with pytest.raises(ValidationFailed):
        parse_request(date(2026, 2, 1), date(2026, 1, 1), "UTC", "day", {})
    with pytest.raises(ValidationFailed):
        parse_request(date(2025, 1, 1), date(2026, 6, 1), "UTC", "day", {})


def test_rows_sort_by_key_counters_and_derived_metrics() -> None:
    report = build_report(
        sources(FakeCubes(), FakeClickLog(), []),
        [],
        StatsRequest(date(2026, 1, 1), date(2026, 1, 1), UTC, "offer"),
    )
    a, b = StatsRow("a", clicks=10, sales=1), StatsRow("b", clicks=5, sales=1)
    a.payout, b.payout = {"USD": 100}, {"USD": 300}
    report.rows = {"a": a, "b": b}
    report.totals.payout = {"USD": 400}
    assert [r.key for r in sorted_rows(report, "offer", None, None)] == ["a", "b"]  # clicks, most first
    assert [r.key for r in sorted_rows(report, "offer", "cr", None)] == ["b", "a"]
    assert [r.key for r in sorted_rows(report, "offer", "payout", False)] == ["a", "b"]
    assert [r.key for r in sorted_rows(report, "day", None, None)] == ["a", "b"]
    with pytest.raises(ValidationFailed):
        sorted_rows(report, "offer", "mood", None)


def test_derived_metrics_are_defined_once() -> None:
    row = StatsRow("x", clicks=200, leads=3, sales=2, rejected=4)
    row.revenue, row.payout = {"USD": 10_000, "EUR": 500}, {"USD": 4_000}
    derived = derive(row)
    assert derived.conversions == 5
    assert derived.cr == 2.5
    assert derived.epc == {"USD": 20.0}
    assert derived.profit == {"EUR": 500, "USD": 6_000}
    assert derived.roi == {"EUR": None, "USD": 150.0}
    assert derive(StatsRow("empty")).cr is None


def test_each_role_sees_only_its_own_statistics() -> None:
    owner = Principal("u1", Role.OWNER)
    support = Principal("u5", Role.SUPPORT)
    advertiser = Principal("u2", Role.ADVERTISER, advertiser_id=ADVERTISER)
    affiliate = Principal("u3", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id=AFFILIATE)
    no_context = Principal("u4", Role.AFFILIATE, affiliate_id=AFFILIATE)
    assert visible_scope(owner, "ADV2") == StatsScope("ADV2", None, sees_revenue=True)
    assert visible_scope(owner, None) == StatsScope(None, None, sees_revenue=True)
    assert visible_scope(support, None) == StatsScope(None, None, sees_revenue=True)
    assert visible_scope(advertiser, None) == StatsScope(ADVERTISER, None, sees_revenue=True)
    assert visible_scope(affiliate, None, AFFILIATE) == StatsScope(ADVERTISER, AFFILIATE, sees_revenue=False)
    for forbidden in [
        (advertiser, "ADV2", None),
        (affiliate, "ADV2", None),
        (affiliate, None, "other"),
        (no_context, None, None),
    ]:
        with pytest.raises(Forbidden):
            visible_scope(*forbidden)
    request = StatsRequest(
        date(2026, 1, 1), date(2026, 1, 1), UTC, "offer", (("affiliate", "other"), ("country", "DE"))
    )
    assert request.within(visible_scope(affiliate, None)).filters == (
        ("affiliate", AFFILIATE),
        ("country", "DE"),
    )
    assert may_inspect(affiliate, ADVERTISER, AFFILIATE)
    assert not may_inspect(affiliate, ADVERTISER, "other")
    assert may_inspect(owner, "ADV2", "x")
    assert not may_inspect(advertiser, "ADV2", "x")
    assert not may_inspect(no_context, ADVERTISER, AFFILIATE)


def test_a_rare_filter_pages_through_a_long_range_within_a_budget() -> None:
    from partnerka.stats.logs import click_page

    _, log, stats = stores()
    at = "2026-11-{:02d}T10:00:00.000Z"
    records = [click_record(n, at=at.format(n), sub1="rare" if n == 2 else "common") for n in range(1, 8)]
    apply_stream_batch(records, stats)
    request = parse_request(date(2026, 11, 1), date(2026, 11, 30), "UTC", "none", {"sub1": "rare"})
    found, cursor, pages = [], None, 0
    while True:
        page, cursor = click_page(log, [ADVERTISER], request, cursor, limit=10, budget=2)
        found += [click.click_id for click in page]
        pages += 1
        if cursor is None:
            break
    assert found == ["c2"]
    assert pages == 4  # 7 clicks looked at, 2 per page, and the last page says there is no more
    everything, none_left = click_page(log, [ADVERTISER], replace(request, filters=()), None, limit=3)
    assert [c.click_id for c in everything] == ["c7", "c6", "c5"]
    rest, none_left = click_page(log, [ADVERTISER], replace(request, filters=()), none_left, limit=10)
    assert ([c.click_id for c in rest], none_left) == (["c4", "c3", "c2", "c1"], None)
