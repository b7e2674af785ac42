"""Support's help on fakes: e-mail links sent again, a lost second factor reset after an identity
check, and the read-only "view as" token (what it may do, and when it stops working)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pyotp
import pytest

from partnerka.accounts import provisioning
from partnerka.accounts.callers import Callers
from partnerka.accounts.models import MembershipStatus, Role, User, UserStatus
from partnerka.accounts.permissions import Permission, allows, permissions_of, shows_secrets
from partnerka.accounts.service import AccountService, Session
from partnerka.accounts.support import SupportDesk
from partnerka.accounts.tokens import Principal, verify_access_token
from partnerka.accounts.workspace import Workspace
from partnerka.audit.service import Actor, AuditLog
from partnerka.common.clock import utc_now
from partnerka.common.errors import Conflict, Forbidden, Unauthenticated, ValidationFailed
from partnerka.notifications.events import EventType
from partnerka.notifications.messages import render
from tests.unit.fakes import (
    FakeAccounts,
    FakeAuditStore,
    FakeBrandBook,
    FakeClock,
    FakeKnownDevices,
    FakeNotices,
    FakeNotifications,
    FakeSessions,
)

KEY = "unit-test-signing-key-of-enough-length"
PASSWORD = "correct horse battery"
CHECKED = "video call, passport matched the account's name"


def actor(user: User) -> Actor:
    return Actor(user_id=user.user_id, email=user.email, request_id="req-1", ip="203.0.113.7")


@dataclass
class Desk:
    service: AccountService
    desk: SupportDesk
    workspace: Workspace
    callers: Callers
    accounts: FakeAccounts
    sessions: FakeSessions
    audit: FakeAuditStore
    mail: FakeNotifications
    notices: FakeNotices
    clock: FakeClock
    staff: dict[Role, tuple[Principal, User]]
    advertiser_id: str

    def person(self, email: str, role: Role = Role.ADVERTISER, **ids: str) -> User:
        return provisioning.create_verified_user(self.service, email, PASSWORD, "Someone", role, **ids)

    def signed_in(self, email: str) -> Session:
        session = self.service.login(email, PASSWORD, actor(self.accounts.find_user_by_email(email)))  # type: ignore[arg-type]
        assert isinstance(session, Session)
        return session

    def with_mfa(self, user: User) -> User:
        secret, _ = self.service.mfa_setup(user, actor(user))
        user = self.accounts.get_user(user.user_id)
        self.service.mfa_enable(user, PASSWORD, pyotp.TOTP(secret).at(self.clock.now()), actor(user))
        return self.accounts.get_user(user.user_id)


@pytest.fixture
def world() -> Desk:
    accounts, sessions, audit, mail, notices = (
        FakeAccounts(),
        FakeSessions(),
        FakeAuditStore(),
        FakeNotifications(),
        FakeNotices(),
    )
    clock = FakeClock(utc_now() - timedelta(minutes=1))  # tokens are checked against the real time
    service = AccountService(
        accounts,
        sessions,
        AuditLog(audit),
        mail,
        lambda: KEY,
        "https://app.partnerka.test/",
        clock.now,
        brands=FakeBrandBook(),
        notices=notices,
        devices=FakeKnownDevices(),
    )
    staff = {}
    for role in (Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT):
        user = provisioning.create_verified_user(
            service, f"{role.value}@platform.test", PASSWORD, role.value, role
        )
        staff[role] = (Principal(user.user_id, role), user)
    acme = provisioning.create_advertiser(accounts, "Acme")
    callers = Callers(accounts, lambda: KEY, clock.now)
    return Desk(
        service,
        SupportDesk(service),
        Workspace(service),
        callers,
        accounts,
        sessions,
        audit,
        mail,
        notices,
        clock,
        staff,
        acme.id,
    )


# ---------------------------------------------------------------------- e-mail links
def test_support_sends_an_unconfirmed_person_a_new_verification_link(world: Desk) -> None:
    # Given an advertiser who never clicked its verification link
    boss = world.service.signup_advertiser(
        "boss@shop.test", PASSWORD, "Boss", "Shop", "ru", actor(world.staff[Role.SUPPORT][1])
    )
    principal, helper = world.staff[Role.SUPPORT]
    # When support sends the link again
    world.desk.resend_verification(principal, boss.user_id, actor(helper))
    # Then a second link reaches the person, in its language, and it works
    _, second = world.mail.link_tokens("boss@shop.test", "verify")
    assert world.mail.posted[-1][1]["locale"] == "ru"
    assert world.service.verify_email(second, actor(boss)).email_verified
    assert world.audit.entries[-2].action == "support.verification_resent"
    assert world.audit.entries[-2].actor_email == helper.email
    # And a confirmed address needs no link
    with pytest.raises(Conflict):
        world.desk.resend_verification(principal, boss.user_id, actor(helper))


def test_a_resent_invitation_works_and_the_one_sent_before_no_longer_does(world: Desk) -> None:
    owner, owner_user = world.staff[Role.OWNER]
    invited = world.workspace.invite_user(
        owner, "mate@acme.test", Role.ADVERTISER, world.advertiser_id, actor(owner_user)
    )
    principal, helper = world.staff[Role.SUPPORT]
    # When support sends the invitation again
    world.desk.resend_invitation(principal, invited.user_id, actor(helper))
    # Then the old link is refused and the new one lets the person in
    old, new = world.mail.link_tokens("mate@acme.test", "invite")
    with pytest.raises(ValidationFailed, match="invalid, used or expired"):
        world.service.accept_invite(old, "Mate", PASSWORD, actor(invited))
    session = world.service.accept_invite(new, "Mate", PASSWORD, actor(invited))
    assert session.user.status is UserStatus.ACTIVE
    resent = next(e for e in world.audit.entries if e.action == "support.invitation_resent")
    assert resent.after == {"links_revoked": 1}
    # And an account that accepted needs no invitation any more
    with pytest.raises(Conflict, match="not waiting for an invitation"):
        world.desk.resend_invitation(principal, invited.user_id, actor(helper))


# ---------------------------------------------------------------------- second factor
def test_support_resets_a_lost_second_factor_ends_every_session_and_tells_the_person(world: Desk) -> None:
    # Given an advertiser's person with 2FA on, signed in
    boss = world.with_mfa(world.person("boss@acme.test", advertiser_id=world.advertiser_id))
    stale = Principal(
        boss.user_id, Role.ADVERTISER, world.advertiser_id, session_version=boss.session_version
    )
    principal, helper = world.staff[Role.SUPPORT]
    # When support resets it, saying how it confirmed who asked
    world.desk.reset_mfa(principal, boss.user_id, f"  {CHECKED} ", actor(helper))
    # Then the secret and the recovery codes are gone and the person signs in with its password alone
    reset = world.accounts.get_user(boss.user_id)
    assert (reset.mfa_enabled, reset.mfa_secret, reset.recovery_codes) == (False, "", frozenset())
    assert isinstance(world.service.login("boss@acme.test", PASSWORD, actor(boss)), Session)
    # And every token issued before is refused
    with pytest.raises(Unauthenticated):
        world.callers.resolve(stale)
    # And the audit keeps who did it and how identity was confirmed
    entry = next(e for e in world.audit.entries if e.action == "support.mfa_reset")
    assert (entry.actor_email, entry.target, entry.after) == (
        helper.email,
        f"user:{boss.user_id}",
        {"mfa_enabled": False, "identity_check": CHECKED},
    )
    # And the person is told, as a reset by support, not as if it turned 2FA off itself
    (told,) = world.notices.of_type(EventType.MFA_DISABLED)
    assert told.audience.user_ids == (boss.user_id,)
    assert told.data["reset_by"] == "support"


def test_the_reset_notice_reads_as_supports_doing_in_the_persons_language(world: Desk) -> None:
    boss = world.with_mfa(world.person("boss@acme.test", advertiser_id=world.advertiser_id))
    principal, helper = world.staff[Role.SUPPORT]
    world.desk.reset_mfa(principal, boss.user_id, CHECKED, actor(helper))
    (told,) = world.notices.of_type(EventType.MFA_DISABLED)
    english, russian = render(told, "en"), render(told, "ru")
    assert "support reset two-factor authentication" in english.body
    assert "Служба поддержки" in russian.body


@pytest.mark.parametrize("check", ["", "   ", "ok", "x" * 501])
def test_a_reset_without_a_real_account_of_the_identity_check_is_refused(world: Desk, check: str) -> None:
    boss = world.with_mfa(world.person("boss@acme.test", advertiser_id=world.advertiser_id))
    principal, helper = world.staff[Role.SUPPORT]
    with pytest.raises(ValidationFailed, match="identity was confirmed"):
        world.desk.reset_mfa(principal, boss.user_id, check, actor(helper))
    assert world.accounts.get_user(boss.user_id).mfa_enabled


def test_nothing_to_reset_when_the_second_factor_is_off(world: Desk) -> None:
    boss = world.person("boss@acme.test", advertiser_id=world.advertiser_id)
    principal, helper = world.staff[Role.SUPPORT]
    with pytest.raises(Conflict, match="is off"):
        world.desk.reset_mfa(principal, boss.user_id, CHECKED, actor(helper))


@pytest.mark.parametrize("helper_role", [Role.SUPPORT, Role.PLATFORM_ADMIN])
@pytest.mark.parametrize("target_role", [Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT])
def test_only_the_owner_helps_staff(world: Desk, helper_role: Role, target_role: Role) -> None:
    target = world.with_mfa(world.person(f"other-{target_role.value}@platform.test", target_role))
    principal, helper = world.staff[helper_role]
    with pytest.raises(Forbidden, match="only an owner helps staff"):
        world.desk.reset_mfa(principal, target.user_id, CHECKED, actor(helper))
    assert world.accounts.get_user(target.user_id).mfa_enabled
    owner, owner_user = world.staff[Role.OWNER]
    world.desk.reset_mfa(owner, target.user_id, CHECKED, actor(owner_user))
    assert not world.accounts.get_user(target.user_id).mfa_enabled


def test_nobody_helps_itself_and_people_without_the_permission_help_nobody(world: Desk) -> None:
    principal, helper = world.staff[Role.OWNER]
    with pytest.raises(Forbidden, match="your own account"):
        world.desk.resend_verification(principal, helper.user_id, actor(helper))
    boss = world.person("boss@acme.test", advertiser_id=world.advertiser_id)
    mate = world.with_mfa(world.person("mate@acme.test", advertiser_id=world.advertiser_id))
    as_boss = Principal(boss.user_id, Role.ADVERTISER, world.advertiser_id)
    with pytest.raises(Forbidden):
        world.desk.reset_mfa(as_boss, mate.user_id, CHECKED, actor(boss))


# ---------------------------------------------------------------------- view as
def test_view_as_gives_staff_the_persons_reads_and_nothing_else(world: Desk) -> None:
    boss = world.person("boss@acme.test", advertiser_id=world.advertiser_id)
    principal, helper = world.staff[Role.SUPPORT]
    # When support views the advertiser's dashboard
    seen = world.desk.view_as(principal, helper, boss.user_id, None, actor(helper))
    # Then the token stands for the person, in its advertiser, marked with who views, for minutes
    token = verify_access_token(KEY, seen.access_token)
    assert (token.user_id, token.advertiser_id, token.viewed_by) == (
        boss.user_id,
        world.advertiser_id,
        helper.user_id,
    )
    assert seen.expires_in == 600
    assert seen.context_advertiser_name == "Acme"
    resolved, user = world.callers.resolve(token)
    assert (user.user_id, resolved.viewed_by) == (boss.user_id, helper.user_id)
    # And it reads what the person reads, but manages nothing and sees no secret
    granted = set(permissions_of(resolved))
    assert {Permission.WORKSPACE_READ_OWN, Permission.STATS_READ_OWN_ADVERTISER} <= granted
    assert not granted & {
        Permission.WORKSPACE_MANAGE_OWN,
        Permission.FINANCE_MANAGE_OWN,
        Permission.CREDENTIALS_MANAGE_OWN,
        Permission.OFFER_SECRETS_READ,
        Permission.BILLING_MANAGE_OWN,
    }
    assert not shows_secrets(resolved)
    with pytest.raises(Forbidden, match="read-only"):
        world.callers.ensure_may_change(resolved)
    # And the audit says who looked at whom, and when
    entry = world.audit.entries[-1]
    assert (entry.action, entry.actor_email, entry.target, entry.tenant_id) == (
        "support.viewed_as",
        helper.email,
        f"user:{boss.user_id}",
        world.advertiser_id,
    )


def test_the_person_itself_is_never_read_only(world: Desk) -> None:
    world.person("boss@acme.test", advertiser_id=world.advertiser_id)
    own = verify_access_token(KEY, world.signed_in("boss@acme.test").access_token)
    resolved, _ = world.callers.resolve(own)
    world.callers.ensure_may_change(resolved)
    assert allows(resolved, Permission.OFFER_SECRETS_READ)
    assert shows_secrets(resolved)


def test_an_affiliate_is_viewed_in_the_program_named_or_its_only_one(world: Desk) -> None:
    pro = provisioning.create_affiliate(world.accounts, "Pro", "pro@aff.test")
    other = provisioning.create_advertiser(world.accounts, "Other")
    provisioning.set_membership(
        world.accounts, world.advertiser_id, pro.affiliate_id, MembershipStatus.ACTIVE
    )
    person = world.person("pro@aff.test", Role.AFFILIATE, affiliate_id=pro.affiliate_id)
    principal, helper = world.staff[Role.PLATFORM_ADMIN]
    assert world.desk.view_as(
        principal, helper, person.user_id, None, actor(helper)
    ).context_advertiser_id == (world.advertiser_id)
    with pytest.raises(ValidationFailed, match="not an active partner"):
        world.desk.view_as(principal, helper, person.user_id, other.id, actor(helper))


def test_staff_accounts_and_people_without_a_dashboard_are_not_viewed(world: Desk) -> None:
    principal, helper = world.staff[Role.OWNER]
    admin = world.staff[Role.PLATFORM_ADMIN][1]
    with pytest.raises(Forbidden, match="advertisers' and affiliates'"):
        world.desk.view_as(principal, helper, admin.user_id, None, actor(helper))
    invited = world.workspace.invite_user(
        principal, "new@acme.test", Role.ADVERTISER, world.advertiser_id, actor(helper)
    )
    with pytest.raises(Conflict):
        world.desk.view_as(principal, helper, invited.user_id, None, actor(helper))


def test_a_view_as_token_stops_when_its_viewer_is_blocked_or_signed_out_everywhere(world: Desk) -> None:
    boss = world.person("boss@acme.test", advertiser_id=world.advertiser_id)
    principal, helper = world.staff[Role.SUPPORT]
    token = verify_access_token(
        KEY, world.desk.view_as(principal, helper, boss.user_id, None, actor(helper)).access_token
    )
    world.callers.resolve(token)
    owner, owner_user = world.staff[Role.OWNER]
    world.workspace.update_user(owner, helper.user_id, None, UserStatus.BLOCKED, actor(owner_user))
    with pytest.raises(Unauthenticated, match="viewing session has ended"):
        world.callers.resolve(token)


def test_a_view_as_token_expires_after_ten_minutes(world: Desk) -> None:
    boss = world.person("boss@acme.test", advertiser_id=world.advertiser_id)
    principal, helper = world.staff[Role.SUPPORT]
    world.clock.at = utc_now() - timedelta(minutes=10, seconds=5)  # issued ten minutes ago and more
    seen = world.desk.view_as(principal, helper, boss.user_id, None, actor(helper))
    with pytest.raises(Unauthenticated, match="expired"):
        verify_access_token(KEY, seen.access_token)
