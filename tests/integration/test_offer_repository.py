"""The offers repository against moto's DynamoDB: domain types in and out, the tracker's copies
written with them, and items stored before goals, landings, caps and payouts were native lists and
maps (JSON text then) still read."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest

from partnerka.common import dynamo
from partnerka.common.errors import NotFound
from partnerka.offers.models import Offer, OfferAccess
from partnerka.offers.repository import OfferRepository
from partnerka.offers.routing import (
    Access,
    AmountType,
    Cap,
    CapMetric,
    CapPeriod,
    Goal,
    Landing,
    OfferStatus,
    PayoutModel,
    Visibility,
)
from partnerka.tracking.repository import CachedRouteRepository
from partnerka_local.template import Template

ADVERTISER, AFFILIATE = "adv-1", "aff-1"
SALE = Goal("sale", "Sale", AmountType.PERCENT, 750, AmountType.FIXED, 300)
CAP = Cap(CapMetric.CLICKS, CapPeriod.DAY, 1000)


def an_offer(offer_id: str = "off-1", **changes: object) -> Offer:
    offer = Offer(
        offer_id=offer_id,
        advertiser_id=ADVERTISER,
        name="Shoes",
        model=PayoutModel.REVSHARE,
        currency="EUR",
        goals=(SALE,),
        landings=(Landing("https://shop.example/a", 3), Landing("https://shop.example/b", 1)),
        status=OfferStatus.ACTIVE,
        postback_secret="secret",
        created_at="2026-11-01T10:00:00.000Z",
        updated_at="2026-11-01T10:00:00.000Z",
        geo_allow=frozenset({"DE", "FR"}),
        caps=(CAP,),
        visibility=Visibility.APPROVAL,
    )
    return replace(offer, **changes)  # type: ignore[arg-type]


def _raw(key: tuple[str, str]) -> dict[str, dict[str, object]]:
    item = dynamo.client().get_item(
        TableName=os.environ["CORE_TABLE"], Key={"pk": {"S": key[0]}, "sk": {"S": key[1]}}
    )
    return item["Item"]  # type: ignore[no-any-return]


def test_an_offer_reads_back_as_it_was_saved_with_its_lists_stored_as_dynamodb_lists(stack: Template) -> None:
    repo = OfferRepository()
    offer = an_offer()
    repo.save(offer)
    assert repo.get(ADVERTISER, "off-1") == offer
    assert repo.list_offers(ADVERTISER) == [offer]
    raw = _raw(Offer.key(ADVERTISER, "off-1"))
    assert [list(raw[name]) for name in ("goals", "landings", "caps")] == [["L"]] * 3
    route = _raw(("OFFER#off-1", "ROUTE"))
    assert [list(route[name]) for name in ("goals", "landings", "caps")] == [["L"]] * 3


def test_another_advertisers_offer_is_not_found(stack: Template) -> None:
    OfferRepository().save(an_offer())
    with pytest.raises(NotFound):
        OfferRepository().get("adv-2", "off-1")
    assert OfferRepository().list_offers("adv-2") == []


def test_the_tracker_reads_the_route_written_with_the_offer_and_the_access(stack: Template) -> None:
    repo = OfferRepository()
    offer = an_offer()
    repo.save(offer)
    access = OfferAccess("off-1", ADVERTISER, AFFILIATE, Access.APPROVED, {"sale": 900}, (CAP,), "2026-11-02")
    repo.save_access(access)
    routes = CachedRouteRepository(os.environ["CORE_TABLE"], 60).routes("off-1", AFFILIATE)
    assert routes.offer == offer.route()
    assert routes.access == access.route()
    assert repo.get_access(ADVERTISER, "off-1", AFFILIATE) == access
    assert repo.accesses(ADVERTISER) == [access]
    assert repo.accesses(ADVERTISER, "off-2") == []
    assert set(_raw(OfferAccess.key(ADVERTISER, "off-1", AFFILIATE))["payouts"]) == {"M"}


def _legacy_items() -> list[dict[str, object]]:
    """An offer, its route, an access and its route as the repository wrote them before: goals,
    landings, caps and payouts as JSON text in string attributes."""
    goals = json.dumps([{"key": "sale", "name": "Sale", "payout_type": "percent", "payout": 750,
                         "revenue_type": "fixed", "revenue": 300}])  # fmt: skip
    landings = json.dumps(
        [{"url": "https://shop.example/a", "weight": 3}, {"url": "https://shop.example/b", "weight": 1}]
    )
    caps = json.dumps([{"metric": "clicks", "period": "day", "limit": 1000}])
    offer = {
        "offer_id": "off-1", "advertiser_id": ADVERTISER, "status": "active", "model": "RevShare",
        "currency": "EUR", "goals": goals, "landings": landings, "caps": caps, "postback_secret": "secret",
        "geo_allow": {"DE", "FR"}, "visibility": "approval", "hold_days": 0, "attribution_days": 30,
        "min_conversion_seconds": 0,
    }  # fmt: skip
    access = {"offer_id": "off-1", "affiliate_id": AFFILIATE, "access": "approved",
              "payouts": json.dumps({"sale": 900}), "caps": caps}  # fmt: skip
    return [
        {"pk": f"ADV#{ADVERTISER}", "sk": "OFFER#off-1", **offer, "name": "Shoes", "description": "",
         "created_at": "2026-11-01T10:00:00.000Z", "updated_at": "2026-11-01T10:00:00.000Z"},
        {"pk": "OFFER#off-1", "sk": "ROUTE", **offer},
        {"pk": f"ADV#{ADVERTISER}", "sk": f"ACCESS#off-1#{AFFILIATE}", **access, "advertiser_id": ADVERTISER,
         "updated_at": "2026-11-02"},
        {"pk": "OFFER#off-1", "sk": f"AFF#{AFFILIATE}", **access},
    ]  # fmt: skip


def test_items_stored_with_json_text_still_read_and_the_next_save_writes_native_lists(
    stack: Template,
) -> None:
    # Given an offer and an access stored in the old form (JSON text in string attributes)
    for item in _legacy_items():
        dynamo.client().put_item(TableName=os.environ["CORE_TABLE"], Item=dynamo.encode(item))
    repo = OfferRepository()
    # When the dashboard and the tracker read them
    offer = repo.get(ADVERTISER, "off-1")
    access = repo.get_access(ADVERTISER, "off-1", AFFILIATE)
    routes = CachedRouteRepository(os.environ["CORE_TABLE"], 60).routes("off-1", AFFILIATE)
    # Then nothing is lost
    assert offer == an_offer()
    assert access == OfferAccess(
        "off-1", ADVERTISER, AFFILIATE, Access.APPROVED, {"sale": 900}, (CAP,), "2026-11-02"
    )
    assert routes.offer == an_offer().route()
    assert routes.access == access.route()
    # And saving them again stores lists and maps
    repo.save(offer)
    repo.save_access(access)
    assert set(_raw(Offer.key(ADVERTISER, "off-1"))["goals"]) == {"L"}
    assert set(_raw(("OFFER#off-1", f"AFF#{AFFILIATE}"))["payouts"]) == {"M"}
    assert repo.get(ADVERTISER, "off-1") == offer
