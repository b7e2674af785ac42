"""What the hot paths need to know about an affiliate and an advertiser: whether they may trade.

Key shapes: PK `AFF#<affiliate_id>`, SK `PROFILE` (the affiliate's own global item); PK
`ADV#<advertiser_id>`, SK `PROFILE` (the advertiser's). The accounts repository keeps the affiliate's
`approved_advertisers` and `suspended_advertisers` in step with memberships inside the same
transaction, so the tracker checks "is this affiliate approved, and not suspended, by the offer's
advertiser" without a second lookup. No PynamoDB here: the click path imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

PROFILE_SK = "PROFILE"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


def affiliate_key(affiliate_id: str) -> dict[str, str]:
    return {"pk": f"AFF#{affiliate_id}", "sk": PROFILE_SK}


def advertiser_key(advertiser_id: str) -> dict[str, str]:
    return {"pk": f"ADV#{advertiser_id}", "sk": PROFILE_SK}


@dataclass(frozen=True, slots=True)
class AdvertiserRoute:
    """An advertiser as the click path sees it: whether staff suspended it."""

    advertiser_id: str
    status: AccountStatus

    @property
    def is_suspended(self) -> bool:
        return self.status is AccountStatus.SUSPENDED

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> AdvertiserRoute:
        return cls(
            advertiser_id=item["pk"].removeprefix("ADV#"),
            status=AccountStatus(item.get("status") or AccountStatus.ACTIVE),
        )


@dataclass(frozen=True, slots=True)
class AffiliateRoute:
    affiliate_id: str
    status: AccountStatus
    approved_advertisers: frozenset[str]
    # Programs that suspended the affiliate; it stays approved there, so reactivation restores it.
    suspended_advertisers: frozenset[str] = frozenset()

    def is_suspended_by(self, advertiser_id: str) -> bool:
        """Suspended everywhere, or in this advertiser's program."""
        return self.status is AccountStatus.SUSPENDED or advertiser_id in self.suspended_advertisers

    def may_send_traffic_to(self, advertiser_id: str) -> bool:
        return not self.is_suspended_by(advertiser_id) and advertiser_id in self.approved_advertisers

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> AffiliateRoute:
        return cls(
            affiliate_id=item["affiliate_id"],
            status=AccountStatus(item["status"]),
            approved_advertisers=frozenset(item.get("approved_advertisers", ())),
            suspended_advertisers=frozenset(item.get("suspended_advertisers") or ()),
        )
