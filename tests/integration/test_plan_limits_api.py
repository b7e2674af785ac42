"""Plan limits through the real API functions: each limit hit by the call that adds one more answers
403 `plan_limit` with the limit, what is in use, what the plan allows, the plan and the plan that lifts
it, in the caller's language; nothing is written.

The plans are the platform's own: the Owner edits Starter to allow one of everything it limits and no
white-label (its next version), and the advertiser chooses it on its trial, as people do it through
the API."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from partnerka.accounts.repository import AccountRepository
from partnerka.common.error_messages import ERROR_MESSAGES
from partnerka.common.errors import ErrorCode
from partnerka.domains.repository import DomainRepository
from partnerka.offers.repository import OfferRepository
from partnerka.offers.routing import OfferStatus
from tests.integration.api_client import Api, Reply
from tests.integration.conftest import FunctionLoader
from tests.integration.test_isolation_matrix import OFFER_BODY
from tests.integration.world import PASSWORD, World, build_world

ONE_OF_EACH = {
    "clicks_per_month": 100_000,
    "active_offers": 1,
    "approved_affiliates": 1,
    "team_seats": 1,
    "custom_domains": 0,
    "white_label": False,
}


@dataclass
class Limited:
    api: Api
    world: World
    boss: str  # the advertiser's access token

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Reply:
        return self.api.call(method, path, body, token=self.boss, headers=headers)

    def choose(self, plan_code: str) -> None:
        chosen = self.call(
            "POST", "/api/billing/subscription/change", {"plan_code": plan_code, "interval": "month"}
        )
        assert chosen.status == 200, chosen.body


@pytest.fixture
def limited(load_function: FunctionLoader) -> Limited:
    # Given the world's advertiser: one running offer, one approved affiliate and one applying, and
    # its boss (one seat), on a Starter plan that allows one of each, paid by bank transfer
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    starter = next(
        p for p in api.call("GET", "/api/admin/plans", token=owner).body["plans"] if p["code"] == "starter"
    )
    edited = {
        "name": starter["name"],
        "rank": starter["rank"],
        "public": True,
        "contact_us": False,
        "limits": ONE_OF_EACH,
        "prices": [{"currency": p["currency"], "monthly": p["monthly"]} for p in starter["prices"]],
    }
    assert api.call("PUT", "/api/admin/plans/starter", edited, token=owner).status == 200
    limited = Limited(api, world, api.login(world.emails["advertiser"], PASSWORD)["access_token"])
    assert limited.call("PUT", "/api/billing/profile", {"payment_method": "bank_transfer"}).status == 200
    limited.choose("starter")
    return limited


def refused(reply: Reply) -> dict[str, Any]:
    assert (reply.status, reply.code) == (403, "plan_limit"), reply.body
    error: dict[str, Any] = reply.body["error"]
    return {name: error[name] for name in ("limit", "usage", "allowed", "plan", "upgrade_to")}


def test_a_second_running_offer_is_refused_and_a_paused_one_makes_room(limited: Limited) -> None:
    reply = limited.call("POST", "/api/offers", OFFER_BODY | {"name": "Second"})
    assert refused(reply) == {
        "limit": "active_offers",
        "usage": 1,
        "allowed": 1,
        "plan": "starter",
        "upgrade_to": "pro",
    }
    assert reply.body["error"]["message"] == reply.body["error"]["detail"]
    assert reply.body["error"]["detail"].startswith("Your plan Starter allows 1 active offer and 1 is active")
    offers = OfferRepository().list_offers(limited.world.advertiser_id)
    assert [o.name for o in offers] == ["Sneakers"]
    # When the running one is paused: the new one runs
    offer_id = limited.world.offer.offer_id
    assert limited.call("PATCH", f"/api/offers/{offer_id}", {"status": "paused"}).status == 200
    created = limited.call("POST", "/api/offers", OFFER_BODY | {"name": "Second"})
    assert created.status == 201, created.body
    # and the paused one cannot run again beside it
    again = limited.call("PATCH", f"/api/offers/{offer_id}", {"status": "active"})
    assert refused(again)["limit"] == "active_offers"
    assert OfferRepository().get(limited.world.advertiser_id, offer_id).status is OfferStatus.PAUSED


def test_approving_a_second_affiliate_is_refused_in_the_callers_language(limited: Limited) -> None:
    # Given the advertiser's boss reading the dashboard in Russian
    accounts = AccountRepository()
    boss = accounts.find_user_by_email(limited.world.emails["advertiser"])
    assert boss is not None
    accounts.save_user(replace(boss, locale="ru"))
    path = f"/api/memberships/{limited.world.outsider_affiliate_id}"
    reply = limited.call("PATCH", path, {"status": "active"})
    assert refused(reply) == {
        "limit": "approved_affiliates",
        "usage": 1,
        "allowed": 1,
        "plan": "starter",
        "upgrade_to": "pro",
    }
    assert reply.body["error"]["message"] == ERROR_MESSAGES[ErrorCode.PLAN_LIMIT]["ru"]
    assert reply.body["error"]["detail"].startswith("Your plan Starter allows 1 approved affiliate")
    # rejecting the applicant is never refused
    assert limited.call("PATCH", path, {"status": "rejected"}).status == 200


def test_inviting_a_teammate_past_the_plans_seats_is_refused(limited: Limited) -> None:
    reply = limited.call("POST", "/api/team/invite", {"email": "mate@acme.example"})
    assert refused(reply) == {
        "limit": "team_seats",
        "usage": 1,
        "allowed": 1,
        "plan": "starter",
        "upgrade_to": "pro",
    }
    team = limited.call("GET", "/api/team")
    assert [person["email"] for person in team.body["items"]] == [limited.world.emails["advertiser"]]


def test_custom_domains_and_a_portal_domain_are_refused_by_a_plan_without_them(limited: Limited) -> None:
    tracking = limited.call("POST", "/api/domains", {"name": "go.acme-limits.example", "kind": "tracking"})
    assert refused(tracking) == {
        "limit": "custom_domains",
        "usage": 0,
        "allowed": 0,
        "plan": "starter",
        "upgrade_to": "pro",
    }
    portal = limited.call("POST", "/api/domains", {"name": "partners.acme-limits.example", "kind": "portal"})
    assert refused(portal) == {
        "limit": "white_label",
        "usage": 0,
        "allowed": 0,
        "plan": "starter",
        "upgrade_to": "pro",
    }
    assert DomainRepository().of_advertiser(limited.world.advertiser_id) == []
    # on Pro, both kinds are the advertiser's to add (one domain)
    limited.choose("pro")
    added = limited.call("POST", "/api/domains", {"name": "partners.acme-limits.example", "kind": "portal"})
    assert added.status == 201, added.body


def test_a_brand_of_its_own_look_is_refused_without_white_label(limited: Limited) -> None:
    program = {"portal_name": "Acme Shoes", "support_email": "partners@acme.example"}
    assert limited.call("PUT", "/api/brand", program).status == 200
    look = program | {"primary_color": "#0b5fff", "primary_text_color": "#ffffff"}
    assert refused(limited.call("PUT", "/api/brand", look)) == {
        "limit": "white_label",
        "usage": 0,
        "allowed": 0,
        "plan": "starter",
        "upgrade_to": "pro",
    }
    upload = {"kind": "logo_light", "content_type": "image/png", "size": 1000}
    assert refused(limited.call("POST", "/api/brand/uploads", upload))["limit"] == "white_label"
    assert limited.call("GET", "/api/brand").body["primary_color"] is None
