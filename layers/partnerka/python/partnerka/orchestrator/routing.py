"""Where every event goes. The clicks and conversions streams are the only sources of events; each
record is decoded once into a typed event (orchestrator.records), and routing hands it on.

    event                                   jobs
    ClickRecorded (sent to a landing)       stats (click, quality) · postback `click`
    ClickRecorded (refused by a check)      stats (blocked)
    ConversionChanged, arrival              stats (goal, money, hold) · postback `lead` | `sale` · finance (arrival)  · notice
    ConversionChanged, arrival rejected     stats (rejected)          · postback `rejected`                          · notice
    ConversionChanged, → approved           stats (leaves hold)       · postback `approved`     · finance (approval) · notice
    ConversionChanged, → rejected           stats (moved back)        · postback `rejected`     · finance (rejection) · notice
    ConversionChanged, other changes        stats (money moved, if any)
    none (a REMOVE: TTL expiry)             nothing

Each consumer decides what an event means to it, and routing asks each once: statistics take every
event (stats.projection, with click quality in stats.quality); postbacks.dispatch.postback_event
names the event an affiliate may ask for (a candidate: it becomes a delivery when the affiliate's
postback settings ask for that event, PostbackSettings.destination; postbacks.sender sends it);
finance.service.finance_event gives the finance queue's message for changes that move money (none
without payout or revenue, none for a conversion stored rejected); conversions.notices.conversion_notice
gives the notification event of an arrival, an approval, a rejection or a reversal. (Refusals over a cap
are told by conversions.cap_notices, which reads the offer's caps, so the orchestrator asks it per batch.)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from partnerka.conversions.events import ConversionChanged
from partnerka.conversions.notices import conversion_notice
from partnerka.finance.service import FinanceEvent, finance_event
from partnerka.notifications.events import Event
from partnerka.postbacks.dispatch import postback_event
from partnerka.postbacks.models import EventData
from partnerka.tracking.events import ClickRecorded


class Job(StrEnum):
    STATS = "stats"
    POSTBACK = "postback"
    FINANCE = "finance"
    NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class Routed:
    jobs: frozenset[Job]
    postback: EventData | None = None  # what the postback job would tell the affiliate
    finance: FinanceEvent | None = None  # the finance worker's message
    notice: Event | None = None  # what the affiliate (and the advertiser's team) is told


NOTHING = Routed(frozenset())


def route(event: ClickRecorded | ConversionChanged | None) -> Routed:
    if event is None:
        return NOTHING
    postback = postback_event(event)
    finance = finance_event(event) if isinstance(event, ConversionChanged) else None
    notice = conversion_notice(event) if isinstance(event, ConversionChanged) else None
    jobs = {Job.STATS}
    if postback is not None:
        jobs.add(Job.POSTBACK)
    if finance is not None:
        jobs.add(Job.FINANCE)
    if notice is not None:
        jobs.add(Job.NOTICE)
    return Routed(frozenset(jobs), postback, finance, notice)
