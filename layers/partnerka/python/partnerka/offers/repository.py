"""Core-table storage of offers, affiliates' access to them, and their tracker routes.

The rows are PynamoDB models private to this module; the store takes and returns the domain types
of offers.models. Goals, landings and caps are DynamoDB lists of maps, payout overrides a map;
rows written when they were JSON text still read (see offers.routing).
"""

from __future__ import annotations

from typing import Any, Protocol

from pynamodb.attributes import Attribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.constants import LIST, MAP, STRING
from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactWrite

from partnerka.common import dynamo
from partnerka.common.errors import NotFound
from partnerka.common.pynamo import CoreItem, connection
from partnerka.offers.models import Offer, OfferAccess
from partnerka.offers.routing import (
    Access,
    OfferStatus,
    PayoutModel,
    Visibility,
    decode_caps,
    decode_goals,
    decode_landings,
    decode_payouts,
    encode_caps,
    encode_goals,
    encode_landings,
)


class _Native(Attribute[Any]):
    """A list or map of plain values, written in DynamoDB's own shape through the codec. Reading, the
    JSON text a String attribute held before is passed on as it is: offers.routing's decoders take
    either form."""

    def serialize(self, value: Any) -> Any:
        return dynamo.encode_value(value)[self.attr_type]

    def get_value(self, value: dict[str, Any]) -> Any:
        if STRING in value:
            return value[STRING]
        return dynamo.decode_value({self.attr_type: super().get_value(value)})

    def deserialize(self, value: Any) -> Any:
        return value


class _List(_Native):
    attr_type = LIST


class _Map(_Native):
    attr_type = MAP


class _OfferRow(CoreItem):
    """Offer: PK `ADV#<advertiser>`, SK `OFFER#<offer>`."""

    offer_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    model = UnicodeAttribute()
    currency = UnicodeAttribute()
    goals = _List()
    landings = _List()
    geo_allow = UnicodeSetAttribute(null=True)
    geo_deny = UnicodeSetAttribute(null=True)
    caps = _List(null=True)
    visibility = UnicodeAttribute(default=Visibility.PUBLIC.value)
    status = UnicodeAttribute()
    hold_days = NumberAttribute(default=0)
    attribution_days = NumberAttribute(default=30)
    min_conversion_seconds = NumberAttribute(default=0)
    fallback_url = UnicodeAttribute(null=True)
    postback_secret = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()

    @classmethod
    def of(cls, offer: Offer) -> _OfferRow:
        pk, sk = Offer.key(offer.advertiser_id, offer.offer_id)
        return cls(
            pk,
            sk,
            offer_id=offer.offer_id,
            advertiser_id=offer.advertiser_id,
            name=offer.name,
            description=offer.description,
            model=offer.model.value,
            currency=offer.currency,
            goals=encode_goals(offer.goals),
            landings=encode_landings(offer.landings),
            geo_allow=set(offer.geo_allow) or None,
            geo_deny=set(offer.geo_deny) or None,
            caps=encode_caps(offer.caps),
            visibility=offer.visibility.value,
            status=offer.status.value,
            hold_days=offer.hold_days,
            attribution_days=offer.attribution_days,
            min_conversion_seconds=offer.min_conversion_seconds,
            fallback_url=offer.fallback_url or None,
            postback_secret=offer.postback_secret,
            created_at=offer.created_at,
            updated_at=offer.updated_at,
        )

    def offer(self) -> Offer:
        return Offer(
            offer_id=self.offer_id,
            advertiser_id=self.advertiser_id,
            name=self.name,
            description=self.description or "",
            model=PayoutModel(self.model),
            currency=self.currency,
            goals=decode_goals(self.goals),
            landings=decode_landings(self.landings),
            geo_allow=frozenset(self.geo_allow or ()),
            geo_deny=frozenset(self.geo_deny or ()),
            caps=decode_caps(self.caps),
            visibility=Visibility(self.visibility),
            status=OfferStatus(self.status),
            hold_days=int(self.hold_days),
            attribution_days=int(self.attribution_days),
            min_conversion_seconds=int(self.min_conversion_seconds or 0),
            fallback_url=self.fallback_url or "",
            postback_secret=self.postback_secret,
            created_at=self.created_at,
            updated_at=self.updated_at,
        )


class _AccessRow(CoreItem):
    """An affiliate's access to an offer: PK `ADV#<advertiser>`, SK `ACCESS#<offer>#<affiliate>`."""

    offer_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    affiliate_id = UnicodeAttribute()
    access = UnicodeAttribute(default=Access.NONE.value)
    payouts = _Map(null=True)
    caps = _List(null=True)
    updated_at = UnicodeAttribute()

    @classmethod
    def of(cls, access: OfferAccess) -> _AccessRow:
        pk, sk = OfferAccess.key(access.advertiser_id, access.offer_id, access.affiliate_id)
        return cls(
            pk,
            sk,
            offer_id=access.offer_id,
            advertiser_id=access.advertiser_id,
            affiliate_id=access.affiliate_id,
            access=access.access.value,
            payouts=dict(access.payouts),
            caps=encode_caps(access.caps),
            updated_at=access.updated_at,
        )

    def offer_access(self) -> OfferAccess:
        return OfferAccess(
            offer_id=self.offer_id,
            advertiser_id=self.advertiser_id,
            affiliate_id=self.affiliate_id,
            access=Access(self.access),
            payouts=decode_payouts(self.payouts),
            caps=decode_caps(self.caps),
            updated_at=self.updated_at,
        )


class _OfferRouteRow(CoreItem):
    """The tracker's copy of an offer; see offers.routing for its key shape and fields."""

    offer_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    status = UnicodeAttribute()
    model = UnicodeAttribute()
    landings = _List()
    currency = UnicodeAttribute()
    goals = _List()
    postback_secret = UnicodeAttribute()
    geo_allow = UnicodeSetAttribute(null=True)
    geo_deny = UnicodeSetAttribute(null=True)
    fallback_url = UnicodeAttribute(null=True)
    visibility = UnicodeAttribute()
    caps = _List()
    attribution_days = NumberAttribute()
    hold_days = NumberAttribute()
    min_conversion_seconds = NumberAttribute()


class _AccessRouteRow(CoreItem):
    """The tracker's copy of an affiliate's access to an offer (offers.routing.AccessRoute)."""

    offer_id = UnicodeAttribute()
    affiliate_id = UnicodeAttribute()
    access = UnicodeAttribute()
    payouts = _Map()
    caps = _List()


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
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(_OfferRow.of(offer))
            transaction.save(_OfferRouteRow(**offer.route().as_item()))

    def get(self, advertiser_id: str, offer_id: str) -> Offer:
        """Only within the advertiser's key range: another tenant's offer id is simply not found."""
        try:
            return _OfferRow.get(*Offer.key(advertiser_id, offer_id)).offer()
        except DoesNotExist:
            raise NotFound(f"no offer '{offer_id}'") from None

    def list_offers(self, advertiser_id: str) -> list[Offer]:
        return [
            row.offer() for row in _OfferRow.query(f"ADV#{advertiser_id}", _OfferRow.sk.startswith("OFFER#"))
        ]

    def save_access(self, access: OfferAccess) -> None:
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(_AccessRow.of(access))
            transaction.save(_AccessRouteRow(**access.route().as_item()))

    def get_access(self, advertiser_id: str, offer_id: str, affiliate_id: str) -> OfferAccess | None:
        try:
            return _AccessRow.get(*OfferAccess.key(advertiser_id, offer_id, affiliate_id)).offer_access()
        except DoesNotExist:
            return None

    def accesses(self, advertiser_id: str, offer_id: str | None = None) -> list[OfferAccess]:
        prefix = f"ACCESS#{offer_id}#" if offer_id else "ACCESS#"
        rows = _AccessRow.query(f"ADV#{advertiser_id}", _AccessRow.sk.startswith(prefix))
        return [row.offer_access() for row in rows]
