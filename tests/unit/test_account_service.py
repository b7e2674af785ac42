"""The account services on fakes: signing up and in, e-mail links, password and 2FA rules, sessions,
invitations, the affiliate's advertiser context, memberships and API keys; every change audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pyotp
import pytest

from partnerka.accounts import provisioning
from partnerka.accounts.callers import Callers
from partnerka.accounts.models import MembershipStatus, Role, User, UserStatus
from partnerka.accounts.service import (
    AccountBlocked,
    AccountService,
    EmailNotVerified,
    InvalidCredentials,
    MfaChallenge,
    Session,
    Site,
)
from partnerka.accounts.tokens import Principal, verify_access_token
from partnerka.accounts.workspace import API_KEY_PREFIX, Workspace
from partnerka.audit.service import Actor, AuditLog
from partnerka.common.clock import utc_now
from partnerka.common.errors import (
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from partnerka.notifications.email import MailBrand
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
VISITOR = Actor(user_id=None, email=None, request_id="req-1", ip="203.0.113.7")


@dataclass
class Accounts:
    service: AccountService
    workspace: Workspace
    callers: Callers
    accounts: FakeAccounts
    sessions: FakeSessions
    audit: FakeAuditStore
    mail: FakeNotifications
    clock: FakeClock
    notices: FakeNotices
    devices: FakeKnownDevices

    def person(self, email: str, role: Role = Role.ADVERTISER, **ids: str) -> User:
        return provisioning.create_verified_user(self.service, email, PASSWORD, "Someone", role, **ids)

    def signed_in(self, email: str, password: str = PASSWORD) -> Session:
        session = self.service.login(email, password, VISITOR)
        assert isinstance(session, Session)
        return session


@pytest.fixture
def world() -> Accounts:
    notices, devices = FakeNotices(), FakeKnownDevices()
    accounts, sessions, audit, mail, clock = (
        FakeAccounts(),
        FakeSessions(),
        FakeAuditStore(),
        FakeNotifications(),
        # Access tokens are checked against the real time: the story starts five minutes ago.
        FakeClock(utc_now() - timedelta(minutes=5)),
    )
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
        devices=devices,
    )
    callers = Callers(accounts, lambda: KEY, clock.now)
    return Accounts(
        service, Workspace(service), callers, accounts, sessions, audit, mail, clock, notices, devices
    )


def principal_of(session: Session) -> Principal:
    return verify_access_token(KEY, session.access_token)


# ---------------------------------------------------------------------- signing up
def test_signing_up_makes_a_tenant_and_an_unverified_user_and_mails_the_verification_link(
    world: Accounts,
) -> None:
    user = world.service.signup_advertiser(
        " Boss@Acme.Example ", PASSWORD, "Boss", "Acme Shoes", "ru", VISITOR
    )

    assert (user.email, user.role, user.locale, user.email_verified) == (
        "boss@acme.example",
        "advertiser",
        "ru",
        False,
    )
    assert world.accounts.get_advertiser(user.advertiser_id or "").name == "Acme Shoes"
    assert [u.user_id for u in world.accounts.team_of(user.advertiser_id or "")] == [user.user_id]
    ((kind, payload),) = world.mail.posted
    assert (kind, payload["purpose"], payload["locale"]) == ("account_email", "verify", "ru")
    assert payload["link"].startswith("https://app.partnerka.test/verify-email?token=")
    assert world.audit.actions() == ["advertiser.signed_up"]
    with pytest.raises(EmailNotVerified):
        world.service.login("boss@acme.example", PASSWORD, VISITOR)


def test_a_taken_email_cannot_sign_up_again(world: Accounts) -> None:
    world.service.signup_advertiser("boss@acme.example", PASSWORD, "Boss", "Acme", None, VISITOR)

    with pytest.raises(Conflict):
        world.service.signup_advertiser("BOSS@acme.example", PASSWORD, "Other", "Other Shop", None, VISITOR)

    assert len(world.accounts.list_advertisers()) == 1


@pytest.mark.parametrize("password", ["short", "aaaaaaaaaaaaaaaa", " padded password "])
def test_a_weak_password_is_refused_before_anything_is_stored(world: Accounts, password: str) -> None:
    with pytest.raises(ValidationFailed, match="password"):
        world.service.signup_advertiser("boss@acme.example", password, "Boss", "Acme", None, VISITOR)

    assert world.accounts.items == {}
    assert world.mail.posted == []


def test_a_weak_password_at_an_affiliate_sign_up_leaves_no_affiliate_behind(world: Accounts) -> None:
    advertiser = provisioning.create_advertiser(world.accounts, "Acme")
    link = world.workspace.create_link(advertiser.id, "Spring", VISITOR)
    stored = set(world.accounts.items)

    with pytest.raises(ValidationFailed, match="password"):
        world.workspace.join_with_signup(link.code, "pro@example.com", "weak", "Traffic Pro", None, VISITOR)

    assert set(world.accounts.items) == stored
    assert world.mail.posted == []


def test_the_verification_link_works_once(world: Accounts) -> None:
    world.service.signup_advertiser("boss@acme.example", PASSWORD, "Boss", "Acme", None, VISITOR)
    (token,) = world.mail.link_tokens("boss@acme.example", "verify")

    assert world.service.verify_email(token, VISITOR).email_verified
    with pytest.raises(ValidationFailed, match="invalid, used or expired"):
        world.service.verify_email(token, VISITOR)
    assert world.signed_in("boss@acme.example").user.email == "boss@acme.example"


def test_an_expired_verification_link_is_refused(world: Accounts) -> None:
    world.service.signup_advertiser("boss@acme.example", PASSWORD, "Boss", "Acme", None, VISITOR)
    (token,) = world.mail.link_tokens("boss@acme.example", "verify")
    world.clock.at += timedelta(days=3)

    with pytest.raises(ValidationFailed):
        world.service.verify_email(token, VISITOR)


# ---------------------------------------------------------------------- signing in
def test_a_wrong_password_is_refused_audited_and_counted_until_the_account_is_locked(world: Accounts) -> None:
    user = world.person("boss@acme.example")

    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            world.service.login("boss@acme.example", "wrong password!", VISITOR)

    with pytest.raises(RateLimited):  # locked now, even with the right password
        world.service.login("boss@acme.example", PASSWORD, VISITOR)
    assert world.audit.actions().count("auth.login_failed") == 5
    assert all(
        e.target == f"user:{user.user_id}" for e in world.audit.entries if e.action == "auth.login_failed"
    )
    world.clock.at += timedelta(minutes=15)
    assert world.signed_in("boss@acme.example").user.user_id == user.user_id


def test_an_unknown_address_is_refused_like_a_wrong_password(world: Accounts) -> None:
    with pytest.raises(InvalidCredentials, match="wrong e-mail or password"):
        world.service.login("nobody@acme.example", PASSWORD, VISITOR)
    assert world.audit.entries == []


def test_a_blocked_account_cannot_sign_in(world: Accounts) -> None:
    owner = world.person("owner@platform.example", Role.OWNER)
    user = world.person("boss@acme.example")
    owner_principal = principal_of(world.signed_in(owner.email))
    world.workspace.update_user(owner_principal, user.user_id, None, UserStatus.BLOCKED, VISITOR)

    with pytest.raises(AccountBlocked):
        world.service.login("boss@acme.example", PASSWORD, VISITOR)


# ---------------------------------------------------------------------- sessions and passwords
def test_a_refresh_token_used_twice_ends_its_whole_chain(world: Accounts) -> None:
    world.person("boss@acme.example")
    first = world.signed_in("boss@acme.example")

    second = world.service.refresh(first.refresh_token, VISITOR)
    with pytest.raises(Unauthenticated):
        world.service.refresh(first.refresh_token, VISITOR)

    with pytest.raises(Unauthenticated):  # the rotated token died with its chain
        world.service.refresh(second.refresh_token, VISITOR)
    assert "auth.refresh_reuse_detected" in world.audit.actions()


def test_changing_the_password_ends_every_other_session_and_renews_this_one(world: Accounts) -> None:
    user = world.person("boss@acme.example")
    elsewhere = world.signed_in("boss@acme.example")
    here = world.signed_in("boss@acme.example")

    renewed = world.service.change_password(
        principal_of(here), world.accounts.get_user(user.user_id), PASSWORD, PASSWORD + "!", VISITOR
    )

    for old in (elsewhere, here):
        with pytest.raises(Unauthenticated):
            world.service.refresh(old.refresh_token, VISITOR)
        with pytest.raises(Unauthenticated):
            world.callers.resolve(principal_of(old))
    assert world.callers.resolve(principal_of(renewed))[1].user_id == user.user_id
    assert world.signed_in("boss@acme.example", PASSWORD + "!").user.user_id == user.user_id
    assert "auth.password_changed" in world.audit.actions()


def test_a_password_change_needs_the_current_password_and_a_strong_new_one(world: Accounts) -> None:
    user = world.person("boss@acme.example")
    principal = principal_of(world.signed_in("boss@acme.example"))

    with pytest.raises(InvalidCredentials):
        world.service.change_password(principal, user, "not my password", PASSWORD + "!", VISITOR)
    with pytest.raises(ValidationFailed, match="password"):
        world.service.change_password(principal, user, PASSWORD, "weak", VISITOR)

    assert world.audit.actions().count("auth.password_check_failed") == 1
    assert world.signed_in("boss@acme.example").user.user_id == user.user_id


def test_a_reset_link_sets_a_new_password_and_signs_everyone_out(world: Accounts) -> None:
    world.person("boss@acme.example")
    before = world.signed_in("boss@acme.example")
    world.service.forgot_password("boss@acme.example", VISITOR)
    world.service.forgot_password("nobody@acme.example", VISITOR)  # the same silent answer
    (token,) = world.mail.link_tokens("boss@acme.example", "reset")

    world.service.reset_password(token, PASSWORD + "?", VISITOR)

    with pytest.raises(Unauthenticated):
        world.service.refresh(before.refresh_token, VISITOR)
    with pytest.raises(ValidationFailed):
        world.service.reset_password(token, PASSWORD, VISITOR)
    assert world.signed_in("boss@acme.example", PASSWORD + "?").user.email == "boss@acme.example"


# ---------------------------------------------------------------------- 2FA
def enrolled(world: Accounts, email: str) -> tuple[User, str, list[str]]:
    """A user with 2FA on: (the user, its TOTP secret, its recovery codes)."""
    user = world.person(email)
    secret, uri = world.service.mfa_setup(user, VISITOR)
    assert uri.startswith("otpauth://totp/")
    code = pyotp.TOTP(secret).at(world.clock.now())
    codes = world.service.mfa_enable(world.accounts.get_user(user.user_id), PASSWORD, code, VISITOR)
    world.clock.at += timedelta(seconds=90)  # later codes belong to later steps
    return world.accounts.get_user(user.user_id), secret, codes


def test_turning_2fa_on_needs_the_password_and_a_code_and_answers_ten_recovery_codes(world: Accounts) -> None:
    user = world.person("boss@acme.example")
    secret, _ = world.service.mfa_setup(user, VISITOR)
    code = pyotp.TOTP(secret).at(world.clock.now())

    with pytest.raises(InvalidCredentials, match="password"):
        world.service.mfa_enable(world.accounts.get_user(user.user_id), "not my password", code, VISITOR)
    with pytest.raises(InvalidCredentials, match="code"):
        world.service.mfa_enable(world.accounts.get_user(user.user_id), PASSWORD, "000000", VISITOR)
    codes = world.service.mfa_enable(world.accounts.get_user(user.user_id), PASSWORD, code, VISITOR)

    stored = world.accounts.get_user(user.user_id)
    assert stored.mfa_enabled
    assert len(codes) == len(set(codes)) == 10
    assert not set(codes) & set(stored.recovery_codes or ())  # only their hashes are kept
    assert world.audit.actions()[-1] == "auth.mfa_enabled"


def test_with_2fa_on_signing_in_takes_a_code_and_each_code_works_once(world: Accounts) -> None:
    _, secret, _ = enrolled(world, "boss@acme.example")

    challenge = world.service.login("boss@acme.example", PASSWORD, VISITOR)
    assert isinstance(challenge, MfaChallenge)
    code = pyotp.TOTP(secret).at(world.clock.now())
    session = world.service.login_mfa(challenge.mfa_token, code, VISITOR)

    assert session.user.email == "boss@acme.example"
    with pytest.raises(InvalidCredentials):
        world.service.login_mfa(challenge.mfa_token, code, VISITOR)


def test_a_recovery_code_signs_in_once(world: Accounts) -> None:
    _, _, codes = enrolled(world, "boss@acme.example")
    challenge = world.service.login("boss@acme.example", PASSWORD, VISITOR)
    assert isinstance(challenge, MfaChallenge)

    world.service.login_mfa(challenge.mfa_token, codes[3].upper(), VISITOR)

    with pytest.raises(InvalidCredentials):
        world.service.login_mfa(challenge.mfa_token, codes[3], VISITOR)
    assert "auth.recovery_code_used" in world.audit.actions()


def test_turning_2fa_off_needs_the_password_and_a_code(world: Accounts) -> None:
    user, secret, _ = enrolled(world, "boss@acme.example")

    with pytest.raises(InvalidCredentials):
        world.service.mfa_disable(user, PASSWORD, "123456", VISITOR)
    world.service.mfa_disable(
        world.accounts.get_user(user.user_id), PASSWORD, pyotp.TOTP(secret).at(world.clock.now()), VISITOR
    )

    assert isinstance(world.service.login("boss@acme.example", PASSWORD, VISITOR), Session)
    with pytest.raises(Conflict):
        world.service.mfa_disable(world.accounts.get_user(user.user_id), PASSWORD, "123456", VISITOR)


# ---------------------------------------------------------------------- invitations
def test_an_invited_teammate_sets_name_and_password_and_is_signed_in(world: Accounts) -> None:
    advertiser = provisioning.create_advertiser(world.accounts, "Acme")
    invited = world.workspace.invite_teammate(advertiser.id, "mate@acme.example", None, VISITOR)
    (token,) = world.mail.link_tokens("mate@acme.example", "invite")

    session = world.service.accept_invite(token, "Mate", PASSWORD, VISITOR)

    assert (session.user.user_id, session.user.status, session.user.name) == (
        invited.user_id,
        "active",
        "Mate",
    )
    assert session.context_advertiser_id == advertiser.id
    assert [u.email for u in world.workspace.team(advertiser.id)] == ["mate@acme.example"]
    assert world.audit.actions() == ["team.invited", "user.invitation_accepted", "auth.signed_in"]


def test_blocking_an_invited_account_cancels_its_invitation(world: Accounts) -> None:
    owner = world.person("owner@platform.example", Role.OWNER)
    advertiser = provisioning.create_advertiser(world.accounts, "Acme")
    invited = world.workspace.invite_teammate(advertiser.id, "mate@acme.example", None, VISITOR)
    (token,) = world.mail.link_tokens("mate@acme.example", "invite")
    world.workspace.update_user(
        principal_of(world.signed_in(owner.email)), invited.user_id, None, UserStatus.BLOCKED, VISITOR
    )

    with pytest.raises(ValidationFailed, match="cancelled"):
        world.service.accept_invite(token, "Mate", PASSWORD, VISITOR)

    assert world.accounts.get_user(invited.user_id).status == "blocked"
    assert world.audit.actions()[-1] == "user.invitation_refused"


# ---------------------------------------------------------------------- affiliates and their advertisers
@dataclass
class Partnership:
    advertiser_id: str
    link_code: str
    affiliate: User


def partnership(world: Accounts) -> Partnership:
    advertiser = provisioning.create_advertiser(world.accounts, "Acme")
    link = world.workspace.create_link(advertiser.id, "Spring", VISITOR)
    affiliate = world.workspace.join_with_signup(
        link.code, "pro@example.com", PASSWORD, "Traffic Pro", "en", VISITOR
    )
    (token,) = world.mail.link_tokens("pro@example.com", "verify")
    world.service.verify_email(token, VISITOR)
    return Partnership(advertiser.id, link.code, affiliate)


def test_an_affiliate_works_in_an_advertisers_context_only_once_approved(world: Accounts) -> None:
    deal = partnership(world)
    pending = world.signed_in("pro@example.com")
    assert pending.context_advertiser_id is None
    affiliate = world.accounts.get_user(deal.affiliate.user_id)

    with pytest.raises(Forbidden, match="not an active partner"):
        world.service.switch_context(principal_of(pending), affiliate, deal.advertiser_id, VISITOR)
    world.workspace.decide_membership(
        deal.advertiser_id, deal.affiliate.affiliate_id or "", MembershipStatus.ACTIVE, VISITOR
    )
    switched = world.service.switch_context(principal_of(pending), affiliate, deal.advertiser_id, VISITOR)

    assert (switched.context_advertiser_id, switched.context_advertiser_name) == (deal.advertiser_id, "Acme")
    assert principal_of(switched).advertiser_id == deal.advertiser_id
    world.workspace.decide_membership(
        deal.advertiser_id, deal.affiliate.affiliate_id or "", MembershipStatus.BLOCKED, VISITOR
    )
    assert world.callers.resolve(principal_of(switched))[0].advertiser_id is None


def test_an_advertiser_does_not_switch_context(world: Accounts) -> None:
    deal = partnership(world)
    boss = world.person("boss@acme.example", advertiser_id=deal.advertiser_id)
    session = world.signed_in(boss.email)

    with pytest.raises(Forbidden):
        world.service.switch_context(principal_of(session), boss, deal.advertiser_id, VISITOR)


def test_memberships_are_the_affiliates_own_or_the_advertisers_partners(world: Accounts) -> None:
    deal = partnership(world)
    other = provisioning.create_advertiser(world.accounts, "Other")
    boss = world.person("boss@acme.example", advertiser_id=deal.advertiser_id)
    outsider = world.person("boss@other.example", advertiser_id=other.id)
    affiliate = principal_of(world.signed_in("pro@example.com"))

    (own,) = world.workspace.memberships(affiliate, other.id, None)  # its own, whatever it names
    (partner,) = world.workspace.memberships(principal_of(world.signed_in(boss.email)), None, "pending")

    assert (own.advertiser_name, own.membership.status) == ("Acme", "pending")
    assert (partner.affiliate_name, partner.affiliate_email) == ("Traffic Pro", "pro@example.com")
    assert world.workspace.memberships(principal_of(world.signed_in(outsider.email)), None, None) == []
    with pytest.raises(Forbidden, match="another advertiser"):
        world.workspace.memberships(principal_of(world.signed_in(outsider.email)), deal.advertiser_id, None)


def test_an_affiliate_applies_through_a_link_once_and_only_affiliates_apply(world: Accounts) -> None:
    deal = partnership(world)
    second = provisioning.create_advertiser(world.accounts, "Second")
    link = world.workspace.create_link(second.id, "Autumn", VISITOR)
    affiliate = world.accounts.get_user(deal.affiliate.user_id)
    principal = principal_of(world.signed_in(affiliate.email))

    view = world.workspace.join(principal, affiliate, link.code, VISITOR)

    assert (view.advertiser_name, view.affiliate_name, view.membership.status) == (
        "Second",
        "Traffic Pro",
        "pending",
    )
    with pytest.raises(Conflict):
        world.workspace.join(principal, affiliate, link.code, VISITOR)
    boss = world.person("boss@acme.example", advertiser_id=deal.advertiser_id)
    with pytest.raises(Forbidden):
        world.workspace.join(principal_of(world.signed_in(boss.email)), boss, link.code, VISITOR)
    world.workspace.deactivate_link(second.id, link.code, VISITOR)
    with pytest.raises(NotFound):
        world.workspace.join_target(link.code)


def test_me_names_the_context_and_lists_memberships_for_people_only(world: Accounts) -> None:
    deal = partnership(world)
    affiliate = world.accounts.get_user(deal.affiliate.user_id)
    principal = principal_of(world.signed_in(affiliate.email))

    me = world.workspace.me(principal, affiliate)

    assert (me.advertiser_id, me.advertiser_name) == (None, None)
    assert [v.advertiser_name for v in me.memberships] == ["Acme"]
    _, secret = world.workspace.create_api_key(deal.advertiser_id, "Server", VISITOR)
    key_principal, key_user = world.callers.resolve(world.callers.api_key(secret))
    as_key = world.workspace.me(key_principal, key_user)
    assert (as_key.advertiser_name, as_key.memberships) == ("Acme", [])


# ---------------------------------------------------------------------- API keys
def test_an_api_key_is_shown_once_stored_as_a_digest_and_acts_for_its_advertiser(world: Accounts) -> None:
    advertiser = provisioning.create_advertiser(world.accounts, "Acme")

    key, secret = world.workspace.create_api_key(advertiser.id, "Server", VISITOR)

    assert secret.startswith(API_KEY_PREFIX)
    assert key.prefix == secret[: len(API_KEY_PREFIX) + 6]
    assert secret not in repr(world.accounts.items)
    principal = world.callers.api_key(secret)
    assert (principal.advertiser_id, principal.api_key_id, principal.role) == (
        advertiser.id,
        key.key_id,
        Role.ADVERTISER,
    )
    (listed,) = world.workspace.api_keys(advertiser.id)
    assert listed.last_used_at == world.clock.now().isoformat(timespec="milliseconds").replace("+00:00", "Z")
    entry = world.audit.entries[-1]
    assert (entry.action, entry.after) == ("api_key.created", {"label": "Server"})


def test_a_bearer_token_is_an_api_key_by_its_prefix_and_otherwise_an_access_token(world: Accounts) -> None:
    acme = provisioning.create_advertiser(world.accounts, "Acme")
    key, secret = world.workspace.create_api_key(acme.id, "Server", VISITOR)
    boss = world.person("boss@acme.example", advertiser_id=acme.id)
    session = world.signed_in(boss.email)

    assert world.callers.identify(secret).api_key_id == key.key_id
    assert world.callers.identify(session.access_token) == principal_of(session)
    for forged in (f"{API_KEY_PREFIX}not-a-key", session.access_token[:-2] + "xx", "not.a.token"):
        with pytest.raises(Unauthenticated):
            world.callers.identify(forged)


def test_a_revoked_api_key_no_longer_signs_in_and_only_its_advertiser_revokes_it(world: Accounts) -> None:
    acme = provisioning.create_advertiser(world.accounts, "Acme")
    other = provisioning.create_advertiser(world.accounts, "Other")
    key, secret = world.workspace.create_api_key(acme.id, "Server", VISITOR)

    with pytest.raises(NotFound):
        world.workspace.revoke_api_key(other.id, key.key_id, VISITOR)
    world.callers.api_key(secret)
    world.workspace.revoke_api_key(acme.id, key.key_id, VISITOR)

    with pytest.raises(Unauthenticated):
        world.callers.api_key(secret)
    assert world.workspace.api_keys(acme.id)[0].revoked
    assert world.audit.actions()[-1] == "api_key.revoked"


# ---------------------------------------------------------------------- brands
def branded(world: Accounts, name: str) -> str:
    """An advertiser that saved a brand (with a logo): its id."""
    advertiser = provisioning.create_advertiser(world.accounts, name)
    book = world.service.brands
    assert isinstance(book, FakeBrandBook)
    book.brands[advertiser.id] = MailBrand(f"{name} Partners", logo_url=f"/brand/{advertiser.id}/logo.png")
    return advertiser.id


def test_an_affiliate_joining_by_a_link_gets_the_advertisers_brand_in_its_mail(world: Accounts) -> None:
    acme = branded(world, "Acme")
    link = world.workspace.create_link(acme, "Spring", VISITOR)
    world.workspace.join_with_signup(link.code, "pro@example.com", PASSWORD, "Traffic Pro", None, VISITOR)
    (_, payload), *_ = [p for p in world.mail.posted if p[1]["to"] == "pro@example.com"]
    assert payload["brand"]["name"] == "Acme Partners"
    assert payload["brand"]["logo_url"] == f"https://app.partnerka.test/brand/{acme}/logo.png"


def test_a_reset_asked_on_a_portal_wears_its_brand_and_links_there_and_on_the_platform_none(
    world: Accounts,
) -> None:
    acme = branded(world, "Acme")
    world.person("pro@example.com", Role.AFFILIATE, affiliate_id="aff-1")
    world.service.forgot_password("pro@example.com", VISITOR, Site(acme, "partners.acme.example"))
    world.service.forgot_password("pro@example.com", VISITOR)
    on_portal, on_platform = [p for _, p in world.mail.posted if p["purpose"] == "reset"]
    assert on_portal["brand"]["name"] == "Acme Partners"
    assert on_portal["link"].startswith("https://partners.acme.example/reset-password?token=")
    assert on_portal["brand"]["logo_url"].startswith("https://partners.acme.example/brand/")
    assert "brand" not in on_platform  # the notifier writes the platform's name


def test_the_authenticator_files_an_account_under_the_brand_it_works_in(world: Accounts) -> None:
    acme = branded(world, "Acme")
    user = world.person("boss@acme.example", Role.ADVERTISER, advertiser_id=acme)
    _, on_portal = world.service.mfa_setup(user, VISITOR, None, Site(acme, "partners.acme.example"))
    _, in_context = world.service.mfa_setup(world.accounts.get_user(user.user_id), VISITOR, acme)
    _, elsewhere = world.service.mfa_setup(world.accounts.get_user(user.user_id), VISITOR, None)
    assert "issuer=Acme%20Partners" in on_portal
    assert "issuer=Acme%20Partners" in in_context
    assert "issuer=Platform%20Co" in elsewhere
