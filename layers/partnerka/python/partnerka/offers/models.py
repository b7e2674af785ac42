"""Offers as the advertiser manages them."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute

from partnerka.common.pynamo import CoreItem
from partnerka.offers.routing import OfferRoute, OfferStatus, PayoutModel, decode_landings


class Offer(CoreItem):
    """An advertiser's offer. PK `ADV#<advertiser>`, SK `OFFER#<offer>`.

    Money is integer minor units of `currency`. The tracker reads the offer's route item instead
    (offers.routing), which the repository writes in the same transaction.
    """

    offer_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    name = UnicodeAttribute()
    model = UnicodeAttribute()
    payout_minor = NumberAttribute()
    revenue_minor = NumberAttribute()
    currency = UnicodeAttribute()
    landings = UnicodeAttribute()  # JSON: [{"url", "weight"}], see offers.routing.encode_landings
    geo_allow = UnicodeSetAttribute(null=True)
    geo_deny = UnicodeSetAttribute(null=True)
    fallback_url = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
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
            payout_minor=int(self.payout_minor),
            revenue_minor=int(self.revenue_minor),
            postback_secret=self.postback_secret,
            geo_allow=frozenset(self.geo_allow or ()),
            geo_deny=frozenset(self.geo_deny or ()),
            fallback_url=self.fallback_url or "",
        )
