"""Demo data: an owner, an advertiser with two offers, and an affiliate connected to it.

Runs against whatever the environment points at (the local runtime's moto, or a deployed dev stack:
CORE_TABLE and JWT_SECRET_ARN name the table and the signing key). Used by scripts/dev; also
runnable alone: `python -m scripts.seed_demo --base-url https://track.example.com`.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from partnerka.accounts import service as accounts
from partnerka.accounts.models import MembershipStatus, Role, User
from partnerka.accounts.repository import AccountRepository
from partnerka.accounts.tokens import Principal, issue_access_token
from partnerka.common.secrets import secret_string
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import create_offer

DEMO_TOKEN_TTL = timedelta(hours=12)


def _token(key: str, user: User) -> str:
    principal = Principal(
        user_id=user.user_id,
        role=Role(user.role),
        advertiser_id=user.advertiser_id,
        affiliate_id=user.affiliate_id,
    )
    return issue_access_token(key, principal, datetime.now(UTC), DEMO_TOKEN_TTL)


def seed(base_url: str) -> dict[str, Any]:
    """Create the demo tenant and return what a person needs to try it (links, secrets, logins)."""
    repo = AccountRepository()
    offers = OfferRepository()
    advertiser = accounts.create_advertiser(repo, "Acme Shoes")
    affiliate = accounts.create_affiliate(repo, "Traffic Pro", "affiliate@demo.partnerka.local")
    accounts.set_membership(repo, advertiser.id, affiliate.affiliate_id, MembershipStatus.APPROVED)
    landing = "https://demo-shop.example/{page}?click_id={{click_id}}&aff={{affiliate_id}}&offer={{offer_id}}&sub1={{sub1}}&sub2={{sub2}}"
    sneakers = create_offer(
        offers,
        advertiser.id,
        "Sneakers — sale",
        "CPA",
        landing.format(page="sneakers"),
        "12.50",
        "20.00",
        "USD",
    )
    newsletter = create_offer(
        offers,
        advertiser.id,
        "Newsletter sign-up",
        "CPL",
        landing.format(page="newsletter"),
        "1.20",
        "2.00",
        "USD",
    )
    users = [
        accounts.create_user(repo, "owner@demo.partnerka.local", "Olga Owner", Role.OWNER),
        accounts.create_user(
            repo,
            "advertiser@demo.partnerka.local",
            "Anton Acme",
            Role.ADVERTISER,
            advertiser_id=advertiser.id,
        ),
        accounts.create_user(
            repo,
            "affiliate@demo.partnerka.local",
            "Polina Pro",
            Role.AFFILIATE,
            advertiser_id=advertiser.id,
            affiliate_id=affiliate.affiliate_id,
        ),
    ]
    key = secret_string(os.environ["JWT_SECRET_ARN"])
    base = base_url.rstrip("/")
    return {
        "base_url": base,
        "advertiser": {"id": advertiser.id, "name": advertiser.name},
        "affiliate": {"id": affiliate.affiliate_id, "name": affiliate.name},
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
        "logins": [
            {"email": user.email, "role": user.role, "access_token": _token(key, user)} for user in users
        ],
        "stats_url": f"{base}/api/stats?from={{yyyy-mm-dd}}&to={{yyyy-mm-dd}}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True, help="where the HTTP API is served")
    args = parser.parse_args()
    print(json.dumps(seed(args.base_url), indent=2))


if __name__ == "__main__":
    main()
