"""Demo data: an owner, an advertiser with two offers and a registration link, and an affiliate
connected to it, each person with a password.

Runs against whatever the environment points at (the local runtime's moto, or a deployed dev stack).
Used by scripts/dev; also runnable alone: `python -m scripts.seed_demo --base-url https://…`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from partnerka.accounts import provisioning
from partnerka.accounts.composition import account_services
from partnerka.accounts.models import MembershipStatus, Role
from partnerka.common.clock import utc_now
from partnerka.common.config import get_settings
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import create_offer
from partnerka.postbacks.models import PostbackEvent, PostbackSettings
from partnerka.postbacks.repository import PostbackSettingsRepository

DEMO_PASSWORD = "demo-partnerka-2026"
LANDING = (
    "https://demo-shop.example/{page}?click_id={{click_id}}&aff={{affiliate_id}}&offer={{offer_id}}"
    "&sub1={{sub1}}&sub2={{sub2}}"
)


def seed(base_url: str, tracker_url: str = "") -> dict[str, Any]:
    """Create the demo tenant and return what a person needs to try it (links, secrets, logins).

    With `tracker_url`, the demo affiliate sends every event to it as its postback (the local
    platform runs a demo tracker on loopback)."""
    service, workspace = account_services(get_settings())
    repo = service.accounts
    advertiser = provisioning.create_advertiser(repo, "Acme Shoes")
    affiliate = provisioning.create_affiliate(repo, "Traffic Pro", "affiliate@demo.partnerka.local")
    provisioning.set_membership(repo, advertiser.id, affiliate.affiliate_id, MembershipStatus.ACTIVE)
    offers = OfferRepository()
    sneakers = create_offer(
        offers,
        advertiser.id,
        "Sneakers — sale",
        "CPA",
        LANDING.format(page="sneakers"),
        "12.50",
        "20.00",
        "USD",
    )
    newsletter = create_offer(
        offers,
        advertiser.id,
        "Newsletter sign-up",
        "CPL",
        LANDING.format(page="newsletter"),
        "1.20",
        "2.00",
        "USD",
    )
    link = workspace.create_link(advertiser.id, "Demo partners", provisioning.OPERATOR)
    people = [
        ("owner@demo.partnerka.local", "Olga Owner", Role.OWNER, None, None),
        ("advertiser@demo.partnerka.local", "Anton Acme", Role.ADVERTISER, advertiser.id, None),
        ("affiliate@demo.partnerka.local", "Polina Pro", Role.AFFILIATE, None, affiliate.affiliate_id),
        ("support@demo.partnerka.local", "Sasha Support", Role.SUPPORT, None, None),
    ]
    logins = []
    for email, name, role, advertiser_id, affiliate_id in people:
        provisioning.create_verified_user(
            service, email, DEMO_PASSWORD, name, role, advertiser_id, affiliate_id
        )
        logins.append({"email": email, "password": DEMO_PASSWORD, "role": role.value})
    if tracker_url:
        PostbackSettingsRepository(get_settings().core_table).save(
            PostbackSettings(
                affiliate_id=affiliate.affiliate_id,
                url=f"{tracker_url}?click_id={{click_id}}&status={{status}}&payout={{payout}}"
                "&currency={currency}&sub1={sub1}&event_id={event_id}&reason={reason}",
                events=frozenset(PostbackEvent),
                updated_at=utc_now().isoformat(),
            )
        )
    base = base_url.rstrip("/")
    return {
        "base_url": base,
        "dashboard": f"{base}/",
        "advertiser": {"id": advertiser.id, "name": advertiser.name},
        "affiliate": {"id": affiliate.affiliate_id, "name": affiliate.name},
        "registration_link": f"{base}/join/{link.code}",
        "offers": [
            {
                "id": offer.offer_id,
                "name": offer.name,
                "model": offer.model,
                "paid_status": "lead" if offer.model == "CPL" else "sale",
                "tracking_link": f"{base}/click?o={offer.offer_id}&a={affiliate.affiliate_id}&sub1=demo&sub2=banner",
                "postback_url": f"{base}/postback?click_id={{click_id}}&status={{status}}&txn_id={{txn_id}}"
                f"&secret={offer.postback_secret}",
                "postback_secret": offer.postback_secret,
            }
            for offer in (sneakers, newsletter)
        ],
        "logins": logins,
        "affiliate_postback": tracker_url or None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True, help="where the HTTP API is served")
    args = parser.parse_args()
    print(json.dumps(seed(args.base_url), indent=2))


if __name__ == "__main__":
    main()
