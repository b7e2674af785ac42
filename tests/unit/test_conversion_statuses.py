from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from partnerka.common.errors import ValidationFailed
from partnerka.conversions.models import ConversionStatus, PostbackRequest
from partnerka.conversions.service import (
    ClickExpired,
    ClickNotFound,
    decide,
    hold_months,
    record_conversion,
    release_holds,
    txn_ids_from_csv,
)
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.models import ClickRequest
from partnerka.tracking.repository import PostbackRules
from partnerka.tracking.service import record_click
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeCaps,
    FakeClicks,
    FakeConversions,
    FakeRoutes,
    affiliate_route,
    offer_route,
)

CLICKED = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"


def world(
    clicked: datetime = CLICKED, **offer: object
) -> tuple[FakeRoutes, FakeClicks, FakeConversions, str]:
    routes, clicks = FakeRoutes([offer_route(**offer)], [affiliate_route()]), FakeClicks()
    request = ClickRequest(OFFER, AFFILIATE, {}, "203.0.113.9", BROWSER, "FR")
    outcome = record_click(
        request, routes, clicks, GeoLocator("/none"), clicked, ttl_days=60, caps=FakeCaps()
    )
    assert outcome.click is not None
    return routes, clicks, FakeConversions(), outcome.click.click_id


def send(w: tuple[FakeRoutes, FakeClicks, FakeConversions, str], at: datetime, **changes: object):  # type: ignore[no-untyped-def]
    routes, clicks, conversions, click_id = w
    values: dict[str, object] = {"click_id": click_id, "status": "sale", "secret": "s3cret", "txn_id": "T-1"}
    values.update(changes)
    return record_conversion(PostbackRequest(**values), clicks, routes, conversions, at)  # type: ignore[arg-type]


def test_a_conversion_waits_pending_or_on_hold_by_the_offers_hold_period() -> None:
    pending = world()
    send(pending, CLICKED + timedelta(hours=1))
    assert [c.status for c in pending[2].items.values()] == [ConversionStatus.PENDING]
    held = world(hold_days=7)
    send(held, CLICKED + timedelta(hours=1))
    (conversion,) = held[2].items.values()
    assert (conversion.status, conversion.hold_until) == (
        ConversionStatus.HOLD,
        CLICKED + timedelta(hours=1, days=7),
    )


def test_holds_are_released_when_they_end_but_not_those_under_review() -> None:
    w = world(hold_days=3, min_conversion_seconds=60)
    send(w, CLICKED + timedelta(seconds=5), txn_id="FAST")  # under a minute: review
    send(w, CLICKED + timedelta(hours=2), txn_id="SLOW")
    conversions = w[2]
    assert release_holds(conversions, CLICKED + timedelta(days=2)) == 0
    assert release_holds(conversions, CLICKED + timedelta(days=4)) == 1
    by_txn = {c.txn_id: c for c in conversions.items.values()}
    assert (by_txn["SLOW"].status, by_txn["FAST"].status, by_txn["FAST"].review) == (
        ConversionStatus.APPROVED,
        ConversionStatus.HOLD,
        True,
    )


def test_the_offers_attribution_window_is_enforced() -> None:
    w = world(attribution_days=7)
    with pytest.raises(ClickExpired):
        send(w, CLICKED + timedelta(days=8))
    assert send(w, CLICKED + timedelta(days=6)).outcome == "recorded"


@pytest.mark.parametrize(
    ("start", "to", "reason", "ok"),
    [
        (None, ConversionStatus.APPROVED, None, True),
        (None, ConversionStatus.REJECTED, "fraud", True),
        (ConversionStatus.APPROVED, ConversionStatus.REJECTED, "not_paid", True),  # a reversal
        (ConversionStatus.REJECTED, ConversionStatus.APPROVED, None, False),
    ],
)
def test_decisions_follow_the_allowed_transitions(start, to, reason, ok) -> None:  # type: ignore[no-untyped-def]
    w = world()
    result = send(w, CLICKED + timedelta(hours=1))
    conversions = w[2]
    if start is not None:
        decide(
            conversions,
            ADVERTISER,
            [result.conversion_id],
            [],
            start,
            "fraud" if start is ConversionStatus.REJECTED else None,
            CLICKED,
        )
    (decision,) = decide(
        conversions, ADVERTISER, [result.conversion_id], [], to, reason, CLICKED + timedelta(days=1)
    )
    assert decision.ok is ok
    assert next(iter(conversions.items.values())).status is (to if ok else start)


def test_a_rejection_needs_a_reason_and_another_tenants_conversion_is_not_found() -> None:
    w = world()
    result = send(w, CLICKED + timedelta(hours=1))
    with pytest.raises(ValidationFailed):
        decide(w[2], ADVERTISER, [result.conversion_id], [], ConversionStatus.REJECTED, None, CLICKED)
    (other,) = decide(
        w[2],
        "01JOTHER00000000000000000A",
        [result.conversion_id],
        [],
        ConversionStatus.APPROVED,
        None,
        CLICKED,
    )
    assert (other.ok, other.error) == (False, "not found")
    (by_txn,) = decide(w[2], ADVERTISER, [], ["T-1"], ConversionStatus.APPROVED, None, CLICKED)
    assert by_txn.ok


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("T-1\nT-2\n", ["T-1", "T-2"]),
        ("txn_id,amount\nT-1,10\nT-2,20\n", ["T-1", "T-2"]),
        ("amount,txn_id\n10,T-1\n\n20,T-2", ["T-1", "T-2"]),
        ("", []),
    ],
)
def test_transaction_ids_come_from_the_first_or_the_txn_id_column(text: str, ids: list[str]) -> None:
    assert txn_ids_from_csv(text) == ids


def test_the_pixel_may_rely_on_the_whitelist_instead_of_the_secret() -> None:
    w = world()
    with pytest.raises(ClickNotFound):
        send(w, CLICKED + timedelta(hours=1), secret="", secret_optional=True)  # no whitelist
    w[0].rules[ADVERTISER] = PostbackRules(("198.51.100.0/24",))
    assert (
        send(
            w, CLICKED + timedelta(hours=1), secret="", secret_optional=True, source_ip="198.51.100.4"
        ).outcome
        == "recorded"
    )


def test_conversions_over_a_cap_are_kept_rejected_with_cap_reached() -> None:
    from partnerka.offers.routing import Cap, CapMetric, CapPeriod

    w = world(
        caps=(Cap(CapMetric.CONVERSIONS, CapPeriod.DAY, 1), Cap(CapMetric.PAYOUT, CapPeriod.TOTAL, 100_00))
    )
    routes, clicks, conversions, click_id = w
    caps = FakeCaps()

    def post(txn: str):  # type: ignore[no-untyped-def]
        request = PostbackRequest(click_id=click_id, status="sale", secret="s3cret", txn_id=txn)
        return record_conversion(request, clicks, routes, conversions, CLICKED + timedelta(hours=1), caps)

    assert post("A").outcome == "recorded"
    assert post("A").outcome == "duplicate"  # a repeat spends no slot
    assert post("B").outcome == "recorded"
    by_txn = {c.txn_id: c for c in conversions.items.values()}
    assert (by_txn["A"].status, by_txn["B"].status, by_txn["B"].reason) == (
        ConversionStatus.PENDING,
        ConversionStatus.REJECTED,
        "cap_reached",
    )
    assert sum(caps.counts.values()) == 1 + 1250  # one conversion and its payout counted


MONTH_STARTS = [datetime(year, month, 1, tzinfo=UTC) for year in (2025, 2026) for month in range(1, 13)]


@pytest.mark.parametrize("first", MONTH_STARTS, ids=[f"{m:%Y-%m}" for m in MONTH_STARTS])
def test_a_hold_ending_in_the_month_before_is_released_at_every_month_boundary(first: datetime) -> None:
    """The release used to step back 31 days at a time from the 1st: in some months (March, May,
    July, October, December) it never read the month before, and those holds stayed forever."""
    ends = first - timedelta(minutes=1)  # the last minute of the month before
    w = world(ends - timedelta(days=4), hold_days=3)
    send(w, ends - timedelta(days=3), txn_id="LATE")
    (held,) = w[2].items.values()
    assert held.hold_until is not None
    assert f"{held.hold_until:%Y-%m}" == f"{ends:%Y-%m}"
    assert not held.review
    assert release_holds(w[2], first + timedelta(minutes=15)) == 1
    assert [c.status for c in w[2].items.values()] == [ConversionStatus.APPROVED]


@pytest.mark.parametrize("now", [m + timedelta(days=d) for m in MONTH_STARTS for d in (0, 27, 30)])
def test_the_months_read_are_fourteen_consecutive_calendar_months_ending_with_the_current(
    now: datetime,
) -> None:
    months = hold_months(now)
    assert len(months) == 14
    assert months[-1] == f"{now:%Y-%m}"
    for earlier, later in itertools.pairwise(months):
        year, month = map(int, earlier.split("-"))
        assert later == (f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}")
