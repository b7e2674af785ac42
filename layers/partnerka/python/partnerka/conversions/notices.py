"""What a conversion's life tells people: its arrival (a lead or a sale), its approval, its rejection,
and the reversal of an approval, as notification events (notifications.events).

Read from the same typed event the orchestrator hands every consumer (conversions.events), so it needs
no lookup: the offer's name is not on the conversion, and the messages fall back to its id. Each event's
id is the conversion's id with what happened to it, so a stream batch that runs again sends the same
events and the notifier sends each once.
"""

from __future__ import annotations

from typing import Any

from partnerka.common.money import Money
from partnerka.conversions.events import ConversionChanged
from partnerka.conversions.models import ConversionStatus
from partnerka.notifications.events import Audience, Event, EventType
from partnerka.tracking.models import UNKNOWN_AFFILIATE


def conversion_notice(event: ConversionChanged) -> Event | None:
    """The event a conversion's arrival or change is worth, or None (a change of money or review flag
    only, a move from hold to pending, a conversion without an affiliate to tell)."""
    conversion, before = event.conversion, event.before
    if not conversion.affiliate_id or conversion.affiliate_id == UNKNOWN_AFFILIATE:
        return None
    rejected = conversion.status is ConversionStatus.REJECTED
    team = False
    if rejected and (event.arrival or event.status_changed):
        was_approved = before is not None and before.status is ConversionStatus.APPROVED
        kind = EventType.CONVERSION_REVERSED if was_approved else EventType.CONVERSION_REJECTED
    elif event.arrival:
        kind = EventType.CONVERSION_LEAD if conversion.goal == "lead" else EventType.CONVERSION_SALE
        team = True
    elif event.status_changed and conversion.status is ConversionStatus.APPROVED:
        kind = EventType.CONVERSION_APPROVED
    else:
        return None
    data: dict[str, Any] = {
        "conversion_id": conversion.conversion_id,
        "offer_id": conversion.offer_id,
        "goal": conversion.goal,
        "payout": Money(conversion.payout_minor, conversion.currency).as_decimal_string(),
        "currency": conversion.currency,
        "click_id": conversion.click_id,
    }
    if rejected:
        data["reason"] = conversion.reason or ""
    return Event(
        event_id=f"{conversion.conversion_id}.{kind.value.removeprefix('conversion.')}",
        type=kind,
        occurred_at=event.at,
        advertiser_id=conversion.advertiser_id,
        audience=Audience(affiliate_id=conversion.affiliate_id, advertiser_team=team),
        data=data,
    )
