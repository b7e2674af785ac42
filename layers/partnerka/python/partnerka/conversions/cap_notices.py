"""Telling an advertiser (and an affiliate, for its own cap) that an offer's cap is reached.

The click path cannot say it: a warm click costs one write and no read, and sending a message there
would slow the visitor. The stream says it instead: a click stored refused with `cap_reached`, or a
conversion stored rejected with it, is the proof that one of the caps on that metric was full. The
orchestrator hands those events here; the offer's caps come from the route cache, and the counters are
read only when more than one cap could be the full one.

Each cap reports once per period: the event id is the cap's counter (offer, metric, bucket; and the
affiliate, for its own cap), so every refusal after the first sends the same id and the notifier sends
it once. An instance also remembers the ids it has sent, so a storm of refusals costs no further reads
or messages on a warm instance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from partnerka.common.observability import logger
from partnerka.conversions.events import ConversionChanged
from partnerka.conversions.models import ConversionStatus
from partnerka.notifications.events import Audience, Event, EventType
from partnerka.offers.routing import CapMetric
from partnerka.tracking.caps import CapLevels, CapSlot
from partnerka.tracking.events import ClickRecorded
from partnerka.tracking.repository import RouteSource
from partnerka.tracking.service import RejectReason, cap_slots

REMEMBERED = 10_000  # event ids an instance keeps before it forgets them all (a cap period is long)
_AFFILIATE_CAP = "#AFF#"  # in a slot's pk: the affiliate's own cap (tracking.repository.CapSlot)


@dataclass(frozen=True, slots=True)
class _Refusal:
    offer_id: str
    affiliate_id: str
    advertiser_id: str
    at: datetime
    metrics: tuple[tuple[CapMetric, int], ...]  # the metrics the refused event counted, with amounts


def _refusal(event: ClickRecorded | ConversionChanged) -> _Refusal | None:
    reason = RejectReason.CAP_REACHED.value
    if isinstance(event, ClickRecorded):
        click = event.click
        if click.reason != reason:
            return None
        return _Refusal(
            click.offer_id,
            click.affiliate_id,
            click.advertiser_id,
            click.created_at,
            ((CapMetric.CLICKS, 1),),
        )
    conversion = event.conversion
    if not (event.arrival and conversion.status is ConversionStatus.REJECTED and conversion.reason == reason):
        return None
    metrics: tuple[tuple[CapMetric, int], ...] = ((CapMetric.CONVERSIONS, 1),)
    if conversion.payout_minor:
        metrics += ((CapMetric.PAYOUT, conversion.payout_minor),)
    return _Refusal(
        conversion.offer_id, conversion.affiliate_id, conversion.advertiser_id, conversion.created_at, metrics
    )


class CapWatch:
    def __init__(self, routes: RouteSource, levels: CapLevels) -> None:
        self._routes = routes
        self._levels = levels
        self._sent: set[str] = set()

    def notices(self, events: list[ClickRecorded | ConversionChanged]) -> list[Event]:
        """The cap-reached events the refusals among `events` prove, each once; never raises (a cap
        that cannot be told now is told by the next refusal)."""
        found: list[Event] = []
        for event in events:
            refusal = _refusal(event)
            if refusal is None:
                continue
            try:
                reached = self._reached(refusal)
            except Exception:
                logger.exception("the reached cap could not be told", offer_id=refusal.offer_id)
                continue
            if len(self._sent) > REMEMBERED:
                self._sent.clear()
            self._sent.update(notice.event_id for notice in reached)
            found += reached
        return found

    def _reached(self, refusal: _Refusal) -> list[Event]:
        offer = self._routes.conversion_routes(refusal.offer_id, refusal.affiliate_id, refusal.advertiser_id)
        if offer.offer is None:
            return []
        candidates = [
            slot
            for metric, amount in refusal.metrics
            for slot in cap_slots(offer.offer, offer.access, metric, refusal.at, amount=amount)
        ]
        fresh = [slot for slot in candidates if _event_id(refusal, slot) not in self._sent]
        if not fresh:
            return []
        if len(candidates) > 1:
            # One of several caps refused it: the full ones are those with no room for this amount.
            levels = self._levels.levels(fresh)
            fresh = [slot for slot in fresh if levels.get((slot.pk, slot.sk), 0) + slot.amount > slot.limit]
        return [self._event(refusal, slot) for slot in fresh]

    def _event(self, refusal: _Refusal, slot: CapSlot) -> Event:
        metric, period, _ = slot.sk.split("#", 2)
        own = _AFFILIATE_CAP in slot.pk
        return Event(
            event_id=_event_id(refusal, slot),
            type=EventType.CAP_REACHED,
            occurred_at=refusal.at,
            advertiser_id=refusal.advertiser_id,
            audience=Audience(affiliate_id=refusal.affiliate_id if own else "", advertiser_team=True),
            data={"offer_id": refusal.offer_id, "cap": metric, "period": period, "limit": slot.limit},
            fold_key=f"cap.{refusal.offer_id}",
        )


def _event_id(refusal: _Refusal, slot: CapSlot) -> str:
    """`cap.<offer>.<metric>.<bucket>` (the bucket names the period: a day, a month, `all`), and the
    affiliate after it for an affiliate's own cap."""
    metric, _, bucket = slot.sk.split("#", 2)
    own = f".{refusal.affiliate_id}" if _AFFILIATE_CAP in slot.pk else ""
    return f"cap.{refusal.offer_id}.{metric}.{bucket}{own}"
