"""What the hot paths need to know about an offer, kept as its own small item.

Key shape: PK `OFFER#<offer_id>`, SK `ROUTE`. The offers repository writes it in the same transaction
as the offer itself (PK `ADV#<advertiser_id>`, SK `OFFER#<offer_id>`), so the tracker can find an offer
by its id alone with one key lookup. No PynamoDB here: the click path imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

ROUTE_SK = "ROUTE"


class OfferStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


class PayoutModel(StrEnum):
    """CPL pays on a lead; CPA and CPS pay on a sale; RevShare pays a share of the sale (later issue)."""

    CPA = "CPA"
    CPL = "CPL"
    CPS = "CPS"
    REVSHARE = "RevShare"

    @property
    def paid_status(self) -> str:
        return "lead" if self is PayoutModel.CPL else "sale"


def offer_route_key(offer_id: str) -> dict[str, str]:
    return {"pk": f"OFFER#{offer_id}", "sk": ROUTE_SK}


@dataclass(frozen=True, slots=True)
class OfferRoute:
    offer_id: str
    advertiser_id: str
    status: OfferStatus
    model: PayoutModel
    landing_url: str
    currency: str
    payout_minor: int
    revenue_minor: int
    postback_secret: str

    @property
    def is_active(self) -> bool:
        return self.status is OfferStatus.ACTIVE

    def as_item(self) -> dict[str, Any]:
        return {
            **offer_route_key(self.offer_id),
            "offer_id": self.offer_id,
            "advertiser_id": self.advertiser_id,
            "status": self.status.value,
            "model": self.model.value,
            "landing_url": self.landing_url,
            "currency": self.currency,
            "payout_minor": self.payout_minor,
            "revenue_minor": self.revenue_minor,
            "postback_secret": self.postback_secret,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> OfferRoute:
        return cls(
            offer_id=item["offer_id"],
            advertiser_id=item["advertiser_id"],
            status=OfferStatus(item["status"]),
            model=PayoutModel(item["model"]),
            landing_url=item["landing_url"],
            currency=item["currency"],
            payout_minor=int(item["payout_minor"]),
            revenue_minor=int(item["revenue_minor"]),
            postback_secret=item["postback_secret"],
        )
