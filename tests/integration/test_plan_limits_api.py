"""Plan limits through the real API functions: each limit hit by the call that adds one more answers
403 `plan_limit` with the limit, what is in use, what the plan allows, the plan and the plan that lifts
it, in the caller's language; nothing is written.

The API's gate answers from a fake of the subscriptions (tests.unit.fakes.FakeEntitlements) put in
place of the gate each function's services were built with (composition.billing.plan_gate), for the
test only: a Starter plan that allows one of everything it limits and no white-label."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from partnerka.accounts.repository import AccountRepository
from partnerka.billing.limits import PlanGate
from partnerka.billing.models import PlanLimits
from partnerka.common.error_messages import ERROR_MESSAGES
from partnerka.common.errors import ErrorCode
from partnerka.domains.repository import DomainRepository
from partnerka.offers.repository import OfferRepository
from partnerka.offers.routing import OfferStatus
from tests.integration.api_client import Api, Reply
from tests.integration.conftest import FunctionLoader
from tests.integration.test_isolation_matrix import OFFER_BODY
from tests.integration.world import PASSWORD, World, build_world
from tests.unit.fakes import BUSINESS, ENTERPRISE, PRO, STARTER, FakeEntitlements

ONE_OF_EACH = replace(STARTER, limits=PlanLimits(100_000, 1, 1, 1, 0, False))
# Each service the gate is asked by: (its function, the composition's service, the gate's attribute).
GATED = (
    ("ApiOffersFunction", "offers", "limits"),
    ("ApiWorkspaceFunction", "workspace", "limits"),
    ("ApiBrandingFunction", "brands", "limits"),
    ("ApiBrandingFunction", "domains", "_limits"),
)


@dataclass
class Limited:
    api: Api
    world: World
    plans: FakeEntitlements
    boss: str  # the advertiser's access token

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Reply:
        return self.api.call(method, path, body, token=self.boss, headers=headers)


@pytest.fixture
def limited(load_function: FunctionLoader, monkeypatch: pytest.MonkeyPatch) -> Limited:
    # Given the world's advertiser: one running offer, one approved affiliate and one applying, and
    # its boss (one seat), on a Starter plan that allows one of each
    world = build_world(with_people=True)
    gateway = load_function("api")
    plans = FakeEntitlements(plans=(ONE_OF_EACH, PRO, BUSINESS, ENTERPRISE))
    for logical_id, name, attribute in GATED:
        built = getattr(gateway.function(logical_id), name)()
        monkeypatch.setattr(built, attribute, PlanGate(plans))
    api = Api(gateway)
    return Limited(api, world, plans, api.login(world.emails["advertiser"], PASSWORD)["access_token"])


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
    limited.plans.subscribe(limited.world.advertiser_id, PRO.code)
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
