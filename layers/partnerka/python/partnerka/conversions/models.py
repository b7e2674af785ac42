"""Conversions: a lead, a sale or a rejection reported against a click."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from partnerka.common.clock import iso_millis, parse_iso
from partnerka.tracking.models import SUB_KEYS


class ConversionStatus(StrEnum):
    LEAD = "lead"
    SALE = "sale"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class PostbackRequest:
    """An advertiser's postback, already taken out of the HTTP request."""

    click_id: str
    status: str
    secret: str
    txn_id: str = ""
    payout: str = ""
    source_ip: str = ""
    goal: str = ""
    amount: str = ""
    currency: str = ""


def dedupe_key(advertiser_id: str, offer_id: str, goal: str, click_id: str, txn_id: str) -> str:
    """Key shape: Conversions table, PK `ADV#<advertiser>#O#<offer>#G#<goal>#TXN#<txn_id>`.

    One conversion per (advertiser, offer, goal, transaction id); without a transaction id, per
    (offer, goal, click): `ADV#<advertiser>#O#<offer>#G#<goal>#CLICK#<click_id>`.
    """
    scope = f"ADV#{advertiser_id}#O#{offer_id}#G#{goal}"
    return f"{scope}#TXN#{txn_id}" if txn_id else f"{scope}#CLICK#{click_id}"


@dataclass(frozen=True, slots=True)
class Conversion:
    conversion_id: str
    dedupe_key: str
    click_id: str
    offer_id: str
    affiliate_id: str
    advertiser_id: str
    status: ConversionStatus
    payout_minor: int
    revenue_minor: int
    currency: str
    created_at: datetime
    txn_id: str = ""
    goal: str = ""
    amount_minor: int | None = None
    # The click's context travels with the conversion so statistics and postbacks need no lookup.
    country: str = "ZZ"
    user_agent: str = ""
    click_created_at: datetime | None = None
    subs: dict[str, str] = field(default_factory=dict)

    def as_item(self) -> dict[str, Any]:
        return {
            "pk": self.dedupe_key,
            "conversion_id": self.conversion_id,
            "click_id": self.click_id,
            "offer_id": self.offer_id,
            "affiliate_id": self.affiliate_id,
            "advertiser_id": self.advertiser_id,
            "status": self.status.value,
            "payout_minor": self.payout_minor,
            "revenue_minor": self.revenue_minor,
            "currency": self.currency,
            "created_at": iso_millis(self.created_at),
            "txn_id": self.txn_id,
            "goal": self.goal,
            "amount_minor": self.amount_minor,
            "country": self.country,
            "ua": self.user_agent,
            "click_created_at": iso_millis(self.click_created_at) if self.click_created_at else None,
            **self.subs,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Conversion:
        return cls(
            conversion_id=item["conversion_id"],
            dedupe_key=item["pk"],
            click_id=item["click_id"],
            offer_id=item["offer_id"],
            affiliate_id=item["affiliate_id"],
            advertiser_id=item["advertiser_id"],
            status=ConversionStatus(item["status"]),
            payout_minor=int(item["payout_minor"]),
            revenue_minor=int(item["revenue_minor"]),
            currency=item["currency"],
            created_at=parse_iso(item["created_at"]),
            txn_id=item.get("txn_id", ""),
            goal=item.get("goal", ""),
            amount_minor=int(item["amount_minor"]) if "amount_minor" in item else None,
            country=item.get("country", "ZZ"),
            user_agent=item.get("ua", ""),
            click_created_at=parse_iso(item["click_created_at"]) if item.get("click_created_at") else None,
            subs={key: item[key] for key in SUB_KEYS if key in item},
        )
