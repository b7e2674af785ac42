"""Signing up, signing in (with 2FA), sessions, e-mail links and the affiliate's advertiser context."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from partnerka.accounts import mfa
from partnerka.accounts.devices import KnownDevices, device_of
from partnerka.accounts.models import (
    Advertiser,
    Affiliate,
    MembershipStatus,
    OneTimeToken,
    RefreshToken,
    Role,
    SessionChain,
    TokenState,
    User,
    UserStatus,
)
from partnerka.accounts.passwords import (
    check_policy,
    hash_password,
    hash_secret,
    needs_rehash,
    verify_password,
    verify_secret,
)
from partnerka.accounts.permissions import PORTAL_REFUSAL, Permission, allows, may_use_portal
from partnerka.accounts.ratelimit import FailureLimiter
from partnerka.accounts.repository import AccountStore, SessionStore
from partnerka.accounts.tokens import (
    ACCESS_TOKEN_TTL,
    Principal,
    issue_access_token,
    issue_mfa_challenge,
    verify_mfa_challenge,
)
from partnerka.audit.service import Actor, AuditLog
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    Forbidden,
    Unauthenticated,
    ValidationFailed,
)
from partnerka.common.ids import new_id
from partnerka.common.observability import logger
from partnerka.domains.links import on_host
from partnerka.notifications.email import ACCOUNT_EMAIL, MailBrand, account_email_payload
from partnerka.notifications.events import Audience, Event, EventType, Notices

REFRESH_TOKEN_TTL = timedelta(days=30)
LINK_TTL = {"verify": timedelta(days=2), "reset": timedelta(hours=1), "invite": timedelta(days=7)}
LOCALES = ("en", "ru")


class Brands(Protocol):
    """The brands, as the account service uses them (branding.book.BrandBook)."""

    def mail_brand(self, advertiser_id: str, base_url: str) -> MailBrand | None:
        """How the advertiser's e-mails look (logo URLs on `base_url`); None: the platform's name."""
        ...

    def issuer(self, advertiser_id: str | None) -> str:
        """The name authenticator apps show for an account in the advertiser's context (or none)."""
        ...


@dataclass(frozen=True, slots=True)
class Site:
    """Where a request came in: the platform's own host (`portal` None), or an advertiser's portal
    domain, which serves that advertiser's affiliates and team only, in its context, and whose
    e-mailed links point back to it."""

    portal: str | None = None  # the advertiser whose portal domain it is
    host: str = ""  # that domain (links point at it; "" on the platform's own host)


PLATFORM = Site()


class Notifications(Protocol):
    def post(self, kind: str, payload: dict[str, Any], subject: str = "", advertiser_id: str = "") -> str:
        """Queue a notification for the notifier; never raises (notifications.outbox.Outbox)."""
        ...


class InvalidCredentials(DomainError):
    code = ErrorCode.INVALID_CREDENTIALS


class EmailNotVerified(DomainError):
    code = ErrorCode.EMAIL_NOT_VERIFIED


class AccountBlocked(DomainError):
    code = ErrorCode.ACCOUNT_BLOCKED


@dataclass(frozen=True, slots=True)
class Session:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User
    context_advertiser_id: str | None
    context_advertiser_name: str | None


@dataclass(frozen=True, slots=True)
class MfaChallenge:
    mfa_token: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(value: str) -> str:
    email = value.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise ValidationFailed(f"'{value}' is not an e-mail address")
    return email


def required_name(value: str, what: str = "name") -> str:
    name = value.strip()
    if not name or len(name) > 120:
        raise ValidationFailed(f"{what} is required (at most 120 characters)")
    return name


def locale_of(value: str | None) -> str:
    return value if value in LOCALES else "en"


def session_version(user: User) -> int:
    return user.session_version


def is_active_member(accounts: AccountStore, user: User, advertiser_id: str) -> bool:
    """Whether the affiliate behind `user` is an active partner of the advertiser."""
    membership = accounts.get_membership(advertiser_id, user.affiliate_id or "")
    return membership is not None and membership.status is MembershipStatus.ACTIVE


def end_every_session(user: User) -> User:
    """The user whose every access token and session chain issued so far stops working once saved."""
    return replace(user, session_version=session_version(user) + 1)


def public_user(user: User) -> dict[str, object]:
    """What audit entries keep of a user: never hashes or secrets."""
    return {"email": user.email, "role": user.role.value, "status": user.status.value, "name": user.name}


class AccountService:
    """Everything about who a person is and how they prove it."""

    def __init__(
        self,
        accounts: AccountStore,
        sessions: SessionStore,
        audit: AuditLog,
        notifications: Notifications,
        signing_key: Callable[[], str],
        link_base_url: str,
        now: Callable[[], datetime] = utc_now,
        brands: Brands | None = None,
        *,
        notices: Notices,
        devices: KnownDevices,
    ) -> None:
        """`brands`: the advertisers' brands their affiliates' e-mails and authenticator entries
        wear; without it (scripts), e-mails carry the platform's name, which the notifier knows.
        `notices`: where the security notices and the memberships' events go; `devices`: the devices
        each user signed in from, so a new one is told."""
        self.accounts = accounts
        self.sessions = sessions
        self.audit = audit
        self.notifications = notifications
        self.notices = notices
        self.devices = devices
        self.signing_key = signing_key
        self.link_base_url = link_base_url.rstrip("/")
        self.brands = brands
        self.now = now
        self.limiter = FailureLimiter(sessions)

    # ------------------------------------------------------------------ e-mail links
    def send_link(self, user: User, purpose: str, site: Site = PLATFORM, brand_of: str | None = None) -> None:
        """E-mail a one-time link; it points at the configured dashboard, or at the advertiser's
        verified portal domain the request came in by, never at a Host header as sent (the portal's
        host is one a claim made the advertiser's). The e-mail is queued for the notifier: however the
        mail service fares, the caller's request (a sign-up, an invitation) has done its work. It
        wears the brand of `brand_of` (the advertiser a registration link joins), else of the portal
        it was asked for on, else the platform's name."""
        token = secrets.token_urlsafe(32)
        expires = int((self.now() + LINK_TTL[purpose]).timestamp())
        self.sessions.add_one_time_token(
            OneTimeToken(digest=digest(token), purpose=purpose, user_id=user.user_id, expires_at=expires)
        )
        path = {"verify": "verify-email", "reset": "reset-password", "invite": "accept-invite"}[purpose]
        base = self.site_url(site)
        link = f"{base}/{path}?token={token}"
        advertiser = brand_of or site.portal
        brand = self.brands.mail_brand(advertiser, base) if self.brands and advertiser else None
        self.notifications.post(
            ACCOUNT_EMAIL,
            account_email_payload(purpose, user.locale, user.email, link, brand),
            subject=f"user:{user.user_id}",
            advertiser_id=user.advertiser_id or "",
        )

    def site_url(self, site: Site) -> str:
        """The base of links for `site`: the configured dashboard's URL, or the same scheme and port
        on the advertiser's portal domain."""
        return on_host(self.link_base_url, site.host) if site.host else self.link_base_url

    def _consume(self, token: str, purpose: str) -> User:
        found = self.sessions.consume_one_time_token(
            digest(token.strip()), purpose, int(self.now().timestamp())
        )
        if found is None:
            raise ValidationFailed("the link is invalid, used or expired")
        return self.accounts.get_user(found.user_id)

    # ------------------------------------------------------------------ sign-up
    def new_user(
        self,
        email: str,
        name: str,
        role: Role,
        password: str | None,
        locale: str | None,
        advertiser_id: str | None = None,
        affiliate_id: str | None = None,
        status: UserStatus = UserStatus.ACTIVE,
    ) -> User:
        user = User(
            user_id=new_id(),
            email=normalise_email(email),
            name=required_name(name) if name else "",
            role=role,
            status=status,
            locale=locale_of(locale),
            password_hash=hash_password(password) if password is not None else None,
            email_verified=False,
            advertiser_id=advertiser_id,
            affiliate_id=affiliate_id,
            created_at=iso_millis(self.now()),
        )
        return self.accounts.add_user(user)

    def signup_advertiser(
        self,
        email: str,
        password: str,
        name: str,
        company: str,
        locale: str | None,
        actor: Actor,
        site: Site = PLATFORM,
    ) -> User:
        """A new tenant and its first advertiser user; sign-in waits for the e-mail link. The user is
        checked and stored first: a refused sign-up (a weak password, a taken address) leaves no
        tenant behind. Not on an advertiser's portal: it signs up its partners, not advertisers."""
        if site.portal is not None:
            raise Forbidden(PORTAL_REFUSAL)
        if self.accounts.find_user_by_email(normalise_email(email)) is not None:
            raise Conflict("an account with this e-mail already exists")
        advertiser = Advertiser(
            id=new_id(), name=required_name(company, "company name"), created_at=iso_millis(self.now())
        )
        user = self.new_user(email, name, Role.ADVERTISER, password, locale, advertiser_id=advertiser.id)
        self.accounts.add_advertiser(advertiser)
        self.audit.record(
            actor, advertiser.id, "advertiser.signed_up", f"user:{user.user_id}", after=public_user(user)
        )
        self.send_link(user, "verify")
        return user

    def new_affiliate_account(self, email: str, password: str, name: str, locale: str | None) -> User:
        """A new affiliate and its user, the user checked and stored first (see signup_advertiser)."""
        affiliate = Affiliate(
            affiliate_id=new_id(),
            name=required_name(name),
            email=normalise_email(email),
            created_at=iso_millis(self.now()),
        )
        if self.accounts.find_user_by_email(affiliate.email) is not None:
            raise Conflict("an account with this e-mail already exists")
        user = self.new_user(
            email, name, Role.AFFILIATE, password, locale, affiliate_id=affiliate.affiliate_id
        )
        self.accounts.add_affiliate(affiliate)
        return user

    def verify_email(self, token: str, actor: Actor) -> User:
        user = self.accounts.save_user(replace(self._consume(token, "verify"), email_verified=True))
        self.audit.record(actor, user.advertiser_id, "user.email_verified", f"user:{user.user_id}")
        return user

    def resend_verification(self, email: str, actor: Actor, site: Site = PLATFORM) -> None:
        """A new link for an unverified account; an unknown address gets the same silent answer."""
        user = self.accounts.find_user_by_email(normalise_email(email))
        if user is not None and not user.email_verified and user.status is UserStatus.ACTIVE:
            self.send_link(user, "verify", site)
            self.audit.record(actor, user.advertiser_id, "auth.verification_resent", f"user:{user.user_id}")

    # ------------------------------------------------------------------ sign-in
    def login(self, email: str, password: str, actor: Actor, site: Site = PLATFORM) -> Session | MfaChallenge:
        """Known and unknown addresses take the same path, one argon2 verification each (an unknown
        one against a dummy hash), so the answer's timing does not tell which accounts exist."""
        address = email.strip().lower()
        subjects = [("password:account", address), ("password:ip", actor.ip)]
        with self.limiter.guess(subjects, int(self.now().timestamp())) as guess:
            user = self.accounts.find_user_by_email(address) if "@" in address else None
            right = verify_password(user.password_hash if user else None, password)
            guess.wrong = user is None or not right
        if user is None or guess.wrong:
            if user is not None:
                self.audit.record(actor, user.advertiser_id, "auth.login_failed", f"user:{user.user_id}")
            raise InvalidCredentials("wrong e-mail or password")
        self._may_sign_in(user, site)
        if user.password_hash and needs_rehash(user.password_hash):
            user = self.accounts.save_user(replace(user, password_hash=hash_password(password)))
        if user.mfa_enabled:
            return MfaChallenge(issue_mfa_challenge(self.signing_key(), user.user_id, self.now()))
        return self._start_session(user, actor, site)

    def _may_sign_in(self, user: User, site: Site) -> None:
        if user.status is UserStatus.BLOCKED:
            raise AccountBlocked("this account is blocked")
        if not user.email_verified:
            raise EmailNotVerified("confirm your e-mail address first; the link was sent to you")
        if not may_use_portal(user.role, user.advertiser_id, site.portal):
            raise Forbidden(PORTAL_REFUSAL)

    def login_mfa(self, mfa_token: str, code: str, actor: Actor, site: Site = PLATFORM) -> Session:
        user = self.accounts.get_user(verify_mfa_challenge(self.signing_key(), mfa_token))
        self._may_sign_in(user, site)
        user = self.check_second_factor(user, code, actor)
        return self._start_session(user, actor, site)

    def check_second_factor(self, user: User, code: str, actor: Actor) -> User:
        """A TOTP code (each step once) or an unused recovery code; failures count toward lock-out.
        The user as stored after the code was used up."""
        now = int(self.now().timestamp())
        with self.limiter.guess([("mfa:account", user.user_id), ("mfa:ip", actor.ip)], now) as guess:
            used = self._second_factor_used(user, code, now, actor)
            guess.wrong = used is None
        if used is None:
            raise InvalidCredentials("the code is wrong or was already used")
        return used

    def _second_factor_used(self, user: User, code: str, now: int, actor: Actor) -> User | None:
        if user.mfa_secret:
            step = mfa.matching_step(user.mfa_secret, code, now)
            stepped = self.accounts.record_mfa_step(user, step) if step is not None else None
            if stepped is not None:
                return stepped
        candidate = code.strip().lower()
        for stored in sorted(user.recovery_codes):
            if len(candidate) == 11 and verify_secret(stored, candidate):
                user = self.accounts.save_user(replace(user, recovery_codes=user.recovery_codes - {stored}))
                self.audit.record(
                    actor, user.advertiser_id, "auth.recovery_code_used", f"user:{user.user_id}"
                )
                return user
        return None

    def check_password(self, user: User, password: str, actor: Actor) -> None:
        """The signed-in user's own password, before a sensitive change; wrong guesses count toward
        the same lock-out as signing in (a stolen session cannot try passwords without limit)."""
        subjects = [("password:account", user.email), ("password:ip", actor.ip)]
        with self.limiter.guess(subjects, int(self.now().timestamp())) as guess:
            guess.wrong = not verify_password(user.password_hash, password)
        if guess.wrong:
            self.audit.record(actor, user.advertiser_id, "auth.password_check_failed", f"user:{user.user_id}")
            raise InvalidCredentials("the password is wrong")

    def _start_session(self, user: User, actor: Actor, site: Site = PLATFORM) -> Session:
        context = user.advertiser_id if user.role is Role.ADVERTISER else None
        if user.role is Role.AFFILIATE:
            context = self.default_context(user, site)
        self.audit.record(actor, user.advertiser_id, "auth.signed_in", f"user:{user.user_id}")
        self._note_device(user, actor)
        return self._session(user, self._new_chain(user), context)

    def _note_device(self, user: User, actor: Actor) -> None:
        """Tell the user of a sign-in from a device it never signed in from; its first device is
        only noted. Never raises: the sign-in stands whatever becomes of its notice."""
        try:
            device, now = device_of(actor.user_agent), self.now()
            if not self.devices.remember(user.user_id, device.fingerprint, now):
                return
            self.notices.send(
                Event(
                    event_id=f"{user.user_id}.sign-in.{device.fingerprint[:16]}.{now.date().isoformat()}",
                    type=EventType.SIGN_IN_NEW_DEVICE,
                    occurred_at=now,
                    audience=Audience(user_ids=(user.user_id,)),
                    data={"ip": actor.ip, "device": device.label, "at": iso_millis(now)},
                )
            )
        except Exception:
            logger.exception("the sign-in's device was not checked", user_id=user.user_id)

    def _new_chain(self, user: User) -> str:
        """A new sign-in, valid while the user's session version stays what it is now."""
        chain_id = new_id()
        expires = int((self.now() + REFRESH_TOKEN_TTL).timestamp())
        self.sessions.add_chain(
            SessionChain(
                chain_id=chain_id,
                user_id=user.user_id,
                session_version=session_version(user),
                expires_at=expires,
            )
        )
        return chain_id

    def default_context(self, user: User, site: Site = PLATFORM) -> str | None:
        """An affiliate's context on signing in: on a portal, that advertiser's (once a partner; an
        applicant has none yet); elsewhere its one advertiser, if it has exactly one."""
        if site.portal is not None:
            return site.portal if is_active_member(self.accounts, user, site.portal) else None
        active = [
            m
            for m in self.accounts.memberships_of_affiliate(user.affiliate_id or "")
            if m.status is MembershipStatus.ACTIVE
        ]
        return active[0].advertiser_id if len(active) == 1 else None

    def _session(self, user: User, chain_id: str, context: str | None) -> Session:
        refresh = secrets.token_urlsafe(32)
        expires = int((self.now() + REFRESH_TOKEN_TTL).timestamp())
        self.sessions.add_refresh_token(
            RefreshToken(
                digest=digest(refresh),
                user_id=user.user_id,
                chain_id=chain_id,
                state=TokenState.ACTIVE,
                context_advertiser_id=context,
                expires_at=expires,
            )
        )
        principal = Principal(
            user_id=user.user_id,
            role=user.role,
            advertiser_id=context,
            affiliate_id=user.affiliate_id,
            chain_id=chain_id,
            session_version=session_version(user),
        )
        name = self.accounts.get_advertiser(context).name if context else None
        access = issue_access_token(self.signing_key(), principal, self.now())
        return Session(access, refresh, int(ACCESS_TOKEN_TTL.total_seconds()), user, context, name)

    def refresh(self, refresh_token: str, actor: Actor, site: Site = PLATFORM) -> Session:
        """Rotate: the presented token dies, a new one is born in the same chain. A token presented a
        second time means it leaked: the whole chain is revoked and the caller must sign in again."""
        token = self.sessions.get_refresh_token(digest(refresh_token.strip()))
        now = int(self.now().timestamp())
        if token is None or token.expires_at <= now:
            raise Unauthenticated("the session has ended; sign in again")
        chain = self.sessions.get_chain(token.chain_id)
        if chain is None or chain.revoked:
            raise Unauthenticated("the session has ended; sign in again")
        if not self.sessions.mark_refresh_token_used(token):
            self.sessions.revoke_chain(token.chain_id)
            self.audit.record(actor, None, "auth.refresh_reuse_detected", f"user:{token.user_id}")
            raise Unauthenticated("the session has ended; sign in again")
        user = self.accounts.get_user(token.user_id)
        self._may_sign_in(user, site)
        if chain.session_version != session_version(user):
            raise Unauthenticated("the session has ended; sign in again")
        context: str | None = token.context_advertiser_id
        if user.role is Role.AFFILIATE and site.portal is not None and context != site.portal:
            context = self.default_context(user, site)  # a portal's session is in its context only
        if context and user.role is Role.AFFILIATE and not is_active_member(self.accounts, user, context):
            context = None
        return self._session(user, token.chain_id, context)

    def logout(self, refresh_token: str, actor: Actor) -> None:
        token = self.sessions.get_refresh_token(digest(refresh_token.strip()))
        if token is not None:
            self.sessions.revoke_chain(token.chain_id)
            self.audit.record(actor, None, "auth.signed_out", f"user:{token.user_id}")

    # ------------------------------------------------------------------ passwords and invitations
    def forgot_password(self, email: str, actor: Actor, site: Site = PLATFORM) -> None:
        """A reset link for a known account; an unknown address gets the same silent answer."""
        try:
            user = self.accounts.find_user_by_email(normalise_email(email))
        except ValidationFailed:
            return
        if user is not None and user.status is not UserStatus.BLOCKED:
            if not may_use_portal(user.role, user.advertiser_id, site.portal):
                site = PLATFORM  # the account signs in on the platform's site: its link goes there
            self.send_link(user, "reset", site)
            self.audit.record(
                actor, user.advertiser_id, "auth.password_reset_requested", f"user:{user.user_id}"
            )

    def reset_password(self, token: str, password: str, actor: Actor) -> None:
        new_hash = hash_password(password)
        user = self._consume(token, "reset")
        # The link proved the address; whoever knew the old password is signed out everywhere.
        reset = replace(end_every_session(user), password_hash=new_hash, email_verified=True)
        user = self.accounts.save_user(reset)
        self.audit.record(actor, user.advertiser_id, "auth.password_reset", f"user:{user.user_id}")

    def accept_invite(
        self, token: str, name: str, password: str, actor: Actor, site: Site = PLATFORM
    ) -> Session:
        """An invitation holds only while its account is still invited: blocking the account
        cancels it, and unblocking does not revive it. The save is conditional on the copy read
        here, so a block that lands meanwhile is not overwritten by `active`."""
        new_hash = hash_password(password)
        user = self._consume(token, "invite")
        if not may_use_portal(user.role, user.advertiser_id, site.portal):
            raise Forbidden(PORTAL_REFUSAL)
        if user.status is not UserStatus.INVITED:
            self.audit.record(
                actor,
                user.advertiser_id,
                "user.invitation_refused",
                f"user:{user.user_id}",
                after={"status": user.status.value},
            )
            raise ValidationFailed("this invitation was cancelled")
        accepted = replace(
            user,
            name=required_name(name),
            password_hash=new_hash,
            email_verified=True,
            status=UserStatus.ACTIVE,
        )
        user = self.accounts.save_user(accepted)
        self.audit.record(actor, user.advertiser_id, "user.invitation_accepted", f"user:{user.user_id}")
        return self._start_session(user, actor, site)

    # ------------------------------------------------------------------ the signed-in person
    def switch_context(
        self, principal: Principal, user: User, advertiser_id: str, actor: Actor, site: Site = PLATFORM
    ) -> Session:
        if not allows(principal, Permission.CONTEXT_SWITCH):
            raise Forbidden("only affiliates switch between advertisers")
        if site.portal is not None and advertiser_id != site.portal:
            raise Forbidden("on this site you work in its advertiser's program only")
        if not is_active_member(self.accounts, user, advertiser_id):
            raise Forbidden("you are not an active partner of this advertiser")
        self.audit.record(actor, advertiser_id, "auth.context_switched", f"user:{user.user_id}")
        return self._session(user, principal.chain_id or new_id(), advertiser_id)

    def update_profile(self, user: User, name: str | None, locale: str | None, actor: Actor) -> User:
        new_name = user.name if name is None else required_name(name)
        if locale is not None and locale not in LOCALES:
            raise ValidationFailed("locale must be en or ru")
        changed = replace(user, name=new_name, locale=user.locale if locale is None else locale)
        saved = self.accounts.save_user(changed)
        self.audit.record(
            actor,
            user.advertiser_id,
            "user.profile_changed",
            f"user:{user.user_id}",
            public_user(user),
            public_user(saved),
        )
        return saved

    def change_password(
        self, principal: Principal, user: User, current: str, new: str, actor: Actor
    ) -> Session:
        """A new password ends every session of the user, this one too; the caller gets a fresh
        session in its stead (same advertiser context), so only the person who changed it stays in."""
        check_policy(new)
        self.check_password(user, current, actor)
        user = self.accounts.save_user(replace(end_every_session(user), password_hash=hash_password(new)))
        if principal.chain_id:
            self.sessions.revoke_chain(principal.chain_id)
        self.audit.record(actor, user.advertiser_id, "auth.password_changed", f"user:{user.user_id}")
        return self._session(user, self._new_chain(user), principal.advertiser_id)

    # ------------------------------------------------------------------ 2FA enrolment
    def mfa_setup(
        self, user: User, actor: Actor, context: str | None = None, site: Site = PLATFORM
    ) -> tuple[str, str]:
        """A new TOTP secret and its otpauth URI, filed in the authenticator app under the brand the
        person works in: the portal's, else the advertiser context's, else the platform's."""
        if user.mfa_enabled:
            raise Conflict("two-factor authentication is already on")
        if self.brands is None:
            raise RuntimeError("2FA enrolment needs the brands: build the account service with them")
        issuer = self.brands.issuer(site.portal or context)
        secret = mfa.new_secret()
        user = self.accounts.save_user(replace(user, mfa_secret=secret, mfa_last_step=0))
        self.audit.record(actor, user.advertiser_id, "auth.mfa_setup_started", f"user:{user.user_id}")
        return secret, mfa.provisioning_uri(secret, user.email, issuer)

    def mfa_enable(self, user: User, password: str, code: str, actor: Actor) -> list[str]:
        """Turn 2FA on: the password proves it is the account's owner, the code that the
        authenticator app holds the secret."""
        if user.mfa_enabled or not user.mfa_secret:
            raise Conflict("start the set-up first")
        self.check_password(user, password, actor)
        step = mfa.matching_step(user.mfa_secret, code, self.now().timestamp())
        stepped = self.accounts.record_mfa_step(user, step) if step is not None else None
        if stepped is None:
            raise InvalidCredentials("the code is wrong or was already used")
        codes = mfa.new_recovery_codes()
        hashes = frozenset(hash_secret(c) for c in codes)
        user = self.accounts.save_user(replace(stepped, mfa_enabled=True, recovery_codes=hashes))
        self.audit.record(actor, user.advertiser_id, "auth.mfa_enabled", f"user:{user.user_id}")
        return codes

    def mfa_disable(self, user: User, password: str, code: str, actor: Actor) -> None:
        if not user.mfa_enabled:
            raise Conflict("two-factor authentication is off")
        self.check_password(user, password, actor)
        used = self.check_second_factor(user, code, actor)
        user = self.accounts.save_user(
            replace(used, mfa_enabled=False, mfa_secret="", recovery_codes=frozenset())
        )
        self.audit.record(actor, user.advertiser_id, "auth.mfa_disabled", f"user:{user.user_id}")
        now = self.now()
        at = iso_millis(now)
        self.notices.send(
            Event(
                event_id=f"{user.user_id}.mfa-off.{at}",
                type=EventType.MFA_DISABLED,
                occurred_at=now,
                audience=Audience(user_ids=(user.user_id,)),
                data={"ip": actor.ip, "at": at},
            )
        )
