"""Staff suspend and reactivate advertisers and affiliates (accounts.suspension): who may, what is
written (mirrors included), what is audited and told, and what a suspended account's people may do."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from partnerka.accounts.callers import Callers
from partnerka.accounts.models import Advertiser, Affiliate, Membership, MembershipStatus, Role
from partnerka.accounts.routing import AccountStatus
from partnerka.accounts.suspension import (
    AccountStandings,
    AccountSuspended,
    Suspensions,
    SuspensionScope,
    suspension_of,
)
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor
from partnerka.common.errors import Forbidden, NotFound, ValidationFailed
from partnerka.notifications.events import EventType, Side
from partnerka.notifications.messages import render
from tests.unit.fakes import FakeAccounts, FakeAudit, FakeClock, FakeNotices

ADMIN = Principal("u-admin", Role.PLATFORM_ADMIN)
SUPPORT = Principal("u-support", Role.SUPPORT)
STAFF = Actor("u-admin", "admin@platform.example", "req-1")
ACME, OTHER, IVAN = "adv-acme", "adv-other", "aff-ivan"
NOW = "2026-12-01T10:00:00.000Z"


@dataclass
class World:
    accounts: FakeAccounts = field(default_factory=FakeAccounts)
    audit: FakeAudit = field(default_factory=FakeAudit)
    notices: FakeNotices = field(default_factory=FakeNotices)
    clock: FakeClock = field(default_factory=FakeClock)

    @property
    def suspensions(self) -> Suspensions:
        return Suspensions(self.accounts, self.audit, self.notices, self.clock.now)

    def advertiser(self, advertiser_id: str = ACME) -> Advertiser:
        return self.accounts.get_advertiser(advertiser_id)

    def affiliate(self) -> Affiliate:
        return self.accounts.get_affiliate(IVAN)

    def membership(self, advertiser_id: str = ACME) -> Membership:
        found = self.accounts.get_membership(advertiser_id, IVAN)
        assert found is not None
        return found


@pytest.fixture
def world() -> World:
    world = World()
    world.accounts.add_advertiser(Advertiser(ACME, "Acme", NOW))
    world.accounts.add_advertiser(Advertiser(OTHER, "Other", NOW))
    world.accounts.add_affiliate(Affiliate(IVAN, "Ivan Media", "ivan@media.example", NOW))
    for advertiser_id in (ACME, OTHER):
        world.accounts.save_membership(Membership(advertiser_id, IVAN, MembershipStatus.ACTIVE, NOW, NOW))
    return world


# ---------------------------------------------------------------------- advertisers
def test_suspending_an_advertiser_writes_its_status_audits_and_tells_its_team_the_reason(
    world: World,
) -> None:
    standing = world.suspensions.suspend_advertiser(ADMIN, ACME, "  unpaid chargebacks ", STAFF)

    assert standing.changed
    stored = world.advertiser()
    assert (stored.status, stored.suspended_at, stored.suspension_reason) == (
        AccountStatus.SUSPENDED,
        NOW,
        "unpaid chargebacks",
    )
    [entry] = world.audit.records
    assert (entry.actor, entry.tenant_id, entry.action, entry.target) == (
        STAFF,
        ACME,
        "advertiser.suspended",
        f"advertiser:{ACME}",
    )
    assert entry.before == {"status": "active", "suspended_at": None, "suspension_reason": ""}
    assert entry.after == {
        "status": "suspended",
        "suspended_at": NOW,
        "suspension_reason": "unpaid chargebacks",
    }
    [told] = world.notices.sent
    assert (told.type, told.advertiser_id, told.audience.advertiser_team) == (
        EventType.ACCOUNT_SUSPENDED,
        ACME,
        True,
    )
    assert told.data["scope"] == "advertiser"
    assert told.data["reason"] == "unpaid chargebacks"
    assert world.advertiser(OTHER).status is AccountStatus.ACTIVE


def test_suspending_a_suspended_advertiser_changes_audits_and_tells_nothing(world: World) -> None:
    world.suspensions.suspend_advertiser(ADMIN, ACME, "first reason", STAFF)
    world.clock.at = world.clock.at.replace(hour=11)

    again = world.suspensions.suspend_advertiser(ADMIN, ACME, "second reason", STAFF)

    assert not again.changed
    assert again.advertiser.suspension_reason == "first reason"
    assert world.advertiser().suspended_at == NOW
    assert world.audit.actions() == ["advertiser.suspended"]
    assert len(world.notices.sent) == 1


def test_reactivating_an_advertiser_clears_the_suspension_and_tells_the_note(world: World) -> None:
    world.suspensions.suspend_advertiser(ADMIN, ACME, "unpaid chargebacks", STAFF)

    standing = world.suspensions.reactivate_advertiser(ADMIN, ACME, STAFF, "settled")
    again = world.suspensions.reactivate_advertiser(ADMIN, ACME, STAFF)

    assert standing.changed
    assert not again.changed
    stored = world.advertiser()
    assert (stored.status, stored.suspended_at, stored.suspension_reason) == (AccountStatus.ACTIVE, None, "")
    assert world.audit.actions() == ["advertiser.suspended", "advertiser.reactivated"]
    reactivated = world.notices.of_type(EventType.ACCOUNT_REACTIVATED)
    assert [(e.data["scope"], e.data["reason"]) for e in reactivated] == [("advertiser", "settled")]


@pytest.mark.parametrize("principal", [SUPPORT, Principal("u-boss", Role.ADVERTISER, ACME)])
def test_only_owner_and_platform_admin_suspend(world: World, principal: Principal) -> None:
    with pytest.raises(Forbidden):
        world.suspensions.suspend_advertiser(principal, ACME, "why", STAFF)
    with pytest.raises(Forbidden):
        world.suspensions.suspend_affiliate(principal, IVAN, "why", STAFF, ACME)
    with pytest.raises(Forbidden):
        world.suspensions.reactivate_affiliate(principal, IVAN, STAFF)
    assert world.advertiser().status is AccountStatus.ACTIVE
    assert world.audit.records == []


def test_a_suspension_needs_a_reason(world: World) -> None:
    with pytest.raises(ValidationFailed):
        world.suspensions.suspend_advertiser(ADMIN, ACME, "   ", STAFF)
    with pytest.raises(ValidationFailed):
        world.suspensions.suspend_affiliate(ADMIN, IVAN, "x" * 501, STAFF)
    assert world.advertiser().status is AccountStatus.ACTIVE
    assert world.affiliate().status is AccountStatus.ACTIVE


def test_unknown_accounts_are_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.suspensions.suspend_advertiser(ADMIN, "adv-nobody", "why", STAFF)
    with pytest.raises(NotFound):
        world.suspensions.suspend_affiliate(ADMIN, "aff-nobody", "why", STAFF)
    with pytest.raises(NotFound):
        world.suspensions.suspend_affiliate(ADMIN, "aff-nobody", "why", STAFF, ACME)
    with pytest.raises(NotFound):
        world.suspensions.suspend_affiliate(ADMIN, IVAN, "why", STAFF, "adv-nobody")


# ---------------------------------------------------------------------- affiliates
def test_suspending_an_affiliate_everywhere_keeps_its_memberships_and_mirror(world: World) -> None:
    standing = world.suspensions.suspend_affiliate(ADMIN, IVAN, "bot traffic", STAFF)

    assert standing.changed
    assert standing.membership is None
    affiliate = world.affiliate()
    assert (affiliate.status, affiliate.suspension_reason) == (AccountStatus.SUSPENDED, "bot traffic")
    assert affiliate.approved_advertisers == {ACME, OTHER}
    assert world.membership().status is MembershipStatus.ACTIVE
    [entry] = world.audit.records
    assert (entry.tenant_id, entry.action, entry.target) == (None, "affiliate.suspended", f"affiliate:{IVAN}")
    [told] = world.notices.sent
    assert (told.advertiser_id, told.audience.affiliate_id, told.audience.advertiser_team) == (
        "",
        IVAN,
        False,
    )
    assert (told.data["scope"], told.data["reason"]) == ("affiliate", "bot traffic")


def test_suspending_an_affiliate_in_one_program_mirrors_it_and_keeps_the_advertisers_decision(
    world: World,
) -> None:
    standing = world.suspensions.suspend_affiliate(ADMIN, IVAN, "fake leads", STAFF, ACME)

    assert standing.changed
    membership = world.membership()
    assert (membership.status, membership.suspended_at, membership.suspension_reason) == (
        MembershipStatus.ACTIVE,
        NOW,
        "fake leads",
    )
    affiliate = world.affiliate()
    assert affiliate.status is AccountStatus.ACTIVE
    assert affiliate.suspended_advertisers == {ACME}
    assert affiliate.approved_advertisers == {ACME, OTHER}
    assert not world.membership(OTHER).suspended
    [entry] = world.audit.records
    assert (entry.tenant_id, entry.action) == (ACME, "membership.suspended")
    assert (entry.before or {})["status"] == (entry.after or {})["status"] == "active"
    [told] = world.notices.sent
    assert (told.advertiser_id, told.audience.affiliate_id, told.audience.advertiser_team) == (
        ACME,
        IVAN,
        True,
    )
    assert told.data == {
        "scope": "program",
        "reason": "fake leads",
        "affiliate_id": IVAN,
        "affiliate_name": "Ivan Media",
        "advertiser_name": "Acme",
    }


def test_reactivating_a_membership_restores_it_exactly(world: World) -> None:
    before = world.membership()
    mirror = world.affiliate()
    world.suspensions.suspend_affiliate(ADMIN, IVAN, "fake leads", STAFF, ACME)

    standing = world.suspensions.reactivate_affiliate(ADMIN, IVAN, STAFF, ACME)
    again = world.suspensions.reactivate_affiliate(ADMIN, IVAN, STAFF, ACME)

    assert standing.changed
    assert not again.changed
    assert world.membership() == before
    assert world.affiliate() == mirror
    assert world.audit.actions() == ["membership.suspended", "membership.reactivated"]
    assert [e.type for e in world.notices.sent] == [
        EventType.ACCOUNT_SUSPENDED,
        EventType.ACCOUNT_REACTIVATED,
    ]


def test_a_decision_of_the_advertiser_keeps_a_suspension_in_its_mirror(world: World) -> None:
    world.suspensions.suspend_affiliate(ADMIN, IVAN, "fake leads", STAFF, ACME)

    world.accounts.save_membership(
        Membership(
            ACME, IVAN, MembershipStatus.BLOCKED, NOW, NOW, world.membership().suspended_at, "fake leads"
        )
    )

    assert world.affiliate().suspended_advertisers == {ACME}
    assert ACME not in world.affiliate().approved_advertisers


def test_reactivating_everywhere_leaves_a_programs_suspension(world: World) -> None:
    world.suspensions.suspend_affiliate(ADMIN, IVAN, "fake leads", STAFF, ACME)
    world.suspensions.suspend_affiliate(ADMIN, IVAN, "bot traffic", STAFF)

    world.suspensions.reactivate_affiliate(ADMIN, IVAN, STAFF)

    assert world.affiliate().status is AccountStatus.ACTIVE
    assert world.affiliate().suspended_advertisers == {ACME}
    assert world.membership().suspended


# ---------------------------------------------------------------------- what a suspension stops
def test_a_suspended_advertisers_people_and_api_keys_may_not_change_anything(world: World) -> None:
    callers = Callers(world.accounts, lambda: "key")
    person = Principal("u-boss", Role.ADVERTISER, ACME)
    api_key = Principal("api_key:k1", Role.ADVERTISER, ACME, api_key_id="k1")
    callers.ensure_not_suspended(person)

    world.suspensions.suspend_advertiser(ADMIN, ACME, "unpaid chargebacks", STAFF)

    for principal in (person, api_key):
        with pytest.raises(AccountSuspended):
            callers.ensure_not_suspended(principal)
    callers.ensure_not_suspended(Principal("u-other", Role.ADVERTISER, OTHER))
    callers.ensure_not_suspended(ADMIN)
    suspension = suspension_of(world.accounts, person)
    assert suspension is not None
    assert (suspension.scope, suspension.reason, suspension.since) == (
        SuspensionScope.ADVERTISER,
        "unpaid chargebacks",
        NOW,
    )


def test_an_affiliate_suspended_in_one_program_is_read_only_there_only(world: World) -> None:
    callers = Callers(world.accounts, lambda: "key")
    world.suspensions.suspend_affiliate(ADMIN, IVAN, "fake leads", STAFF, ACME)

    with pytest.raises(AccountSuspended):
        callers.ensure_not_suspended(Principal("u-ivan", Role.AFFILIATE, ACME, IVAN))
    callers.ensure_not_suspended(Principal("u-ivan", Role.AFFILIATE, OTHER, IVAN))
    callers.ensure_not_suspended(Principal("u-ivan", Role.AFFILIATE, None, IVAN))

    world.suspensions.suspend_affiliate(ADMIN, IVAN, "bot traffic", STAFF)
    with pytest.raises(AccountSuspended):
        callers.ensure_not_suspended(Principal("u-ivan", Role.AFFILIATE, None, IVAN))


def test_payouts_wait_for_a_suspended_advertiser_or_affiliate(world: World) -> None:
    standings = AccountStandings(world.accounts)
    standings.ensure_advertiser_active(ACME)
    standings.ensure_affiliate_active(ACME, IVAN)

    world.suspensions.suspend_affiliate(ADMIN, IVAN, "fake leads", STAFF, ACME)
    with pytest.raises(AccountSuspended):
        standings.ensure_affiliate_active(ACME, IVAN)
    standings.ensure_affiliate_active(OTHER, IVAN)

    world.suspensions.suspend_advertiser(ADMIN, OTHER, "fraud", STAFF)
    with pytest.raises(AccountSuspended):
        standings.ensure_advertiser_active(OTHER)


# ---------------------------------------------------------------------- what people read
@pytest.mark.parametrize("language", ["en", "ru"])
def test_each_side_reads_the_suspension_with_its_reason(world: World, language: str) -> None:
    world.suspensions.suspend_affiliate(ADMIN, IVAN, "fake leads", STAFF, ACME)
    [event] = world.notices.sent

    to_affiliate = render(event, language, Side.AFFILIATE)
    to_advertiser = render(event, language, Side.ADVERTISER)

    assert "fake leads" in to_affiliate.body
    assert "Acme" in to_affiliate.body
    assert "fake leads" in to_advertiser.body
    assert "Ivan Media" in to_advertiser.body
    assert to_affiliate.body != to_advertiser.body
