"""Core-table storage of offers, affiliates' access to them, and their tracker routes (PynamoDB)."""

from __future__ import annotations

from typing import Protocol

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from partnerka.common.errors import NotFound
from partnerka.common.pynamo import CoreItem, connection
from partnerka.offers.models import Offer, OfferAccess


class OfferRouteItem(CoreItem):
    """The tracker's copy of an offer; see offers.routing for its key shape and fields."""

    offer_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    status = UnicodeAttribute()
    model = UnicodeAttribute()
    landings = UnicodeAttribute()
    currency = UnicodeAttribute()
    goals = UnicodeAttribute()
    postback_secret = UnicodeAttribute()
    geo_allow = UnicodeSetAttribute(null=True)
    geo_deny = UnicodeSetAttribute(null=True)
    fallback_url = UnicodeAttribute(null=True)
    visibility = UnicodeAttribute()
    caps = UnicodeAttribute()
    attribution_days = NumberAttribute()
    hold_days = NumberAttribute()
    min_conversion_seconds = NumberAttribute()


class AccessRouteItem(CoreItem):
    """The tracker's copy of an affiliate's access to an offer (offers.routing.AccessRoute)."""

    offer_id = UnicodeAttribute()
    affiliate_id = UnicodeAttribute()
    access = UnicodeAttribute()
    payouts = UnicodeAttribute()
    caps = UnicodeAttribute()


class OfferStore(Protocol):
    """Offers and affiliates' access to them, each saved with its tracker copy in one write."""

    def save(self, offer: Offer) -> None: ...

    def get(self, advertiser_id: str, offer_id: str) -> Offer:
        """`NotFound` outside the advertiser's own offers."""
        ...

    def list_offers(self, advertiser_id: str) -> list[Offer]: ...

    def save_access(self, access: OfferAccess) -> None: ...

    def get_access(self, advertiser_id: str, offer_id: str, affiliate_id: str) -> OfferAccess | None: ...

    def accesses(self, advertiser_id: str, offer_id: str | None = None) -> list[OfferAccess]: ...


class OfferRepository:
    def save(self, offer: Offer) -> None:
        """The offer and its route item together, or neither."""
        offer.pk, offer.sk = Offer.key(offer.advertiser_id, offer.offer_id)
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(offer)
            transaction.save(OfferRouteItem(**offer.route().as_item()))

    def get(self, advertiser_id: str, offer_id: str) -> Offer:
        """Only within the advertiser's key range: another tenant's offer id is simply not found."""
        try:
            return Offer.get(*Offer.key(advertiser_id, offer_id))
        except DoesNotExist:
            raise NotFound(f"no offer '{offer_id}'") from None

    def list_offers(self, advertiser_id: str) -> list[Offer]:
        return list(Offer.query(f"ADV#{advertiser_id}", Offer.sk.startswith("OFFER#")))

    def save_access(self, access: OfferAccess) -> None:
        access.pk, access.sk = OfferAccess.key(access.advertiser_id, access.offer_id, access.affiliate_id)
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(access)
            transaction.save(AccessRouteItem(**access.route().as_item()))

    def get_access(self, advertiser_id: str, offer_id: str, affiliate_id: str) -> OfferAccess | None:
        try:
            return OfferAccess.get(*OfferAccess.key(advertiser_id, offer_id, affiliate_id))
        except DoesNotExist:
            return None

    def accesses(self, advertiser_id: str, offer_id: str | None = None) -> list[OfferAccess]:
        prefix = f"ACCESS#{offer_id}#" if offer_id else "ACCESS#"
        return list(OfferAccess.query(f"ADV#{advertiser_id}", OfferAccess.sk.startswith(prefix)))
