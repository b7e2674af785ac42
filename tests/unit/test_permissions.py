"""The permission matrix's answers for the workspace, offers and postback routes, and the one rule of
who sees which postback deliveries."""

from __future__ import annotations

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.permissions import (
    MATRIX,
    VIEW_AS_PERMISSIONS,
    Permission,
    affiliate_context,
    allows,
    branding_tenant,
    credentials_tenant,
)
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden, ValidationFailed
from partnerka.postbacks.service import DeliveryScope, delivery_scope, opening_scope

ACME, OTHER, PRO = "adv-acme", "adv-other", "aff-pro"

OWNER = Principal("u-owner", Role.OWNER)
ADMIN = Principal("u-admin", Role.PLATFORM_ADMIN)
SUPPORT = Principal("u-support", Role.SUPPORT)
BOSS = Principal("u-boss", Role.ADVERTISER, advertiser_id=ACME)
API_KEY = Principal("api_key:k1", Role.ADVERTISER, advertiser_id=ACME, api_key_id="k1")
PARTNER = Principal("u-pro", Role.AFFILIATE, advertiser_id=ACME, affiliate_id=PRO)
PARTNER_WITHOUT_CONTEXT = Principal("u-pro", Role.AFFILIATE, affiliate_id=PRO)


@pytest.mark.parametrize(
    ("principal", "may"),
    [
        (OWNER, True),
        (ADMIN, True),
        (PARTNER, True),
        (SUPPORT, False),
        (BOSS, False),
        (API_KEY, False),
    ],
)
def test_staff_and_the_affiliate_replay_deliveries_nobody_else_does(principal: Principal, may: bool) -> None:
    assert allows(principal, Permission.DELIVERIES_REPLAY) is may


@pytest.mark.parametrize(
    ("principal", "may"),
    [
        (BOSS, True),
        (PARTNER, True),
        (PARTNER_WITHOUT_CONTEXT, True),
        (API_KEY, False),
        (OWNER, False),
        (ADMIN, False),
        (SUPPORT, False),
    ],
)
def test_webhook_endpoints_are_managed_by_an_advertisers_people_and_by_affiliates_only(
    principal: Principal, may: bool
) -> None:
    assert allows(principal, Permission.WEBHOOKS_OWN) is may


def test_team_and_api_keys_are_managed_by_the_advertisers_people_and_the_owner_never_by_a_key() -> None:
    assert credentials_tenant(BOSS, None) == ACME
    assert credentials_tenant(OWNER, OTHER) == OTHER
    with pytest.raises(Forbidden, match="another advertiser"):
        credentials_tenant(BOSS, OTHER)
    with pytest.raises(ValidationFailed, match="advertiser_id is required"):
        credentials_tenant(OWNER, None)
    # A platform admin mints no key: a key pays its advertiser's affiliates, money it may not move
    for refused in (ADMIN, API_KEY, SUPPORT, PARTNER):
        with pytest.raises(Forbidden):
            credentials_tenant(refused, ACME)


def test_a_brand_is_changed_by_its_advertisers_people_and_by_the_owner_naming_it() -> None:
    assert branding_tenant(BOSS, None) == ACME
    assert branding_tenant(BOSS, ACME) == ACME
    assert branding_tenant(OWNER, OTHER) == OTHER
    with pytest.raises(Forbidden, match="another advertiser"):
        branding_tenant(BOSS, OTHER)
    with pytest.raises(ValidationFailed, match="advertiser_id is required"):
        branding_tenant(OWNER, None)
    # The platform admin manages users, offers and statistics, not white-label; support reads and
    # never changes; an API key does not do the dashboard's work; an affiliate sees brands only as a
    # portal shows them
    for refused in (ADMIN, SUPPORT, API_KEY, PARTNER, PARTNER_WITHOUT_CONTEXT):
        with pytest.raises(Forbidden):
            branding_tenant(refused, ACME)


def test_an_affiliate_works_in_the_advertiser_context_it_chose() -> None:
    assert affiliate_context(PARTNER, Permission.OFFERS_RUN) == (ACME, PRO)
    with pytest.raises(Forbidden, match="select an advertiser first"):
        affiliate_context(PARTNER_WITHOUT_CONTEXT, Permission.OFFERS_RUN)
    for refused in (BOSS, OWNER, API_KEY):
        with pytest.raises(Forbidden, match="may not"):
            affiliate_context(refused, Permission.OFFERS_RUN)


def test_staff_see_every_delivery_or_the_advertiser_they_name() -> None:
    assert delivery_scope(OWNER, None) == DeliveryScope()
    assert delivery_scope(SUPPORT, OTHER) == DeliveryScope(OTHER)


def test_an_advertiser_and_its_api_key_see_the_deliveries_of_its_own_events_but_affiliates_endpoints() -> (
    None
):
    assert delivery_scope(BOSS, None) == DeliveryScope(ACME, affiliate_endpoints=False)
    assert delivery_scope(API_KEY, ACME) == DeliveryScope(ACME, affiliate_endpoints=False)
    with pytest.raises(Forbidden, match="another advertiser"):
        delivery_scope(BOSS, OTHER)


def test_an_affiliate_sees_only_its_own_deliveries_in_its_current_advertiser() -> None:
    assert delivery_scope(PARTNER, None) == DeliveryScope(ACME, PRO)
    with pytest.raises(ValidationFailed, match="select an advertiser first"):
        delivery_scope(PARTNER_WITHOUT_CONTEXT, None)
    with pytest.raises(Forbidden):
        delivery_scope(PARTNER, OTHER)


def test_a_principal_that_sees_no_deliveries_opens_none_rather_than_being_refused() -> None:
    assert opening_scope(PARTNER) == DeliveryScope(ACME, PRO)
    assert opening_scope(PARTNER_WITHOUT_CONTEXT) is None
    assert opening_scope(Principal("u-x", Role.AFFILIATE, advertiser_id=ACME)) is None


def test_the_roles_are_the_seeds_the_owner_alone_manages_money_brands_keys_plans_settings_and_staff() -> None:
    owner, admin, support = (MATRIX[role] for role in (Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT))
    assert admin < owner
    assert owner - admin == {
        Permission.FINANCE_MANAGE_ANY,
        Permission.CREDENTIALS_MANAGE_ANY,
        Permission.BRANDING_MANAGE_ANY,
        Permission.USERS_MANAGE_STAFF,
        Permission.PLANS_MANAGE,
        Permission.BILLING_MANAGE_ANY,
        Permission.PLATFORM_SETTINGS,
    }
    # The platform admin: users, offers (any advertiser's workspace), statistics, the orchestrator
    assert {Permission.USERS_MANAGE, Permission.WORKSPACE_MANAGE_ANY, Permission.MONITOR} <= admin
    # Support reads and helps: nothing it holds changes a setting, a user or money
    assert support < admin
    changes = {p for p in support if ":manage" in p.value or p.value.endswith(":suspend")}
    assert changes == set()
    assert {Permission.SUPPORT_HELP, Permission.VIEW_AS, Permission.STATS_READ_ANY_ADVERTISER} <= support


def test_a_viewer_reads_as_the_person_but_changes_nothing_and_sees_no_secret() -> None:
    viewed = Principal("u-boss", Role.ADVERTISER, advertiser_id=ACME, viewed_by="u-support")
    assert allows(viewed, Permission.WORKSPACE_READ_OWN)
    assert not allows(viewed, Permission.WORKSPACE_MANAGE_OWN)
    assert not allows(viewed, Permission.OFFER_SECRETS_READ)
    assert not allows(viewed, Permission.FINANCE_MANAGE_OWN)
    # And nothing a role does not hold comes with viewing: an advertiser viewed reads no affiliate's books
    assert not allows(viewed, Permission.FINANCE_READ_AFFILIATE)
    assert all(":manage" not in p.value for p in VIEW_AS_PERMISSIONS)
