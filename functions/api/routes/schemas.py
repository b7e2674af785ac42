"""Request and response bodies of the dashboard API (what the OpenAPI document shows)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from partnerka.accounts.models import Advertiser, ApiKey, RegistrationLink, User
from partnerka.accounts.permissions import Permission
from partnerka.accounts.service import Session
from partnerka.accounts.suspension import Suspension
from partnerka.accounts.workspace import MembershipView

Email = Field(min_length=3, max_length=254)
Password = Field(min_length=1, max_length=128)
RoleName = Literal["owner", "platform_admin", "advertiser", "affiliate", "support"]
MembershipStatusName = Literal["pending", "active", "rejected", "blocked"]


class SuspensionOut(BaseModel):
    """The platform's staff suspended the account the caller works in: it reads, and changes nothing."""

    scope: Literal["advertiser", "affiliate", "program"] = Field(
        description="advertiser: the whole advertiser; affiliate: the affiliate everywhere; program: the "
        "affiliate in the advertiser it works with now"
    )
    reason: str
    since: str | None

    @classmethod
    def of(cls, suspension: Suspension | None) -> SuspensionOut | None:
        if suspension is None:
            return None
        return cls(scope=suspension.scope.value, reason=suspension.reason, since=suspension.since)


class UserOut(BaseModel):
    id: str
    email: str
    name: str
    role: RoleName
    status: Literal["active", "invited", "blocked"]
    email_verified: bool
    mfa_enabled: bool
    locale: Literal["en", "ru"]
    advertiser_id: str | None
    created_at: str
    affiliate_id: str | None = None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.user_id,
            email=user.email,
            name=user.name,
            role=user.role,  # type: ignore[arg-type]
            status=user.status,  # type: ignore[arg-type]
            email_verified=bool(user.email_verified),
            mfa_enabled=bool(user.mfa_enabled),
            locale=user.locale if user.locale in ("en", "ru") else "en",  # type: ignore[arg-type]
            advertiser_id=user.advertiser_id,
            created_at=user.created_at,
            affiliate_id=user.affiliate_id,
        )


class UserEnvelope(BaseModel):
    user: UserOut


class UserList(BaseModel):
    items: list[UserOut]


class StaffUserOut(UserOut):
    affiliate_suspension: SuspensionOut | None = Field(
        default=None, description="an affiliate's person: its affiliate account suspended everywhere"
    )


class StaffUserList(BaseModel):
    items: list[StaffUserOut]


class ContextOut(BaseModel):
    advertiser_id: str | None
    advertiser_name: str | None


class SessionOut(BaseModel):
    """A session: its access token, for the page's memory. Its refresh token travels in the HttpOnly
    `pk_refresh` cookie, never in a body."""

    access_token: str
    expires_in: int
    user: UserOut
    context: ContextOut

    @classmethod
    def of(cls, session: Session) -> SessionOut:
        return cls(
            access_token=session.access_token,
            expires_in=session.expires_in,
            user=UserOut.of(session.user),
            context=ContextOut(
                advertiser_id=session.context_advertiser_id, advertiser_name=session.context_advertiser_name
            ),
        )


class MfaRequiredOut(BaseModel):
    mfa_required: Literal[True] = True
    mfa_token: str


class MembershipOut(BaseModel):
    advertiser_id: str
    advertiser_name: str
    affiliate_id: str
    affiliate_name: str
    affiliate_email: str
    status: MembershipStatusName
    created_at: str | None
    updated_at: str
    suspended: bool = Field(
        default=False, description="suspended in this program by the platform's staff (the status stays)"
    )
    suspended_at: str | None = None
    suspension_reason: str | None = None

    @classmethod
    def of(cls, view: MembershipView) -> MembershipOut:
        m = view.membership
        return cls(
            advertiser_id=m.advertiser_id,
            advertiser_name=view.advertiser_name,
            affiliate_id=m.affiliate_id,
            affiliate_name=view.affiliate_name,
            affiliate_email=view.affiliate_email,
            status=m.status,  # type: ignore[arg-type]
            created_at=m.created_at,
            updated_at=m.updated_at,
            suspended=m.suspended,
            suspended_at=m.suspended_at,
            suspension_reason=m.suspension_reason or None,
        )


class MembershipList(BaseModel):
    items: list[MembershipOut]


class MeOut(BaseModel):
    user: UserOut
    context: ContextOut
    memberships: list[MembershipOut]
    permissions: list[Permission] = Field(
        description="What the caller may do, from the one permission matrix; the dashboard shows what these allow"
    )
    suspension: SuspensionOut | None = None
    viewed_by: str | None = Field(
        default=None,
        description="Staff viewing this person's dashboard read-only (their user id); null for the person",
    )


class LinkOut(BaseModel):
    code: str
    url_path: str
    url: str = Field(
        description="the whole link: on the advertiser's own portal domain while it has an active one"
    )
    label: str
    created_at: str
    active: bool

    @classmethod
    def of(cls, link: RegistrationLink, base_url: str) -> LinkOut:
        return cls(
            code=link.code,
            url_path=f"/join/{link.code}",
            url=f"{base_url}/join/{link.code}",
            label=link.label,
            created_at=link.created_at,
            active=bool(link.active),
        )


class LinkList(BaseModel):
    items: list[LinkOut]


class ApiKeyOut(BaseModel):
    id: str
    label: str
    prefix: str
    created_at: str
    last_used_at: str | None
    revoked: bool

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(
            id=key.key_id,
            label=key.label,
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            revoked=bool(key.revoked),
        )


class ApiKeyList(BaseModel):
    items: list[ApiKeyOut]


class ApiKeyCreated(BaseModel):
    key: ApiKeyOut
    secret: str


class AdvertiserOut(BaseModel):
    id: str
    name: str
    status: Literal["active", "suspended"]
    created_at: str
    suspended_at: str | None = None
    suspension_reason: str | None = None

    @classmethod
    def of(cls, advertiser: Advertiser) -> AdvertiserOut:
        return cls(
            id=advertiser.id,
            name=advertiser.name,
            status=advertiser.status.value,
            created_at=advertiser.created_at,
            suspended_at=advertiser.suspended_at,
            suspension_reason=advertiser.suspension_reason or None,
        )


class AdvertiserList(BaseModel):
    items: list[AdvertiserOut]
