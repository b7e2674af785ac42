"""What conversions and caps tell people: the orchestrator turns a stream batch's arrivals, approvals,
rejections and reversals, and its refusals over a cap, into notification events, once each however
often the batch runs, and never fails the batch when they cannot be queued."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from partnerka.common.clock import utc_now
from partnerka.conversions.cap_notices import CapWatch
from partnerka.conversions.notices import conversion_notice
from partnerka.notifications.events import Audience, EventType, QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.offers.routing import AccessRoute, Cap, CapMetric, CapPeriod
from partnerka.orchestrator.records import StreamRecord
from partnerka.orchestrator.service import run_batch
from partnerka.postbacks.dispatch import PostbackDispatcher
from partnerka.postbacks.repository import DeliveryRepository
from partnerka.tracking.service import cap_slots
from tests.stream_records import stream_record
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeCaps,
    FakeNotices,
    FakeOperations,
    FakeQueue,
    FakeRoutes,
    affiliate_route,
    fake_stats,
    offer_route,
)
from tests.unit.test_stream_events import click_image, conversion_image

DATA_KEYS = {"conversion_id", "offer_id", "goal", "payout", "currency", "click_id"}


def _batch(
    records: list[StreamRecord], notices: Any, caps: CapWatch | None = None, operations: Any = None
) -> list[str]:
    operations = operations or FakeOperations()
    dispatcher = PostbackDispatcher(lambda _: {}, DeliveryRepository(operations), FakeQueue().send, utc_now)
    return run_batch(records, fake_stats(), None, dispatcher, operations, notices=notices, caps=caps)


def _conversion_records() -> list[StreamRecord]:
    sale = conversion_image(1)
    approved = {**sale, "status": "approved", "updated_at": "2026-11-28T10:00:00.000Z"}
    reversed_ = {
        **approved,
        "status": "rejected",
        "reason": "fraud",
        "updated_at": "2026-11-29T10:00:00.000Z",
    }
    lead = conversion_image(2, goal="lead", payout_minor=300)
    refused = conversion_image(3, status="rejected", reason="duplicate_order")
    held = conversion_image(4)
    declined = {**held, "status": "rejected", "reason": "not_paid", "updated_at": "2026-11-30T10:00:00.000Z"}
    return [
        stream_record("1", "e1", "INSERT", "conversions", sale),
        stream_record("2", "e2", "MODIFY", "conversions", approved, sale),
        stream_record("3", "e3", "MODIFY", "conversions", reversed_, approved),
        stream_record("4", "e4", "INSERT", "conversions", lead),
        stream_record("5", "e5", "INSERT", "conversions", refused),
        stream_record("6", "e6", "MODIFY", "conversions", declined, held),
        # a change of money only tells no one
        stream_record("7", "e7", "MODIFY", "conversions", {**lead, "payout_minor": 400}, lead),
    ]


def test_each_step_of_a_conversion_is_told_once_under_its_own_id() -> None:
    # Given a batch with a sale, its approval and reversal, a lead, a refused and a declined conversion
    notices = FakeNotices()
    # When the orchestrator runs it twice (a redelivered batch)
    assert _batch(_conversion_records(), notices) == []
    first = list(notices.sent)
    _batch(_conversion_records(), notices)
    # Then each step is one event under the conversion's id and what happened, the same both times
    assert [(e.event_id, e.type) for e in first] == [
        ("v1.sale", EventType.CONVERSION_SALE),
        ("v1.approved", EventType.CONVERSION_APPROVED),
        ("v1.reversed", EventType.CONVERSION_REVERSED),
        ("v2.lead", EventType.CONVERSION_LEAD),
        ("v3.rejected", EventType.CONVERSION_REJECTED),
        ("v4.rejected", EventType.CONVERSION_REJECTED),
    ]
    assert [e.event_id for e in notices.sent[len(first) :]] == [e.event_id for e in first]
    sale, approved, reversal, lead, refused, declined = first
    # And an arrival goes to the affiliate and the advertiser's team, the rest to the affiliate only
    assert sale.audience == lead.audience == Audience(affiliate_id=AFFILIATE, advertiser_team=True)
    assert approved.audience == reversal.audience == Audience(affiliate_id=AFFILIATE)
    assert {e.advertiser_id for e in first} == {ADVERTISER}
    # And the data carries the money as a decimal string with its currency, and a rejection's reason
    assert sale.data == {
        "conversion_id": "v1",
        "offer_id": OFFER,
        "goal": "sale",
        "payout": "12.50",
        "currency": "USD",
        "click_id": "c1",
    }
    assert set(approved.data) == DATA_KEYS
    assert (lead.data["payout"], lead.data["goal"]) == ("3.00", "lead")
    assert (reversal.data["reason"], refused.data["reason"], declined.data["reason"]) == (
        "fraud",
        "duplicate_order",
        "not_paid",
    )
    assert reversal.occurred_at == datetime(2026, 11, 29, 10, tzinfo=UTC)


def test_a_conversion_with_no_affiliate_tells_no_one() -> None:
    record = stream_record("1", "e1", "INSERT", "conversions", conversion_image(1, affiliate_id="-"))
    assert record.event is not None
    assert conversion_notice(record.event) is None  # type: ignore[arg-type]


def test_a_queue_that_refuses_the_events_does_not_fail_the_batch() -> None:
    # Given a notify queue that refuses every message
    operations = FakeOperations()
    notices = QueuedNotices(Outbox(FakeQueue(refuses=True), operations))
    # When a batch with conversions runs
    failed = _batch(_conversion_records(), notices, operations=operations)
    # Then the batch is done, and each unsent event is on record as a failed notification
    assert failed == []
    unsent = sorted(op_id for op_id, op in operations.items.items() if op.type.value == "notify")
    assert "event.v1.sale" in unsent
    assert "event.v3.rejected" in unsent


def _capped_watch(caps: tuple[Cap, ...], own: tuple[Cap, ...] = ()) -> tuple[CapWatch, FakeCaps, FakeRoutes]:
    routes = FakeRoutes([offer_route(caps=caps)], [affiliate_route()])
    routes.access[(OFFER, AFFILIATE)] = AccessRoute(OFFER, AFFILIATE, caps=own)
    counters = FakeCaps()
    return CapWatch(routes, counters), counters, routes


def _refused_clicks(*numbers: int) -> list[StreamRecord]:
    return [
        stream_record(str(n), f"e{n}", "INSERT", "clicks", click_image(n, reason="cap_reached"))
        for n in numbers
    ]


def test_a_click_refused_over_the_offers_cap_tells_the_team_once_a_period() -> None:
    # Given an offer capped at 100 clicks a day, and a storm of clicks refused over it
    watch, counters, _ = _capped_watch((Cap(CapMetric.CLICKS, CapPeriod.DAY, 100),))
    notices = FakeNotices()
    # When two batches of them run, on one instance
    _batch(_refused_clicks(1, 2, 3), notices, watch)
    _batch(_refused_clicks(4, 5), notices, watch)
    # Then the team hears once, for that day's cap, folded by the offer
    [event] = notices.of_type(EventType.CAP_REACHED)
    assert event.event_id == f"cap.{OFFER}.clicks.2026-11-27"
    assert (event.advertiser_id, event.audience) == (ADVERTISER, Audience(advertiser_team=True))
    assert event.data == {"offer_id": OFFER, "cap": "clicks", "period": "day", "limit": 100}
    assert event.fold_key == f"cap.{OFFER}"
    # And one cap on the metric needs no counter read; a click refused for another reason tells nothing
    assert counters.reads == 0
    _batch(
        [stream_record("9", "e9", "INSERT", "clicks", click_image(9, reason="geo_blocked"))], notices, watch
    )
    assert len(notices.sent) == 1


def test_a_conversion_over_the_affiliates_own_payout_cap_names_that_cap_and_tells_the_affiliate() -> None:
    # Given an offer with a monthly conversions cap with room, and the affiliate's own payout cap full
    watch, counters, _ = _capped_watch(
        (Cap(CapMetric.CONVERSIONS, CapPeriod.MONTH, 1000),),
        own=(Cap(CapMetric.PAYOUT, CapPeriod.TOTAL, 5000),),
    )
    at = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
    offer = offer_route(caps=(Cap(CapMetric.CONVERSIONS, CapPeriod.MONTH, 1000),))
    own = AccessRoute(OFFER, AFFILIATE, caps=(Cap(CapMetric.PAYOUT, CapPeriod.TOTAL, 5000),))
    [conversions] = cap_slots(offer, own, CapMetric.CONVERSIONS, at)
    [payout] = cap_slots(offer, own, CapMetric.PAYOUT, at)
    counters.counts[(conversions.pk, conversions.sk)] = 10
    counters.counts[(payout.pk, payout.sk)] = 4000
    notices = FakeNotices()
    # When a conversion of 12.50 is stored rejected over a cap
    refused = conversion_image(1, status="rejected", reason="cap_reached")
    _batch([stream_record("1", "e1", "INSERT", "conversions", refused)], notices, watch)
    # Then the affiliate's payout cap is the one told, to the team and the affiliate
    [event] = notices.of_type(EventType.CAP_REACHED)
    assert event.event_id == f"cap.{OFFER}.payout.all.{AFFILIATE}"
    assert event.audience == Audience(affiliate_id=AFFILIATE, advertiser_team=True)
    assert (event.data["cap"], event.data["period"], event.data["limit"]) == ("payout", "total", 5000)
    assert counters.reads == 1
    # And the conversion's own rejection is told as well
    assert [e.event_id for e in notices.of_type(EventType.CONVERSION_REJECTED)] == ["v1.rejected"]


def test_a_cap_that_cannot_be_read_is_told_by_a_later_refusal_and_the_batch_goes_on() -> None:
    # Given routes that cannot be read for now
    watch, _, routes = _capped_watch((Cap(CapMetric.CLICKS, CapPeriod.DAY, 100),))
    broken = {"down": True}

    def conversion_routes(*args: Any, **kwargs: Any) -> Any:
        if broken["down"]:
            raise ConnectionError("the core table cannot be reached")
        return FakeRoutes.conversion_routes(routes, *args, **kwargs)

    routes.conversion_routes = conversion_routes  # type: ignore[method-assign]
    notices = FakeNotices()
    # When a refused click comes, then another once the table is back
    assert _batch(_refused_clicks(1), notices, watch) == []
    assert notices.sent == []
    broken["down"] = False
    _batch(_refused_clicks(2), notices, watch)
    # Then the cap is told then
    assert [e.type for e in notices.sent] == [EventType.CAP_REACHED]
