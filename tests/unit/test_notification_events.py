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

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class _Outbox:
    def __init__(self, fails: bool = False) -> None:
        self.posted: list[Notification] = []
        self.fails = fails

    def post(
        self,
        kind: str,
        payload: dict[str, Any],
        subject: str = "",
        advertiser_id: str = "",
        notification_id: str = "",
    ) -> str:
        if self.fails:
            raise RuntimeError("a bug while building the message")
        self.posted.append(Notification(notification_id, kind, AT, payload, advertiser_id, subject))
        return notification_id


def test_an_event_survives_the_queue_as_it_was_sent() -> None:
    event = Event(
        "c1.sale",
        EventType.CONVERSION_SALE,
        AT,
        "adv1",
        Audience(affiliate_id="aff1", advertiser_team=True),
        {"payout": "12.50", "currency": "EUR", "offer": "Кредитка"},
    )
    outbox = _Outbox()
    QueuedNotices(outbox).send(event)
    [message] = outbox.posted
    assert (message.kind, message.id, message.advertiser_id) == (EVENT, "event.c1.sale", "adv1")
    body = Notification.parse(message.body())
    assert Event.from_payload(body.payload) == event
    assert json.loads(message.body())["payload"]["data"]["offer"] == "Кредитка"


def test_the_same_event_sent_twice_is_one_notification() -> None:
    outbox = _Outbox()
    event = Event("j1.low.EUR", EventType.BALANCE_LOW, AT, "adv1", Audience(advertiser_team=True))
    QueuedNotices(outbox).send(event)
    QueuedNotices(outbox).send(event)
    assert len({m.id for m in outbox.posted}) == 1


def test_sending_never_fails_the_producer() -> None:
    QueuedNotices(_Outbox(fails=True)).send(Event("x", EventType.MFA_DISABLED, AT))


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
