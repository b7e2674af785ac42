"""Who may do what with the platform's billing: the Owner alone manages plans, terms and bank
transfers; staff read any advertiser's subscription; an advertiser's people read and change their own
and pay; its API key only reads; affiliates see nothing of it."""

from __future__ import annotations

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.permissions import Permission, allows, billing_tenant
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden, ValidationFailed

OWNER = Principal("u-owner", Role.OWNER)
ADMIN = Principal("u-admin", Role.PLATFORM_ADMIN)
SUPPORT = Principal("u-support", Role.SUPPORT)
BOSS = Principal("u-boss", Role.ADVERTISER, "adv-a")
KEY = Principal("api_key:k1", Role.ADVERTISER, "adv-a", api_key_id="k1")
AFFILIATE = Principal("u-aff", Role.AFFILIATE, "adv-a", "aff-1")


def test_an_advertisers_people_read_and_change_their_own_subscription_only() -> None:
    assert billing_tenant(BOSS, None, manage=False) == "adv-a"
    assert billing_tenant(BOSS, "adv-a", manage=True) == "adv-a"
    with pytest.raises(Forbidden):
        billing_tenant(BOSS, "adv-b", manage=False)


def test_an_api_key_reads_the_subscription_but_never_pays_or_changes_it() -> None:
    assert billing_tenant(KEY, None, manage=False) == "adv-a"
    with pytest.raises(Forbidden):
        billing_tenant(KEY, None, manage=True)


@pytest.mark.parametrize("staff", [OWNER, ADMIN, SUPPORT])
def test_staff_read_the_advertiser_they_name(staff: Principal) -> None:
    assert billing_tenant(staff, "adv-b", manage=False) == "adv-b"
    with pytest.raises(ValidationFailed):
        billing_tenant(staff, None, manage=False)


def test_only_the_owner_changes_another_advertisers_subscription() -> None:
    assert billing_tenant(OWNER, "adv-b", manage=True) == "adv-b"
    for staff in (ADMIN, SUPPORT):
        with pytest.raises(Forbidden):
            billing_tenant(staff, "adv-b", manage=True)


def test_an_affiliate_sees_nothing_of_the_advertisers_billing() -> None:
    for manage in (False, True):
        with pytest.raises(Forbidden):
            billing_tenant(AFFILIATE, None, manage=manage)


@pytest.mark.parametrize(
    ("permission", "holders"),
    [
        (Permission.PLANS_MANAGE, {Role.OWNER}),
        (Permission.BILLING_MANAGE_ANY, {Role.OWNER}),
        (Permission.BILLING_READ_ANY, {Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT}),
        (Permission.BILLING_MANAGE_OWN, {Role.ADVERTISER}),
    ],
)
def test_each_billing_permission_belongs_to_its_roles(permission: Permission, holders: set[Role]) -> None:
    assert {role for role in Role if allows(role, permission)} == holders
