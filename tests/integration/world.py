"""A small tenant world created through the services, as the demo seed and the API would."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import MembershipStatus, Role
from partnerka.common import dynamo
from partnerka.common.config import read_settings
from partnerka.offers.models import Offer
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import CapInput, apply_draft, create_offer, draft_of

PASSWORD = "correct horse battery"


@dataclass
class World:
    advertiser_id: str
    affiliate_id: str
    offer: Offer
    outsider_affiliate_id: str
    emails: dict[str, str] = field(default_factory=dict)  # who → e-mail (password: PASSWORD)


def build_world(
    landing: str = "https://shop.example/land?cid={click_id}&s1={sub1}&o={offer_id}",
    with_people: bool = False,
) -> World:
    service, _ = account_services(read_settings(AccountSettings))
    repo = service.accounts
    advertiser = provisioning.create_advertiser(repo, "Acme Shoes")
    affiliate = provisioning.create_affiliate(repo, "Traffic Pro", "pro@example.com")
    outsider = provisioning.create_affiliate(repo, "Stranger", "stranger@example.com")
    provisioning.set_membership(repo, advertiser.id, affiliate.affiliate_id, MembershipStatus.ACTIVE)
    provisioning.set_membership(repo, advertiser.id, outsider.affiliate_id, MembershipStatus.PENDING)
    offer = create_offer(
        OfferRepository(), advertiser.id, "Sneakers", "CPA", landing, "12.50", "20.00", "USD"
    )
    world = World(advertiser.id, affiliate.affiliate_id, offer, outsider.affiliate_id)
    if with_people:
        people = {
            "owner": ("owner@example.com", Role.OWNER, None, None),
            "advertiser": ("adv@example.com", Role.ADVERTISER, advertiser.id, None),
            "affiliate": ("pro@example.com", Role.AFFILIATE, None, affiliate.affiliate_id),
            "outsider": ("stranger@example.com", Role.AFFILIATE, None, outsider.affiliate_id),
        }
        for who, (email, role, advertiser_id, affiliate_id) in people.items():
            provisioning.create_verified_user(
                service, email, PASSWORD, who.title(), role, advertiser_id, affiliate_id
            )
            world.emails[who] = email
    return world


def capped(world: World, caps: list[CapInput], fallback_url: str | None = None) -> Offer:
    """The world's offer with these caps (and a fallback for refused clicks), saved as the offer form
    saves them."""
    repo = OfferRepository()
    offer = repo.get(world.advertiser_id, world.offer.offer_id)
    draft = draft_of(offer)
    changed = replace(draft, caps=caps, fallback_url=fallback_url or draft.fallback_url)
    repo.save(apply_draft(offer, changed))
    return offer


def fill_cap_shards(offer: Offer, cap_key: str, levels: dict[int, int]) -> None:
    """Sets the counters of a sharded cap (`clicks#day#<day>`, `conversions#total#all`): shard → count."""
    for shard, level in levels.items():
        item = {"pk": f"CAP#{offer.offer_id}#{shard}", "sk": cap_key, "n": level}
        dynamo.client().put_item(TableName=os.environ["CAPS_TABLE"], Item=dynamo.encode(item))
