"""What the hot paths need to know about an offer, kept as small items of their own.

Key shapes (core table):
- offer route: PK `OFFER#<offer_id>`, SK `ROUTE`, written in the same transaction as the offer itself
  (PK `ADV#<advertiser_id>`, SK `OFFER#<offer_id>`), so the tracker finds an offer by its id alone;
- access route: PK `OFFER#<offer_id>`, SK `AFF#<affiliate_id>`, the affiliate's access to the offer with
  its payout overrides and caps, written with its canonical item (PK `ADV#…`, SK `ACCESS#<offer>#<aff>`).
The click path reads both and the affiliate in one BatchGetItem. No PynamoDB here: the click path
imports this module.

Goals, landings and caps are stored as DynamoDB lists of maps, payout overrides as a map. Items
written before were JSON text in string attributes: the readers here take either form, so nothing
stored is lost (the next save writes the native form).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

ROUTE_SK = "ROUTE"


class OfferStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


class PayoutModel(StrEnum):
    """CPL pays on a lead; CPA and CPS on a sale; RevShare pays a share of the sale amount; CPC pays
    for each unique, non-bot click that reached a landing (its goal `click`)."""

    CPA = "CPA"
    CPL = "CPL"
    CPS = "CPS"
    REVSHARE = "RevShare"
    CPC = "CPC"


CLICK_GOAL = "click"
"""The goal an offer pays clicks by. The orchestrator prices it (stats.cpc); a postback never can."""


class Visibility(StrEnum):
    PUBLIC = "public"  # every active partner of the advertiser may run it
    APPROVAL = "approval"  # partners ask, the advertiser approves
    PRIVATE = "private"  # only partners the advertiser approves; others never see it


class Access(StrEnum):
    APPROVED = "approved"
    REQUESTED = "requested"
    REJECTED = "rejected"
    NONE = "none"


class AmountType(StrEnum):
    FIXED = "fixed"  # integer minor units of the offer's currency
    PERCENT = "percent"  # basis points of the sale amount (750 = 7.5 %)


class CapMetric(StrEnum):
    CLICKS = "clicks"
    CONVERSIONS = "conversions"
    PAYOUT = "payout"
    # The click goal's own caps: they stop paying clicks, never stop the clicks themselves.
    PAID_CLICKS = "paid_clicks"
    CLICK_BUDGET = "click_budget"


class CapPeriod(StrEnum):
    DAY = "day"
    MONTH = "month"
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Landing:
    """One landing URL (with macros) and its share of the traffic, relative to the others' weights."""

    url: str
    weight: int = 1


@dataclass(frozen=True, slots=True)
class Goal:
    """A conversion event the offer pays for (lead, sale, or the advertiser's own), with its price."""

    key: str
    name: str
    payout_type: AmountType
    payout: int
    revenue_type: AmountType
    revenue: int

    def payout_for(self, amount_minor: int | None, override: int | None = None) -> int:
        return _price(self.payout_type, self.payout if override is None else override, amount_minor)

    def revenue_for(self, amount_minor: int | None) -> int:
        return _price(self.revenue_type, self.revenue, amount_minor)

    @property
    def needs_amount(self) -> bool:
        return AmountType.PERCENT in (self.payout_type, self.revenue_type)


def _price(kind: AmountType, value: int, amount_minor: int | None) -> int:
    if kind is AmountType.FIXED:
        return value
    # Percent of the sale, rounded half down to the minor unit: never pay a fraction of a cent more.
    return (amount_minor or 0) * value // 10_000


@dataclass(frozen=True, slots=True)
class Cap:
    metric: CapMetric
    period: CapPeriod
    limit: int

    def bucket(self, moment: datetime) -> str:
        if self.period is CapPeriod.DAY:
            return moment.strftime("%Y-%m-%d")
        if self.period is CapPeriod.MONTH:
            return moment.strftime("%Y-%m")
        return "all"


@dataclass(frozen=True, slots=True)
class OfferRoute:
    offer_id: str
    advertiser_id: str
    status: OfferStatus
    model: PayoutModel
    landings: tuple[Landing, ...]
    currency: str
    goals: tuple[Goal, ...]
    postback_secret: str
    geo_allow: frozenset[str] = frozenset()
    geo_deny: frozenset[str] = frozenset()
    fallback_url: str = ""
    visibility: Visibility = Visibility.PUBLIC
    caps: tuple[Cap, ...] = ()
    attribution_days: int = 30
    hold_days: int = 0
    min_conversion_seconds: int = 0

    @property
    def is_active(self) -> bool:
        return self.status is OfferStatus.ACTIVE

    def admits_country(self, country: str) -> bool:
        """An allow list admits only its countries; a deny list refuses its own."""
        if self.geo_allow and country not in self.geo_allow:
            return False
        return country not in self.geo_deny

    def admits(self, access: Access) -> bool:
        """May an active partner with this access run the offer?"""
        if access is Access.REJECTED:
            return False
        return self.visibility is Visibility.PUBLIC or access is Access.APPROVED

    def goal(self, key: str) -> Goal | None:
        return next((goal for goal in self.goals if goal.key == key), None)

    def click_payout(self, access: AccessRoute | None) -> int:
        """What one paid click earns the affiliate (its own price where the advertiser set one), in
        minor units; 0 when the offer does not pay clicks."""
        goal = self.goal(CLICK_GOAL)
        if goal is None:
            return 0
        override = access.payouts.get(CLICK_GOAL) if access is not None else None
        return max(goal.payout_for(None, override), 0)

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
            "goals": encode_goals(self.goals),
            "postback_secret": self.postback_secret,
            "geo_allow": set(self.geo_allow) or None,
            "geo_deny": set(self.geo_deny) or None,
            "fallback_url": self.fallback_url or None,
            "visibility": self.visibility.value,
            "caps": encode_caps(self.caps),
            "attribution_days": self.attribution_days,
            "hold_days": self.hold_days,
            "min_conversion_seconds": self.min_conversion_seconds,
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
            goals=decode_goals(item["goals"]),
            postback_secret=item["postback_secret"],
            geo_allow=frozenset(item.get("geo_allow") or ()),
            geo_deny=frozenset(item.get("geo_deny") or ()),
            fallback_url=item.get("fallback_url") or "",
            visibility=Visibility(item.get("visibility", "public")),
            caps=decode_caps(item.get("caps")),
            attribution_days=int(item.get("attribution_days", 30)),
            hold_days=int(item.get("hold_days", 0)),
            min_conversion_seconds=int(item.get("min_conversion_seconds", 0)),
        )


@dataclass(frozen=True, slots=True)
class AccessRoute:
    """An affiliate's access to one offer, its payout overrides (goal key → minor units or basis
    points, as the goal's type) and its own caps."""

    offer_id: str
    affiliate_id: str
    access: Access = Access.NONE
    payouts: dict[str, int] = field(default_factory=dict)
    caps: tuple[Cap, ...] = ()

    def as_item(self) -> dict[str, Any]:
        return {
            **access_route_key(self.offer_id, self.affiliate_id),
            "offer_id": self.offer_id,
            "affiliate_id": self.affiliate_id,
            "access": self.access.value,
            "payouts": dict(self.payouts),
            "caps": encode_caps(self.caps),
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> AccessRoute:
        return cls(
            offer_id=item["offer_id"],
            affiliate_id=item["affiliate_id"],
            access=Access(item.get("access", "none")),
            payouts=decode_payouts(item.get("payouts")),
            caps=decode_caps(item.get("caps")),
        )


def offer_route_key(offer_id: str) -> dict[str, str]:
    return {"pk": f"OFFER#{offer_id}", "sk": ROUTE_SK}


def access_route_key(offer_id: str, affiliate_id: str) -> dict[str, str]:
    return {"pk": f"OFFER#{offer_id}", "sk": f"AFF#{affiliate_id}"}


Stored = Any
"""A list or map attribute as the codec decodes it, or its JSON text in an item written before."""


def _native(value: Stored, empty: Any) -> Any:
    if value is None or value == "":
        return empty
    return json.loads(value) if isinstance(value, str) else value


def encode_landings(landings: tuple[Landing, ...]) -> list[dict[str, Any]]:
    return [{"url": landing.url, "weight": landing.weight} for landing in landings]


def decode_landings(value: Stored) -> tuple[Landing, ...]:
    return tuple(Landing(str(entry["url"]), int(entry["weight"])) for entry in _native(value, []))


def encode_goals(goals: tuple[Goal, ...]) -> list[dict[str, Any]]:
    return [
        {
            "key": g.key,
            "name": g.name,
            "payout_type": g.payout_type.value,
            "payout": g.payout,
            "revenue_type": g.revenue_type.value,
            "revenue": g.revenue,
        }
        for g in goals
    ]


def decode_goals(value: Stored) -> tuple[Goal, ...]:
    return tuple(
        Goal(
            str(e["key"]),
            str(e["name"]),
            AmountType(e["payout_type"]),
            int(e["payout"]),
            AmountType(e["revenue_type"]),
            int(e["revenue"]),
        )
        for e in _native(value, [])
    )


def encode_caps(caps: tuple[Cap, ...]) -> list[dict[str, Any]]:
    return [{"metric": c.metric.value, "period": c.period.value, "limit": c.limit} for c in caps]


def decode_caps(value: Stored) -> tuple[Cap, ...]:
    return tuple(
        Cap(CapMetric(e["metric"]), CapPeriod(e["period"]), int(e["limit"])) for e in _native(value, [])
    )


def decode_payouts(value: Stored) -> dict[str, int]:
    return {str(k): int(v) for k, v in _native(value, {}).items()}
