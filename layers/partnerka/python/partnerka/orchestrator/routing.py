"""Where every event goes. The clicks and conversions streams are the only sources of events.

    source       change                          jobs
    clicks       INSERT (sent to a landing)      stats (click, quality) · postback `click`
    clicks       INSERT (refused by a check)     stats (blocked)
    conversions  INSERT                          stats (goal, money, hold) · postback `lead` | `sale` · finance (arrival)
    conversions  INSERT (rejected on arrival)    stats (rejected)          · postback `rejected`
    conversions  MODIFY → approved               stats (leaves hold)       · postback `approved`     · finance (approval)
    conversions  MODIFY → rejected               stats (moved back)        · postback `rejected`     · finance (rejection)
    any          REMOVE (TTL expiry)             nothing

The postback job is only a candidate: it becomes a delivery when the affiliate's postback settings
ask for that event (PostbackSettings.destination). The finance job is a message to the finance
worker (finance.service.finance_event decides which changes move money: none without a payout). What each job then does lives in its own module:
statistics in orchestrator.service/streams, postbacks in orchestrator.dispatch and postbacks.sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from partnerka.common.clock import parse_iso
from partnerka.common.money import Money
from partnerka.conversions.models import ConversionStatus
from partnerka.orchestrator.service import StreamRecord
from partnerka.postbacks.models import EventData, PostbackEvent, event_id
from partnerka.tracking.models import SUB_KEYS


class Job(StrEnum):
    STATS = "stats"
    POSTBACK = "postback"
    FINANCE = "finance"


@dataclass(frozen=True, slots=True)
class Routed:
    jobs: frozenset[Job]
    event: EventData | None = None  # what the postback job would tell the affiliate


NOTHING = Routed(frozenset())


def route(record: StreamRecord) -> Routed:
    new, old = record.new_image, record.old_image
    if record.event_name == "INSERT" and new is not None:
        if record.source == "clicks":
            if new.get("reason"):
                return Routed(frozenset({Job.STATS}))
            return Routed(frozenset({Job.STATS, Job.POSTBACK}), _click_event(new))
        if record.source == "conversions":
            owed = new.get("status") != ConversionStatus.REJECTED.value  # not stored over a cap
            jobs = {Job.STATS, Job.POSTBACK} | ({Job.FINANCE} if owed else set())
            return Routed(frozenset(jobs), _conversion_event(new, arrival=True))
    if record.event_name == "MODIFY" and record.source == "conversions" and new and old:
        if new.get("status") == old.get("status"):
            return NOTHING
        if new.get("status") in (ConversionStatus.APPROVED.value, ConversionStatus.REJECTED.value):
            changed = frozenset({Job.STATS, Job.POSTBACK, Job.FINANCE})
            return Routed(changed, _conversion_event(new, arrival=False))
    return NOTHING


def _subs(image: dict[str, Any]) -> dict[str, str]:
    return {key: str(image[key]) for key in SUB_KEYS if image.get(key)}


def _click_event(image: dict[str, Any]) -> EventData:
    return EventData(
        event_id=event_id(image["click_id"], PostbackEvent.CLICK),
        event=PostbackEvent.CLICK,
        click_id=image["click_id"],
        affiliate_id=image.get("affiliate_id", ""),
        advertiser_id=image["advertiser_id"],
        offer_id=image["offer_id"],
        occurred_at=parse_iso(image["created_at"]),
        subs=_subs(image),
    )


def _conversion_event(image: dict[str, Any], arrival: bool) -> EventData:
    status = image.get("status")
    if status == ConversionStatus.REJECTED.value:
        event = PostbackEvent.REJECTED
    elif not arrival:
        event = PostbackEvent.APPROVED
    else:
        event = PostbackEvent.LEAD if image.get("goal") == "lead" else PostbackEvent.SALE
    at = image["created_at"] if arrival else image.get("updated_at") or image["created_at"]
    return EventData(
        event_id=event_id(image["conversion_id"], event),
        event=event,
        click_id=image["click_id"],
        affiliate_id=image.get("affiliate_id", ""),
        advertiser_id=image["advertiser_id"],
        offer_id=image["offer_id"],
        occurred_at=parse_iso(at),
        conversion_id=image["conversion_id"],
        goal=image.get("goal", ""),
        payout=Money(int(image.get("payout_minor", 0)), image["currency"]),
        reason=(image.get("reason") or "") if event is PostbackEvent.REJECTED else "",
        subs=_subs(image),
    )
