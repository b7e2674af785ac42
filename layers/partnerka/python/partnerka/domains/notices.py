"""Tells an advertiser's team where one of its domains now stands (domains.service's DomainNotices):
live, broken (its CNAME moved away) or failed, with the reason the check found, as a notification
event the notifier fans out to the team by each member's preferences."""

from __future__ import annotations

from partnerka.common.clock import iso_millis
from partnerka.domains.models import Domain
from partnerka.notifications.events import Audience, Event, EventType, Notices


class DomainStatusNotices:
    def __init__(self, notices: Notices) -> None:
        self._notices = notices

    def domain_moved(self, domain: Domain) -> None:
        # The check that moved it names the event: a check run again sends the same one.
        at = domain.checked_at or domain.updated_at
        self._notices.send(
            Event(
                event_id=f"{domain.domain_id}.{domain.status.value}.{iso_millis(at)}",
                type=EventType.DOMAIN_STATUS,
                occurred_at=at,
                advertiser_id=domain.advertiser_id,
                audience=Audience(advertiser_team=True),
                data={
                    "domain": domain.name.unicode,
                    "status": domain.status.value,
                    "reason": domain.status_reason,
                },
            )
        )
