"""Staff's help of a person through the API: a lost second factor reset (support may, for an
advertiser's or an affiliate's person, never for the owner), and "view as": a read-only token that
reads the person's dashboard, is refused every change and every secret, and expires."""

from __future__ import annotations

import os
from datetime import timedelta

import pyotp
import pytest

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import Role
from partnerka.accounts.tokens import VIEW_AS_TTL, Principal, issue_access_token
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.secrets import secret_reader
from tests.integration.api_client import Api
from tests.integration.conftest import FunctionLoader
from tests.integration.world import PASSWORD, World, build_world

CHECKED = "asked the security question on file and called back"


@pytest.fixture
def world() -> World:
    world = build_world(with_people=True)
    service, _ = account_services(read_settings(AccountSettings))
    provisioning.create_verified_user(service, "support@example.com", PASSWORD, "Sam Support", Role.SUPPORT)
    world.emails["support"] = "support@example.com"
    return world


def user_id_of(api: Api, email: str) -> str:
    token = api.login(email, PASSWORD)["access_token"]
    return str(api.call("GET", "/api/me", token=token).body["user"]["id"])


def with_mfa(api: Api, email: str) -> None:
    token = api.login(email, PASSWORD)["access_token"]
    secret = api.call("POST", "/api/me/mfa/setup", token=token).body["secret"]
    enabled = api.call(
        "POST", "/api/me/mfa/enable", {"password": PASSWORD, "code": pyotp.TOTP(secret).now()}, token=token
    )
    assert enabled.status == 200, enabled.body


def test_support_resets_an_advertisers_lost_second_factor_but_never_the_owners(
    load_function: FunctionLoader, world: World
) -> None:
    api = Api(load_function("api"))
    boss_id, owner_id = user_id_of(api, world.emails["advertiser"]), user_id_of(api, world.emails["owner"])
    with_mfa(api, world.emails["advertiser"])
    with_mfa(api, world.emails["owner"])
    support = api.login(world.emails["support"], PASSWORD)["access_token"]
    body = {"identity_check": CHECKED}
    # The identity check is required
    missing = api.call("POST", f"/api/users/{boss_id}/reset-mfa", {}, token=support)
    assert missing.code == "validation_error"
    # Support resets the advertiser's: it signs in with its password alone again
    reset = api.call("POST", f"/api/users/{boss_id}/reset-mfa", body, token=support)
    assert reset.status == 200, reset.body
    assert reset.body["user"]["mfa_enabled"] is False
    assert "access_token" in api.login(world.emails["advertiser"], PASSWORD)
    # But not the owner's
    refused = api.call("POST", f"/api/users/{owner_id}/reset-mfa", body, token=support)
    assert (refused.status, refused.code) == (403, "forbidden")
    assert "mfa_token" in api.login(world.emails["owner"], PASSWORD)
    # Nor may an advertiser reset anyone's
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    assert api.call("POST", f"/api/users/{owner_id}/reset-mfa", body, token=boss).code == "forbidden"


def test_view_as_reads_the_persons_dashboard_and_changes_nothing(
    load_function: FunctionLoader, world: World
) -> None:
    api = Api(load_function("api"))
    boss_id = user_id_of(api, world.emails["advertiser"])
    support = api.login(world.emails["support"], PASSWORD)["access_token"]
    # When support views the advertiser
    seen = api.call("POST", f"/api/users/{boss_id}/view-as", token=support)
    assert seen.status == 200, seen.body
    assert (seen.body["user"]["id"], seen.body["context"]["advertiser_name"]) == (boss_id, "Acme Shoes")
    assert seen.body["expires_in"] == int(VIEW_AS_TTL.total_seconds())
    token = seen.body["access_token"]
    # Then it reads what the advertiser reads, marked as viewed, with no permission to change anything
    me = api.call("GET", "/api/me", token=token).body
    assert (me["user"]["id"], me["viewed_by"]) == (boss_id, user_id_of(api, world.emails["support"]))
    assert "workspace:read:own" in me["permissions"]
    assert not [p for p in me["permissions"] if ":manage" in p or "secrets" in p]
    offers = api.call("GET", "/api/offers", token=token)
    assert [o["id"] for o in offers.body["items"]] == [world.offer.offer_id]
    # And the offer's postback secret, which the advertiser sees, stays hidden
    offer = api.call("GET", f"/api/offers/{world.offer.offer_id}", token=token).body
    assert offer["postback_secret"] is None
    # And every change is refused, its own account's included
    for method, path, body in [
        ("PATCH", f"/api/offers/{world.offer.offer_id}", {"status": "paused"}),
        ("POST", "/api/registration-links", {"label": "by a viewer"}),
        ("PATCH", "/api/me", {"locale": "ru"}),
        ("POST", "/api/me/mfa/setup", None),
        ("POST", "/api/me/password", {"current_password": PASSWORD, "new_password": PASSWORD + "!"}),
    ]:
        refused = api.call(method, path, body, token=token)
        assert (refused.status, refused.code) == (403, "forbidden"), (path, refused.body)
        assert "read-only" in refused.body["error"]["message"]
    # While the advertiser's own session changes what it may
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    assert api.call("GET", f"/api/offers/{world.offer.offer_id}", token=boss).body["postback_secret"]


def test_an_affiliate_viewed_keeps_its_postback_secret_hidden(
    load_function: FunctionLoader, world: World
) -> None:
    api = Api(load_function("api"))
    pro = api.login(world.emails["affiliate"], PASSWORD)["access_token"]
    saved = api.call(
        "PUT",
        "/api/postback-settings",
        {"url": "https://tracker.example/hook", "events": ["sale"], "format": "webhook"},
        token=pro,
    ).body
    assert saved["signing_secret"].startswith("whsec_")
    admin = api.login(world.emails["owner"], PASSWORD)["access_token"]
    seen = api.call(
        "POST", f"/api/users/{user_id_of(api, world.emails['affiliate'])}/view-as", token=admin
    ).body
    assert seen["context"]["advertiser_id"] == world.advertiser_id
    shown = api.call("GET", "/api/postback-settings", token=seen["access_token"]).body
    assert shown["url"] == "https://tracker.example/hook"
    assert shown["signing_secret"] == ""


def test_an_expired_or_forged_view_as_token_is_refused(load_function: FunctionLoader, world: World) -> None:
    api = Api(load_function("api"))
    boss_id = user_id_of(api, world.emails["advertiser"])
    support_id = user_id_of(api, world.emails["support"])
    key = secret_reader(os.environ["JWT_SECRET_ARN"])()
    viewer = Principal(boss_id, Role.ADVERTISER, world.advertiser_id, viewed_by=support_id)
    expired = issue_access_token(key, viewer, utc_now() - VIEW_AS_TTL - timedelta(seconds=5), VIEW_AS_TTL)
    assert api.call("GET", "/api/me", token=expired).code == "unauthenticated"
    # A viewer who may not view (an advertiser naming itself as the viewer) is refused too
    other = Principal(boss_id, Role.ADVERTISER, world.advertiser_id, viewed_by=boss_id)
    forged = issue_access_token(key, other, utc_now(), VIEW_AS_TTL)
    assert api.call("GET", "/api/me", token=forged).code == "unauthenticated"
    # And an advertiser asks for no view-as token
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    assert api.call("POST", f"/api/users/{support_id}/view-as", token=boss).code == "forbidden"
