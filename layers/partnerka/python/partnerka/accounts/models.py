"""Accounts: people (users), tenants (advertisers), affiliates and what connects them (domain types;
the repository stores them, see accounts.repository).

Every entity documents its key shape; keys are built only by each entity's `key` method. The types are
frozen: a service changes one by building a new copy (`dataclasses.replace`) and handing it to the
repository, which answers the copy as stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from partnerka.accounts.routing import PROFILE_SK, AccountStatus


class Role(StrEnum):
    OWNER = "owner"
    PLATFORM_ADMIN = "platform_admin"
    ADVERTISER = "advertiser"
    AFFILIATE = "affiliate"
    SUPPORT = "support"


# The platform's own people, whom the Owner alone invites, changes and helps.
STAFF_ROLES = frozenset({Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT})


class UserStatus(StrEnum):
    ACTIVE = "active"
    INVITED = "invited"
    BLOCKED = "blocked"


class MembershipStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    BLOCKED = "blocked"


class TokenState(StrEnum):
    ACTIVE = "active"
    USED = "used"


@dataclass(frozen=True, slots=True)
class Advertiser:
    """A tenant. PK `ADV#<id>`, SK `PROFILE`; GSI1 `ADVERTISERS` / `<id>` lists them for the platform.

    `status` suspended (by the platform's staff, accounts.suspension): its clicks go to its fallback,
    its dashboard is read-only, its postbacks and payouts wait; `suspended_at` and `suspension_reason`
    say since when and why (both empty while active). The click path reads this item too
    (accounts.routing.AdvertiserRoute).
    """

    id: str
    name: str
    created_at: str
    status: AccountStatus = AccountStatus.ACTIVE
    suspended_at: str | None = None
    suspension_reason: str = ""

    @staticmethod
    def key(advertiser_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", PROFILE_SK


@dataclass(frozen=True, slots=True)
class AdvertiserSettings:
    """A tenant's settings read by the hot paths. PK `ADV#<id>`, SK `SETTINGS`.

    `postback_ips`: CIDRs allowed to send conversion postbacks; empty means any address.
    `postback_domains`: the only hosts (and their subdomains) affiliate postbacks for this advertiser's
    events may go to; empty means any public host.
    """

    advertiser_id: str
    postback_ips: frozenset[str] = frozenset()
    postback_domains: frozenset[str] = frozenset()
    updated_at: str = ""

    @staticmethod
    def key(advertiser_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", "SETTINGS"


@dataclass(frozen=True, slots=True)
class Affiliate:
    """A global affiliate account. PK `AFF#<id>`, SK `PROFILE`.

    `approved_advertisers` mirrors the active memberships for the tracker (see accounts.routing), and
    `suspended_advertisers` the suspended ones (a membership suspended keeps its status, so it stays
    approved too); the repository keeps both in step when it saves a membership. `status` suspended
    is a suspension in every program (`suspended_at`, `suspension_reason`: since when and why).
    """

    affiliate_id: str
    name: str
    email: str
    created_at: str
    status: AccountStatus = AccountStatus.ACTIVE
    approved_advertisers: frozenset[str] = frozenset()
    suspended_advertisers: frozenset[str] = frozenset()
    suspended_at: str | None = None
    suspension_reason: str = ""

    @staticmethod
    def key(affiliate_id: str) -> tuple[str, str]:
        return f"AFF#{affiliate_id}", PROFILE_SK


@dataclass(frozen=True, slots=True)
class Membership:
    """An affiliate's enrollment with an advertiser. PK `ADV#<advertiser>`, SK `MEMBER#<affiliate>`;
    GSI1 `AFF#<affiliate>` / `MEMBER#<advertiser>` lists an affiliate's advertisers.

    A suspension by the platform's staff (`suspended_at`, `suspension_reason`) lies beside the
    advertiser's decision (`status`) and never changes it, so reactivating restores the membership
    exactly as it was."""

    advertiser_id: str
    affiliate_id: str
    status: MembershipStatus
    updated_at: str
    created_at: str | None = None
    suspended_at: str | None = None
    suspension_reason: str = ""

    @property
    def suspended(self) -> bool:
        return self.suspended_at is not None

    @staticmethod
    def key(advertiser_id: str, affiliate_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"MEMBER#{affiliate_id}"


@dataclass(frozen=True, slots=True)
class User:
    """A person who signs in. PK `USER#<id>`, SK `PROFILE`; GSI1 `USERS` / `<created_at>#<id>` lists all.

    The e-mail is unique through its own item (PK `EMAIL#<lower-case email>`, SK `USER`, written with
    the user). `advertiser_id` ties advertiser users to their tenant (and a team item, PK
    `ADV#<advertiser>`, SK `USER#<user>`, lists them); `affiliate_id` ties an affiliate user to its
    global affiliate account.

    `session_version` goes up when every session must end (password changed or reset, account
    blocked): access tokens and session chains of an older version are refused. `version` is the
    copy's version as stored (None before the first write): every save holds only over the copy it
    was read as, so a stale copy (read before a block or a password change) cannot write the old
    status or session version back.
    """

    user_id: str
    email: str
    name: str
    role: Role
    created_at: str
    status: UserStatus = UserStatus.ACTIVE
    locale: str = "en"
    password_hash: str | None = None
    email_verified: bool = False
    mfa_secret: str | None = None
    mfa_enabled: bool = False
    mfa_last_step: int = 0
    recovery_codes: frozenset[str] = frozenset()  # argon2id hashes of the unused codes
    advertiser_id: str | None = None
    affiliate_id: str | None = None
    session_version: int = 0
    version: int | None = None

    @staticmethod
    def key(user_id: str) -> tuple[str, str]:
        return f"USER#{user_id}", PROFILE_SK


@dataclass(frozen=True, slots=True)
class RegistrationLink:
    """An advertiser's affiliate sign-up link. PK `ADV#<advertiser>`, SK `LINK#<code>`; its public
    lookup copy is JoinCode (PK `JOIN#<code>`), written in the same transaction."""

    code: str
    advertiser_id: str
    label: str
    created_at: str
    active: bool = True

    @staticmethod
    def key(advertiser_id: str, code: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"LINK#{code}"


@dataclass(frozen=True, slots=True)
class JoinCode:
    """Finds a registration link by its code alone. PK `JOIN#<code>`, SK `LINK`."""

    code: str
    advertiser_id: str
    label: str
    active: bool = True

    @staticmethod
    def key(code: str) -> tuple[str, str]:
        return f"JOIN#{code}", "LINK"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A server-to-server key of an advertiser. PK `ADV#<advertiser>`, SK `APIKEY#<id>`; GSI1
    `APIKEY#<digest>` / `KEY`. The secret is never stored, only its SHA-256 (`digest`), which is the
    key of the lookup item ApiKeyDigest (PK `APIKEY#<sha256>`)."""

    key_id: str
    advertiser_id: str
    label: str
    prefix: str
    created_at: str
    digest: str
    last_used_at: str | None = None
    revoked: bool = False

    @staticmethod
    def key(advertiser_id: str, key_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"APIKEY#{key_id}"


@dataclass(frozen=True, slots=True)
class ApiKeyDigest:
    """Finds an API key by the digest of its secret. PK `APIKEY#<sha256 hex>`, SK `KEY`."""

    key_id: str
    advertiser_id: str
    revoked: bool = False

    @staticmethod
    def key(digest: str) -> tuple[str, str]:
        return f"APIKEY#{digest}", "KEY"


@dataclass(frozen=True, slots=True)
class RefreshToken:
    """One refresh token of a session chain. PK `REFRESH#<sha256 hex>`, SK `TOKEN`; expires by TTL.

    `state` goes active → used exactly once (a condition); presenting a used one again means the
    chain leaked, and the whole chain (SessionChain) is revoked.
    """

    digest: str
    user_id: str
    chain_id: str
    expires_at: int
    state: TokenState = TokenState.ACTIVE
    context_advertiser_id: str | None = None

    @staticmethod
    def key(digest: str) -> tuple[str, str]:
        return f"REFRESH#{digest}", "TOKEN"


@dataclass(frozen=True, slots=True)
class SessionChain:
    """A sign-in and all its rotated refresh tokens. PK `CHAIN#<id>`, SK `CHAIN`; expires by TTL.
    It refreshes only while its `session_version` is the user's."""

    chain_id: str
    user_id: str
    expires_at: int
    session_version: int = 0
    revoked: bool = False

    @staticmethod
    def key(chain_id: str) -> tuple[str, str]:
        return f"CHAIN#{chain_id}", "CHAIN"


@dataclass(frozen=True, slots=True)
class OneTimeToken:
    """A link token (verify e-mail, reset password, accept invitation). PK `OTT#<sha256 hex>`, SK
    `TOKEN`; GSI1 `OTT#USER#<user>` / `<purpose>#<sha256 hex>` lists a user's (tokens written before
    the index existed are not listed: they expire on their own); consumed by a conditional delete,
    so it works once; expires by TTL."""

    digest: str
    purpose: str
    user_id: str
    expires_at: int

    @staticmethod
    def key(digest: str) -> tuple[str, str]:
        return f"OTT#{digest}", "TOKEN"
