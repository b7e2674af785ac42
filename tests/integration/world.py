"""A small tenant world created through the services, as the demo seed and the API would."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.accounts import service as accounts
from partnerka.accounts.models import MembershipStatus
from partnerka.accounts.repository import AccountRepository
from partnerka.offers.models import Offer
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import create_offer


@dataclass
class World:
    advertiser_id: str
    affiliate_id: str
    offer: Offer
    outsider_affiliate_id: str


def build_world(
    landing_url: str = "https://shop.example/land?cid={click_id}&s1={sub1}&o={offer_id}",
) -> World:
    repo = AccountRepository()
    advertiser = accounts.create_advertiser(repo, "Acme Shoes")
    affiliate = accounts.create_affiliate(repo, "Traffic Pro", "pro@example.com")
    outsider = accounts.create_affiliate(repo, "Stranger", "stranger@example.com")
    accounts.set_membership(repo, advertiser.id, affiliate.affiliate_id, MembershipStatus.APPROVED)
    accounts.set_membership(repo, advertiser.id, outsider.affiliate_id, MembershipStatus.PENDING)
    offer = create_offer(
        OfferRepository(), advertiser.id, "Sneakers", "CPA", landing_url, "12.50", "20.00", "USD"
    )
    return World(advertiser.id, affiliate.affiliate_id, offer, outsider.affiliate_id)
