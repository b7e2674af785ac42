"""How accounts' entities are stored in the core table: one PynamoDB row per entity, built from the
domain type (`of`) and read back into it. Private to accounts.repository, the only module that
imports it (a test holds that).

The attribute names, key strings and types are the ones stored since the entities were PynamoDB
models themselves: items written then read as before. Empty sets are left out (DynamoDB stores no
empty set), as they always were.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)

from partnerka.accounts.models import (
    Advertiser,
    AdvertiserSettings,
    Affiliate,
    ApiKey,
    ApiKeyDigest,
    JoinCode,
    Membership,
    MembershipStatus,
    OneTimeToken,
    RefreshToken,
    RegistrationLink,
    Role,
    SessionChain,
    TokenState,
    User,
    UserStatus,
)
from partnerka.accounts.routing import AccountStatus
from partnerka.common.pynamo import CoreItem

ADVERTISERS = "ADVERTISERS"
USERS = "USERS"
_APIKEY = "APIKEY#"


def _set(values: frozenset[str]) -> set[str] | None:
    return set(values) or None


class AdvertiserRow(CoreItem):
    """Advertiser: PK `ADV#<id>`, SK `PROFILE`; GSI1 `ADVERTISERS` / `<id>`."""

    id = UnicodeAttribute()
    name = UnicodeAttribute()
    status = UnicodeAttribute(default=AccountStatus.ACTIVE.value)
    suspended_at = UnicodeAttribute(null=True)
    suspension_reason = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()

    @classmethod
    def of(cls, advertiser: Advertiser) -> AdvertiserRow:
        return cls(
            *Advertiser.key(advertiser.id),
            gsi1pk=ADVERTISERS,
            gsi1sk=advertiser.id,
            id=advertiser.id,
            name=advertiser.name,
            status=advertiser.status.value,
            suspended_at=advertiser.suspended_at,
            suspension_reason=advertiser.suspension_reason or None,
            created_at=advertiser.created_at,
        )

    def advertiser(self) -> Advertiser:
        return Advertiser(
            id=self.id,
            name=self.name,
            created_at=self.created_at,
            status=AccountStatus(self.status),
            suspended_at=self.suspended_at,
            suspension_reason=self.suspension_reason or "",
        )


class SettingsRow(CoreItem):
    """AdvertiserSettings: PK `ADV#<id>`, SK `SETTINGS` (the hot paths read it with the codec)."""

    advertiser_id = UnicodeAttribute()
    postback_ips = UnicodeSetAttribute(null=True)
    postback_domains = UnicodeSetAttribute(null=True)
    updated_at = UnicodeAttribute()

    @classmethod
    def of(cls, settings: AdvertiserSettings) -> SettingsRow:
        return cls(
            *AdvertiserSettings.key(settings.advertiser_id),
            advertiser_id=settings.advertiser_id,
            postback_ips=_set(settings.postback_ips),
            postback_domains=_set(settings.postback_domains),
            updated_at=settings.updated_at,
        )

    def settings(self) -> AdvertiserSettings:
        return AdvertiserSettings(
            advertiser_id=self.advertiser_id,
            postback_ips=frozenset(self.postback_ips or ()),
            postback_domains=frozenset(self.postback_domains or ()),
            updated_at=self.updated_at,
        )


class AffiliateRow(CoreItem):
    """Affiliate: PK `AFF#<id>`, SK `PROFILE` (the tracker reads it as accounts.routing.AffiliateRoute)."""

    affiliate_id = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    status = UnicodeAttribute(default=AccountStatus.ACTIVE.value)
    approved_advertisers = UnicodeSetAttribute(null=True)
    suspended_advertisers = UnicodeSetAttribute(null=True)
    suspended_at = UnicodeAttribute(null=True)
    suspension_reason = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()

    @classmethod
    def of(cls, affiliate: Affiliate) -> AffiliateRow:
        return cls(
            *Affiliate.key(affiliate.affiliate_id),
            affiliate_id=affiliate.affiliate_id,
            name=affiliate.name,
            email=affiliate.email,
            status=affiliate.status.value,
            approved_advertisers=_set(affiliate.approved_advertisers),
            suspended_advertisers=_set(affiliate.suspended_advertisers),
            suspended_at=affiliate.suspended_at,
            suspension_reason=affiliate.suspension_reason or None,
            created_at=affiliate.created_at,
        )

    def affiliate(self) -> Affiliate:
        return Affiliate(
            affiliate_id=self.affiliate_id,
            name=self.name,
            email=self.email,
            created_at=self.created_at,
            status=AccountStatus(self.status),
            approved_advertisers=frozenset(self.approved_advertisers or ()),
            suspended_advertisers=frozenset(self.suspended_advertisers or ()),
            suspended_at=self.suspended_at,
            suspension_reason=self.suspension_reason or "",
        )


class MembershipRow(CoreItem):
    """Membership: PK `ADV#<advertiser>`, SK `MEMBER#<affiliate>`; GSI1 `AFF#<affiliate>` /
    `MEMBER#<advertiser>`."""

    advertiser_id = UnicodeAttribute()
    affiliate_id = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()
    suspended_at = UnicodeAttribute(null=True)
    suspension_reason = UnicodeAttribute(null=True)

    @staticmethod
    def affiliate_partition(affiliate_id: str) -> str:
        """The GSI1 partition of an affiliate's memberships."""
        return f"AFF#{affiliate_id}"

    @classmethod
    def of(cls, membership: Membership) -> MembershipRow:
        return cls(
            *Membership.key(membership.advertiser_id, membership.affiliate_id),
            gsi1pk=cls.affiliate_partition(membership.affiliate_id),
            gsi1sk=f"MEMBER#{membership.advertiser_id}",
            advertiser_id=membership.advertiser_id,
            affiliate_id=membership.affiliate_id,
            status=membership.status.value,
            created_at=membership.created_at,
            updated_at=membership.updated_at,
            suspended_at=membership.suspended_at,
            suspension_reason=membership.suspension_reason or None,
        )

    def membership(self) -> Membership:
        return Membership(
            advertiser_id=self.advertiser_id,
            affiliate_id=self.affiliate_id,
            status=MembershipStatus(self.status),
            updated_at=self.updated_at,
            created_at=self.created_at,
            suspended_at=self.suspended_at,
            suspension_reason=self.suspension_reason or "",
        )


class UserRow(CoreItem):
    """User: PK `USER#<id>`, SK `PROFILE`; GSI1 `USERS` / `<created_at>#<id>`. Every write holds only
    over the version the copy was read as, and counts it up (PynamoDB's VersionAttribute)."""

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
    recovery_codes = UnicodeSetAttribute(null=True)
    advertiser_id = UnicodeAttribute(null=True)
    affiliate_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    session_version = NumberAttribute(default=0)
    version = VersionAttribute(null=True)

    @classmethod
    def of(cls, user: User) -> UserRow:
        row = cls(
            *User.key(user.user_id),
            gsi1pk=USERS,
            gsi1sk=f"{user.created_at}#{user.user_id}",
            user_id=user.user_id,
            email=user.email,
            name=user.name,
            role=user.role.value,
            status=user.status.value,
            locale=user.locale,
            password_hash=user.password_hash,
            email_verified=user.email_verified,
            mfa_secret=user.mfa_secret,
            mfa_enabled=user.mfa_enabled,
            mfa_last_step=user.mfa_last_step,
            recovery_codes=_set(user.recovery_codes),
            advertiser_id=user.advertiser_id,
            affiliate_id=user.affiliate_id,
            created_at=user.created_at,
            session_version=user.session_version,
        )
        return row._read_as(user)

    @classmethod
    def at_version(cls, user: User) -> UserRow:
        """Only the user's key and the version its copy was read as: what an update names."""
        return cls(*User.key(user.user_id))._read_as(user)

    def _read_as(self, user: User) -> UserRow:
        # A VersionAttribute takes no None: a user never stored yet has none set at all.
        if user.version is not None:
            self.version = user.version
        return self

    def user(self) -> User:
        return User(
            user_id=self.user_id,
            email=self.email,
            name=self.name,
            role=Role(self.role),
            created_at=self.created_at,
            status=UserStatus(self.status),
            locale=self.locale,
            password_hash=self.password_hash,
            email_verified=bool(self.email_verified),
            mfa_secret=self.mfa_secret,
            mfa_enabled=bool(self.mfa_enabled),
            mfa_last_step=int(self.mfa_last_step or 0),
            recovery_codes=frozenset(self.recovery_codes or ()),
            advertiser_id=self.advertiser_id,
            affiliate_id=self.affiliate_id,
            session_version=int(self.session_version or 0),
            version=None if self.version is None else int(self.version),
        )


class EmailClaimRow(CoreItem):
    """Makes an e-mail address unique. PK `EMAIL#<lower-case email>`, SK `USER`."""

    user_id = UnicodeAttribute()

    @staticmethod
    def key(email: str) -> tuple[str, str]:
        return f"EMAIL#{email}", "USER"


class TeamMemberRow(CoreItem):
    """A user of an advertiser's workspace. PK `ADV#<advertiser>`, SK `USER#<user>`."""

    user_id = UnicodeAttribute()

    @staticmethod
    def key(advertiser_id: str, user_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"USER#{user_id}"


class LinkRow(CoreItem):
    """RegistrationLink: PK `ADV#<advertiser>`, SK `LINK#<code>`."""

    code = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    label = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()

    @classmethod
    def of(cls, link: RegistrationLink) -> LinkRow:
        return cls(
            *RegistrationLink.key(link.advertiser_id, link.code),
            code=link.code,
            advertiser_id=link.advertiser_id,
            label=link.label,
            active=link.active,
            created_at=link.created_at,
        )

    def link(self) -> RegistrationLink:
        return RegistrationLink(
            code=self.code,
            advertiser_id=self.advertiser_id,
            label=self.label,
            created_at=self.created_at,
            active=bool(self.active),
        )


class JoinCodeRow(CoreItem):
    """JoinCode: PK `JOIN#<code>`, SK `LINK`."""

    code = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    label = UnicodeAttribute()
    active = BooleanAttribute(default=True)

    @classmethod
    def of(cls, link: RegistrationLink) -> JoinCodeRow:
        return cls(
            *JoinCode.key(link.code),
            code=link.code,
            advertiser_id=link.advertiser_id,
            label=link.label,
            active=link.active,
        )

    def join_code(self) -> JoinCode:
        return JoinCode(
            code=self.code, advertiser_id=self.advertiser_id, label=self.label, active=bool(self.active)
        )


class ApiKeyRow(CoreItem):
    """ApiKey: PK `ADV#<advertiser>`, SK `APIKEY#<id>`; GSI1 `APIKEY#<digest>` / `KEY`, so that
    revoking the key finds its lookup item."""

    key_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    label = UnicodeAttribute()
    prefix = UnicodeAttribute()
    created_at = UnicodeAttribute()
    last_used_at = UnicodeAttribute(null=True)
    revoked = BooleanAttribute(default=False)

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyRow:
        return cls(
            *ApiKey.key(key.advertiser_id, key.key_id),
            gsi1pk=ApiKeyDigest.key(key.digest)[0],
            gsi1sk=ApiKeyDigest.key(key.digest)[1],
            key_id=key.key_id,
            advertiser_id=key.advertiser_id,
            label=key.label,
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            revoked=key.revoked,
        )

    def api_key(self) -> ApiKey:
        return ApiKey(
            key_id=self.key_id,
            advertiser_id=self.advertiser_id,
            label=self.label,
            prefix=self.prefix,
            created_at=self.created_at,
            digest=(self.gsi1pk or "").removeprefix(_APIKEY),
            last_used_at=self.last_used_at,
            revoked=bool(self.revoked),
        )


class ApiKeyDigestRow(CoreItem):
    """ApiKeyDigest: PK `APIKEY#<sha256 hex>`, SK `KEY`."""

    key_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    revoked = BooleanAttribute(default=False)

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyDigestRow:
        return cls(
            *ApiKeyDigest.key(key.digest),
            key_id=key.key_id,
            advertiser_id=key.advertiser_id,
            revoked=key.revoked,
        )

    def lookup(self) -> ApiKeyDigest:
        return ApiKeyDigest(key_id=self.key_id, advertiser_id=self.advertiser_id, revoked=bool(self.revoked))


class RefreshTokenRow(CoreItem):
    """RefreshToken: PK `REFRESH#<sha256 hex>`, SK `TOKEN`; TTL `expires_at`."""

    user_id = UnicodeAttribute()
    chain_id = UnicodeAttribute()
    state = UnicodeAttribute()
    context_advertiser_id = UnicodeAttribute(null=True)
    expires_at = NumberAttribute()

    @classmethod
    def of(cls, token: RefreshToken) -> RefreshTokenRow:
        return cls(
            *RefreshToken.key(token.digest),
            user_id=token.user_id,
            chain_id=token.chain_id,
            state=token.state.value,
            context_advertiser_id=token.context_advertiser_id,
            expires_at=token.expires_at,
        )

    def token(self) -> RefreshToken:
        return RefreshToken(
            digest=self.pk.removeprefix("REFRESH#"),
            user_id=self.user_id,
            chain_id=self.chain_id,
            expires_at=int(self.expires_at),
            state=TokenState(self.state),
            context_advertiser_id=self.context_advertiser_id,
        )


class SessionChainRow(CoreItem):
    """SessionChain: PK `CHAIN#<id>`, SK `CHAIN`; TTL `expires_at`."""

    user_id = UnicodeAttribute()
    revoked = BooleanAttribute(default=False)
    session_version = NumberAttribute(default=0)
    expires_at = NumberAttribute()

    @classmethod
    def of(cls, chain: SessionChain) -> SessionChainRow:
        return cls(
            *SessionChain.key(chain.chain_id),
            user_id=chain.user_id,
            revoked=chain.revoked,
            session_version=chain.session_version,
            expires_at=chain.expires_at,
        )

    def chain(self) -> SessionChain:
        return SessionChain(
            chain_id=self.pk.removeprefix("CHAIN#"),
            user_id=self.user_id,
            expires_at=int(self.expires_at),
            session_version=int(self.session_version or 0),
            revoked=bool(self.revoked),
        )


class OneTimeTokenRow(CoreItem):
    """OneTimeToken: PK `OTT#<sha256 hex>`, SK `TOKEN`; GSI1 `OTT#USER#<user>` / `<purpose>#<sha256
    hex>` finds a user's links of one purpose (to revoke them); TTL `expires_at`."""

    purpose = UnicodeAttribute()
    user_id = UnicodeAttribute()
    expires_at = NumberAttribute()

    @staticmethod
    def user_partition(user_id: str) -> str:
        return f"OTT#USER#{user_id}"

    @classmethod
    def of(cls, token: OneTimeToken) -> OneTimeTokenRow:
        return cls(
            *OneTimeToken.key(token.digest),
            gsi1pk=cls.user_partition(token.user_id),
            gsi1sk=f"{token.purpose}#{token.digest}",
            purpose=token.purpose,
            user_id=token.user_id,
            expires_at=token.expires_at,
        )

    def token(self) -> OneTimeToken:
        return OneTimeToken(
            digest=self.pk.removeprefix("OTT#"),
            purpose=self.purpose,
            user_id=self.user_id,
            expires_at=int(self.expires_at),
        )


class RateWindowRow(CoreItem):
    """Failures counted in one window, attempts still being checked included (accounts.ratelimit).
    PK `RATE#<scope>#<subject>`, SK `W#<window start>`; TTL `expires_at`."""

    failures = NumberAttribute(default=0)
    expires_at = NumberAttribute()

    @staticmethod
    def key(scope: str, subject: str, window_start: int) -> tuple[str, str]:
        return f"RATE#{scope}#{subject}", f"W#{window_start}"
