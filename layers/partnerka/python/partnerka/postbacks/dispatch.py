"""What clicks and conversions tell affiliates, and turning a stream batch's postbacks into deliveries
and queue messages.

`postback_event` reads the typed event the orchestrator decoded (a click recorded, a conversion
arrived or changed) as the event an affiliate may ask for: `click`, `lead`, `sale`, `approved`,
`rejected`. A delivery is created once per event (its id is the event id, written with
attribute_not_exists), and a message is sent for it every time its record is processed: a redelivered
batch may send a delivery twice, and the sender drops the copy (see postbacks.sender). So this step is
safe to repeat, and the orchestrator runs it before the statistics, whose chunks must not be applied
twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from partnerka.common.money import Money
from partnerka.common.observability import logger
from partnerka.conversions.events import ConversionChanged
from partnerka.conversions.models import ConversionStatus
from partnerka.postbacks.models import EventData, PostbackEvent, PostbackSettings, event_id
from partnerka.postbacks.repository import NewDeliveries
from partnerka.postbacks.service import message_body, new_delivery
from partnerka.tracking.events import ClickRecorded


def postback_event(event: ClickRecorded | ConversionChanged) -> EventData | None:
    """What the event tells the click's affiliate, or None: a refused click, and a conversion change
    that neither approves nor rejects it, tell nothing."""
    if isinstance(event, ClickRecorded):
        click = event.click
        if click.reason:
            return None
        return EventData(
            event_id=event_id(click.click_id, PostbackEvent.CLICK),
            event=PostbackEvent.CLICK,
            click_id=click.click_id,
            affiliate_id=click.affiliate_id,
            advertiser_id=click.advertiser_id,
            offer_id=click.offer_id,
            occurred_at=click.created_at,
            subs=_filled(click.subs),
        )
    conversion = event.conversion
    if conversion.status is ConversionStatus.REJECTED and (event.arrival or event.status_changed):
        kind = PostbackEvent.REJECTED  # over a cap on arrival, or rejected later
    elif event.arrival:
        kind = PostbackEvent.LEAD if conversion.goal == "lead" else PostbackEvent.SALE
    elif event.status_changed and conversion.status is ConversionStatus.APPROVED:
        kind = PostbackEvent.APPROVED
    else:
        return None
    return EventData(
        event_id=event_id(conversion.conversion_id, kind),
        event=kind,
        click_id=conversion.click_id,
        affiliate_id=conversion.affiliate_id,
        advertiser_id=conversion.advertiser_id,
        offer_id=conversion.offer_id,
        occurred_at=event.at,
        conversion_id=conversion.conversion_id,
        goal=conversion.goal,
        payout=Money(conversion.payout_minor, conversion.currency),
        reason=(conversion.reason or "") if kind is PostbackEvent.REJECTED else "",
        subs=_filled(conversion.subs),
    )


def _filled(subs: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in subs.items() if value}


class PostbackDispatcher:
    def __init__(
        self,
        settings_of: Callable[[set[str]], dict[str, PostbackSettings]],
        deliveries: NewDeliveries,
        enqueue: Callable[[list[str]], None],
        now: Callable[[], datetime],
    ) -> None:
        self._settings_of = settings_of
        self._deliveries = deliveries
        self._enqueue = enqueue
        self._now = now

    def dispatch(self, candidates: list[tuple[int, EventData]]) -> int | None:
        """Create and enqueue the deliveries the affiliates asked for; the position of the first
        record whose delivery could not be made sure of (to be retried from), or None."""
        wanted = [(i, e) for i, e in candidates if e.affiliate_id and e.affiliate_id != "-"]
        if not wanted:
            return None
        try:
            settings = self._settings_of({e.affiliate_id for _, e in wanted})
        except Exception:
            logger.exception("reading postback settings failed", events=len(wanted))
            return wanted[0][0]
        now = self._now()
        queued: list[tuple[int, str]] = []
        for index, event in wanted:
            found = settings.get(event.affiliate_id)
            destination = (
                found.destination(event.advertiser_id, event.offer_id, event.event) if found else None
            )
            if destination is None:
                continue
            try:
                self._deliveries.create(new_delivery(event, destination, now))
            except Exception:
                logger.exception(
                    "creating a delivery failed", event_id=event.event_id, tenant_id=event.advertiser_id
                )
                failed = self._send(queued)
                return index if failed is None else failed
            queued.append((index, message_body(event.event_id)))
        return self._send(queued)

    def _send(self, queued: list[tuple[int, str]]) -> int | None:
        for start in range(0, len(queued), 10):
            chunk = queued[start : start + 10]
            try:
                self._enqueue([body for _, body in chunk])
            except Exception:
                logger.exception("enqueueing deliveries failed", messages=len(chunk))
                return chunk[0][0]
        return None
