"""The event a producer sends reads back as it was sent: the notifier sees what the producer said."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from partnerka.notifications.events import (
    CATALOGUE,
    EVENT,
    Audience,
    Event,
    EventType,
    QueuedNotices,
    Side,
)
from partnerka.notifications.models import Notification
from partnerka.notifications.outbox import Outbox
from tests.unit.fakes import FakeOperations, FakeQueue

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class Counted(FakeQueue):
    """The notify queue, counting its requests (a request carries up to ten messages)."""

    def __init__(self, refuses: bool = False) -> None:
        super().__init__(refuses)
        self.requests = 0

    def send(self, bodies: list[str]) -> None:
        self.requests += (len(bodies) + 9) // 10
        super().send(bodies)


def notices(queue: FakeQueue, operations: FakeOperations | None = None) -> QueuedNotices:
    return QueuedNotices(Outbox(queue, operations or FakeOperations(), lambda: AT))


def test_an_event_survives_the_queue_as_it_was_sent() -> None:
    event = Event(
        "c1.sale",
        EventType.CONVERSION_SALE,
        AT,
        "adv1",
        Audience(affiliate_id="aff1", advertiser_team=True),
        {"payout": "12.50", "currency": "EUR", "offer": "Кредитка"},
    )
    queue = FakeQueue()
    notices(queue).send(event)
    [message] = [Notification.parse(body) for body in queue.bodies]
    assert (message.kind, message.id, message.advertiser_id) == (EVENT, "event.c1.sale", "adv1")
    body = Notification.parse(message.body())
    assert Event.from_payload(body.payload) == event
    assert json.loads(message.body())["payload"]["data"]["offer"] == "Кредитка"


def test_the_same_event_sent_twice_is_one_notification() -> None:
    queue = FakeQueue()
    event = Event("j1.low.EUR", EventType.BALANCE_LOW, AT, "adv1", Audience(advertiser_team=True))
    notices(queue).send(event)
    notices(queue).send(event)
    assert len({Notification.parse(body).id for body in queue.bodies}) == 1


def test_a_batchs_events_go_ten_to_a_request() -> None:
    queue = Counted()
    events = [Event(f"c{n}.sale", EventType.CONVERSION_SALE, AT, "adv1") for n in range(23)]
    notices(queue).send_all(events)
    notices(queue).send_all([])
    assert [Notification.parse(body).id for body in queue.bodies] == [f"event.c{n}.sale" for n in range(23)]
    assert queue.requests == 3


def test_sending_never_fails_the_producer_and_what_the_queue_refused_is_on_record() -> None:
    operations = FakeOperations()
    events = [Event("x", EventType.MFA_DISABLED, AT), Event("y", EventType.MFA_DISABLED, AT)]
    notices(FakeQueue(refuses=True), operations).send_all(events)
    refused = [operations.get(f"event.{e.event_id}") for e in events]
    assert [(o.status.value, o.history[0].error_class) for o in refused if o] == [
        ("failed", "enqueue"),
        ("failed", "enqueue"),
    ]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"v": 2, "event_id": "x", "type": "conversion.sale", "occurred_at": "2026-12-07T09:00:00.000Z"},
        {"v": 1, "event_id": "x", "type": "no.such", "occurred_at": "2026-12-07T09:00:00.000Z"},
        {"v": 1, "event_id": "", "type": "conversion.sale", "occurred_at": "2026-12-07T09:00:00.000Z"},
        {"v": 1, "event_id": "x", "type": "conversion.sale", "occurred_at": "yesterday"},
        {"v": 1, "event_id": "x", "type": "conversion.sale", "occurred_at": "2026-12-07", "data": [1]},
    ],
)
def test_a_payload_that_is_not_an_event_is_refused(payload: dict[str, Any]) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        Event.from_payload(payload)


def test_every_event_type_has_a_spec_and_security_goes_to_its_user_only() -> None:
    assert set(CATALOGUE) == set(EventType)
    for spec in CATALOGUE.values():
        assert spec.defaults, spec.type
        assert spec.security == (set(spec.defaults) == {Side.USER}), spec.type
