"""An affiliate hears that its postbacks fail: once a window when one URL fails at least half of at
least ten attempts in 15 minutes, and once per delivery given up for good; never at the cost of the
delivery's own outcome."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from partnerka.notifications.events import Audience, EventType, QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.operations.models import OperationStatus
from partnerka.operations.runner import AttemptResult
from partnerka.postbacks.failing import PostbackFailureWatch, url_hash
from partnerka.postbacks.models import Delivery, DeliveryFormat
from partnerka.postbacks.repository import DeliveryRepository
from partnerka.postbacks.sender import RETRY_DELAYS, DeliveryWorker
from tests.unit.fakes import FakeAttemptCounters, FakeClock, FakeNotices, FakeOperations, FakeQueue
from tests.unit.test_business_metrics import ScriptedSender
from tests.unit.test_postback_sender import Reads, queued_delivery

URL = "https://tracker.example/pb?click=c-1&token=s3cret"
MASKED = "https://tracker.example/pb?click=c-1&token=***"
START = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a window's start
FAILED = AttemptResult(ok=False, error_class="http_status", error="HTTP 500")
SENT = AttemptResult(ok=True)
HASH = url_hash(MASKED)


def delivery(operations: FakeOperations) -> tuple[Delivery, str]:
    body = queued_delivery(operations, URL, DeliveryFormat.GET, START)
    [operation] = operations.items.values()
    found = DeliveryRepository(operations).get(operation.op_id)
    assert found is not None
    return found, body


class Watched:
    def __init__(self) -> None:
        self.clock = FakeClock(START)
        self.counters = FakeAttemptCounters()
        self.notices = FakeNotices()
        self.watch = PostbackFailureWatch(self.counters, self.notices, self.clock.now)
        self.delivery, _ = delivery(FakeOperations())

    def attempts(self, *results: AttemptResult) -> None:
        for result in results:
            self.watch(self.delivery, result, 1, False)
            self.clock.at += timedelta(seconds=20)  # 45 attempts a window


def test_a_url_is_failing_from_ten_attempts_half_failed_and_is_told_once_a_window() -> None:
    watched = Watched()
    watched.attempts(*[FAILED] * 9)
    assert watched.notices.sent == []  # nine say too little

    watched.attempts(FAILED)
    [event] = watched.notices.sent
    assert event.type is EventType.POSTBACK_FAILING
    assert event.event_id == f"postback-rate.aff-1.{HASH}.2026-12-07T10:00:00.000Z"
    assert (event.advertiser_id, event.audience) == ("adv-1", Audience(affiliate_id="aff-1"))
    assert event.fold_key == f"postback.aff-1.{HASH}"
    assert event.data == {
        "url": MASKED,
        "reason": "failure_rate",
        "failures": 10,
        "attempts": 10,
        "window_minutes": 15,
        "last_error": "HTTP 500",
    }

    watched.attempts(*[FAILED] * 20)  # thirty in the window: still the one notice
    assert len(watched.notices.sent) == 1

    watched.clock.at = START + timedelta(minutes=15)  # the next window
    watched.attempts(*[FAILED] * 10)
    assert [e.event_id.rsplit(".", 2)[-2] for e in watched.notices.sent] == [
        "2026-12-07T10:00:00",
        "2026-12-07T10:15:00",
    ]


def test_half_failed_is_failing_and_less_is_not() -> None:
    watched = Watched()
    watched.attempts(*[SENT] * 6, *[FAILED] * 5)  # 5 of 11
    assert watched.notices.sent == []
    watched.attempts(FAILED)  # 6 of 12
    [event] = watched.notices.sent
    assert (event.data["failures"], event.data["attempts"]) == (6, 12)


def test_the_url_is_one_whatever_its_query() -> None:
    assert url_hash("https://tracker.example/pb?click=c-2") == HASH
    assert url_hash("https://tracker.example/other?click=c-1") != HASH


def sending_worker(
    answers: list[bool], watch: PostbackFailureWatch, clock: FakeClock, operations: FakeOperations
) -> DeliveryWorker:
    reads = Reads()
    return DeliveryWorker(
        operations, ScriptedSender(answers), FakeQueue(), reads.domains, reads.signing_secret, clock.now,
        random.Random(1), observer=watch,
    )  # fmt: skip


def test_a_delivery_given_up_tells_its_affiliate_once() -> None:
    clock, operations, notices = FakeClock(START), FakeOperations(), FakeNotices()
    made = len(RETRY_DELAYS) + 1
    watch = PostbackFailureWatch(FakeAttemptCounters(), notices, clock.now)
    worker = sending_worker([False] * made, watch, clock, operations)
    given_up, body = delivery(operations)

    while not worker.process("m1", body).done:
        assert notices.sent == []
        clock.at += timedelta(hours=12)
    assert worker.process("m1", body).done  # a copy of the message later

    [event] = notices.sent
    assert event.event_id == f"postback-failed.{given_up.delivery_id}"
    assert (event.type, event.advertiser_id, event.audience) == (
        EventType.POSTBACK_FAILING,
        "adv-1",
        Audience(affiliate_id="aff-1"),
    )
    assert event.fold_key == f"postback.aff-1.{HASH}"
    assert event.data == {
        "url": MASKED,
        "reason": "gave_up",
        "failures": made,
        "attempts": made,
        "last_error": "HTTP 500",
    }


def test_a_delivery_sent_at_last_tells_nothing() -> None:
    clock, operations, notices = FakeClock(START), FakeOperations(), FakeNotices()
    watch = PostbackFailureWatch(FakeAttemptCounters(), notices, clock.now)
    worker = sending_worker([False, True], watch, clock, operations)
    _, body = delivery(operations)
    while not worker.process("m1", body).done:
        clock.at += timedelta(hours=12)
    assert notices.sent == []


def test_a_delivery_ends_as_it_would_when_its_notice_cannot_go() -> None:
    # Given a worker whose failures are counted on an unreachable table and told to a refusing queue
    clock, operations, counters = FakeClock(START), FakeOperations(), FakeAttemptCounters()
    refused = FakeOperations()
    watch = PostbackFailureWatch(counters, QueuedNotices(Outbox(FakeQueue(refuses=True), refused)), clock.now)
    worker = sending_worker([False] * (len(RETRY_DELAYS) + 1), watch, clock, operations)
    given_up, body = delivery(operations)
    counters.down = True
    assert not worker.process("m1", body).done  # the first attempt retries, uncounted
    counters.down = False
    # When it runs out of attempts
    while not worker.process("m1", body).done:
        clock.at += timedelta(hours=12)
    # Then it failed as any delivery does, and the notice the queue refused is on record
    ended = DeliveryRepository(operations).get(given_up.delivery_id)
    assert ended is not None
    assert (ended.status, ended.attempts) == (OperationStatus.FAILED, len(RETRY_DELAYS) + 1)
    assert [op.op_id for op in refused.items.values()] == [f"event.postback-failed.{given_up.delivery_id}"]


def test_a_webhook_endpoints_deliveries_tell_no_postback_alert() -> None:
    """An endpoint's owner reads its own delivery log; a failing endpoint is not an affiliate's
    failing postback URL."""
    watched = Watched()
    request = replace(watched.delivery.request, endpoint_id="ep1", format=DeliveryFormat.WEBHOOK.value)
    watched.delivery = replace(watched.delivery, request=request)
    watched.attempts(*[FAILED] * 12)
    watched.watch(watched.delivery, FAILED, 6, True)
    assert watched.notices.sent == []
