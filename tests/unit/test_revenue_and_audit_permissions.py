"""The matrix's word on two rules the routes used to decide by role: who sees what the advertiser
pays (revenue, profit, ROI), and whose audit log a caller reads."""

from __future__ import annotations

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.permissions import Permission, allows, audit_tenant
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden

ADVERTISER = "adv-1"


def test_everyone_who_reads_an_advertisers_figures_sees_its_revenue_but_its_affiliates() -> None:
    sees = {role for role in Role if allows(role, Permission.REVENUE_READ)}
    assert sees == {Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT, Role.ADVERTISER}
    api_key = Principal("u-adv", Role.ADVERTISER, advertiser_id=ADVERTISER, api_key_id="key-1")
    assert allows(api_key, Permission.REVENUE_READ)


def test_staff_read_any_advertisers_audit_log_or_the_platforms_and_an_advertiser_only_its_own() -> None:
    for role in (Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT):
        staff = Principal("u-staff", role)
        assert (audit_tenant(staff, None), audit_tenant(staff, "adv-9")) == (None, "adv-9")
    advertiser = Principal("u-adv", Role.ADVERTISER, advertiser_id=ADVERTISER)
    api_key = Principal("u-adv", Role.ADVERTISER, advertiser_id=ADVERTISER, api_key_id="key-1")
    for own in (advertiser, api_key):
        assert audit_tenant(own, None) == audit_tenant(own, ADVERTISER) == ADVERTISER
        with pytest.raises(Forbidden, match="another advertiser"):
            audit_tenant(own, "adv-9")
    for outsider in (
        Principal("u-aff", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id="aff-1"),
        Principal("u-new", Role.ADVERTISER),  # no advertiser yet
    ):
        with pytest.raises(Forbidden, match="may not"):
            audit_tenant(outsider, None)
