"""/api/users, /api/advertisers: the platform's administration (owner and platform admin; support reads),
and staff's help of a person (accounts.support): its e-mail links again, its second factor reset, a
read-only look at its dashboard."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.accounts import support_desk, workspace
from pydantic import BaseModel, Field

from partnerka.accounts.models import Role, UserStatus
from partnerka.accounts.permissions import Permission, require
from partnerka.accounts.support import IDENTITY_CHECK_LENGTH
from routes.responses import created
from routes.schemas import (
    AdvertiserList,
    AdvertiserOut,
    ContextOut,
    RoleName,
    StaffUserList,
    StaffUserOut,
    SuspensionOut,
    UserEnvelope,
    UserOut,
)


class ViewAsOut(BaseModel):
    """A read-only access token for viewing a person's dashboard ("view as"), for `expires_in`
    seconds; no refresh token goes with it: when it ends, the staff member's own session resumes."""

    access_token: str
    expires_in: int
    user: UserOut
    context: ContextOut


router = Router()  # type: ignore[no-untyped-call]
UserId = Annotated[str, Path(max_length=40)]


class InviteIn(BaseModel):
    email: str = Field(max_length=254)
    role: RoleName
    advertiser_id: str | None = Field(default=None, max_length=40)


class UserChangeIn(BaseModel):
    role: RoleName | None = None
    status: Literal["active", "blocked"] | None = None


class MfaResetIn(BaseModel):
    identity_check: str = Field(
        min_length=IDENTITY_CHECK_LENGTH[0],
        max_length=IDENTITY_CHECK_LENGTH[1] * 2,  # the service counts it with its spaces squeezed
        description="How the person's identity was confirmed (kept in the audit log)",
    )


@router.get("/users", summary="All users, filtered")
def list_users(
    role: Annotated[RoleName | None, Query()] = None,
    status: Annotated[Literal["active", "invited", "blocked"] | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> StaffUserList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.USERS_READ)
    users = workspace().list_users(role, status, q)
    suspended = workspace().affiliate_suspensions(users)
    return StaffUserList(
        items=[
            StaffUserOut(
                **UserOut.of(u).model_dump(),
                affiliate_suspension=SuspensionOut.of(suspended.get(u.affiliate_id or "")),
            )
            for u in users
        ]
    )


@router.post("/users/invite", summary="Invite a user by e-mail", responses={201: {}})
def invite_user(body: Annotated[InviteIn, Body()]) -> Response[UserEnvelope]:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.USERS_MANAGE)
    invited = workspace().invite_user(
        principal, body.email, Role(body.role), body.advertiser_id, actor_of(router.current_event, user)
    )
    return created(UserEnvelope(user=UserOut.of(invited)))


@router.patch("/users/<user_id>", summary="Change a user's role or block/unblock it")
def update_user(user_id: str, body: Annotated[UserChangeIn, Body()]) -> UserEnvelope:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.USERS_MANAGE)
    changed = workspace().update_user(
        principal,
        user_id,
        Role(body.role) if body.role else None,
        UserStatus(body.status) if body.status else None,
        actor_of(router.current_event, user),
    )
    return UserEnvelope(user=UserOut.of(changed))


@router.get("/advertisers", summary="All advertisers (tenants)")
def list_advertisers() -> AdvertiserList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.ADVERTISERS_READ)
    return AdvertiserList(items=[AdvertiserOut.of(a) for a in workspace().list_advertisers()])


# ---------------------------------------------------------------------- staff's help of a person
@router.post(
    "/users/<user_id>/resend-verification", summary="Support: e-mail an unconfirmed person its link again"
)
def resend_verification(user_id: UserId) -> UserEnvelope:
    principal, user = current(router.current_event.headers)
    helped = support_desk().resend_verification(principal, user_id, actor_of(router.current_event, user))
    return UserEnvelope(user=UserOut.of(helped))


@router.post(
    "/users/<user_id>/resend-invitation",
    summary="Support: e-mail an invited person a new invitation (the links sent before stop working)",
)
def resend_invitation(user_id: UserId) -> UserEnvelope:
    principal, user = current(router.current_event.headers)
    helped = support_desk().resend_invitation(principal, user_id, actor_of(router.current_event, user))
    return UserEnvelope(user=UserOut.of(helped))


@router.post(
    "/users/<user_id>/reset-mfa",
    summary="Support: turn off a person's lost second factor once its identity is confirmed; its sessions end",
)
def reset_mfa(user_id: UserId, body: Annotated[MfaResetIn, Body()]) -> UserEnvelope:
    principal, user = current(router.current_event.headers)
    helped = support_desk().reset_mfa(
        principal, user_id, body.identity_check, actor_of(router.current_event, user)
    )
    return UserEnvelope(user=UserOut.of(helped))


@router.post(
    "/users/<user_id>/view-as",
    summary="Staff: a short read-only access token to view a person's dashboard as it sees it",
)
def view_as(user_id: UserId, advertiser_id: Annotated[str | None, Query(max_length=40)] = None) -> ViewAsOut:
    principal, user = current(router.current_event.headers)
    seen = support_desk().view_as(
        principal, user, user_id, advertiser_id, actor_of(router.current_event, user)
    )
    return ViewAsOut(
        access_token=seen.access_token,
        expires_in=seen.expires_in,
        user=UserOut.of(seen.user),
        context=ContextOut(
            advertiser_id=seen.context_advertiser_id, advertiser_name=seen.context_advertiser_name
        ),
    )
