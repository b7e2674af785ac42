"""What the hot paths need to know about an affiliate: its status and approved advertisers.

Key shape: PK `AFF#<affiliate_id>`, SK `PROFILE` (the affiliate's own global item). The accounts
repository keeps `approved_advertisers` in step with memberships inside the same transaction, so the
tracker checks "is this affiliate approved by the offer's advertiser" without a second lookup.
No PynamoDB here: the click path imports this module.
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


@dataclass(frozen=True, slots=True)
class AffiliateRoute:
    affiliate_id: str
    status: AccountStatus
    approved_advertisers: frozenset[str]

    def may_send_traffic_to(self, advertiser_id: str) -> bool:
        return self.status is AccountStatus.ACTIVE and advertiser_id in self.approved_advertisers

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> AffiliateRoute:
        return cls(
            affiliate_id=item["affiliate_id"],
            status=AccountStatus(item["status"]),
            approved_advertisers=frozenset(item.get("approved_advertisers", ())),
        )
