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


def test_only_the_owner_is_told_and_allowed_to_make_owners_and_platform_admins(
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
    # And the API holds each to it: the admin invites support but no platform admin, the owner both
    invite = {"email": "second-admin@example.com", "role": "platform_admin"}
    assert api.call("POST", "/api/users/invite", invite, token=admin).code == "forbidden"
    helper = api.call(
        "POST", "/api/users/invite", {"email": "help@example.com", "role": "support"}, token=admin
    )
    assert helper.status == 201
    assert api.call("POST", "/api/users/invite", invite, token=owner).status == 201
    # Nor does the admin promote support to platform admin; the owner may
    promote = {"role": "platform_admin"}
    target = helper.body["user"]["id"]
    assert api.call("PATCH", f"/api/users/{target}", promote, token=admin).code == "forbidden"
    assert (
        api.call("PATCH", f"/api/users/{target}", promote, token=owner).body["user"]["role"]
        == "platform_admin"
    )
