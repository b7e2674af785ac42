from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden, ValidationFailed
from partnerka.orchestrator.service import StreamRecord, aggregate, chunks_for_transactions, contribution_of
from partnerka.orchestrator.streams import apply_stream_batch
from partnerka.stats.models import GroupBy
from partnerka.stats.repository import MAX_KEYS_PER_TRANSACTION
from partnerka.stats.service import StatsFilter, build_report, visible_scope
from tests.unit.fakes import ADVERTISER, AFFILIATE, OFFER, FakeRollups

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
)


def click_record(
    seq: int, at: str = "2026-11-27T16:05:00.000Z", ua: str = CHROME, offer: str = OFFER, country: str = "DE"
) -> StreamRecord:
    image = {
        "click_id": f"c{seq}",
        "advertiser_id": ADVERTISER,
        "offer_id": offer,
        "affiliate_id": AFFILIATE,
        "country": country,
        "ua": ua,
        "created_at": at,
    }
    return StreamRecord(f"{seq:021d}", f"e{seq}", "INSERT", "clicks", image)


def conversion_record(
    seq: int, goal: str, payout: int, revenue: int, currency: str = "USD", status: str = "pending"
) -> StreamRecord:
    image: dict[str, Any] = {
        "pk": f"k{seq}",
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
    }
    return StreamRecord(f"{seq:021d}", f"e{seq}", "INSERT", "conversions", image)


def test_a_batch_of_clicks_on_one_row_becomes_one_aggregated_add() -> None:
    rollups = FakeRollups()
    failed = apply_stream_batch([click_record(i) for i in range(50)], rollups)
    assert failed == []
    assert rollups.calls == 1
    ((key, values),) = rollups.rows.items()
    assert values == {"clicks": 50}
    assert (key.hour, key.country, key.device) == ("2026-11-27T16", "DE", "desktop")


def test_conversions_add_counts_and_money_per_currency() -> None:
    rollups = FakeRollups()
    apply_stream_batch(
        [
            conversion_record(1, "sale", 1250, 2000),
            conversion_record(2, "lead", 0, 0),
            conversion_record(3, "sale", 0, 0, status="rejected"),
            conversion_record(4, "sale", 500, 900, "EUR"),
        ],
        rollups,
    )
    (values,) = rollups.rows.values()
    assert values == {
        "sales": 2,
        "leads": 1,
        "rejected": 1,
        "revenue_USD": 2000,
        "payout_USD": 1250,
        "revenue_EUR": 900,
        "payout_EUR": 500,
    }


def test_expiries_and_approvals_add_nothing() -> None:
    removed = StreamRecord("1", "e1", "REMOVE", "clicks", None)
    pending = conversion_record(2, "sale", 1, 1).new_image
    approved = {**(pending or {}), "status": "approved"}
    assert contribution_of(removed) is None
    assert contribution_of(StreamRecord("2", "e2", "MODIFY", "conversions", approved, pending)) is None


def test_a_later_rejection_moves_the_conversion_from_its_goal_to_rejected_in_its_own_hour() -> None:
    rollups = FakeRollups()
    sale = conversion_record(1, "sale", 1250, 2000)
    rejected = {**(sale.new_image or {}), "status": "rejected", "reason": "fraud"}
    apply_stream_batch(
        [sale, StreamRecord("2", "e2", "MODIFY", "conversions", rejected, sale.new_image)], rollups
    )
    (values,) = rollups.rows.values()
    assert values == {"sales": 0, "rejected": 1, "revenue_USD": 0, "payout_USD": 0}


def test_chunks_keep_order_and_fit_a_transaction() -> None:
    records = [click_record(i, offer=f"O{i}") for i in range(250)]
    chunks = chunks_for_transactions(records, max_keys=100)
    assert [len(c) for c in chunks] == [100, 100, 50]
    assert [r for c in chunks for r in c] == records
    assert all(len(aggregate(contribution_of(r) for r in c)) <= 100 for c in chunks)  # type: ignore[misc]


def test_a_failed_chunk_asks_to_retry_from_its_first_record_and_keeps_earlier_chunks() -> None:
    # Given 150 clicks on distinct rows (two transactions) and a store that fails the second
    records = [click_record(i, offer=f"O{i}") for i in range(150)]
    rollups = FakeRollups(fail_on_call=2)
    first_chunk = MAX_KEYS_PER_TRANSACTION
    # When the batch is applied
    failed = apply_stream_batch(records, rollups)
    # Then the first chunk is counted once and the retry starts right after it
    assert failed[0] == records[first_chunk].sequence_number
    assert len(failed) == 150 - first_chunk
    assert sum(v["clicks"] for v in rollups.rows.values()) == first_chunk
    # And the retry of the rest completes the count without double counting
    assert apply_stream_batch(records[first_chunk:], rollups) == []
    assert sum(v["clicks"] for v in rollups.rows.values()) == 150


def test_same_records_give_the_same_idempotency_token() -> None:
    first, second = FakeRollups(), FakeRollups()
    apply_stream_batch([click_record(1), click_record(2)], first)
    apply_stream_batch([click_record(1), click_record(2)], second)
    assert first.tokens == second.tokens
    assert len(first.tokens[0]) <= 36


def test_bots_and_phones_are_told_apart_by_the_orchestrator() -> None:
    rollups = FakeRollups()
    apply_stream_batch(
        [
            click_record(1, ua=IPHONE),
            click_record(2, ua="Googlebot/2.1 (+http://www.google.com/bot.html)"),
            click_record(3, ua="curl/8.0"),
        ],
        rollups,
    )
    assert sorted((k.device, v["clicks"]) for k, v in rollups.rows.items()) == [("bot", 2), ("mobile", 1)]


def test_report_groups_filters_and_totals() -> None:
    rollups = FakeRollups()
    apply_stream_batch(
        [
            click_record(1, country="DE"),
            click_record(2, country="FR"),
            click_record(3, at="2026-11-28T01:00:00.000Z"),
            conversion_record(4, "sale", 1250, 2000),
        ],
        rollups,
    )
    by_day = build_report(
        rollups, ADVERTISER, date(2026, 11, 27), date(2026, 11, 28), GroupBy.DAY, StatsFilter()
    )
    assert [(r.key, r.clicks, r.sales) for r in by_day.rows] == [("2026-11-27", 2, 1), ("2026-11-28", 1, 0)]
    assert (by_day.totals.clicks, by_day.totals.revenue, by_day.totals.payout) == (
        3,
        {"USD": 2000},
        {"USD": 1250},
    )
    only_fr = build_report(
        rollups,
        ADVERTISER,
        date(2026, 11, 27),
        date(2026, 11, 27),
        GroupBy.COUNTRY,
        StatsFilter(country="fr"),
    )
    assert [(r.key, r.clicks) for r in only_fr.rows] == [("FR", 1)]


def test_report_refuses_reversed_or_too_long_ranges() -> None:
    with pytest.raises(ValidationFailed):
        build_report(
            FakeRollups(), ADVERTISER, date(2026, 2, 1), date(2026, 1, 1), GroupBy.DAY, StatsFilter()
        )
    with pytest.raises(ValidationFailed):
        build_report(
            FakeRollups(), ADVERTISER, date(2025, 1, 1), date(2026, 6, 1), GroupBy.DAY, StatsFilter()
        )


def test_each_role_sees_only_its_own_statistics() -> None:
    owner = Principal("u1", Role.OWNER)
    advertiser = Principal("u2", Role.ADVERTISER, advertiser_id=ADVERTISER)
    affiliate = Principal("u3", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id=AFFILIATE)
    no_context = Principal("u4", Role.AFFILIATE, affiliate_id=AFFILIATE)
    assert visible_scope(owner, "ADV2", StatsFilter()) == ("ADV2", StatsFilter())
    with pytest.raises(ValidationFailed):
        visible_scope(owner, None, StatsFilter())
    assert visible_scope(advertiser, None, StatsFilter()) == (ADVERTISER, StatsFilter())
    with pytest.raises(Forbidden):
        visible_scope(advertiser, "ADV2", StatsFilter())
    assert visible_scope(affiliate, None, StatsFilter(offer_id=OFFER)) == (
        ADVERTISER,
        StatsFilter(offer_id=OFFER, affiliate_id=AFFILIATE),
    )
    for forbidden in [
        (affiliate, "ADV2", StatsFilter()),
        (affiliate, None, StatsFilter(affiliate_id="other")),
        (no_context, None, StatsFilter()),
    ]:
        with pytest.raises(Forbidden):
            visible_scope(*forbidden)
