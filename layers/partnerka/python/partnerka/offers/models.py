"""Offers as the advertiser manages them, and each affiliate's access to them."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute

from partnerka.common.pynamo import CoreItem
from partnerka.offers.routing import (
    Access,
    AccessRoute,
    OfferRoute,
    OfferStatus,
    PayoutModel,
    Visibility,
    decode_caps,
    decode_goals,
    decode_landings,
)


class Offer(CoreItem):
    """An advertiser's offer. PK `ADV#<advertiser>`, SK `OFFER#<offer>`.

    Goals, landings and caps are JSON (see offers.routing); money is integer minor units of
    `currency`, percentages are basis points. The tracker reads the route item instead, which the
    repository writes in the same transaction.
    """

    offer_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    model = UnicodeAttribute()
    currency = UnicodeAttribute()
    goals = UnicodeAttribute()
    landings = UnicodeAttribute()
    geo_allow = UnicodeSetAttribute(null=True)
    geo_deny = UnicodeSetAttribute(null=True)
    caps = UnicodeAttribute(default="[]")
    visibility = UnicodeAttribute(default=Visibility.PUBLIC.value)
    status = UnicodeAttribute()
    hold_days = NumberAttribute(default=0)
    attribution_days = NumberAttribute(default=30)
    min_conversion_seconds = NumberAttribute(default=0)
    fallback_url = UnicodeAttribute(null=True)
    postback_secret = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str, offer_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"OFFER#{offer_id}"

    def route(self) -> OfferRoute:
        return OfferRoute(
            offer_id=self.offer_id,
            advertiser_id=self.advertiser_id,
            status=OfferStatus(self.status),
            model=PayoutModel(self.model),
            landings=decode_landings(self.landings),
            currency=self.currency,
            goals=decode_goals(self.goals),
            postback_secret=self.postback_secret,
            geo_allow=frozenset(self.geo_allow or ()),
            geo_deny=frozenset(self.geo_deny or ()),
            fallback_url=self.fallback_url or "",
            visibility=Visibility(self.visibility),
            caps=decode_caps(self.caps),
            attribution_days=int(self.attribution_days),
            hold_days=int(self.hold_days),
            min_conversion_seconds=int(self.min_conversion_seconds),
        )


class OfferAccess(CoreItem):
    """An affiliate's access to an offer. PK `ADV#<advertiser>`, SK `ACCESS#<offer>#<affiliate>`;
    its tracker copy is the access route (offers.routing), written in the same transaction."""

    offer_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    affiliate_id = UnicodeAttribute()
    access = UnicodeAttribute(default=Access.NONE.value)
    payouts = UnicodeAttribute(default="{}")
    caps = UnicodeAttribute(default="[]")
    updated_at = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str, offer_id: str, affiliate_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"ACCESS#{offer_id}#{affiliate_id}"

    def route(self) -> AccessRoute:
        return AccessRoute.from_item(
            {
                "offer_id": self.offer_id,
                "affiliate_id": self.affiliate_id,
                "access": self.access,
                "payouts": self.payouts,
                "caps": self.caps,
            }
        )
