"""Core-table storage of offers and their tracker routes (PynamoDB)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from partnerka.common.errors import NotFound
from partnerka.common.pynamo import CoreItem, connection
from partnerka.offers.models import Offer


class OfferRouteItem(CoreItem):
    """The tracker's copy of an offer; see offers.routing for its key shape and fields."""

    offer_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    status = UnicodeAttribute()
    model = UnicodeAttribute()
    landings = UnicodeAttribute()
    geo_allow = UnicodeSetAttribute(null=True)
    geo_deny = UnicodeSetAttribute(null=True)
    fallback_url = UnicodeAttribute(null=True)
    currency = UnicodeAttribute()
    payout_minor = NumberAttribute()
    revenue_minor = NumberAttribute()
    postback_secret = UnicodeAttribute()


class OfferRepository:
    def save(self, offer: Offer) -> None:
        """The offer and its route item together, or neither."""
        offer.pk, offer.sk = Offer.key(offer.advertiser_id, offer.offer_id)
        route: dict[str, Any] = offer.route().as_item()
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(offer)
            transaction.save(OfferRouteItem(**route))

    def get(self, advertiser_id: str, offer_id: str) -> Offer:
        """Only within the advertiser's key range: another tenant's offer id is simply not found."""
        try:
            return Offer.get(*Offer.key(advertiser_id, offer_id))
        except DoesNotExist:
            raise NotFound(f"no offer '{offer_id}'") from None

    def list(self, advertiser_id: str) -> list[Offer]:
        return list(Offer.query(f"ADV#{advertiser_id}", Offer.sk.startswith("OFFER#")))
