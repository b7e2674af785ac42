"""`GET /api/me` tells the dashboard what its caller may do: the permission matrix's row for a person's
role, the API-key set for an advertiser's key. The dashboard shows buttons, pages and menu items by
these strings (its `can()`), so they must be exactly what the API enforces."""

from __future__ import annotations

import pytest

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import Role
from partnerka.accounts.permissions import API_KEY_PERMISSIONS, Permission, allows
from partnerka.common.config import read_settings
from tests.integration.api_client import Api
from tests.integration.conftest import FunctionLoader
from tests.integration.test_isolation_matrix import PLAN_BODY
from tests.integration.world import PASSWORD, World, build_world

STAFF = {Role.PLATFORM_ADMIN: "admin@example.com", Role.SUPPORT: "support@example.com"}


@pytest.fixture
def world() -> World:
    world = build_world(with_people=True)
    service, _ = account_services(read_settings(AccountSettings))
    for role, email in STAFF.items():
        provisioning.create_verified_user(service, email, PASSWORD, role.value, role)
        world.emails[role.value] = email
    return world


def permissions_of(api: Api, token: str) -> list[str]:
    me = api.call("GET", "/api/me", token=token)
    assert me.status == 200, me.body
    return me.body["permissions"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("role", list(Role))
def test_me_lists_exactly_the_permissions_the_matrix_grants_the_callers_role(
    load_function: FunctionLoader, world: World, role: Role
) -> None:
    # Given a signed-in person of this role
    api = Api(load_function("api"))
    token = api.login(world.emails[role.value], PASSWORD)["access_token"]
    # When it asks who it is
    granted = permissions_of(api, token)
    # Then it hears its role's row of the matrix, each permission once, in the enum's order
    assert granted == [p.value for p in Permission if allows(role, p)]
    assert granted, "every role may do something"


def test_me_tells_each_role_apart_the_way_the_api_enforces_it(
    load_function: FunctionLoader, world: World
) -> None:
    api = Api(load_function("api"))
    granted = {
        role: set(permissions_of(api, api.login(world.emails[role.value], PASSWORD)["access_token"]))
        for role in Role
    }
    # Support reads users but never manages them; owner and platform admin do both
    assert "users:read" in granted[Role.SUPPORT]
    assert "users:manage" not in granted[Role.SUPPORT]
    assert {"users:read", "users:manage"} <= granted[Role.OWNER] & granted[Role.PLATFORM_ADMIN]
    # The affiliate switches advertisers and keeps postbacks; nobody else has either
    assert {"context:switch", "postbacks:own"} <= granted[Role.AFFILIATE]
    assert all("context:switch" not in granted[role] for role in Role if role is not Role.AFFILIATE)
    # An offer's postback secret: the advertiser and platform managers, never support or affiliates
    assert "offers:secrets:read" in granted[Role.ADVERTISER]
    assert "offers:secrets:read" not in granted[Role.SUPPORT] | granted[Role.AFFILIATE]
    # And what /api/me says is what the API does: support is refused the call its list lacks
    support = api.login(world.emails["support"], PASSWORD)["access_token"]
    refused = api.call(
        "POST", "/api/users/invite", {"email": "x@example.com", "role": "support"}, token=support
    )
    assert refused.code == "forbidden"


def test_an_api_key_hears_the_api_key_set_not_its_advertisers_role(
    load_function: FunctionLoader, world: World
) -> None:
    # Given an advertiser's API key
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    secret = api.call("POST", "/api/api-keys", {"label": "server"}, token=boss).body["secret"]
    # When the key asks who it is
    granted = permissions_of(api, secret)
    # Then it hears the key's set: the advertiser's own work, never people or keys
    assert granted == [p.value for p in Permission if p in API_KEY_PERMISSIONS]
    assert "credentials:manage:own" in permissions_of(api, boss)
    assert "credentials:manage:own" not in granted


def test_only_the_owner_is_told_and_allowed_to_manage_staff(
    load_function: FunctionLoader, world: World
) -> None:
    # Given the owner and a platform admin, who otherwise manage users alike
    api = Api(load_function("api"))
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    admin = api.login(world.emails["platform_admin"], PASSWORD)["access_token"]
    # Then only the owner hears it may manage staff
    assert "users:manage:staff" in permissions_of(api, owner)
    assert "users:manage:staff" not in permissions_of(api, admin)
    assert "users:manage" in permissions_of(api, admin)
    # And the API holds each to it: the admin invites no staff at all, support included; the owner does
    for role in ("platform_admin", "support"):
        invite = {"email": f"second-{role}@example.com", "role": role}
        assert api.call("POST", "/api/users/invite", invite, token=admin).code == "forbidden"
    helper = api.call(
        "POST", "/api/users/invite", {"email": "help@example.com", "role": "support"}, token=owner
    )
    assert helper.status == 201
    # Nor does the admin promote, demote or block support; the owner may
    target = helper.body["user"]["id"]
    for change in ({"role": "platform_admin"}, {"status": "blocked"}):
        assert api.call("PATCH", f"/api/users/{target}", change, token=admin).code == "forbidden"
    promoted = api.call("PATCH", f"/api/users/{target}", {"role": "platform_admin"}, token=owner)
    assert promoted.body["user"]["role"] == "platform_admin"
    # But the admin still invites an advertiser's people: users are its work
    person = {"email": "teammate@example.com", "role": "advertiser", "advertiser_id": world.advertiser_id}
    assert api.call("POST", "/api/users/invite", person, token=admin).status == 201


def test_the_platform_admin_manages_offers_and_statistics_but_not_money_brands_keys_or_plans(
    load_function: FunctionLoader, world: World
) -> None:
    api = Api(load_function("api"))
    admin = api.login(world.emails["platform_admin"], PASSWORD)["access_token"]
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    adv = {"advertiser_id": world.advertiser_id}
    granted = set(permissions_of(api, admin))
    # What the seed gives it: users, offers, statistics, the orchestrator
    assert {"users:manage", "workspace:manage:any", "stats:read:any", "monitor"} <= granted
    assert api.call("GET", "/api/offers", token=admin, **adv).status == 200
    # What it does not: money, white-label, an advertiser's keys, plans, the platform's settings
    assert not granted & {
        "finance:manage:any",
        "branding:manage:any",
        "credentials:manage:any",
        "plans:manage",
        "billing:manage:any",
        "platform:settings",
    }
    refused = [
        ("POST", "/api/finance/payouts", {"method": "wire", "reference": "R"}),
        ("POST", "/api/api-keys", {"label": "admin's key"}),
        ("PUT", "/api/brand", {"portal_name": "Admin's brand", "support_email": "a@example.com"}),
    ]
    for method, path, body in refused:
        assert api.call(method, path, body, token=admin, **adv).code == "forbidden", path
    assert api.call("POST", "/api/api-keys", {"label": "owner's key"}, token=owner, **adv).status == 201
    plan = api.call("POST", "/api/admin/plans", PLAN_BODY | {"code": "admins-plan"}, token=admin)
    assert plan.code == "forbidden"


def test_support_reads_and_helps_but_moves_no_money_and_changes_nothing(
    load_function: FunctionLoader, world: World
) -> None:
    api = Api(load_function("api"))
    support = api.login(world.emails["support"], PASSWORD)["access_token"]
    adv = {"advertiser_id": world.advertiser_id}
    granted = set(permissions_of(api, support))
    assert {"support:help", "view_as", "stats:read:any", "workspace:read:any"} <= granted
    assert not granted & {"accounts:suspend", "finance:manage:any", "workspace:manage:any", "users:manage"}
    assert api.call("GET", "/api/offers", token=support, **adv).status == 200
    january = adv | {"from": "2026-01-01", "to": "2026-01-31"}
    assert api.call("GET", "/api/conversions", token=support, **january).status == 200
    for method, path, body in [
        ("POST", "/api/finance/payouts", {"method": "wire", "reference": "R"}),
        ("PATCH", "/api/offers/none", {"status": "paused"}),
        ("PUT", "/api/settings/postback-ips", {"ips": []}),
    ]:
        assert api.call(method, path, body, token=support, **adv).code == "forbidden", path
