"""The postback sender's worker against fakes: what an attempt needs is read before the attempt is
claimed, and an attempt whose send raises is logged and retried like any failed attempt."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from partnerka.operations.models import OperationStatus
from partnerka.postbacks.models import Delivery, DeliveryFormat, Destination, EventData, PostbackEvent
from partnerka.postbacks.repository import DeliveryRepository
from partnerka.postbacks.sender import RETRY_DELAYS, DeliveryWorker, HttpSender
from partnerka.postbacks.service import message_body, new_delivery
from tests.unit.fakes import FakeClock, FakeOperations, FakeQueue

PUBLIC = "93.184.215.14"
PRIVATE = "10.0.0.5"


@dataclass
class Reads:
    """The advertiser's domain whitelist and the affiliate's signing secret; the one named in
    `failing` cannot be read."""

    failing: str = ""

    def domains(self, advertiser_id: str) -> list[str]:
        if self.failing == "domains":
            raise ConnectionError("the settings table cannot be reached")
        return []

    def signing_secret(self, delivery: Delivery) -> str:
        if self.failing == "secret":
            raise RuntimeError(f"affiliate {delivery.affiliate_id} has no signing secret")
        return "whsec_" + "A" * 44


def resolving_to(address: str) -> HttpSender:
    def resolve(host: str, port: int) -> Sequence[str]:
        return [address]

    return HttpSender(resolver=resolve)


def queued_delivery(
    operations: FakeOperations, url: str, delivery_format: DeliveryFormat, at: datetime
) -> str:
    event = EventData(
        event_id="cv-1.sale",
        event=PostbackEvent.SALE,
        click_id="c-1",
        affiliate_id="aff-1",
        advertiser_id="adv-1",
        offer_id="off-1",
        occurred_at=at,
        conversion_id="cv-1",
    )
    delivery = new_delivery(event, Destination(url, delivery_format), at)
    assert DeliveryRepository(operations).create(delivery)
    return message_body(delivery.delivery_id)


@pytest.mark.parametrize(
    ("failing", "delivery_format"), [("domains", DeliveryFormat.GET), ("secret", DeliveryFormat.WEBHOOK)]
)
def test_a_failed_read_of_what_an_attempt_needs_is_not_an_attempt(
    failing: str, delivery_format: DeliveryFormat
) -> None:
    # Given a delivery whose advertiser's whitelist, or whose affiliate's signing secret, cannot
    # be read for now
    operations, dead, clock, reads = FakeOperations(), FakeQueue(), FakeClock(), Reads(failing)
    body = queued_delivery(operations, "https://tracker.example/pb", delivery_format, clock.at)
    worker = DeliveryWorker(
        operations, resolving_to(PRIVATE), dead, reads.domains, reads.signing_secret, clock.now
    )

    # When its message comes, the read fails the message (it comes back) and no attempt is used
    with pytest.raises((ConnectionError, RuntimeError)):
        worker.process("m1", body)
    (op,) = operations.items.values()
    assert (op.status, op.attempts, op.history) == (OperationStatus.PENDING, 0, ())
    assert dict(operations.counted) == {}

    # Then once the settings can be read, its first attempt is made
    reads.failing = ""
    outcome = worker.process("m1", body)
    (op,) = operations.items.values()
    assert (op.status, op.attempts) == (OperationStatus.RETRYING, 1)
    assert op.history[0].error_class == "unsafe_destination"
    assert not outcome.done


def test_an_attempt_whose_send_raises_is_logged_and_retried() -> None:
    # Given a delivery to a URL the HTTP client refuses to build (a control character in its path,
    # which the SSRF guard and the settings form let through)
    operations, dead, clock, reads = FakeOperations(), FakeQueue(), FakeClock(), Reads()
    body = queued_delivery(
        operations, "https://tracker.example/pb\x01?token=abc", DeliveryFormat.GET, clock.at
    )
    worker = DeliveryWorker(
        operations,
        resolving_to(PUBLIC),
        dead,
        reads.domains,
        reads.signing_secret,
        clock.now,
        random.Random(1),
    )

    # When its message comes
    outcome = worker.process("m1", body)

    # Then the attempt is in the log as failed, counted, and the next one waits its delay
    (op,) = operations.items.values()
    assert (op.status, op.attempts, len(op.history)) == (OperationStatus.RETRYING, 1, 1)
    attempt = op.history[0]
    assert (attempt.ok, attempt.error_class) == (False, "InvalidURL")
    assert op.next_attempt_at is not None
    assert RETRY_DELAYS[0] * 0.85 <= (op.next_attempt_at - clock.at).total_seconds() <= RETRY_DELAYS[0] * 1.15
    assert not outcome.done
    assert RETRY_DELAYS[0] * 0.85 <= outcome.wait_seconds <= RETRY_DELAYS[0] * 1.15 + 1
    assert dict(+operations.counted) == {"postback.attempts": 1, "postback.failures": 1}

    # And after its last attempt it is failed and dead-lettered
    while not operations.items[op.op_id].terminal:
        clock.at += timedelta(hours=12)
        worker.process("m1", body)
    op = operations.items[op.op_id]
    assert (op.status, op.attempts) == (OperationStatus.FAILED, len(RETRY_DELAYS) + 1)
    assert [json.loads(b) for b in dead.bodies] == [{"op_id": op.op_id, "reason": "out of attempts"}]


def test_a_suspended_advertisers_postback_is_failed_unsent_and_sent_on_replay_once_reactivated() -> None:
    # Given a delivery for an event of an advertiser the platform's staff suspended, to a receiver
    # that would answer (it is public, and nothing else stops it)
    operations, dead, clock, reads = FakeOperations(), FakeQueue(), FakeClock(), Reads()
    body = queued_delivery(operations, "https://tracker.example/pb", DeliveryFormat.GET, clock.at)
    suspended = {"adv-1"}
    seen: list[str] = []
    worker = DeliveryWorker(
        operations,
        resolving_to(PRIVATE),
        dead,
        reads.domains,
        reads.signing_secret,
        clock.now,
        observer=lambda delivery, result, number, last: seen.append(result.error_class),
        advertiser_suspended=lambda advertiser_id: advertiser_id in suspended,
    )

    # When its message comes
    outcome = worker.process("m1", body)

    # Then nothing is sent: the delivery fails at once with the reason, for a replay, and the
    # affiliate is not told its receiver is failing
    (op,) = operations.items.values()
    assert outcome.done
    assert (op.status, op.attempts) == (OperationStatus.FAILED, 1)
    assert op.history[0].error_class == "advertiser_suspended"
    assert "replay" in op.history[0].error
    assert seen == []

    # And once the advertiser is reactivated, a replay's attempt goes out (to the SSRF guard here)
    suspended.clear()
    assert operations.replay(op.op_id, clock.now(), 1) is not None
    worker.process("m2", body)
    assert operations.items[op.op_id].history[-1].error_class == "unsafe_destination"
    assert seen == ["unsafe_destination"]
