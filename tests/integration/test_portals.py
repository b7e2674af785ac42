"""An advertiser's portal domain serves that advertiser's affiliates and team only, in its context:
through the real API functions, with the host as the browser (or the edge) gives it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import MembershipStatus, Role
from partnerka.audit.service import Actor
from partnerka.common.config import read_settings
from partnerka.common.pynamo import use_core_table
from partnerka.domains.models import Domain, DomainKind, DomainStatus
from partnerka.domains.names import DomainName
from partnerka.domains.repository import DomainRepository
from tests.integration.api_client import Api, Mailbox, sent_links
from tests.integration.conftest import FunctionLoader
from tests.integration.world import PASSWORD, World, build_world


@dataclass
class Setup:
    api: Api
    world: World
    other_advertiser: str
    acme_link: str
    other_link: str
    portal: str  # Acme's portal domain (a new one per test: a warm function knows a host's owner a while)

    @property
    def on_portal(self) -> dict[str, str]:
        return {"host": self.portal}

    def login(self, who: str, headers: dict[str, str] | None = None) -> Any:
        return self.api.call(
            "POST",
            "/api/auth/login",
            {"email": self.world.emails[who], "password": PASSWORD},
            headers=headers,
        )


@pytest.fixture
def setup(load_function: FunctionLoader, mailbox: Mailbox) -> Setup:
    world = build_world(with_people=True)
    service, workspace = account_services(read_settings(AccountSettings))
    other = provisioning.create_advertiser(service.accounts, "Other Brand")
    provisioning.set_membership(service.accounts, other.id, world.affiliate_id, MembershipStatus.ACTIVE)
    provisioning.create_verified_user(
        service, "boss@other.example", PASSWORD, "Boss", Role.ADVERTISER, other.id
    )
    world.emails["other_advertiser"] = "boss@other.example"
    actor = Actor(None, "seed@test")
    acme_link = workspace.create_link(world.advertiser_id, "portal", actor).code
    other_link = workspace.create_link(other.id, "other", actor).code
    use_core_table(os.environ["CORE_TABLE"])
    now = datetime.now(UTC)
    host = f"partners-{world.advertiser_id.lower()}.acme.example"
    portal = Domain(
        "dom-p",
        world.advertiser_id,
        DomainName(host),
        DomainKind.PORTAL,
        DomainStatus.ACTIVE,
        "t",
        now,
        now,
    )
    DomainRepository().add(portal)
    return Setup(Api(load_function("api"), mailbox=mailbox), world, other.id, acme_link, other_link, host)


def test_an_affiliate_of_several_advertisers_sees_only_the_portals_one_there(setup: Setup) -> None:
    # When the affiliate of Acme and of another advertiser signs in on Acme's portal
    session = setup.login("affiliate", setup.on_portal)
    assert session.status == 200, session.body
    assert session.body["context"]["advertiser_id"] == setup.world.advertiser_id
    token = session.body["access_token"]
    # Then its memberships there are Acme's only, and it cannot switch to the other program
    me = setup.api.call("GET", "/api/me", token=token, headers=setup.on_portal).body
    assert [m["advertiser_id"] for m in me["memberships"]] == [setup.world.advertiser_id]
    switched = setup.api.call(
        "POST",
        "/api/me/context",
        {"advertiser_id": setup.other_advertiser},
        token=token,
        headers=setup.on_portal,
    )
    assert switched.status == 403
    # while on the platform's own host the same affiliate still has both
    elsewhere = setup.login("affiliate")
    platform_me = setup.api.call("GET", "/api/me", token=elsewhere.body["access_token"]).body
    assert {m["advertiser_id"] for m in platform_me["memberships"]} == {
        setup.world.advertiser_id,
        setup.other_advertiser,
    }
    # and a session made for the other program is refused on Acme's portal
    other_context = setup.api.call(
        "POST",
        "/api/me/context",
        {"advertiser_id": setup.other_advertiser},
        token=elsewhere.body["access_token"],
    )
    assert other_context.status == 200, other_context.body
    refused = setup.api.call(
        "GET", "/api/my/offers", token=other_context.body["access_token"], headers=setup.on_portal
    )
    assert refused.status == 403


def test_only_the_advertisers_own_team_and_its_affiliates_sign_in_on_its_portal(setup: Setup) -> None:
    assert setup.login("advertiser", setup.on_portal).status == 200
    for stranger in ("owner", "other_advertiser"):
        refused = setup.login(stranger, setup.on_portal)
        assert refused.status == 403, stranger
        assert "partners and team only" in refused.body["error"]["detail"]
        assert setup.login(stranger).status == 200  # on the platform's host, as ever
    # an advertiser's own token cannot be carried to another's portal
    other_token = setup.login("other_advertiser").body["access_token"]
    assert setup.api.call("GET", "/api/offers", token=other_token, headers=setup.on_portal).status == 403


def test_registration_links_and_emailed_links_belong_to_the_portal(setup: Setup) -> None:
    # Another advertiser's link does not exist on Acme's portal; Acme's does
    assert setup.api.call("GET", f"/api/join/{setup.other_link}", headers=setup.on_portal).status == 404
    assert setup.api.call("GET", f"/api/join/{setup.acme_link}", headers=setup.on_portal).status == 200
    # Signing up through it there, the e-mailed link comes back to the portal
    signup = {"email": "new@aff.example", "password": "a long enough pass", "name": "New Partner"}
    created = setup.api.call("POST", f"/api/join/{setup.acme_link}/signup", signup, headers=setup.on_portal)
    assert created.status == 201, created.body
    (link,) = setup.api.mailbox.links("new@aff.example", "verify-email")
    assert link.startswith(f"https://{setup.portal}/verify-email?token=")
    # A reset asked on the portal points there too, but not for an account the portal does not serve
    for who in ("affiliate", "other_advertiser"):
        sent = setup.api.call(
            "POST", "/api/auth/password/forgot", {"email": setup.world.emails[who]}, headers=setup.on_portal
        )
        assert sent.status == 204
    setup.api.mailbox.deliver()
    (affiliate_link,) = sent_links(setup.world.emails["affiliate"], "reset-password")
    (other_link,) = sent_links(setup.world.emails["other_advertiser"], "reset-password")
    assert affiliate_link.startswith(f"https://{setup.portal}/")
    assert not other_link.startswith(f"https://{setup.portal}/")
    # Nobody signs up as an advertiser on a portal
    company = {**signup, "email": "adv@new.example", "company_name": "Newco"}
    assert setup.api.call("POST", "/api/auth/signup", company, headers=setup.on_portal).status == 403


def test_a_forged_forwarded_host_without_the_edge_secret_claims_no_portal(setup: Setup) -> None:
    forged = {"x-forwarded-host": setup.portal}
    assert setup.login("owner", forged).status == 200  # the request's own Host decides: the platform's


def test_registration_and_tracking_links_use_the_advertisers_own_active_domains(setup: Setup) -> None:
    boss = setup.login("advertiser").body["access_token"]
    (link,) = setup.api.call("GET", "/api/registration-links", token=boss).body["items"]
    assert link["url"] == f"https://{setup.portal}/join/{setup.acme_link}"
    affiliate = setup.login("affiliate", setup.on_portal).body["access_token"]

    def tracking_links() -> set[str]:
        offers = setup.api.call("GET", "/api/my/offers", token=affiliate, headers=setup.on_portal).body[
            "items"
        ]
        return {offer["tracking_link"].split("/click?")[0] for offer in offers if offer["tracking_link"]}

    assert tracking_links() == {"https://app.partnerka.test"}  # no tracking domain yet: the platform's
    now = datetime.now(UTC)
    for domain_id, host, status in (
        ("dom-t1", f"track-{setup.portal}", DomainStatus.VERIFYING),  # not active: not used
        ("dom-t2", f"go-{setup.portal}", DomainStatus.ACTIVE),
    ):
        name = DomainName(host)
        domain = Domain(
            domain_id, setup.world.advertiser_id, name, DomainKind.TRACKING, status, "t", now, now
        )
        DomainRepository().add(domain)
    assert tracking_links() == {f"https://go-{setup.portal}"}


def test_an_email_asked_for_on_the_portal_wears_the_brand_and_never_the_platforms_name(setup: Setup) -> None:
    boss = setup.login("advertiser").body["access_token"]
    brand = {
        "portal_name": "Acme Partners",
        "sender_name": "Acme Team",
        "support_email": "help@acme.example",
        "primary_color": "#0b5fff",
        "primary_text_color": "#ffffff",
    }
    saved = setup.api.call("PUT", "/api/brand", brand, token=boss)
    assert saved.status == 200, saved.body
    to = setup.world.emails["affiliate"]
    assert (
        setup.api.call("POST", "/api/auth/password/forgot", {"email": to}, headers=setup.on_portal).status
        == 204
    )
    setup.api.mailbox.deliver()
    (message,) = [
        m
        for m in ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
        if to in m.destinations["ToAddresses"]
    ]
    assert message.source.startswith("Acme Team <")
    assert "Acme Partners" in message.body
    assert "background:#0b5fff;color:#ffffff" in message.body
    assert "Partnerka" not in f"{message.subject} {message.body} {message.source}"
