"""Offers as the advertiser manages them, and each affiliate's access to them (domain types; the
repository stores them, see offers.repository)."""

from __future__ import annotations

from dataclasses import dataclass, field

from partnerka.offers.routing import (
    Access,
    AccessRoute,
    Cap,
    Goal,
    Landing,
    OfferRoute,
    OfferStatus,
    PayoutModel,
    Visibility,
)


@dataclass(frozen=True, slots=True)
class Offer:
    """An advertiser's offer. PK `ADV#<advertiser>`, SK `OFFER#<offer>`.

    Money is integer minor units of `currency`, percentages are basis points. The tracker reads the
    offer's route instead (`route()`), which the repository writes in the same transaction.
    """

    offer_id: str
    advertiser_id: str
    name: str
    model: PayoutModel
    currency: str
    goals: tuple[Goal, ...]
    landings: tuple[Landing, ...]
    status: OfferStatus
    postback_secret: str
    created_at: str
    updated_at: str
    description: str = ""
    geo_allow: frozenset[str] = frozenset()
    geo_deny: frozenset[str] = frozenset()
    caps: tuple[Cap, ...] = ()
    visibility: Visibility = Visibility.PUBLIC
    hold_days: int = 0
    attribution_days: int = 30
    min_conversion_seconds: int = 0
    fallback_url: str = ""

    @staticmethod
    def key(advertiser_id: str, offer_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"OFFER#{offer_id}"

    def route(self) -> OfferRoute:
        return OfferRoute(
            offer_id=self.offer_id,
            advertiser_id=self.advertiser_id,
            status=self.status,
            model=self.model,
            landings=self.landings,
            currency=self.currency,
            goals=self.goals,
            postback_secret=self.postback_secret,
            geo_allow=self.geo_allow,
            geo_deny=self.geo_deny,
            fallback_url=self.fallback_url,
            visibility=self.visibility,
            caps=self.caps,
            attribution_days=self.attribution_days,
            hold_days=self.hold_days,
            min_conversion_seconds=self.min_conversion_seconds,
        )


@dataclass(frozen=True, slots=True)
class OfferAccess:
    """An affiliate's access to an offer, its own payouts (goal key → minor units or basis points, as
    the goal's type) and caps. PK `ADV#<advertiser>`, SK `ACCESS#<offer>#<affiliate>`; its tracker
    copy is the access route (offers.routing), written in the same transaction."""

    offer_id: str
    advertiser_id: str
    affiliate_id: str
    access: Access = Access.NONE
    payouts: dict[str, int] = field(default_factory=dict)
    caps: tuple[Cap, ...] = ()
    updated_at: str = ""

    @staticmethod
    def key(advertiser_id: str, offer_id: str, affiliate_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"ACCESS#{offer_id}#{affiliate_id}"

    def route(self) -> AccessRoute:
        return AccessRoute(self.offer_id, self.affiliate_id, self.access, dict(self.payouts), self.caps)
