"""Clicks: what a visitor's request carries and what the platform stores about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from partnerka.common.clock import iso_millis, parse_iso

SUB_KEYS = tuple(f"sub{i}" for i in range(1, 11))
# Long values are cut, not refused: a visitor is never turned away for an affiliate's long sub.
MAX_SUB_LENGTH = 512
MAX_USER_AGENT_LENGTH = 512
# Stands for an affiliate id that names nobody, on clicks recorded for a real offer.
UNKNOWN_AFFILIATE = "-"


@dataclass(frozen=True, slots=True)
class ClickRequest:
    """A visitor's request to a tracking link, already taken out of the HTTP event."""

    offer_id: str
    affiliate_id: str
    subs: dict[str, str]
    ip: str
    user_agent: str
    viewer_country: str | None = None
    host: str = ""  # the host the link was followed on (a custom tracking domain, or ours)
    referrer: str = ""  # the Referer header as sent ("" when there is none)


@dataclass(frozen=True, slots=True)
class Click:
    """One stored click. Key shape: Clicks table, PK `click_id`; expires at `expires_at` (epoch s)."""

    click_id: str
    offer_id: str
    affiliate_id: str
    advertiser_id: str
    ip: str
    country: str
    user_agent: str
    created_at: datetime
    expires_at: int
    subs: dict[str, str] = field(default_factory=dict)
    reason: str | None = None  # why the click was refused; None when it went to a landing
    # The block list entry that refused it (`cidr:203.0.113.0/24`, `asn:16509`), for its page.
    blocked_by: str | None = None

    def as_item(self) -> dict[str, Any]:
        return {
            "click_id": self.click_id,
            "offer_id": self.offer_id,
            "affiliate_id": self.affiliate_id,
            "advertiser_id": self.advertiser_id,
            "ip": self.ip,
            "country": self.country,
            "ua": self.user_agent,
            "created_at": iso_millis(self.created_at),
            "expires_at": self.expires_at,
            "reason": self.reason,
            "blocked_by": self.blocked_by,
            **self.subs,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Click:
        return cls(
            click_id=item["click_id"],
            offer_id=item["offer_id"],
            affiliate_id=item.get("affiliate_id", UNKNOWN_AFFILIATE),
            advertiser_id=item["advertiser_id"],
            ip=item.get("ip", ""),
            country=item.get("country", "ZZ"),
            user_agent=item.get("ua", ""),
            created_at=parse_iso(item["created_at"]),
            # A click without its expiry (an older writer's) still counts; 0 lets what is kept of it lapse.
            expires_at=int(item.get("expires_at", 0)),
            subs={key: item[key] for key in SUB_KEYS if key in item},
            reason=item.get("reason"),
            blocked_by=item.get("blocked_by"),
        )
