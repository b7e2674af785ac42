"""Accounts: people (users), tenants (advertisers), affiliates and what connects them.

Every entity documents its key shape; keys are built only by each entity's `key` method.
"""

from __future__ import annotations

from enum import StrEnum

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)

from partnerka.accounts.routing import PROFILE_SK, AccountStatus
from partnerka.common.pynamo import CoreItem


class Role(StrEnum):
    OWNER = "owner"
    PLATFORM_ADMIN = "platform_admin"
    ADVERTISER = "advertiser"
    AFFILIATE = "affiliate"
    SUPPORT = "support"


class UserStatus(StrEnum):
    ACTIVE = "active"
    INVITED = "invited"
    BLOCKED = "blocked"


class MembershipStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    BLOCKED = "blocked"


class Advertiser(CoreItem):
    """A tenant. PK `ADV#<id>`, SK `PROFILE`; GSI1 `ADVERTISERS` / `<id>` lists them for the platform."""

    id = UnicodeAttribute()
    name = UnicodeAttribute()
    status = UnicodeAttribute(default=AccountStatus.ACTIVE.value)
    created_at = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", PROFILE_SK


class AdvertiserSettings(CoreItem):
    """A tenant's settings read by the hot paths. PK `ADV#<id>`, SK `SETTINGS`.

    `postback_ips`: CIDRs allowed to send conversion postbacks; empty means any address.
    `postback_domains`: the only hosts (and their subdomains) affiliate postbacks for this advertiser's
    events may go to; empty means any public host.
    """

    advertiser_id = UnicodeAttribute()
    postback_ips = UnicodeSetAttribute(null=True)
    postback_domains = UnicodeSetAttribute(null=True)
    updated_at = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", "SETTINGS"


class Affiliate(CoreItem):
    """A global affiliate account. PK `AFF#<id>`, SK `PROFILE`.

    `approved_advertisers` mirrors the active memberships for the tracker (see accounts.routing).
    """

    affiliate_id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    status = UnicodeAttribute(default=AccountStatus.ACTIVE.value)
    approved_advertisers = UnicodeSetAttribute(null=True)
    created_at = UnicodeAttribute()

    @staticmethod
    def key(affiliate_id: str) -> tuple[str, str]:
        return f"AFF#{affiliate_id}", PROFILE_SK


class Membership(CoreItem):
    """An affiliate's enrollment with an advertiser. PK `ADV#<advertiser>`, SK `MEMBER#<affiliate>`;
    GSI1 `AFF#<affiliate>` / `MEMBER#<advertiser>` lists an affiliate's advertisers."""

    advertiser_id = UnicodeAttribute()
    affiliate_id = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str, affiliate_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"MEMBER#{affiliate_id}"


class User(CoreItem):
    """A person who signs in. PK `USER#<id>`, SK `PROFILE`; GSI1 `USERS` / `<created_at>#<id>` lists all.

    The e-mail is unique through its own item (EmailClaim). `advertiser_id` ties advertiser users to
    their tenant; `affiliate_id` ties an affiliate user to its global affiliate account.

    `session_version` goes up when every session must end (password changed or reset, account
    blocked): access tokens and session chains of an older version are refused. `version` makes
    every save conditional on the copy being current, so a stale copy (read before a block or a
    password change) cannot write the old status or session version back.
    """

    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    status = UnicodeAttribute(default=UserStatus.ACTIVE.value)
    locale = UnicodeAttribute(default="en")
    password_hash = UnicodeAttribute(null=True)
    email_verified = BooleanAttribute(default=False)
    mfa_secret = UnicodeAttribute(null=True)
    mfa_enabled = BooleanAttribute(default=False)
    mfa_last_step = NumberAttribute(default=0)
    recovery_codes = UnicodeSetAttribute(null=True)  # argon2id hashes of the unused codes
    advertiser_id = UnicodeAttribute(null=True)
    affiliate_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    session_version = NumberAttribute(default=0)
    version = VersionAttribute(null=True)

    @staticmethod
    def key(user_id: str) -> tuple[str, str]:
        return f"USER#{user_id}", PROFILE_SK


class EmailClaim(CoreItem):
    """Makes an e-mail address unique. PK `EMAIL#<lower-case email>`, SK `USER`."""

    user_id = UnicodeAttribute()

    @staticmethod
    def key(email: str) -> tuple[str, str]:
        return f"EMAIL#{email}", "USER"


class TeamMember(CoreItem):
    """A user of an advertiser's workspace. PK `ADV#<advertiser>`, SK `USER#<user>`."""

    user_id = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str, user_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"USER#{user_id}"


class RegistrationLink(CoreItem):
    """An advertiser's affiliate sign-up link. PK `ADV#<advertiser>`, SK `LINK#<code>`; its public
    lookup copy is JoinCode (PK `JOIN#<code>`), written in the same transaction."""

    code = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    label = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str, code: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"LINK#{code}"


class JoinCode(CoreItem):
    """Finds a registration link by its code alone. PK `JOIN#<code>`, SK `LINK`."""

    code = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    label = UnicodeAttribute()
    active = BooleanAttribute(default=True)

    @staticmethod
    def key(code: str) -> tuple[str, str]:
        return f"JOIN#{code}", "LINK"


class ApiKey(CoreItem):
    """A server-to-server key of an advertiser. PK `ADV#<advertiser>`, SK `APIKEY#<id>`; the secret is
    never stored, only its SHA-256 in the lookup item ApiKeyDigest (PK `APIKEY#<sha256>`)."""

    key_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    label = UnicodeAttribute()
    prefix = UnicodeAttribute()
    created_at = UnicodeAttribute()
    last_used_at = UnicodeAttribute(null=True)
    revoked = BooleanAttribute(default=False)

    @staticmethod
    def key(advertiser_id: str, key_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"APIKEY#{key_id}"


class ApiKeyDigest(CoreItem):
    """Finds an API key by the digest of its secret. PK `APIKEY#<sha256 hex>`, SK `KEY`."""

    key_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    revoked = BooleanAttribute(default=False)

    @staticmethod
    def key(digest: str) -> tuple[str, str]:
        return f"APIKEY#{digest}", "KEY"


class RefreshToken(CoreItem):
    """One refresh token of a session chain. PK `REFRESH#<sha256 hex>`, SK `TOKEN`; expires by TTL.

    `state` goes active → used exactly once (a condition); presenting a used one again means the
    chain leaked, and the whole chain (SessionChain) is revoked.
    """

    user_id = UnicodeAttribute()
    chain_id = UnicodeAttribute()
    state = UnicodeAttribute()
    context_advertiser_id = UnicodeAttribute(null=True)
    expires_at = NumberAttribute()

    @staticmethod
    def key(digest: str) -> tuple[str, str]:
        return f"REFRESH#{digest}", "TOKEN"


class SessionChain(CoreItem):
    """A sign-in and all its rotated refresh tokens. PK `CHAIN#<id>`, SK `CHAIN`; expires by TTL.
    It refreshes only while its `session_version` is the user's."""

    user_id = UnicodeAttribute()
    revoked = BooleanAttribute(default=False)
    session_version = NumberAttribute(default=0)
    expires_at = NumberAttribute()

    @staticmethod
    def key(chain_id: str) -> tuple[str, str]:
        return f"CHAIN#{chain_id}", "CHAIN"


class OneTimeToken(CoreItem):
    """A link token (verify e-mail, reset password, accept invitation). PK `OTT#<sha256 hex>`, SK
    `TOKEN`; consumed by a conditional delete, so it works once; expires by TTL."""

    purpose = UnicodeAttribute()
    user_id = UnicodeAttribute()
    expires_at = NumberAttribute()

    @staticmethod
    def key(digest: str) -> tuple[str, str]:
        return f"OTT#{digest}", "TOKEN"


class RateWindow(CoreItem):
    """Failures counted in one window, attempts still being checked included (accounts.ratelimit).
    PK `RATE#<scope>#<subject>`, SK `W#<window start>`; TTL."""

    failures = NumberAttribute(default=0)
    expires_at = NumberAttribute()

    @staticmethod
    def key(scope: str, subject: str, window_start: int) -> tuple[str, str]:
        return f"RATE#{scope}#{subject}", f"W#{window_start}"
