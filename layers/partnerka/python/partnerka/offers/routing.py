"""What the hot paths need to know about an offer, kept as its own small item.

Key shape: PK `OFFER#<offer_id>`, SK `ROUTE`. The offers repository writes it in the same transaction
as the offer itself (PK `ADV#<advertiser_id>`, SK `OFFER#<offer_id>`), so the tracker can find an offer
by its id alone with one key lookup. No PynamoDB here: the click path imports this module.
"""

from __future__ import annotations

import json
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
class Landing:
    """One landing URL (with macros) and its share of the traffic, relative to the others' weights."""

    url: str
    weight: int = 1


@dataclass(frozen=True, slots=True)
class OfferRoute:
    offer_id: str
    advertiser_id: str
    status: OfferStatus
    model: PayoutModel
    landings: tuple[Landing, ...]
    currency: str
    payout_minor: int
    revenue_minor: int
    postback_secret: str
    geo_allow: frozenset[str] = frozenset()
    geo_deny: frozenset[str] = frozenset()
    fallback_url: str = ""

    @property
    def is_active(self) -> bool:
        return self.status is OfferStatus.ACTIVE

    def admits_country(self, country: str) -> bool:
        """An allow list admits only its countries; a deny list refuses its own."""
        if self.geo_allow and country not in self.geo_allow:
            return False
        return country not in self.geo_deny

    def pick_landing(self, roll: float) -> str:
        """The landing whose weight band holds `roll` (0 ≤ roll < 1): rotation by weight."""
        total = sum(landing.weight for landing in self.landings)
        point = roll * total
        for landing in self.landings:
            point -= landing.weight
            if point < 0:
                return landing.url
        return self.landings[-1].url

    def as_item(self) -> dict[str, Any]:
        return {
            **offer_route_key(self.offer_id),
            "offer_id": self.offer_id,
            "advertiser_id": self.advertiser_id,
            "status": self.status.value,
            "model": self.model.value,
            "landings": encode_landings(self.landings),
            "currency": self.currency,
            "payout_minor": self.payout_minor,
            "revenue_minor": self.revenue_minor,
            "postback_secret": self.postback_secret,
            "geo_allow": set(self.geo_allow) or None,
            "geo_deny": set(self.geo_deny) or None,
            "fallback_url": self.fallback_url or None,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> OfferRoute:
        return cls(
            offer_id=item["offer_id"],
            advertiser_id=item["advertiser_id"],
            status=OfferStatus(item["status"]),
            model=PayoutModel(item["model"]),
            landings=decode_landings(item["landings"]),
            currency=item["currency"],
            payout_minor=int(item["payout_minor"]),
            revenue_minor=int(item["revenue_minor"]),
            postback_secret=item["postback_secret"],
            geo_allow=frozenset(item.get("geo_allow") or ()),
            geo_deny=frozenset(item.get("geo_deny") or ()),
            fallback_url=item.get("fallback_url") or "",
        )


def encode_landings(landings: tuple[Landing, ...]) -> str:
    """Landings travel as one JSON string attribute, so the route item stays flat and cheap to read."""
    return json.dumps([{"url": landing.url, "weight": landing.weight} for landing in landings])


def decode_landings(text: str) -> tuple[Landing, ...]:
    return tuple(Landing(str(entry["url"]), int(entry["weight"])) for entry in json.loads(text))
