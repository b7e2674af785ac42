"""Each stream record is decoded once, at the orchestrator's edge, into the typed event of the context
that owns the data; the orchestrator routes that event to postbacks, finance and the statistics'
projection (on fakes)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from partnerka.common.clock import utc_now
from partnerka.conversions.events import ConversionChanged
from partnerka.conversions.models import ConversionStatus
from partnerka.finance.dispatch import FinanceDispatcher
from partnerka.finance.service import FinanceEvent, FinanceEventKind
from partnerka.operations.models import OperationStatus
from partnerka.orchestrator.records import decode_record
from partnerka.orchestrator.service import run_batch
from partnerka.postbacks.dispatch import PostbackDispatcher
from partnerka.postbacks.models import PostbackEvent, PostbackSettings
from partnerka.postbacks.repository import DeliveryRepository
from partnerka.stats.projection import StatsStores
from partnerka.tracking.events import ClickRecorded
from tests.stream_records import raw_record, stream_record
from tests.unit.fakes import ADVERTISER, AFFILIATE, OFFER, FakeClickLog, FakeCubes, FakeOperations, FakeQueue

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


def click_image(n: int, **changes: Any) -> dict[str, Any]:
    return {
        "click_id": f"c{n}",
        "offer_id": OFFER,
        "affiliate_id": AFFILIATE,
        "advertiser_id": ADVERTISER,
        "ip": "95.24.1.1",
        "country": "DE",
        "ua": CHROME,
        "created_at": f"2026-11-27T16:{n:02d}:00.000Z",
        "expires_at": 1_900_000_000,
        "sub1": "blog",
        **changes,
    }


def conversion_image(n: int, **changes: Any) -> dict[str, Any]:
    return {
        "pk": f"ADV#{ADVERTISER}#O#{OFFER}#G#sale#TXN#t{n}",
        "conversion_id": f"v{n}",
        "click_id": f"c{n}",
        "offer_id": OFFER,
        "affiliate_id": AFFILIATE,
        "advertiser_id": ADVERTISER,
        "goal": "sale",
        "status": "hold",
        "payout_minor": 1250,
        "revenue_minor": 2000,
        "currency": "USD",
        "created_at": "2026-11-27T17:30:00.000Z",
        "updated_at": "2026-11-27T17:30:00.000Z",
        "country": "DE",
        "ua": CHROME,
        **changes,
    }


def test_a_click_record_becomes_one_typed_click_event() -> None:
    record = stream_record("1", "e1", "INSERT", "clicks", click_image(5))
    assert isinstance(record.event, ClickRecorded)
    click = record.event.click
    assert (click.click_id, click.affiliate_id, click.user_agent) == ("c5", AFFILIATE, CHROME)
    assert click.created_at == datetime(2026, 11, 27, 16, 5, tzinfo=UTC)
    assert (click.expires_at, click.subs, click.reason) == (1_900_000_000, {"sub1": "blog"}, None)


def test_a_conversion_change_carries_what_it_was_and_when_it_changed() -> None:
    old = conversion_image(1)
    new = conversion_image(1, status="approved", updated_at="2026-11-30T09:00:00.000Z")
    record = stream_record("2", "e2", "MODIFY", "conversions", new, old)
    assert isinstance(record.event, ConversionChanged)
    assert record.event.before is not None
    assert (record.event.before.status, record.event.conversion.status) == (
        ConversionStatus.HOLD,
        ConversionStatus.APPROVED,
    )
    assert (record.event.arrival, record.event.status_changed) == (False, True)
    assert record.event.at == datetime(2026, 11, 30, 9, tzinfo=UTC)
    arrival = stream_record("3", "e3", "INSERT", "conversions", old).event
    assert isinstance(arrival, ConversionChanged)
    assert (arrival.arrival, arrival.at) == (True, datetime(2026, 11, 27, 17, 30, tzinfo=UTC))


def test_expiries_and_other_tables_tell_no_one_anything() -> None:
    expired = stream_record("4", "e4", "REMOVE", "clicks", None, click_image(1))
    other = stream_record("5", "e5", "INSERT", "unknown", click_image(2))
    assert (expired.event, expired.problem, other.event, other.problem) == (None, "", None, "")


def test_a_number_or_a_set_where_text_belongs_parks_the_record_naming_the_attribute() -> None:
    # Given a click whose address came as a number and whose sub1 as a string set (a broken writer)
    raw = raw_record("6", "e6", "INSERT", "clicks", click_image(6))
    raw["dynamodb"]["NewImage"]["ip"] = {"N": "1601562881"}
    raw["dynamodb"]["NewImage"]["sub1"] = {"SS": ["a", "b"]}
    # When it is decoded
    record = decode_record(raw, lambda arn: "clicks")
    # Then it is parked with both attributes named, before any consumer sees it
    assert record.event is None
    assert "ip" in record.problem
    assert "sub1" in record.problem
    # And a conversion whose currency came as a number is parked alike
    raw = raw_record("7", "e7", "INSERT", "conversions", conversion_image(7))
    raw["dynamodb"]["NewImage"]["currency"] = {"N": "840"}
    conversion = decode_record(raw, lambda arn: "conversions")
    assert conversion.event is None
    assert "currency" in conversion.problem


def test_one_decoded_batch_reaches_postbacks_finance_and_statistics() -> None:
    # Given an affiliate who asked for click and sale postbacks
    wants = PostbackSettings(
        AFFILIATE, url="https://t.example/pb?c={click_id}", events=frozenset(PostbackEvent)
    )
    operations, postback_queue = FakeOperations(), FakeQueue()
    dispatcher = PostbackDispatcher(
        lambda affiliates: {AFFILIATE: wants} if AFFILIATE in affiliates else {},
        DeliveryRepository(operations),
        postback_queue.send,
        utc_now,
    )
    sent: list[tuple[str, str, str]] = []
    finance = FinanceDispatcher(
        lambda bodies, groups, ids: sent.extend(zip(bodies, groups, ids, strict=True))
    )
    cubes, log = FakeCubes(), FakeClickLog()
    # And a batch: a click, a refused click, a sale, a poison record, the sale's approval, an expiry
    sale = conversion_image(1)
    poison = raw_record("0004", "e4", "INSERT", "clicks", click_image(4))
    del poison["dynamodb"]["NewImage"]["created_at"]
    records = [
        stream_record("0001", "e1", "INSERT", "clicks", click_image(1)),
        stream_record("0002", "e2", "INSERT", "clicks", click_image(2, reason="geo_blocked")),
        stream_record("0003", "e3", "INSERT", "conversions", sale),
        decode_record(poison, lambda arn: "clicks"),
        stream_record("0005", "e5", "MODIFY", "conversions", {**sale, "status": "approved"}, sale),
        stream_record("0006", "e6", "REMOVE", "clicks", None, click_image(1)),
    ]
    # When the orchestrator runs it
    assert run_batch(records, StatsStores(cubes, log), None, dispatcher, operations, finance=finance) == []
    # Then the affiliate is told of the click, the sale and its approval (not of the refused click)
    deliveries = sorted(op.op_id for op in operations.items.values() if op.type.value == "postback")
    assert deliveries == ["c1.click", "v1.approved", "v1.sale"]
    assert len(postback_queue.bodies) == 3
    # And finance gets its own messages, in order, in the affiliate account's group
    assert [(group, message_id) for _, group, message_id in sent] == [
        (f"{ADVERTISER}#{AFFILIATE}", "v1.arrival"),
        (f"{ADVERTISER}#{AFFILIATE}", "v1.approval"),
    ]
    first = FinanceEvent.from_message(sent[0][0])
    assert (first.kind, first.money.payout_minor, first.money.revenue_minor) == (
        FinanceEventKind.ARRIVAL,
        1250,
        2000,
    )
    # And statistics count each event once; the poison record is parked and keeps its place
    assert cubes.totals() == {
        "clicks": 1,
        "blocked": 1,
        "refused_geo_blocked": 1,
        "sales": 1,
        "revenue_USD": 2000,
        "payout_USD": 1250,
    }
    (marker,) = cubes.markers.values()
    assert marker.records == ("e1", "e2", "e3", "e4", "e5", "e6")
    (parked,) = [op for op in operations.items.values() if op.subject_type == "record"]
    assert parked.status is OperationStatus.FAILED
    assert "created_at" in parked.last_error
    assert json.loads(parked.payload)["eventID"] == "e4"
